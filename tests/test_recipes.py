"""NexRL's own v1.0 recipes are the ground truth: every entry config passes with no error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import CLUSTER, errors
from helpers import check as check_any

from nexrl_cfg.finding import Finding

ENTRIES = ("self_hosted.yaml", "tinker.yaml", "weaver.yaml")
# A recipe NexRL itself rejects at start-up: its trainer type is registered in no version, it
# has no inference service and its actor lacks what the NexTrainer workers read.
REJECTED = "pig_latin/self_hosted.yaml"
ENV = CLUSTER


# The recipes NexRL itself rejects: a trainer type no version registers.
def check(path: Path, environ: dict[str, str] | None = None) -> list[Finding]:
    """The corpus holds NexRL 1.0's recipes: check them as NexRL 1.0 reads them."""
    return check_any(path, environ, nexrl_version="1.0")


def entry_configs(recipes: Path) -> list[Path]:
    found = sorted(p for name in ENTRIES for p in recipes.glob(f"*/{name}"))
    assert found, "no entry configs found in the corpus"
    return [p for p in found if p.relative_to(recipes).as_posix() != REJECTED]


def test_the_recipe_nexrl_rejects_is_an_error(recipes: Path) -> None:
    found = {(f.rule, f.key) for f in errors(check(recipes / REJECTED, ENV))}
    assert ("missing-required", "service.inference_service") in found
    assert ("invalid-choice", "trainer.type") in found


# Real bugs NexRL rejects at start-up: the recipe, and the (rule, key) reported.
# The pig_latin worker reads rollout_worker.data.tokenizer_path eagerly
# (nexrl/rollout_worker/pig_latin_rollout_worker.py@v1.0.0:64); the nexau worker class the
# NexAU recipes subclass needs rollout_worker.tokenizer (base_nexau_rollout_worker.py@v1.0.0:197).
PIG_LATIN_DATA = ("missing-required", "rollout_worker.data")
NEXAU_TOKENIZER = ("missing-required", "rollout_worker.tokenizer")
KNOWN_BUGS = {
    # data.max_prompt_length <-> rollout_worker.max_prompt_length, read by the data loader.
    "nexau_news/self_hosted.yaml": {
        ("interpolation-error", "data.max_prompt_length"),
        NEXAU_TOKENIZER,
    },
    "nexau_news/tinker.yaml": {NEXAU_TOKENIZER},
    "nexau_news/weaver.yaml": {NEXAU_TOKENIZER},
    "pig_latin/tinker.yaml": {PIG_LATIN_DATA},
    "pig_latin/weaver.yaml": {PIG_LATIN_DATA},
    # a trainer type no version registers, and no inference service for the start-up check
    REJECTED: {
        ("invalid-choice", "trainer.type"),
        ("missing-required", "service.inference_service"),
        PIG_LATIN_DATA,
    },
}


def unknown(found: list[Finding]) -> list[Finding]:
    """The errors among `found` other than the known bugs (a copied recipe keeps its bug)."""
    bugs = set().union(*KNOWN_BUGS.values())
    return [f for f in errors(found) if (f.rule, f.key) not in bugs]


@pytest.mark.parametrize("environ", [{}, ENV], ids=["env-unset", "env-set"])
def test_every_entry_config_passes(recipes: Path, environ: dict[str, str]) -> None:
    for path in entry_configs(recipes):
        found = errors(check(path, environ))
        known = KNOWN_BUGS.get(f"{path.parent.name}/{path.name}", set())
        rows = {(f.rule, f.key) for f in found}
        assert rows == known, f"{path}: {[(f.rule, f.line, f.message) for f in found]}"


def test_common_fragments_pass_through_their_includers(recipes: Path) -> None:
    for common in sorted(recipes.glob("*/common.yaml")):
        assert not unknown(check(common)), common


def test_agent_definitions_are_skipped(recipes: Path) -> None:
    for path in sorted(recipes.glob("*/agent_workspace/*.yaml")):
        found = check(path)
        assert [f.rule for f in found] == ["not-nexrl"], path


def test_a_mistake_in_a_real_common_is_reported_in_common(recipes: Path, tmp_path: Path) -> None:
    for folder in sorted(p.parent for p in recipes.glob("*/common.yaml")):
        copy = tmp_path / folder.name
        shutil.copytree(folder, copy)
        (tmp_path / REJECTED).unlink(missing_ok=True)
        common = copy / "common.yaml"
        text = common.read_text(encoding="utf-8")
        assert text.count("keep_batch_order: true") == 1, folder
        common.write_text(text.replace("keep_batch_order: true", "keep_batch_order: false"))
        line = next(n for n, row in enumerate(text.splitlines(), 1) if "keep_batch_order" in row)
        for path in (copy / name for name in ENTRIES if (copy / name).exists()):
            found = {(f.rule, f.file, f.line) for f in unknown(check(path, ENV))}
            assert found == {
                ("batch-ready-order", str(common), line),
                ("sync-mode-order", str(common), line),
            }, path


def test_a_broken_override_in_a_real_entry_is_reported_in_the_entry(
    recipes: Path, tmp_path: Path
) -> None:
    for source in entry_configs(recipes):
        if source.name != "self_hosted.yaml":
            continue
        copy = tmp_path / source.parent.name
        shutil.copytree(source.parent, copy)
        entry = copy / "self_hosted.yaml"
        text = entry.read_text(encoding="utf-8")
        old = "sync_weight_path: ${trainer.sync_weight_path}"
        assert text.count(old) == 1, source
        entry.write_text(text.replace(old, 'sync_weight_path: "/tmp/elsewhere"'))
        line = next(n for n, row in enumerate(text.splitlines(), 1) if old in row)
        found = [(f.rule, f.key, f.file, f.line) for f in unknown(check(entry, ENV))]
        assert found == [("sync-weight-path", "weight.sync_weight_path", str(entry), line)]
