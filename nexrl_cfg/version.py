"""Which NexRL version a config is checked for, and where that choice came from.

In order (`target`): the `nexrl_version` setting (`--nexrl-version`, else `nexrl-version` in
the settings file, see `settings`), the version of an installed `nexrl` distribution (read from
its metadata; NexRL is never imported), the `version` of the nearest `pyproject.toml` above the
config whose project is NexRL (a NexRL checkout), else the newest version the catalogue knows.
A version the user writes is read by `parse` alone.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .nexrl import NEWEST, VERSIONS, version_key

_DIST = re.compile(r"^nexrl-([0-9][^-]*)\.(?:dist|egg)-info$", re.I)
_PROJECT = re.compile(r"^\[project\]\s*$(.*?)(?=^\[|\Z)", re.M | re.S)
_FIELD = r'^\s*{}\s*=\s*["\']([^"\']*)["\']'
_MAX_PYPROJECT = 1 << 20


class UnknownVersion(ValueError):
    """A version the catalogue does not describe."""

    def __init__(self, given: str) -> None:
        super().__init__(f"unknown NexRL version '{given}' (known: {', '.join(VERSIONS)})")


@dataclass(frozen=True)
class Target:
    """The NexRL version a config is checked for, and why."""

    version: str
    source: str

    def describe(self) -> str:
        return f"NexRL {self.version} ({self.source})"


def parse(given: str) -> str:
    """A version as the user writes it (`1.4`, `1.4.0`, `v1.4`) as a catalogue version."""
    match = re.fullmatch(r"v?(\d+)\.(\d+)(?:\.\d+.*)?", given.strip())
    version = f"{match.group(1)}.{match.group(2)}" if match else given
    if version not in VERSIONS:
        raise UnknownVersion(given)
    return version


def nearest(release: str) -> str | None:
    """The catalogue version that describes an installed release (`1.4.2` -> `1.4`; a newer
    release than the catalogue knows -> the newest known)."""
    match = re.match(r"(\d+)\.(\d+)", release)
    if match is None:
        return None
    key = (int(match.group(1)), int(match.group(2)))
    known = [v for v in VERSIONS if version_key(v) <= key]
    return known[-1] if known else None


def target(setting: str | None, source: str, config: Path) -> Target:
    """The version `config` is checked for: the setting (read, and given where `source`
    says), else what the config's surroundings tell (see the module's docstring)."""
    if setting is not None:
        return Target(setting, source)
    installed = installed_release()
    if installed is not None:
        version = nearest(installed)
        if version is not None:
            return Target(version, f"installed nexrl {installed}")
    checkout = checkout_release(config.resolve().parent)
    if checkout is not None:
        release, where = checkout
        version = nearest(release)
        if version is not None:
            return Target(version, f"NexRL {release} in {where}")
    return Target(NEWEST, "newest known")


@lru_cache(maxsize=1)
def installed_release() -> str | None:
    """The version of an installed `nexrl` distribution, from its metadata folder."""
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            match = _DIST.match(name)
            if match:
                return _metadata_version(Path(entry or ".", name)) or match.group(1)
    return None


def _metadata_version(folder: Path) -> str | None:
    for name in ("METADATA", "PKG-INFO"):
        try:
            with open(folder / name, encoding="utf-8", errors="replace") as handle:
                head = handle.read(64 * 1024)
        except OSError:
            continue
        match = re.search(r"^Version:\s*(\S+)", head, re.M)
        if match:
            return match.group(1)
    return None


@lru_cache(maxsize=256)
def checkout_release(folder: Path) -> tuple[str, str] | None:
    """(version, pyproject path) of the nearest pyproject.toml at or above `folder` whose
    project is NexRL; None when there is none."""
    for candidate in (folder, *folder.parents):
        path = candidate / "pyproject.toml"
        try:
            if not path.is_file():
                continue
            with open(path, encoding="utf-8", errors="replace") as handle:
                text = handle.read(_MAX_PYPROJECT)
        except OSError:
            continue
        project = _PROJECT.search(text)
        if project is None:
            continue
        name = re.search(_FIELD.format("name"), project.group(1), re.M)
        if name is None or name.group(1).lower() != "nexrl":
            continue
        release = re.search(_FIELD.format("version"), project.group(1), re.M)
        return (release.group(1), str(path)) if release else None
    return None
