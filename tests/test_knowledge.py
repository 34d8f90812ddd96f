"""Knowledge as symbols: NexRL's version facts live in `nexrl.py`, rule ids in their rule
modules, and the rule registry finds the rules by name."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

from nexrl_cfg import nexrl
from nexrl_cfg.rules import STAGES, all_rules, module_names

PACKAGE = Path(nexrl.__file__).resolve().parent
VERSION_LITERAL = re.compile(r"1\.[0-9]\Z")


def strings(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module (docstrings included), with their lines."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def test_versions_between_facts() -> None:
    assert nexrl.versions() == nexrl.VERSIONS
    assert nexrl.versions(nexrl.NAMED_SERVICES) == ("1.2", "1.3", "1.4")
    assert nexrl.versions(until=nexrl.NAMED_SERVICES) == ("1.0", "1.1")
    assert nexrl.versions(nexrl.DIRECT_ZMQ, nexrl.SEQUENCE_LENGTHS) == ("1.3",)
    assert nexrl.at_least("1.10", "1.4") and not nexrl.at_least("1.1", "1.4")


def test_a_version_literal_is_written_only_where_facts_are_declared() -> None:
    allowed = {PACKAGE / "nexrl.py"}
    found = [
        f"{path.relative_to(PACKAGE)}:{line}: {value!r}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path not in allowed and "sections" not in path.parts
        for line, value in strings(path)
        if VERSION_LITERAL.match(value)
    ]
    assert not found, "name the fact in nexrl.py and import it:\n" + "\n".join(found)


@pytest.mark.parametrize("name", module_names())
def test_a_rule_declares_its_versions_by_facts(name: str) -> None:
    module = importlib.import_module(f"nexrl_cfg.rules.{name}")
    assert not hasattr(module, "VERSIONS"), "declare SINCE / UNTIL with facts of nexrl.py"
    (rule,) = [r for r in all_rules() if r.id == name.replace("_", "-")]
    since = getattr(module, "SINCE", nexrl.OLDEST)
    assert rule.versions == nexrl.versions(since, getattr(module, "UNTIL", None))
    assert since in nexrl.VERSIONS


def test_every_module_not_starting_with_an_underscore_is_a_rule() -> None:
    files = {p.stem for p in (PACKAGE / "rules").glob("*.py") if not p.stem.startswith("_")}
    assert {r.id.replace("-", "_") for r in all_rules()} == files


def test_rules_are_listed_by_stage_then_id() -> None:
    keys = [(STAGES.index(r.stage), r.id) for r in all_rules()]
    assert keys == sorted(keys)


def test_facts_the_rules_apply_from() -> None:
    versions = {r.id: r.versions for r in all_rules()}
    assert versions["max-sequence-length"] == ("1.4",)
    assert (
        versions["train-service-roles"] == versions["inference-identifier"] == ("1.2", "1.3", "1.4")
    )
    assert versions["max-tokens-match"] == nexrl.VERSIONS


def test_a_rule_id_is_written_only_in_its_own_module() -> None:
    """Elsewhere a rule's id is its module's `ID` (`from .rules.yaml_syntax import ID`)."""
    # Also Hydra's own words: the `defaults` key and the `override` keyword.
    ids = {r.id for r in all_rules()} - {"defaults", "override"}
    found = [
        f"{path.relative_to(PACKAGE)}:{line}: {value!r}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, value in strings(path)
        if value in ids and path != PACKAGE / "rules" / f"{value.replace('-', '_')}.py"
    ]
    assert not found, "import the rule's ID instead:\n" + "\n".join(found)
