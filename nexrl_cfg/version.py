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

from .files import read_regular
from .nexrl import NEWEST, VERSIONS, version_key

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
    """The version of the `nexrl` distribution the interpreter has installed (its metadata,
    as `importlib.metadata` finds it on the import path less the working folder and the
    relative entries that name it: a `nexrl-*.dist-info` folder where the command runs is not
    an installation)."""
    from importlib import metadata

    here = _working_folder()
    path = [entry for entry in sys.path if entry and os.path.isabs(entry)]
    path = [entry for entry in path if os.path.realpath(entry) != here]
    for dist in metadata.distributions(name="nexrl", path=path):
        version = dist.version
        if isinstance(version, str) and _RELEASE.fullmatch(version):
            return version
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
