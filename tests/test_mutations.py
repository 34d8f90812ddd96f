"""Every key of a real composed recipe misspelt in turn, and every value made wrong in turn,
gives a new warning or error at the recipe's NexRL version (see mutations.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import nexrl_recipes, recipes_at
from mutations import ENV, Scanner

# One entry config of each kind and family, per version: the scans take a few seconds each.
RECIPES = {
    "1.0": ("math/self_hosted.yaml", "nexau_news/self_hosted.yaml", "pig_latin/tinker.yaml"),
    "1.4": (
        "math/self_hosted.yaml",
        "on_policy_distill/self_hosted_opd_qwen2a5_1a5b_from_7b.yaml",
        "nexau_news/weaver.yaml",
    ),
}
# The recipes of another release (a NexRL checkout of its tag): those every release has.
OTHER = ("math/self_hosted.yaml", "pig_latin/tinker.yaml")
# Each recipe's mutations in this many shares, one test each, for the workers to spread.
SHARES = 4
CASES = [
    (version, recipe, part)
    for version in sorted(set(RECIPES) | set(nexrl_recipes()))
    for recipe in RECIPES.get(version, OTHER)
    for part in range(SHARES)
]


@pytest.mark.slow
@pytest.mark.parametrize(("version", "recipe", "part"), CASES)
def test_every_misspelt_key_and_wrong_value_is_reported(
    version: str, recipe: str, part: int, tmp_path: Path
) -> None:
    scan = Scanner(tmp_path, version, ENV).scan(recipes_at(version) / recipe, (part, SHARES))
    assert scan.keys > 50 and scan.values > 50
    assert not scan.missed_keys
    assert not scan.missed_values
