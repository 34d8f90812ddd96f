"""migrate: NexRL's own 1.0 recipes, migrated into a temporary copy, check clean for 1.4 (but
for their upstream bugs), keep their comments, change only what the guide asks, and a second
run changes nothing."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from helpers import write
from typer.testing import CliRunner

from nexrl_cfg.check import Checker, Settings
from nexrl_cfg.cli import app
from nexrl_cfg.discovery import iter_yaml_files
from nexrl_cfg.fix.migrate import migrate

# Upstream recipe bugs migration does not touch: (file, rule).
UPSTREAM = {
    ("pig_latin/self_hosted.yaml", "invalid-choice"),  # trainer.type self_hosted_cross_entropy
    ("pig_latin/self_hosted.yaml", "missing-required"),  # no inference service, a bare actor
    ("nexau_news/self_hosted.yaml", "interpolation-error"),  # max_prompt_length cycle
    # the nexau worker's tokenizer, which the 1.0 NexAU recipes never give
    ("nexau_news/common.yaml", "missing-required"),
    ("nexau_news/self_hosted.yaml", "missing-required"),
    # the pig_latin worker's rollout_worker.data.tokenizer_path, read eagerly at every version
    ("pig_latin/common.yaml", "missing-required"),
}


@pytest.fixture
def copy(recipes: Path, tmp_path: Path) -> Path:
    target = tmp_path / "recipe"
    shutil.copytree(recipes, target)
    return target


def comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def test_migrated_recipes_check_clean_for_1_4(copy: Path) -> None:
    before = {p: p.read_text(encoding="utf-8") for p in copy.rglob("*.yaml")}
    outcome = migrate([copy])
    assert outcome.problems == []
    written = outcome.write()
    assert written
    checker = Checker(Settings(environ={}, nexrl_version="1.4"))
    errors = set()
    for path in iter_yaml_files([copy]):
        for f in checker.check_file(path).findings:
            if f.severity.value == "error" or f.rule == "interpolation-error":
                errors.add((Path(f.file).relative_to(copy).as_posix(), f.rule))
    assert errors <= UPSTREAM
    for path, text in before.items():
        after = path.read_text(encoding="utf-8")
        assert not Counter(comments(text)) - Counter(comments(after)), path
    assert migrate([copy]).changes() == {}


def test_the_diff_is_what_the_guide_asks(copy: Path) -> None:
    outcome = migrate([copy / "math"])
    changes = {p.name: (old, new) for p, (old, new, _) in outcome.changes().items()}
    old, new = changes["tinker.yaml"]
    assert '    model_tag: "default"\n    model: "Qwen/Qwen3-8B"' in old
    assert '    identifier: "default"\n    model: "Qwen/Qwen3-8B"' in new
    assert (
        '  train_service:\n    main_actor:\n      identifier: "default"\n      role: "actor"\n'
        "      backend: tinker\n\n      config:\n        loss_fn:" in new
    )
    old, new = changes["self_hosted.yaml"]
    assert "backend: direct-zmq" in new and "world_size: 8" not in new
    assert "      resource:\n        world_size: 1\n        gpus_per_pod: 8\n" in new
    assert 'model: "nexrl-rollout-math"\n    model_path: "${oc.env:NEXRL_MODEL_PATH}' in new
    assert "${resource." not in new and "\nresource:" not in new
    old, new = changes["common.yaml"]
    assert "  max_sequence_length: 12288\n" in new
    assert "max_prompt_length + max_response_length (4096 + 8192)" in new
    assert "  resource:\n    num_workers: 0\n    agents_per_worker: 32\n" in new
    # Every line the migration does not need stays: common.yaml only gains and loses lines.
    kept = [line for line in old.splitlines() if line in new.splitlines()]
    assert len(kept) >= len(old.splitlines()) - 8


def test_an_included_file_is_changed_once(copy: Path) -> None:
    outcome = migrate([copy / "math" / "tinker.yaml", copy / "math" / "weaver.yaml"])
    _, new, _ = outcome.changes()[copy / "math" / "common.yaml"]
    assert new.count("max_sequence_length:") == 1
    assert new.count("agents_per_worker") == 1


def test_a_gpu_count_without_pods_is_a_choice_not_a_guess(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "run.yaml",
        """
        service:
          inference_service:
            model_tag: "default"
            model: "m"
          train_service:
            model_tag: "default"  # the trainer
            backend: http
            world_size: 8
            url: "http://localhost:8000"
        """,
    )
    before = path.read_text(encoding="utf-8")
    outcome = migrate([path])
    assert len(outcome.problems) == 1
    assert "world_size" in outcome.problems[0] and "gpus_per_pod" in outcome.problems[0]
    assert outcome.changes() == {}
    result = CliRunner().invoke(app, ["migrate", "--write", str(path)])
    assert result.exit_code == 1
    assert path.read_text(encoding="utf-8") == before


def test_write_refuses_a_file_changed_since_it_was_read(copy: Path) -> None:
    from nexrl_cfg.fix.edits import StaleFile

    outcome = migrate([copy / "math"])
    common = copy / "math" / "common.yaml"
    common.write_text(common.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    with pytest.raises(StaleFile):
        outcome.write()
    assert "max_sequence_length" not in (copy / "math" / "common.yaml").read_text("utf-8")
    assert "model_tag" in (copy / "math" / "tinker.yaml").read_text("utf-8")


def test_the_command_prints_a_diff_by_default_and_writes_nothing(copy: Path) -> None:
    before = (copy / "math" / "tinker.yaml").read_text(encoding="utf-8")
    result = CliRunner().invoke(app, ["migrate", str(copy / "math")])
    assert result.exit_code == 0
    assert '-    model_tag: "default"' in result.output
    assert (copy / "math" / "tinker.yaml").read_text(encoding="utf-8") == before


def test_environment_values_keep_their_expressions(copy: Path) -> None:
    migrate([copy / "math"]).write()
    text = (copy / "math" / "self_hosted.yaml").read_text(encoding="utf-8")
    assert 'model_path: "${oc.env:NEXRL_MODEL_PATH}/Qwen/Qwen3-8B"' in text
    assert 'url: "http://${oc.env:API_SERVER_URL}:8000"' in text
