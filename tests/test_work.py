"""The work a check does: each file read from disk once, whoever looks at it first (the
includer index, the check)."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import PROJECT_RECIPES

from nexrl_cfg import app, compose, read
from nexrl_cfg.app import CheckRequest
from nexrl_cfg.check import Checker, Settings


def test_each_file_of_a_folder_is_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recipes = shutil.copytree(PROJECT_RECIPES, tmp_path / "recipe")
    reads: Counter[str] = Counter()
    for module in (compose, read):
        real = module.read_regular

        def counted(path: str | Path, limit: int, real: object = real) -> bytes:
            reads[str(path)] += 1
            return real(path, limit)  # type: ignore[operator]

        monkeypatch.setattr(module, "read_regular", counted)
    outcome = app.check(CheckRequest([str(recipes)]))
    files = sorted(str(p) for p in recipes.rglob("*.yaml"))
    assert outcome.files == len(files)
    assert sorted(reads) == files
    assert set(reads.values()) == {1}


def test_a_check_leaves_nothing_for_the_garbage_collector(tmp_path: Path) -> None:
    """What a check builds is freed as soon as it is done with: no reference cycle keeps a
    composition alive until the collector finds it (on a large run the collector spent a
    tenth of the time walking them)."""
    import gc

    recipes = shutil.copytree(PROJECT_RECIPES, tmp_path / "recipe")
    inputs = [(path, False) for path in sorted(recipes.rglob("*.yaml"))]
    settings = Settings(environ={}, nexrl_version="1.4")
    list(Checker(settings).check_files(inputs))  # what is built once per process
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        checker = Checker(settings)
        results = list(checker.check_files(inputs))
        assert any(result.kind == "entry" for result in results), "configs were composed"
        assert gc.collect() == 0
    finally:
        if was:
            gc.enable()
