"""Stage 3, resolve: evaluate `${...}` interpolations as OmegaConf would.

The forms NexRL recipes use (`${oc.env:VAR}`, `${oc.env:VAR,default}`, `${a.b.c}` and strings
that mix them with text) are evaluated here directly, which keeps OmegaConf's import off the
common path; anything else (relative keys, nested interpolations, other resolvers, escapes) is
handed to OmegaConf itself. An environment variable that is not set does not fail the check:
the value becomes `Unknown`, checks that need it are skipped, and a note names the variable.
Values that came from the environment are remembered as secret-bearing and never printed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .compose import Composed
from .finding import Finding, Severity, Span
from .read import KeyPath, dotted

# Resolvers OmegaConf ships; nothing else may run while checking.
SAFE_RESOLVERS = (
    "oc.env",
    "oc.select",
    "oc.decode",
    "oc.create",
    "oc.deprecated",
    "oc.dict.keys",
    "oc.dict.values",
)

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_KEY = r"[A-Za-z_][A-Za-z0-9_\-]*"
_SIMPLE = re.compile(
    rf"\$\{{(?:oc\.env:(?P<var>{_NAME})(?:,(?P<default>[A-Za-z_/.:\-][A-Za-z0-9_/.:\-]*)?)?"
    rf"|(?P<ref>{_KEY}(?:\.(?:{_KEY}|[0-9]+))*))\}}"
)
_TYPED_DEFAULT = re.compile(r"^(?:null|true|false|nan|inf|[-+]?\.?inf|[-+0-9.].*)$", re.I)
_ENV_MARK = re.compile("\x00env:([^\x00]*)\x00")


@dataclass(frozen=True)
class Unknown:
    """A value that cannot be known before launch (an unset environment variable).

    `token` stands for the value: two unknowns with the same token are the same value, so
    `${trainer.x}` and the `${oc.env:P}/x` it points to compare equal without knowing P.
    """

    token: str
    missing: tuple[str, ...]

    def __str__(self) -> str:
        return _ENV_MARK.sub(lambda m: "${oc.env:" + m.group(1) + "}", self.token)


def is_known(value: Any) -> bool:
    return not isinstance(value, Unknown)


class _Cycle(Exception):
    def __init__(self, start: KeyPath) -> None:
        super().__init__(start)
        self.start = start
        self.members: list[KeyPath] = []


class _Broken(Exception):
    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


@dataclass
class Resolved:
    """The composed config with interpolations evaluated."""

    composed: Composed
    data: Any
    # Paths whose value was read from the environment (directly or through a reference).
    tainted: set[KeyPath] = field(default_factory=set)
    # Unset variables, each with the first place that needs it.
    unset: dict[str, tuple[KeyPath, Span]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


class _Resolver:
    def __init__(self, composed: Composed, environ: Mapping[str, str]) -> None:
        self.composed = composed
        self.raw = composed.data
        self.environ = environ
        self.done: dict[KeyPath, Any] = {}
        self.busy: set[KeyPath] = set()
        self.tainted: set[KeyPath] = set()
        self.errors: dict[KeyPath, Finding] = {}
        self.unset: dict[str, tuple[KeyPath, Span]] = {}
        self._omegaconf: Any = None

    # -- tree walk ------------------------------------------------------------------------
    def run(self) -> Any:
        return self.value_at((), self.raw)

    def value_at(self, path: KeyPath, raw: Any) -> Any:
        if isinstance(raw, dict):
            return {k: self.value_at((*path, k), v) for k, v in raw.items()}
        if isinstance(raw, list):
            return [self.value_at((*path, i), v) for i, v in enumerate(raw)]
        if isinstance(raw, str) and "${" in raw:
            return self.leaf(path, raw)
        return raw

    def leaf(self, path: KeyPath, raw: str) -> Any:
        if path in self.done:
            return self.done[path]
        if path in self.busy:
            raise _Cycle(path)
        self.busy.add(path)
        try:
            value = self.evaluate(path, raw)
        except _Cycle as cycle:
            if cycle.start != path:
                cycle.members.insert(0, path)
                raise
            value = self.cycle([path, *cycle.members])
        except _Broken as exc:
            value = self.fail(path, raw, str(exc), exc.hint)
        finally:
            self.busy.discard(path)
        self.done[path] = value
        return value

    def cycle(self, members: list[KeyPath]) -> Unknown:
        """Report a cycle once, at its first member; every member becomes unknown."""
        chain = " -> ".join(dotted(m) for m in [*members, members[0]])
        files = sorted({self.composed.span(m).file for m in members})
        value = Unknown(f"\x00cycle:{dotted(members[0])}\x00", ())
        for member in members:
            self.done[member] = value
        if len(files) > 1:
            # Formed only by composing files that are each fine alone (an override that
            # points back at the value it overrides): NexRL fails only if it reads them.
            severity = Severity.WARNING
            note = " (formed by composition; NexRL fails if it reads them)"
        else:
            severity, note = Severity.ERROR, ""
        self.errors[members[0]] = Finding(
            "interpolation-error",
            severity,
            f"interpolation cycle: {chain}{note}",
            self.composed.span(members[0]),
            dotted(members[0]),
            "Give one of these keys a plain value.",
        )
        return value

    def fail(self, path: KeyPath, raw: str, message: str, hint: str = "") -> Unknown:
        if path not in self.errors:
            self.errors[path] = Finding(
                "interpolation-error",
                Severity.ERROR,
                f"{raw}: {message}",
                self.composed.span(path),
                dotted(path),
                hint or "Check the key path and the resolver name.",
            )
        return Unknown(f"\x00error:{dotted(path)}\x00", ())

    # -- evaluation -----------------------------------------------------------------------
    def evaluate(self, path: KeyPath, raw: str) -> Any:
        pieces = self.split(raw)
        if pieces is None:
            return self.with_omegaconf(path, raw)
        values = []
        for literal, match in pieces:
            if literal:
                values.append(literal)
            if match is not None:
                values.append(self.simple(path, match))
        if len(values) == 1 and len(pieces) == 1 and pieces[0][0] == "":
            return values[0]
        return self.join(values)

    @staticmethod
    def split(raw: str) -> list[tuple[str, re.Match[str] | None]] | None:
        """Literal text and simple interpolations, or None when OmegaConf is needed."""
        pieces: list[tuple[str, re.Match[str] | None]] = []
        pos = 0
        for match in _SIMPLE.finditer(raw):
            literal = raw[pos : match.start()]
            default = match.group("default")
            if "$" in literal or "\\" in literal or (default and _TYPED_DEFAULT.match(default)):
                return None
            pieces.append((literal, match))
            pos = match.end()
        tail = raw[pos:]
        if "$" in tail or "\\" in tail:
            return None
        if tail:
            pieces.append((tail, None))
        return pieces

    def simple(self, path: KeyPath, match: re.Match[str]) -> Any:
        var = match.group("var")
        if var is not None:
            self.tainted.add(path)
            if var in self.environ:
                return self.environ[var]
            if match.group("default") is not None or match.group(0).endswith(",}"):
                return match.group("default") or ""
            self.unset.setdefault(var, (path, self.composed.span(path)))
            return Unknown(f"\x00env:{var}\x00", (var,))
        return self.reference(path, match.group("ref"))

    def reference(self, path: KeyPath, ref: str) -> Any:
        target: KeyPath = ()
        node: Any = self.raw
        for part in ref.split("."):
            if isinstance(node, dict) and part in node:
                key: str | int = part
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                key = int(part)
            else:
                raise _Broken(
                    f"key '{ref}' is not in the config",
                    f"Define `{ref}` or fix the reference; keys are absolute dotted paths.",
                )
            target = (*target, key)
            node = node[key]
        value = self.value_at(target, node)
        if self.tainted_under(target):
            self.tainted.add(path)
        if target in self.errors and self.errors[target].severity is Severity.ERROR:
            raise _Broken(f"refers to '{ref}', which cannot be resolved")
        return value

    def tainted_under(self, target: KeyPath) -> bool:
        depth = len(target)
        return any(p[:depth] == target for p in self.tainted)

    @staticmethod
    def join(values: list[Any]) -> Any:
        unknown = [v for v in values if isinstance(v, Unknown)]
        text = "".join(v.token if isinstance(v, Unknown) else _as_text(v) for v in values)
        if unknown:
            missing = tuple(dict.fromkeys(m for v in unknown for m in v.missing))
            return Unknown(text, missing)
        return text

    # -- OmegaConf for everything else ----------------------------------------------------
    def with_omegaconf(self, path: KeyPath, raw: str) -> Any:
        from ._omegaconf import Session, evaluate

        if self._omegaconf is None:
            self._omegaconf = Session(self.raw, self.environ)
        value, used_env, problem = evaluate(self._omegaconf, path)
        if used_env:
            self.tainted.add(path)
        if problem is not None:
            raise _Broken(problem)
        for var in _ENV_MARK.findall(value) if isinstance(value, str) else ():
            self.unset.setdefault(var, (path, self.composed.span(path)))
        if isinstance(value, str) and "\x00" in value:
            return Unknown(value, tuple(_ENV_MARK.findall(value)))
        return value


def _as_text(value: Any) -> str:
    return str(value)


def resolve(composed: Composed, environ: Mapping[str, str] | None = None) -> Resolved:
    """Evaluate every interpolation of `composed`; never raises for a bad expression."""
    resolver = _Resolver(composed, os.environ if environ is None else environ)
    data = resolver.run()
    findings = list(resolver.errors.values())
    return Resolved(composed, data, resolver.tainted, resolver.unset, findings)
