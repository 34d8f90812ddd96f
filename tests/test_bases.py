"""The bases every test and invalid sample starts from: each a whole config NexRL runs with no
finding at its version, not even a note, with no variable set."""

from __future__ import annotations

from pathlib import Path

import pytest
from configs import BASE_OF, BASES, base, run

from nexrl_cfg.catalogue import VERSIONS


def test_every_version_has_a_base() -> None:
    assert sorted(BASE_OF) == sorted(VERSIONS)
    assert sorted(BASES.glob("base_*.yaml")) == sorted(
        BASES / f"{name}.yaml" for name in set(BASE_OF.values())
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_the_base_passes_with_no_finding(tmp_path: Path, version: str) -> None:
    assert run(tmp_path, base(version), nexrl_version=version) == []


@pytest.mark.parametrize("version", VERSIONS)
def test_the_base_file_says_its_version(version: str) -> None:
    assert base(version).startswith(f"# nexrl-version: {BASE_OF[version][5:].replace('_', '.')}\n")
