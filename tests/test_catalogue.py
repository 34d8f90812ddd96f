"""The catalogue itself: every entry typed, sourced and versioned consistently, per section file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import Recorded

from nexrl_cfg import catalogue
from nexrl_cfg.catalogue import VERSIONS, Option, Section, data, version_key
from nexrl_cfg.catalogue.model import TYPES
from nexrl_cfg.nexrl import NAMED_SERVICES, REMOTE_BACKENDS

# A reference page in NexRL's docs (as in ../shared/spec), or a NexRL file at a release tag
# with the line(s) that read the key, or (for a key no version reads) the recipe that writes
# it; several sources are separated by "; ".
_SOURCE = re.compile(
    r"spec/(?:v1\.4/)?[a-z0-9-]+\.md"
    r"|(?:nexrl|cli)/[\w/.-]+\.py@v1\.[0-4]\.0(?::\d+(?:-\d+)?(?:,\d+(?:-\d+)?)*)?"
    r"|recipe/[\w/.-]+\.yaml@v1\.[0-4]\.0:\d+(?:,\d+)*"
)


def _entries(module: str) -> tuple[Option | Section, ...]:
    return catalogue.section_entries(module)


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


def test_the_compiled_catalogue_is_fresh(recorded: Recorded) -> None:
    """What a run reads is what the section files say (`python -m pytest --update` writes it)."""
    recorded(data.COMPILED, data.compile_sections(catalogue.MODULES))


def test_every_section_file_is_listed() -> None:
    files = {path.stem for path in data.SECTIONS.glob("*.yaml")}
    assert files == set(catalogue.MODULES)


_DEMO = "- option: trainer.demo\n  description: A demo.\n  source: spec/trainer-config.md\n"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (f"{_DEMO}  typo: 1\n", "entry 1 (trainer.demo): unknown field(s) typo"),
        ("- option: trainer.demo\n", "(trainer.demo): missing field(s) description, source"),
        (f"{_DEMO}  added: !fact NO_SUCH\n", "!fact NO_SUCH: nexrl.py has no"),
        (f"{_DEMO}  added: !fact version_key\n", "!fact version_key"),
        ("- path: trainer.demo\n", "entry 1: an entry starts with `option:` or `section:`"),
        ("option: trainer.demo\n", "a section file is a list of entries"),
        (
            f"{_DEMO}- option: trainer.other\n  description: d\n  source: s\n"
            "  required_if: [{values: [1]}]\n",
            "entry 2 (trainer.other): 'path'",
        ),
        (f"{_DEMO.replace('option', 'section')}  choices: [a]\n", "unknown field(s) choices"),
    ],
)
def test_a_section_file_that_is_not_entries_is_refused(
    tmp_path: Path, text: str, said: str
) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(data.CatalogueError) as caught:
        data.read_section(path)
    assert said in str(caught.value)


def test_a_fact_is_written_by_name_and_read_as_its_value(tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(
        f"{_DEMO}  added: !fact NAMED_SERVICES\n"
        "  required_if: [{path: .backend, values: !fact REMOTE_BACKENDS}]\n",
        encoding="utf-8",
    )
    (raw,) = data.read_section(path)
    (entry,) = data.load(json.dumps({"demo": [raw]}))["demo"]
    assert entry.added == NAMED_SERVICES
    assert entry.required_if == (catalogue.Condition(".backend", REMOTE_BACKENDS),)


def test_an_entry_is_a_frozen_record_of_its_fields() -> None:
    one = Option("trainer.demo", description="A demo.", source="spec/trainer-config.md", type="int")
    same = Option(
        "trainer.demo", type="int", source="spec/trainer-config.md", description="A demo."
    )
    assert one == same and hash(one) == hash(same)
    assert one != Option("trainer.demo", description="A demo.", source="spec/trainer-config.md")
    assert one != Section("trainer.demo", description="A demo.", source="spec/trainer-config.md")
    assert (one.added, one.default, one.choices) == (VERSIONS[0], catalogue.NO_DEFAULT, ())
    assert repr(one).startswith("Option(path='trainer.demo', description='A demo.', source=")
    with pytest.raises(AttributeError):
        one.type = "bool"  # type: ignore[misc]
    with pytest.raises(TypeError, match="no field"):
        Option("trainer.demo", description="d", source="s", kind="int")
    with pytest.raises(TypeError, match="needs field"):
        Option("trainer.demo", description="d")
