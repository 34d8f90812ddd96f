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
from functools import lru_cache
from pathlib import Path

from .files import read_regular
from .nexrl import NEWEST, VERSIONS, version_key
from .record import Record

# Every pattern here runs in time linear in the text: no nested or overlapping repetition,
# none that crosses lines where it is tried at every line (a 1 MB file of blank lines).
_PROJECT = re.compile(r"^\[project\][ \t]*$(.*?)(?=^\[|\Z)", re.M | re.S)
_FIELD = r'^[ \t]*{}[ \t]*=[ \t]*["\']([^"\'\n]{{0,100}})["\']'
_MAX_PYPROJECT = 256 * 1024  # the prefix of a pyproject.toml read: [project] comes early
# A release as PEP 440 writes it (`1.4.0`, `1.4.0rc1`, `1.4.0.post1+local`), and nothing else.
_RELEASE = re.compile(r"v?[0-9]{1,9}(?:\.[0-9]{1,9}){0,4}[A-Za-z0-9.+!_-]{0,40}")


class UnknownVersion(ValueError):
    """A version the catalogue does not describe."""

    def __init__(self, given: str) -> None:
        super().__init__(f"unknown NexRL version '{given}' (known: {', '.join(VERSIONS)})")


class Target(Record):
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
    """The version of the `nexrl` distribution the interpreter has installed: the `Version:`
    of the first `nexrl-*.dist-info` (or `.egg-info`) on the import path, found as
    `importlib.metadata` finds it (the folder's name, normalised), less the working folder
    and the relative entries that name it: a `nexrl-*.dist-info` folder where the command
    runs is not an installation. Read without importing `importlib.metadata`, which costs
    every check a tenth of its start-up."""
    here = _working_folder()
    for entry in sys.path:
        if not entry or not os.path.isabs(entry) or os.path.realpath(entry) == here:
            continue
        try:
            names = os.listdir(entry)
        except OSError:
            continue
        for name in names:
            stem, dot, kind = name.rpartition(".")
            if not dot or kind.lower() not in ("dist-info", "egg-info"):
                continue
            if re.sub(r"[-_.]+", "-", stem.split("-", 1)[0]).lower() != "nexrl":
                continue
            found = _metadata_version(os.path.join(entry, name))
            if found is not None and _RELEASE.fullmatch(found):
                return found
    return None


def _metadata_version(folder: str) -> str | None:
    """The `Version:` header of a distribution's metadata (its first 64 KiB)."""
    for candidate in ("METADATA", "PKG-INFO", ""):
        path = os.path.join(folder, candidate) if candidate else folder
        try:
            head = read_regular(path, 1 << 16)[: 1 << 16].decode("utf-8", "replace")
        except OSError:  # not there, or no regular file (a FIFO is never waited on)
            continue
        for line in head.splitlines():
            if not line.strip():
                break  # the end of the headers
            key, _, value = line.partition(":")
            if key.strip().lower() == "version":
                return value.strip()
        return None
    return None


def _working_folder() -> str | None:
    try:
        return os.path.realpath(os.getcwd())
    except OSError:
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
            raw = read_regular(path, _MAX_PYPROJECT)[:_MAX_PYPROJECT]
        except OSError:
            continue
        text = raw.decode("utf-8", "replace")
        project = _PROJECT.search(text)
        if project is None:
            continue
        name = re.search(_FIELD.format("name"), project.group(1), re.M)
        if name is None or name.group(1).lower() != "nexrl":
            continue
        release = re.search(_FIELD.format("version"), project.group(1), re.M)
        if release is None or not _RELEASE.fullmatch(release.group(1)):
            return None  # no version, or text that is none (it is shown: never anything else)
        return release.group(1), str(path)
    return None
