"""The benchmark's corpus: copies of the recipes it is asked to measure, never another's."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture
def recipes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[ModuleType]:
    monkeypatch.syspath_prepend(str(BENCH))
    module = importlib.import_module("recipes")
    monkeypatch.setattr(module, "OUT", tmp_path / "out")
    yield module
    for name in ("recipes", "run"):  # the bench's own modules, by their plain names
        sys.modules.pop(name, None)


def _recipes(folder: Path, name: str) -> Path:
    for recipe in ("math", "code"):
        (folder / recipe).mkdir(parents=True)
        (folder / recipe / f"{name}.yaml").write_text("defaults:\n  - common\n", "utf-8")
        (folder / recipe / "common.yaml").write_text("trainer: {}\n", "utf-8")
    return folder


def test_copies_of_other_recipes_are_made_again(recipes: ModuleType, tmp_path: Path) -> None:
    first = _recipes(tmp_path / "first", "self_hosted_one")
    second = _recipes(tmp_path / "second", "self_hosted_two")  # as many entries as the first
    folder, files = recipes.corpus(first, 4)
    assert {f.stem for f in files} == {"self_hosted_one", "common"}
    again, files = recipes.corpus(second, 4)
    assert again == folder
    assert {f.stem for f in files} == {"self_hosted_two", "common"}


def test_copies_of_the_same_recipes_are_kept(recipes: ModuleType, tmp_path: Path) -> None:
    source = _recipes(tmp_path / "source", "self_hosted_one")
    folder, _ = recipes.corpus(source, 4)
    marker = folder / "r0" / "kept.yaml"
    marker.write_text("x: 1\n", "utf-8")
    recipes.corpus(source, 4)
    assert marker.is_file()
