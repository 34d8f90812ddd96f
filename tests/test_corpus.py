"""NexRL's own recipes, each at its own NexRL version, are the ground truth: every entry config
gives no error, with the variables set and unset, except the real bugs NexRL itself rejects at
start-up. Each of those is named below with the NexRL code that rejects it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SHARED
from helpers import check, errors
from mutations import ENV, entries

CORPUS = SHARED / "corpus"
VERSIONS = ("1.0", "1.4")

# Every pig_latin recipe, at every version: the worker reads rollout_worker.data.tokenizer_path
# as the default of `config.get("tokenizer", ...)`, evaluated even when `tokenizer` is set, and
# the recipes have no rollout_worker.data: ConfigAttributeError "Missing key data" at start-up
# (nexrl/rollout_worker/pig_latin_rollout_worker.py@v1.0.0:64, @v1.4.0:64).
PIG_LATIN_DATA = {("missing-required", "rollout_worker.data")}
PIG_LATIN = {
    ("invalid-choice", "trainer.type"),
    ("missing-required", "service.inference_service"),
    *PIG_LATIN_DATA,
}
# The 1.0 NexAU recipes give the worker no tokenizer; the recipe's worker class subclasses the
# nexau worker, whose __init__ raises "Tokenizer path must be provided in config for NexAU
# workers" at start-up (nexrl/rollout_worker/base_nexau_rollout_worker.py@v1.0.0:197-199).
NEXAU_TOKENIZER = {("missing-required", "rollout_worker.tokenizer")}
# data.max_prompt_length and rollout_worker.max_prompt_length refer to each other once
# self_hosted.yaml overrides the latter; the torch data loader reads the former at start-up
# (nexrl/data_loader/torch_data_loader.py@v1.0.0:199, @v1.4.0:199).
NEXAU_CYCLE = {("interpolation-error", "data.max_prompt_length")}
# (version, recipe) -> the (rule, key) of each error NexRL stops on.
UPSTREAM_BUGS = {
    # No NexRL version registers this trainer: the controller raises "Unsupported trainer type"
    # (nexrl/controller.py@v1.0.0:622-626, @v1.4.0:670-674). Before that, the start-up check
    # reads the inference service it lacks (nexrl/utils/validate_config.py@v1.0.0:50,
    # @v1.4.0:52).
    ("1.0", "pig_latin/self_hosted.yaml"): PIG_LATIN,
    ("1.4", "pig_latin/self_hosted.yaml"): PIG_LATIN,
    ("1.0", "pig_latin/tinker.yaml"): PIG_LATIN_DATA,
    ("1.0", "pig_latin/weaver.yaml"): PIG_LATIN_DATA,
    ("1.4", "pig_latin/tinker.yaml"): PIG_LATIN_DATA,
    ("1.4", "pig_latin/weaver.yaml"): PIG_LATIN_DATA,
    ("1.0", "nexau_news/self_hosted.yaml"): NEXAU_CYCLE | NEXAU_TOKENIZER,
    ("1.0", "nexau_news/tinker.yaml"): NEXAU_TOKENIZER,
    ("1.0", "nexau_news/weaver.yaml"): NEXAU_TOKENIZER,
    ("1.4", "nexau_news/self_hosted.yaml"): NEXAU_CYCLE,
    # The actor's identifier differs from the inference service's
    # (nexrl/utils/validate_config.py@v1.4.0:181-195).
    ("1.4", "on_policy_distill/weaver_opd.yaml"): {
        ("model-tag-match", "service.train_service.main_actor.identifier")
    },
}


def corpus(version: str) -> Path:
    folder = CORPUS / f"nexrl-v{version}" / "recipe"
    if not folder.is_dir():
        pytest.skip(f"NexRL's {version} recipes are not beside the project ({folder} is missing)")
    return folder


def _cases() -> list[tuple[str, str]]:
    found = []
    for version in VERSIONS:
        folder = CORPUS / f"nexrl-v{version}" / "recipe"
        found += [(version, f"{p.parent.name}/{p.name}") for p in entries(folder)]
    return found or [("1.4", "missing")]


@pytest.mark.parametrize("environ", [{}, ENV], ids=["env-unset", "env-set"])
@pytest.mark.parametrize(("version", "recipe"), _cases())
def test_recipe_gives_only_upstream_bugs(
    version: str, recipe: str, environ: dict[str, str]
) -> None:
    path = corpus(version) / recipe
    found = {(f.rule, f.key) for f in errors(check(path, environ, nexrl_version=version))}
    assert found == UPSTREAM_BUGS.get((version, recipe), set())


def test_every_upstream_bug_is_a_recipe_of_the_corpus() -> None:
    for version, recipe in UPSTREAM_BUGS:
        assert (corpus(version) / recipe).is_file(), (version, recipe)


def test_a_v1_0_recipe_checked_for_1_4_stops_at_max_sequence_length() -> None:
    path = corpus("1.0") / "math" / "self_hosted.yaml"
    keys = {f.key for f in errors(check(path, ENV, nexrl_version="1.4"))}
    assert "rollout_worker.max_sequence_length" in keys
