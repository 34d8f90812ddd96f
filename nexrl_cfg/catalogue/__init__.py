"""The options catalogue: every option and section NexRL reads, per NexRL version.

The entries live in `sections/`, one YAML file per config section (`data` tells their format;
a run reads them compiled, from `compiled.json`). `for_version(v)` builds the
catalogue of one NexRL version (lazily, once per run and version); the JSON Schema, the
`explain` text and the validate stage all derive from it. `history(path)` tells what other
versions have at a path, for a key that does not exist at the checked version.
"""

from __future__ import annotations

from functools import lru_cache

from ..nexrl import NEWEST, VERSIONS, version_key
from .model import NO_DEFAULT, USES, Condition, Entry, Option, Product, Section, Use

__all__ = [
    "NEWEST",
    "NO_DEFAULT",
    "USES",
    "VERSIONS",
    "Catalogue",
    "Condition",
    "Entry",
    "Option",
    "Product",
    "Section",
    "Use",
    "all_entries",
    "for_version",
    "history",
    "section_entries",
    "version_key",
]

# One file per config section, in the order `explain --list` shows them.
MODULES = (
    "top",
    "service",
    "inference_service",
    "remote_services",
    "train_service",
    "actor",
    "data",
    "trainer",
    "rollout_worker",
    "trajectory_pool",
    "weight",
    "validate",
    "logger",
    "environment",
    "resume",
    "runtime_monitor",
    "resource",
    "debug",
)


@lru_cache(maxsize=1)
def _sections() -> dict[str, tuple[Option | Section, ...]]:
    from .data import load

    return load()


def section_entries(name: str) -> tuple[Option | Section, ...]:
    """The entries of one section file (`sections/<name>.yaml`), in its order."""
    return _sections()[name]


@lru_cache(maxsize=1)
def all_entries() -> tuple[Option | Section, ...]:
    """Every entry of every version (a path may have one entry per range of versions)."""
    return tuple(entry for name in MODULES for entry in section_entries(name))


class Catalogue:
    """The options and sections of one NexRL version, looked up by dotted path."""

    def __init__(self, version: str) -> None:
        self.version = version
        entries = [e for e in all_entries() if e.exists_in(version)]
        self.options: dict[str, Option] = {e.path: e for e in entries if isinstance(e, Option)}
        self.sections: dict[str, Section] = {e.path: e for e in entries if isinstance(e, Section)}
        self._children: dict[str, dict[str, Option | Section]] = {}
        for entry in entries:
            self._children.setdefault(entry.parent, {})[entry.name] = entry
        self._requirable: dict[str, tuple[tuple[str, Option | Section], ...]] = {}
        self._deprecations: frozenset[int] | None = None

    def option(self, path: str) -> Option | None:
        return self.options.get(path)

    def section(self, path: str) -> Section | None:
        return self.sections.get(path)

    def entry(self, path: str) -> Option | Section | None:
        return self.options.get(path) or self.sections.get(path)

    def children(self, path: str) -> dict[str, Option | Section]:
        """Options and sections directly inside the section at `path` ("" for the root)."""
        return self._children.get(path, {})

    def requirable(self, path: str) -> tuple[tuple[str, Option | Section], ...]:
        """(name, entry) of each child of the section at `path` that the catalogue requires,
        always or under a condition (a config is checked for these alone)."""
        found = self._requirable.get(path)
        if found is None:
            found = self._requirable[path] = tuple(
                (name, spec)
                for name, spec in self.children(path).items()
                if spec.required or spec.required_if or spec.required_unless
            )
        return found

    def deprecations(self) -> frozenset[int]:
        """The ids of the entries deprecated in this version or with deprecated values (a
        config's entries are looked up among them, most being neither)."""
        if self._deprecations is None:
            self._deprecations = frozenset(
                id(e)
                for e in (*self.options.values(), *self.sections.values())
                if e.deprecated_in(self.version) or (isinstance(e, Option) and e.deprecated_choices)
            )
        return self._deprecations

    def top_level_names(self) -> list[str]:
        return sorted(self.children(""))

    def all_options(self) -> tuple[Option, ...]:
        return tuple(self.options.values())

    def all_sections(self) -> tuple[Section, ...]:
        return tuple(self.sections.values())


@lru_cache(maxsize=len(VERSIONS))
def for_version(version: str = NEWEST) -> Catalogue:
    if version not in VERSIONS:
        raise ValueError(f"unknown NexRL version {version}")
    return Catalogue(version)


def history(path: str) -> tuple[Option | Section, ...]:
    """The entries at `path` across versions, oldest first."""
    return _histories().get(path, ())


@lru_cache(maxsize=1)
def _histories() -> dict[str, tuple[Option | Section, ...]]:
    """Each path's entries across versions, oldest first: a config with many unknown keys
    asks for a history per key."""
    by_path: dict[str, list[Option | Section]] = {}
    for entry in all_entries():
        by_path.setdefault(entry.path, []).append(entry)
    return {
        path: tuple(sorted(found, key=lambda e: version_key(e.added)))
        for path, found in by_path.items()
    }
