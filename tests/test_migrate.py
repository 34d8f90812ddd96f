"""migrate: NexRL's own 1.0 recipes, migrated into a temporary copy, check clean for 1.4 (but
for their upstream bugs), keep their comments, change only what the guide asks, and a second
run changes nothing."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import write
from typer.testing import CliRunner

from nexrl_cfg.check import Checker, Settings
from nexrl_cfg.cli import app
from nexrl_cfg.discovery import iter_yaml_files
from nexrl_cfg.fix import migrate as migrating
from nexrl_cfg.fix.migrate import Outcome, migrate
from nexrl_cfg.pool import MIN_FILES

# Upstream recipe bugs migration does not touch: (file, rule).
UPSTREAM = {
    ("pig_latin/self_hosted.yaml", "invalid-choice"),  # trainer.type self_hosted_cross_entropy
    ("pig_latin/self_hosted.yaml", "missing-required"),  # no inference service, a bare actor
    ("nexau_news/self_hosted.yaml", "interpolation-error"),  # max_prompt_length cycle
    # the nexau worker's tokenizer, which the 1.0 NexAU recipes never give (nexau_deepsearch:
    # in NexRL's repository at v1.0.0, not in the corpus beside the project)
    ("nexau_news/common.yaml", "missing-required"),
    ("nexau_news/self_hosted.yaml", "missing-required"),
    ("nexau_deepsearch/common.yaml", "missing-required"),
    ("nexau_deepsearch/self_hosted.yaml", "missing-required"),
    # the pig_latin worker's rollout_worker.data.tokenizer_path, read eagerly at every version
    ("pig_latin/common.yaml", "missing-required"),
}


@pytest.fixture
def copy(recipes: Path, tmp_path: Path) -> Path:
    target = tmp_path / "recipe"
    # Plain copies, writable whatever the modes of the originals (a read-only file is not
    # written).
    shutil.copytree(recipes, target, copy_function=shutil.copyfile)
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
    named = ["tinker.yaml", "weaver.yaml", "common.yaml"]
    outcome = migrate([copy / "math" / name for name in named])
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
    from nexrl_cfg.fix.land import StaleFile

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


# -- the net under migrate --write ----------------------------------------------------------------
FLOW = """
service:
  inference_service:
    model_tag: "default"
    backend: sglang
  train_service:
    model_tag: "default"
    backend: http
    world_size: 2
    url: "http://localhost:8000"
resource:
  train:
    default:
      world_size: 1
  inference: {replicas: 1, gpus_per_replica: 1, served_model_name: "m", model_path: "/m"}
"""


def test_a_flow_style_section_moves_with_its_values(tmp_path: Path) -> None:
    # Before: the flow-style section's values were lost (`resource:` left empty), exit 0;
    # then refused by the net; now its values move, one per line.
    path = write(tmp_path, "run.yaml", FLOW)
    outcome = migrate([path])
    assert outcome.problems == []
    result = CliRunner().invoke(app, ["migrate", "--write", str(path)])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    inference = data["service"]["inference_service"]
    assert inference["resource"] and "resource" not in data


def test_keys_are_not_added_into_a_flow_style_section(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "run.yaml",
        "service: {inference_service: {model_tag: m, backend: sglang}}\n"
        "resource: {inference: {served_model_name: x, replicas: 1}}\n",
    )
    before = path.read_bytes()
    result = CliRunner().invoke(app, ["migrate", "--write", str(path)])
    assert result.exit_code == 1 and "flow style" in result.stderr
    assert path.read_bytes() == before


def test_a_migration_that_damages_a_file_is_refused(
    copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nexrl_cfg.fix.plan import FilePlan

    render = FilePlan.render

    def one_line_lost(self: FilePlan) -> str:
        text = render(self)
        lines = text.splitlines(keepends=True)
        return "".join(line for line in lines if "agents_per_worker" not in line)

    monkeypatch.setattr(FilePlan, "render", one_line_lost)
    outcome = migrate([copy / "math"])
    assert any("rollout_worker.resource" in p for p in outcome.problems)
    assert copy / "math" / "common.yaml" not in outcome.changes()


def test_what_nexrl_reads_of_a_legacy_config_is_kept() -> None:
    from nexrl_cfg.fix.legacy import read_as

    legacy = {
        "service": {
            "inference_service": {"model_tag": "t"},
            "train_service": {"model_tag": "t", "backend": "http", "world_size": 8},
        },
        "resource": {
            "train": {"t": {"world_size": 1}},
            "inference": {"served_model_name": "m", "replicas": 2},
            "agent": {"num_workers": 4, "other": 1},
        },
        "trainer": {"max_prompt_length": 1},
    }
    read = read_as(legacy, "1.4")
    assert read == {
        "service": {
            "inference_service": {"identifier": "t", "model": "m", "resource": {"replicas": 2}},
            "train_service": {
                "main_actor": {
                    "identifier": "t",
                    "backend": "direct-zmq",
                    "role": "actor",
                    "resource": {"world_size": 1},
                }
            },
        },
        "trainer": {},
        "rollout_worker": {"resource": {"num_workers": 4}},
    }
    assert read_as(legacy, "1.2")["service"]["train_service"]["main_actor"]["backend"] == "http"
    assert legacy["resource"]["agent"] == {"num_workers": 4, "other": 1}  # copied, not changed


def test_migrate_does_work_linear_in_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Twice the recipes cost twice the parses and twice the file comparisons, not four times.
    project = Path(__file__).parent / "fixtures" / "project" / "recipe"
    calls = Counter[str]()
    compose, stat = yaml.compose, Path.stat

    def counted_compose(*args: object, **kwargs: object) -> object:
        calls["compose"] += 1
        return compose(*args, **kwargs)  # type: ignore[arg-type]

    def counted_stat(self: Path, **kwargs: object) -> object:
        calls["stat"] += 1
        return stat(self, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(yaml, "compose", counted_compose)
    monkeypatch.setattr(Path, "stat", counted_stat)
    cost = []
    for copies in (2, 4):
        root = tmp_path / str(copies)
        for index in range(copies):
            shutil.copytree(project, root / f"r{index}", copy_function=shutil.copyfile)
        calls.clear()
        assert migrate([root], jobs=1).changes()
        cost.append(dict(calls))
    for kind in ("compose", "stat"):
        assert cost[1][kind] <= 2.2 * cost[0][kind], (kind, cost)


def _spied(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each migration shared out between processes was merged (True) or done again
    in one process (False)."""
    merged: list[bool] = []
    real = migrating._merged

    def spy(shares: list[Any], boundary: Any) -> Any:
        out = real(shares, boundary)
        merged.append(out is not None)
        return out

    monkeypatch.setattr(migrating, "_merged", spy)
    return merged


def _as_one(outcome: Outcome) -> tuple[Any, ...]:
    return outcome.changes(), outcome.diff(), outcome.problems, outcome.notes


def test_a_migration_on_every_core_is_the_migration_of_one_process(
    recipes: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(3):
        shutil.copytree(recipes, tmp_path / f"r{index}", copy_function=shutil.copyfile)
    assert len(list(iter_yaml_files([tmp_path]))) >= MIN_FILES
    merged = _spied(monkeypatch)
    shared = migrate([tmp_path], jobs=2)
    assert merged == [True]
    alone = migrate([tmp_path], jobs=1)
    assert _as_one(shared) == _as_one(alone)
    assert shared.changes() and shared.problems == []


def test_groups_that_read_one_file_are_migrated_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A config group three levels below its config is a group of folders of its own: the
    # migration of each group reads the option, so neither may decide it alone.
    project = Path(__file__).parent / "fixtures" / "project" / "recipe"
    for index in range(3):
        shutil.copytree(project, tmp_path / f"r{index}", copy_function=shutil.copyfile)
    math = tmp_path / "r0" / "math"
    entry = math / "self_hosted.yaml"
    entry.write_text(
        entry.read_text(encoding="utf-8").replace(
            "  - common\n", "  - common\n  - deep/a/b/extra\n"
        ),
        encoding="utf-8",
    )
    write(
        math / "deep" / "a" / "b",
        "extra.yaml",
        "# @package _global_\nservice:\n  inference_service:\n    max_retries: 3\n",
    )
    assert len(list(iter_yaml_files([tmp_path]))) >= MIN_FILES
    merged = _spied(monkeypatch)
    shared = migrate([tmp_path], jobs=2)
    assert merged == [False]
    assert _as_one(shared) == _as_one(migrate([tmp_path], jobs=1))


def test_problems_and_notes_are_listed_by_file_and_line() -> None:
    outcome = Outcome(
        problems=["r10/run.yaml:3: c", "r9/run.yaml:12: b", "r9/run.yaml:9: a"],
        notes=["run.yaml:12: y", "run.yaml:9: x"],
    )
    outcome.order()
    assert outcome.problems == ["r9/run.yaml:9: a", "r9/run.yaml:12: b", "r10/run.yaml:3: c"]
    assert outcome.notes == ["run.yaml:9: x", "run.yaml:12: y"]
