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
