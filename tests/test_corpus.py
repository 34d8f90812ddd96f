"""NexRL's own recipes, each at its own NexRL version, are the ground truth: every entry config
gives no error, with the variables set and unset, except the real bugs NexRL itself rejects at
start-up. Each of those is named below with the NexRL code that rejects it.

The recipes are those beside the project (NexRL 1.0 and 1.4), or those of the NexRL checkout
NEXRL_CHECKOUT names, at any tag (see conftest)."""

from __future__ import annotations

import pytest
from conftest import nexrl_recipes, recipes_at
from helpers import check, errors
from mutations import ENV, entries

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


# The releases between, as a NexRL checkout of their tags holds them: the same bugs, and at 1.1
# pig_latin/self_hosted.yaml's tokenizer_path refers to resource.inference.model_path, which
# no file of the recipe writes (InterpolationKeyError when the data loader reads it at
# start-up, nexrl/data_loader/torch_data_loader.py@v1.1.0:199).
for _version in ("1.1", "1.2", "1.3"):
    UPSTREAM_BUGS[(_version, "pig_latin/self_hosted.yaml")] = PIG_LATIN
    UPSTREAM_BUGS[(_version, "pig_latin/tinker.yaml")] = PIG_LATIN_DATA
    UPSTREAM_BUGS[(_version, "pig_latin/weaver.yaml")] = PIG_LATIN_DATA
    UPSTREAM_BUGS[(_version, "nexau_news/self_hosted.yaml")] = NEXAU_CYCLE
UPSTREAM_BUGS[("1.1", "pig_latin/self_hosted.yaml")] = PIG_LATIN | {
    ("interpolation-error", key)
    for key in ("data.tokenizer_path", "rollout_worker.tokenizer", "validate.data.tokenizer_path")
}
# NexRL's nexau_deepsearch recipes (in its repository, not in the corpus beside the project)
# share the 1.0 NexAU recipes' missing tokenizer.
for _name in ("self_hosted.yaml", "tinker.yaml", "weaver.yaml"):
    UPSTREAM_BUGS[("1.0", f"nexau_deepsearch/{_name}")] = NEXAU_TOKENIZER


def _cases() -> list[tuple[str, str]]:
    found = []
    for version, folder in nexrl_recipes().items():
        found += [(version, f"{p.parent.name}/{p.name}") for p in entries(folder)]
    return found or [("1.4", "missing")]


@pytest.mark.parametrize("environ", [{}, ENV], ids=["env-unset", "env-set"])
@pytest.mark.parametrize(("version", "recipe"), _cases())
def test_recipe_gives_only_upstream_bugs(
    version: str, recipe: str, environ: dict[str, str]
) -> None:
    path = recipes_at(version) / recipe
    found = {(f.rule, f.key) for f in errors(check(path, environ, nexrl_version=version))}
    assert found == UPSTREAM_BUGS.get((version, recipe), set())


def test_every_upstream_bug_is_a_recipe_of_the_corpus() -> None:
    """Each recorded bug names a recipe of its release (of a family the corpus holds)."""
    checked = 0
    for (version, recipe), folder in [
        ((v, r), nexrl_recipes()[v]) for v, r in UPSTREAM_BUGS if v in nexrl_recipes()
    ]:
        if folder.is_dir() and (folder / recipe).parent.is_dir():
            assert (folder / recipe).is_file(), (version, recipe)
            checked += 1
    if not checked:
        pytest.skip("none of the releases recorded is beside the project")


def test_a_v1_0_recipe_checked_for_1_4_stops_at_max_sequence_length() -> None:
    path = recipes_at("1.0") / "math" / "self_hosted.yaml"
    keys = {f.key for f in errors(check(path, ENV, nexrl_version="1.4"))}
    assert "rollout_worker.max_sequence_length" in keys
