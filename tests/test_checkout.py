"""NEXRL_CHECKOUT: the real-recipe tests on a NexRL checkout of any tag, at the version its
pyproject.toml gives; the corpus beside the project otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CHECKOUT, CORPUS_VERSIONS, SHARED, checkout_version, nexrl_recipes, recipes_at

PYPROJECT = '[project]\nname = "nexrl"\nversion = "{}"\n'


def checkout(tmp_path: Path, version: str, name: str = "nexrl") -> Path:
    (tmp_path / "recipe" / "math").mkdir(parents=True)
    text = PYPROJECT.format(version).replace('"nexrl"', f'"{name}"')
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("release", "version"), [("1.3.0", "1.3"), ("1.0.0", "1.0"), ("1.4.2", "1.4"), ("1.9.0", "1.4")]
)
def test_the_version_comes_from_the_checkout(tmp_path: Path, release: str, version: str) -> None:
    assert checkout_version(checkout(tmp_path, release)) == version


@pytest.mark.parametrize(("release", "name"), [("0.9.0", "nexrl"), ("1.4.0", "other-project")])
def test_what_is_not_a_nexrl_checkout_is_a_usage_error(
    tmp_path: Path, release: str, name: str
) -> None:
    with pytest.raises(pytest.UsageError, match=CHECKOUT):
        checkout_version(checkout(tmp_path, release, name))
    with pytest.raises(pytest.UsageError):
        checkout_version(tmp_path / "nowhere")


def test_a_checkout_replaces_the_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = checkout(tmp_path, "1.2.0")
    monkeypatch.setenv(CHECKOUT, str(root))
    assert nexrl_recipes.__wrapped__() == {"1.2": root / "recipe"}
    monkeypatch.delenv(CHECKOUT)
    found = nexrl_recipes.__wrapped__()
    assert found == {v: SHARED / "corpus" / f"nexrl-v{v}" / "recipe" for v in CORPUS_VERSIONS}


def test_a_test_of_another_version_is_skipped_saying_why() -> None:
    versions = nexrl_recipes()
    missing = next(v for v in ("1.0", "1.1", "1.2", "1.3", "1.4") if v not in versions)
    with pytest.raises(pytest.skip.Exception, match=f"about NexRL {missing}'s recipes"):
        recipes_at(missing)
