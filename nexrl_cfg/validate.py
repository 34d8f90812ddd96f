"""Stage 4, validate: each value against its documented option (type, range, allowed values),
required options present, no unknown keys in documented sections.

The checks themselves are the validate-stage rules in `rules/`; this module walks the config
beside the catalogue once and hands them what they need.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from . import catalogue
from .catalogue import Condition, Option, Section
from .config import ABSENT, Config, split
from .finding import Finding
from .resolve import Unknown


@dataclass(frozen=True)
class Entry:
    """A key present in the config, with its catalogue entry (None when unknown)."""

    path: str
    value: Any
    spec: Option | Section | None
    parent: Section | None


def entries(cfg: Config) -> list[Entry]:
    cached = getattr(cfg, "_entries", None)
    if cached is None:
        cached = list(_walk(cfg.data, "", "", None)) if isinstance(cfg.data, dict) else []
        cfg._entries = cached  # type: ignore[attr-defined]
    return cached


TRAIN_SERVICE = "service.train_service"


def is_nested_train_service(value: Any) -> bool:
    """NexRL's later layout: `train_service: {<name>: {role, backend, ...}, ...}`.

    As in NexRL's own check, the layout is flat when `backend` or `url` is given directly.
    """
    return (
        isinstance(value, dict)
        and "backend" not in value
        and "url" not in value
        and any(
            isinstance(v, dict) and k not in catalogue.children(TRAIN_SERVICE)
            for k, v in value.items()
        )
    )


def _walk(
    tree: dict[str, Any], prefix: str, spec_prefix: str, parent: Section | None
) -> Iterator[Entry]:
    """Every key under `tree`; `spec_prefix` is where its options live in the catalogue."""
    known = catalogue.children(spec_prefix)
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        spec_path = f"{spec_prefix}.{key}" if spec_prefix else str(key)
        spec = known.get(key)
        if spec_path == TRAIN_SERVICE and is_nested_train_service(value):
            yield Entry(path, value, spec, parent)  # type: ignore[arg-type]
            yield from _walk_services(value, path, spec)  # type: ignore[arg-type]
            continue
        yield Entry(path, value, spec, parent)  # type: ignore[arg-type]
        if isinstance(spec, Section) and isinstance(value, dict):
            yield from _walk(value, path, spec.path, spec)


def _walk_services(tree: dict[str, Any], prefix: str, section: Section) -> Iterator[Entry]:
    """Each named service of a nested train_service is checked as a train_service."""
    for name, value in tree.items():
        path = f"{prefix}.{name}"
        if isinstance(value, dict):
            yield Entry(path, value, section, section)
            yield from _walk(value, path, TRAIN_SERVICE, section)
        else:
            yield Entry(path, value, None, section)


def options(cfg: Config) -> Iterator[tuple[Option, Entry]]:
    """Present options whose value is known (not waiting on an unset variable)."""
    for entry in entries(cfg):
        if isinstance(entry.spec, Option) and not isinstance(entry.value, Unknown):
            yield entry.spec, entry


def sections(cfg: Config) -> Iterator[tuple[Section, Entry]]:
    for entry in entries(cfg):
        if isinstance(entry.spec, Section):
            yield entry.spec, entry


def condition_holds(cfg: Config, section_path: str, condition: Condition) -> bool | None:
    """Whether `condition` holds; None when its value is unknown."""
    path = condition.path
    if path.startswith("."):
        path = f"{section_path}{path}"
    value = cfg.get(path)
    if isinstance(value, Unknown):
        return None
    return value in condition.values


def is_required(cfg: Config, opt: Option, section_path: str) -> bool:
    if opt.required:
        return True
    if opt.required_if:
        held = [condition_holds(cfg, section_path, c) for c in opt.required_if]
        if all(h is True for h in held):
            return not any(condition_holds(cfg, section_path, c) for c in opt.required_unless)
        return False
    if opt.required_unless:
        held = [condition_holds(cfg, section_path, c) for c in opt.required_unless]
        return all(h is False for h in held)
    return False


def suggest(word: str, candidates: list[str], cutoff: float = 0.6) -> str | None:
    matches = difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: list[str], cutoff: float = 0.6) -> str:
    match = suggest(word, candidates, cutoff)
    return f"Did you mean '{match}'?" if match else ""


TYPE_WORDS = {
    "string": "a string",
    "int": "an integer",
    "number": "a number",
    "bool": "true or false",
    "list": "a list",
    "mapping": "a mapping",
    "any": "any value",
}


def type_matches(kind: str, value: Any) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "list":
        return isinstance(value, list)
    if kind == "mapping":
        return isinstance(value, dict)
    return True


def validate(cfg: Config) -> list[Finding]:
    from .rules import for_stage

    findings: list[Finding] = []
    for rule in for_stage("validate"):
        assert rule.check is not None
        findings.extend(rule.check(cfg))
    return findings


__all__ = [
    "ABSENT",
    "Entry",
    "condition_holds",
    "did_you_mean",
    "entries",
    "is_required",
    "options",
    "sections",
    "split",
    "suggest",
    "type_matches",
    "validate",
]
