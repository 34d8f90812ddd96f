"""Which NexRL version a config is checked for, and where that came from."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from helpers import Ran, cli, write

from nexrl_cfg import version
from nexrl_cfg.catalogue import NEWEST
from nexrl_cfg.settings import build


@pytest.fixture(autouse=True)
def no_installed_nexrl(monkeypatch: pytest.MonkeyPatch) -> None:
    version.installed_release.cache_clear()
    version.checkout_release.cache_clear()
    monkeypatch.setattr(version, "installed_release", lambda: None)


def test_the_flag_wins_and_accepts_release_spellings(tmp_path: Path) -> None:
    config = write(tmp_path, "run.yaml", "service: {}\n")
    write(tmp_path, "pyproject.toml", '[tool.nexrl-cfg]\nnexrl-version = "1.4"\n')
    for given in ("1.2", "1.2.0", "v1.2"):
        chosen = build(tmp_path, nexrl_version=given)
        found = version.target(chosen.nexrl_version, chosen.version_source, config)
        assert found == version.Target("1.2", "--nexrl-version")


def test_the_setting_comes_next(tmp_path: Path) -> None:
    config = write(tmp_path, "run.yaml", "service: {}\n")
    write(tmp_path, "pyproject.toml", '[tool.nexrl-cfg]\nnexrl-version = "1.0"\n')
    chosen = build(tmp_path)
    found = version.target(chosen.nexrl_version, chosen.version_source, config)
    assert found.version == "1.0" and found.source.startswith("nexrl-version in ")


def test_an_unknown_version_lists_the_known_ones() -> None:
    with pytest.raises(version.UnknownVersion, match=r"known: 1\.0, 1\.1, 1\.2, 1\.3, 1\.4"):
        version.parse("2.0")


def test_an_installed_nexrl_is_read_from_its_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    write(
        site,
        "NexRL-1.3.2.dist-info/METADATA",
        "Metadata-Version: 2.1\nName: NexRL\nVersion: 1.3.2\n",
    )
    monkeypatch.undo()
    version.installed_release.cache_clear()
    monkeypatch.setattr(sys, "path", [str(site)])
    config = write(tmp_path, "run.yaml", "service: {}\n")
    assert version.target(None, "", config) == version.Target("1.3", "installed nexrl 1.3.2")
    version.installed_release.cache_clear()


def test_a_nexrl_checkout_gives_its_version(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[project]\nname = "NexRL"\nversion = "1.1.0"\n')
    config = write(tmp_path, "recipe/math/run.yaml", "service: {}\n")
    found = version.target(None, "", config)
    assert found.version == "1.1"
    assert found.source.startswith("NexRL 1.1.0 in ")


def test_another_project_is_passed_over(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[project]\nname = "NexRL"\nversion = "1.0.0"\n')
    write(tmp_path, "mine/pyproject.toml", '[project]\nname = "my-runs"\nversion = "3.0"\n')
    config = write(tmp_path, "mine/run.yaml", "service: {}\n")
    assert version.target(None, "", config).version == "1.0"


def test_otherwise_the_newest(tmp_path: Path) -> None:
    config = write(tmp_path, "run.yaml", "service: {}\n")
    assert version.target(None, "", config) == version.Target(NEWEST, "newest known")


def test_a_release_newer_than_the_catalogue_is_checked_as_the_newest() -> None:
    assert version.nearest("9.1.0") == NEWEST
    assert version.nearest("0.9") is None


def _cli(*args: str, cwd: Path) -> Ran:
    return cli(args, cwd, drop=())


def test_the_reports_say_which_version_and_why(tmp_path: Path) -> None:
    write(tmp_path, "run.yaml", "launch_mode: local\n")
    text = _cli("check", "--nexrl-version", "1.2", "run.yaml", cwd=tmp_path).out
    assert "Checked for NexRL 1.2 (--nexrl-version)." in text
    document = json.loads(_cli("check", "-f", "json", "run.yaml", cwd=tmp_path).out)
    assert document["summary"]["nexrl_versions"][0]["version"] in (
        "1.0",
        "1.1",
        "1.2",
        "1.3",
        "1.4",
    )
    sarif = json.loads(
        _cli("check", "-f", "sarif", "--nexrl-version", "1.0", "run.yaml", cwd=tmp_path).out
    )
    assert sarif["runs"][0]["properties"]["nexrlVersions"] == [
        {"version": "1.0", "source": "--nexrl-version"}
    ]


def test_an_unknown_version_on_the_command_line_exits_2(tmp_path: Path) -> None:
    write(tmp_path, "run.yaml", "launch_mode: local\n")
    result = _cli("check", "--nexrl-version", "0.9", "run.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "known: 1.0, 1.1, 1.2, 1.3, 1.4" in result.err
    assert _cli("schema", "--nexrl-version", "5", cwd=tmp_path).returncode == 2


def test_the_setting_in_pyproject(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.nexrl-cfg]\nnexrl-version = "1.1"\n')
    write(tmp_path, "run.yaml", "launch_mode: local\n")
    text = _cli("check", "run.yaml", cwd=tmp_path).out
    assert "Checked for NexRL 1.1 (nexrl-version in " in text
    write(tmp_path, "pyproject.toml", '[tool.nexrl-cfg]\nnexrl-version = "7"\n')
    result = _cli("check", "run.yaml", cwd=tmp_path)
    assert result.returncode == 2 and "unknown NexRL version '7'" in result.err


@pytest.mark.parametrize(
    ("name", "file", "text", "found"),
    [
        ("nexrl-1.2.0.dist-info", "METADATA", "Name: nexrl\nVersion: 1.2.0\n\nVersion: 9", "1.2.0"),
        ("NexRL-1.4.1.egg-info", "PKG-INFO", "Metadata-Version: 1.0\nVersion: 1.4.1\n", "1.4.1"),
        ("nexrl_tools-1.1.0.dist-info", "METADATA", "Version: 1.1.0\n", None),
        ("nexrl-1.0.0.dist-info", "METADATA", "Version: 1.0.0 or so\n", None),
    ],
)
def test_the_installed_version_is_read_from_the_metadata_headers(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    file: str,
    text: str,
    found: str | None,
) -> None:
    site = tmp_path / "site"
    write(site, f"{name}/{file}", text)
    monkeypatch.undo()
    monkeypatch.setattr(sys, "path", [str(site)])
    version.installed_release.cache_clear()
    try:
        assert version.installed_release() == found
    finally:
        version.installed_release.cache_clear()


def test_a_fifo_for_metadata_is_not_waited_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    meta = tmp_path / "site" / "nexrl-1.3.0.dist-info"
    meta.mkdir(parents=True)
    os.mkfifo(meta / "METADATA")
    monkeypatch.undo()
    monkeypatch.setattr(sys, "path", [str(tmp_path / "site")])
    version.installed_release.cache_clear()
    try:
        assert version.installed_release() is None
    finally:
        version.installed_release.cache_clear()
