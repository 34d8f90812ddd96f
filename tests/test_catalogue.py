"""The catalogue itself: every entry typed, sourced and versioned consistently, per module."""

from __future__ import annotations

import importlib
import re

import pytest

from nexrl_cfg import catalogue
from nexrl_cfg.catalogue import VERSIONS, Option, Section, version_key
from nexrl_cfg.catalogue.model import TYPES

# A reference page in NexRL's docs (as in ../shared/spec), or a NexRL file at a release tag
# with the line(s) that read the key, or (for a key no version reads) the recipe that writes
# it; several sources are separated by "; ".
_SOURCE = re.compile(
    r"spec/(?:v1\.4/)?[a-z0-9-]+\.md"
    r"|(?:nexrl|cli)/[\w/.-]+\.py@v1\.[0-4]\.0(?::\d+(?:-\d+)?(?:,\d+(?:-\d+)?)*)?"
    r"|recipe/[\w/.-]+\.yaml@v1\.[0-4]\.0:\d+(?:,\d+)*"
)


def _entries(module: str) -> tuple[Option | Section, ...]:
    return importlib.import_module(f"nexrl_cfg.catalogue.sections.{module}").ENTRIES


@pytest.mark.parametrize("module", catalogue.MODULES)
def test_every_entry_names_its_source(module: str) -> None:
    bad = [
        (e.path, e.source)
        for e in _entries(module)
        if not all(_SOURCE.fullmatch(part) for part in e.source.split("; "))
    ]
    assert not bad


@pytest.mark.parametrize("module", catalogue.MODULES)
def test_types_and_choices_are_known_words(module: str) -> None:
    for entry in _entries(module):
        if isinstance(entry, Option):
            assert entry.type in TYPES, (entry.path, entry.type)
            for choice in entry.choices:
                assert not isinstance(choice, (dict, list)), entry.path


@pytest.mark.parametrize("module", catalogue.MODULES)
def test_uses_of_numbers_are_known_and_sourced(module: str) -> None:
    """A number's use (`Option.use`) is one of the kinds the checks know, on a number, and
    names the NexRL line that evaluates it."""
    for entry in _entries(module):
        if isinstance(entry, Option) and entry.use is not None:
            assert entry.use.kind in catalogue.USES, entry.path
            assert entry.type in ("int", "number"), entry.path
            assert _SOURCE.fullmatch(entry.use.source), (entry.path, entry.use.source)


@pytest.mark.parametrize("module", catalogue.MODULES)
def test_sections_read_as_empty_when_null_accept_null(module: str) -> None:
    for entry in _entries(module):
        if isinstance(entry, Section) and (entry.null_as_empty or entry.null_fails_if):
            assert entry.nullable and entry.null_as_empty, entry.path


@pytest.mark.parametrize("module", catalogue.MODULES)
def test_versions_are_ordered(module: str) -> None:
    for entry in _entries(module):
        assert entry.added in VERSIONS, entry.path
        if entry.removed is not None:
            assert entry.removed in VERSIONS, entry.path
            assert version_key(entry.added) < version_key(entry.removed), entry.path
        if entry.deprecated is not None:
            assert entry.exists_in(entry.deprecated), entry.path


def test_one_entry_per_path_and_version() -> None:
    for version in VERSIONS:
        seen: dict[str, str] = {}
        for entry in catalogue.all_entries():
            if entry.exists_in(version):
                assert entry.path not in seen, (version, entry.path)
                seen[entry.path] = entry.path


def test_replacements_exist_somewhere() -> None:
    paths = {e.path for e in catalogue.all_entries()}
    for entry in catalogue.all_entries():
        if entry.replaced_by:
            assert entry.replaced_by in paths, (entry.path, entry.replaced_by)


def test_every_entry_sits_in_a_section() -> None:
    for version in VERSIONS:
        cat = catalogue.for_version(version)
        for entry in catalogue.all_entries():
            if entry.exists_in(version) and entry.parent:
                assert cat.section(entry.parent) is not None, (version, entry.path)
