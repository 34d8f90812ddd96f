"""The release's facts agree: the version in pyproject.toml, `nexrl_cfg.__version__`,
`nexrl-cfg --version` and the newest entry of CHANGELOG.md (Keep a Changelog's shape)."""

from __future__ import annotations

import re
import sys

from conftest import ROOT
from helpers import cli

import nexrl_cfg

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CHANGELOG = ROOT / "CHANGELOG.md"
ENTRY = re.compile(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}))?$", re.M)
KINDS = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def entries() -> list[tuple[str, str | None]]:
    text = CHANGELOG.read_text(encoding="utf-8")
    return [(m["version"], m["date"]) for m in ENTRY.finditer(text)]


def test_one_version_everywhere() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["version"] == nexrl_cfg.__version__
    assert cli(["--version"]).stdout.decode() == f"nexrl-cfg {nexrl_cfg.__version__}\n"
    released = [version for version, _ in entries() if version != "Unreleased"]
    assert released[0] == nexrl_cfg.__version__


def test_the_changelog_keeps_a_changelog_shape() -> None:
    found = entries()
    assert found[0] == ("Unreleased", None)
    released = found[1:]
    assert released and all(date for _, date in released)
    keys = [tuple(int(p) for p in version.split(".")) for version, _ in released]
    assert keys == sorted(keys, reverse=True) and len(set(keys)) == len(keys)
    dates = [date for _, date in released]
    assert dates == sorted(dates, reverse=True)
    text = CHANGELOG.read_text(encoding="utf-8")
    kinds = set(re.findall(r"^### (.+)$", text, re.M))
    assert kinds <= KINDS, kinds - KINDS
    assert "keepachangelog.com" in text
