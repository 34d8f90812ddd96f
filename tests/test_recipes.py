"""NexRL's own v1.0 recipes are the ground truth: every entry config passes with no error but
for the bugs NexRL itself stops on. The same checks run on the project's own recipe-shaped
configs (NexRL 1.4's shape, every family), with or without NexRL's recipes beside it: a
fragment checked through its includers, agent definitions skipped, a mistake reported in the
file that holds it."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import PROJECT_RECIPES, recipes_at
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
    # NexRL's repository at v1.0.0 (NEXRL_CHECKOUT) also holds these NexAU recipes.
    "nexau_deepsearch/self_hosted.yaml": {NEXAU_TOKENIZER},
    "nexau_deepsearch/tinker.yaml": {NEXAU_TOKENIZER},
    "nexau_deepsearch/weaver.yaml": {NEXAU_TOKENIZER},
    "pig_latin/tinker.yaml": {PIG_LATIN_DATA},
    "pig_latin/weaver.yaml": {PIG_LATIN_DATA},
    # a trainer type no version registers, and no inference service for the start-up check
    REJECTED: {
        ("invalid-choice", "trainer.type"),
        ("missing-required", "service.inference_service"),
        PIG_LATIN_DATA,
    },
}


@dataclass(frozen=True)
class Recipes:
    """A folder of recipes, the NexRL version they are written for and their known bugs."""

    folder: Path
    version: str
    bugs: dict[str, set[tuple[str, str]]] = field(default_factory=dict)

    def check(self, path: Path, environ: dict[str, str] | None = None) -> list[Finding]:
        return check_any(path, environ, nexrl_version=self.version)

    def unknown(self, found: list[Finding]) -> list[Finding]:
        """The errors among `found` other than the known bugs (a copied recipe keeps its
        bug)."""
        bugs = set().union(*self.bugs.values())
        return [f for f in errors(found) if (f.rule, f.key) not in bugs]


@pytest.fixture(params=["project", "nexrl-1.0"])
def recipe_set(request: pytest.FixtureRequest) -> Recipes:
    if request.param == "project":
        return Recipes(PROJECT_RECIPES, "1.4")
    return Recipes(recipes_at("1.0"), "1.0", KNOWN_BUGS)


@pytest.mark.parametrize("environ", [{}, ENV], ids=["env-unset", "env-set"])
def test_every_entry_config_passes(recipe_set: Recipes, environ: dict[str, str]) -> None:
    for path in entry_configs(recipe_set.folder):
        found = errors(recipe_set.check(path, environ))
        known = recipe_set.bugs.get(f"{path.parent.name}/{path.name}", set())
        rows = {(f.rule, f.key) for f in found}
        assert rows == known, f"{path}: {[(f.rule, f.line, f.message) for f in found]}"


def test_common_fragments_pass_through_their_includers(recipe_set: Recipes) -> None:
    for common in sorted(recipe_set.folder.glob("*/common.yaml")):
        assert not recipe_set.unknown(recipe_set.check(common)), common


def test_agent_definitions_are_skipped(recipe_set: Recipes) -> None:
    found_any = False
    for path in sorted(recipe_set.folder.glob("*/agent_workspace/*.yaml")):
        found_any = True
        found = recipe_set.check(path)
        assert [f.rule for f in found] == ["not-nexrl"], path
    assert found_any


def test_a_mistake_in_a_real_common_is_reported_in_common(
    recipe_set: Recipes, tmp_path: Path
) -> None:
    recipes, check, unknown = recipe_set.folder, recipe_set.check, recipe_set.unknown
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
    recipe_set: Recipes, tmp_path: Path
) -> None:
    check, unknown = recipe_set.check, recipe_set.unknown
    for source in entry_configs(recipe_set.folder):
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
