"""The checked config as validate and lint see it: resolved values, where they were written,
which ones are secret, and the catalogue's defaults for what was left out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from . import catalogue
from .catalogue import Condition, Entry
from .finding import Finding, Report, Severity, Span
from .layout import Layout
from .output import REDACTED
from .read import SECRET_KEYS, KeyPath
from .resolve import Resolved, Unknown
from .rules.yaml_syntax import ID as YAML_SYNTAX
from .rules.yaml_tag import ID as YAML_TAG

ABSENT: Any = type("Absent", (), {"__repr__": lambda self: "ABSENT", "__bool__": lambda s: False})()
# Not yet looked up (see `Config.at`).
_UNSEEN: Any = object()

# Read-stage rules that leave a value out (null) after reporting it.
_UNREADABLE = (YAML_TAG, YAML_SYNTAX)


@lru_cache(maxsize=4096)
def split(dotted: str) -> KeyPath:
    """A dotted path as a key path; a part of digits is a list index (`teachers.0.backend`).
    Cached: the rules ask for the same few hundred paths of every config."""
    if not dotted:
        return ()
    return tuple(int(p) if p.isdigit() else p for p in dotted.split("."))


def join(path: KeyPath) -> str:
    return ".".join(str(p) for p in path)


@dataclass(eq=False, repr=False)
class Config:
    resolved: Resolved
    # "entry": a whole config; "fragment": only what the file defines is checked.
    mode: str = "entry"
    findings: list[Finding] = field(default_factory=list)
    # The NexRL version the config is checked for.
    version: str = catalogue.NEWEST
    _found: dict[str, Any] = field(default_factory=dict, init=False)

    @cached_property
    def catalogue(self) -> catalogue.Catalogue:
        return catalogue.for_version(self.version)

    @cached_property
    def layout(self) -> Layout:
        return Layout(self.data, self.catalogue)

    @property
    def path(self) -> str:
        return self.resolved.composed.path

    @property
    def data(self) -> Any:
        return self.resolved.data

    @property
    def raw_data(self) -> Any:
        return self.resolved.composed.data

    # -- values ---------------------------------------------------------------------------
    def lookup(self, path: KeyPath, tree: Any = None) -> Any:
        node = self.data if tree is None else tree
        for part in path:
            if type(node) is dict:  # most steps: a mapping that holds the key as written
                found = node.get(part, ABSENT)
                if found is ABSENT:
                    found = node.get(str(part), ABSENT)
                if found is ABSENT:
                    return ABSENT
                node = found
            elif isinstance(node, dict):
                if part in node:
                    node = node[part]
                elif str(part) in node:
                    node = node[str(part)]
                else:
                    return ABSENT
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
            else:
                return ABSENT
        return node

    def at(self, dotted: str) -> Any:
        """The resolved value at `dotted`, or ABSENT; each key is looked up once per config
        (the rules ask for the same keys again and again)."""
        found = self._found.get(dotted, _UNSEEN)
        if found is _UNSEEN:
            found = self._found[dotted] = self.lookup(split(dotted))
        return found

    def has(self, dotted: str) -> bool:
        return self.at(dotted) is not ABSENT

    def get(self, dotted: str, default: Any = ABSENT) -> Any:
        """The resolved value; when absent, `default` or else the catalogue's default."""
        value = self.at(dotted)
        if value is not ABSENT:
            return value
        if default is not ABSENT:
            return default
        opt = self.catalogue.option(self.layout.spec_path(dotted))
        if opt is not None and opt.default is not catalogue.NO_DEFAULT:
            return opt.default
        return ABSENT

    def holds(self, condition: Condition, section: str) -> bool | None:
        """Whether a catalogue condition (and every condition of its `also`) holds for the
        section at `section`; None when that depends on a value that is not known."""
        held = [self._holds(c, section) for c in (condition, *condition.also)]
        if False in held:
            return False
        return None if None in held else True

    def _holds(self, condition: Condition, section: str) -> bool | None:
        path = self.condition_path(condition.path, section)
        value = ABSENT if path is None else self.get(path)
        if isinstance(value, Unknown):
            return None
        if value is ABSENT:
            return condition.absent
        return value in condition.values

    def condition_path(self, path: str, section: str) -> str | None:
        """The key a condition's path names from the section at `section`: ".x" in that
        section, "^x" in the training service around it (None outside any)."""
        if path.startswith("."):
            return f"{section}{path}"
        if path.startswith("^"):
            around = [s for s in self.layout.train_services if f"{section}.".startswith(f"{s}.")]
            return f"{around[0]}.{path[1:]}" if around else None
        return path

    def required(self, entry: Entry, section: str) -> bool:
        """Whether the catalogue requires `entry` in the section at `section`, as its
        conditions say here."""
        if entry.required:
            return True
        if entry.required_if:
            held = [self.holds(c, section) for c in entry.required_if]
            if all(h is True for h in held):
                return not any(self.holds(c, section) for c in entry.required_unless)
            return False
        if entry.required_unless:
            held = [self.holds(c, section) for c in entry.required_unless]
            return all(h is False for h in held)
        return False

    def unreadable(self, dotted: str) -> bool:
        """Whether the value at `dotted` could not be read (already reported where it is)."""
        return any(
            f.key == dotted and f.rule in _UNREADABLE for f in self.resolved.composed.findings
        )

    def raw(self, dotted: str) -> Any:
        return self.lookup(split(dotted), self.raw_data)

    @cached_property
    def _tainted_around(self) -> frozenset[KeyPath]:
        """Each path read from the environment, and every section around one."""
        return frozenset(t[:depth] for t in self.resolved.tainted for depth in range(len(t) + 1))

    def is_secret(self, path: KeyPath) -> bool:
        if any(str(part) in SECRET_KEYS for part in path):  # an api_key, or inside one
            return True
        tainted = self.resolved.tainted  # read from the environment: at, around or under it
        if path in self._tainted_around or any(
            path[:depth] in tainted for depth in range(len(path))
        ):
            return True
        # A copy of a literal key that no reference leads to (a YAML alias: `backend: *key`).
        if not self.resolved.composed.secrets:
            return False
        literal, secrets = self.resolved.composed.secrets, self.resolved.secrets
        return any(
            isinstance(value, str) and (value.strip() in literal or secrets.holds(value))
            for value in (self.lookup(path), self.lookup(path, self.raw_data))
        )

    def redaction(self, path: KeyPath) -> str | None:
        """What to print instead of the value at `path` when it is secret (its `${...}`
        expression, or `<redacted>`); None when it is not secret."""
        if not self.is_secret(path):
            return None
        raw = self.lookup(path, self.raw_data)
        if not isinstance(raw, str) or "${" not in raw:
            return REDACTED
        if any(str(part) in SECRET_KEYS for part in path) and not _ONLY_EXPRESSIONS.match(raw):
            return REDACTED  # `sk-abc${oc.env:X}`: the literal part is a key's too
        return raw

    def show(self, dotted: str) -> str:
        """A value as it may be printed: never a secret, never an environment value."""
        path = split(dotted)
        hidden = self.redaction(path)
        if hidden is not None:
            return hidden
        value = self.lookup(path)
        if isinstance(value, Unknown):
            return str(value)
        return _show(value)

    # -- positions ------------------------------------------------------------------------
    def span(self, dotted: str) -> Span:
        return self.resolved.composed.span(split(dotted))

    def key_span(self, dotted: str) -> Span:
        return self.resolved.composed.key_span(split(dotted))

    def report(
        self,
        message: str,
        key: str,
        hint: str = "",
        at: str = "value",
        severity: Severity | None = None,
        data: Any = None,
        covers: str = "",
    ) -> Report:
        """A rule's report at the value of `key` (or at the key itself, `at="key"`; at the
        value where `key` is written and else at the key, `at="written"`); `data` is for the
        rule's own `fix`, `covers` the missing key it accounts for from elsewhere (see
        `Report`). A report about a missing key names that key (`at="key"` places it at its
        nearest section)."""
        if at == "written":
            at = "value" if self.has(key) else "key"
        span = self.key_span(key) if at == "key" else self.span(key)
        return Report(message, span, key, hint, severity, data, covers)


_ONLY_EXPRESSIONS = re.compile(r"(?:\$\{[^${}]*\})+\Z")


def _show(value: Any) -> str:
    if isinstance(value, str):
        return _clip(f'"{value}"')
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return _clip(str(value))


def _clip(text: str, limit: int = 80) -> str:
    """A value long enough to drown the message (a 2 MB string, a 4,000-digit number), cut."""
    if len(text) <= limit:
        return text
    quote = text[0] if text[0] == '"' else ""
    return f"{text[: limit - 20]}...{quote} ({len(text) - len(quote) * 2:,} characters)"


def show_value(value: Any) -> str:
    return _show(value)
