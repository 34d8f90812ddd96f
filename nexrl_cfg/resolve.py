"""Stage 3, resolve: evaluate `${...}` interpolations as OmegaConf would.

The forms NexRL recipes use (`${oc.env:VAR}`, `${oc.env:VAR,default}`, `${a.b.c}`, relative
keys such as `${.name}`, and strings that mix them with text) are evaluated here directly, which
keeps OmegaConf's import off the common path; anything else (nested interpolations, other
resolvers, escapes) is handed to OmegaConf itself, which calls back here for every value it
refers to. An environment variable that is not set does not fail the check: the value becomes
`Unknown`, checks that need it are skipped, and a note names the variable. Values that came
from the environment are remembered as secret-bearing and never printed.

Evaluation is bounded: a value expands to at most `MAX_STRING` characters, a chain of
references is followed `MAX_CHAIN` keys deep, and OmegaConf evaluates at most `MAX_OMEGACONF`
expressions per config, each at most `MAX_EXPRESSION` characters long. In all, the references
of one config copy at most `MAX_COPIED` values and `MAX_COPIED_CHARS` characters (each copy of
a section counts its values): a few short files cannot make a config of millions of values.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._interpolation import Signal
from .compose import Composed
from .finding import Finding, Severity, Span
from .output import Secrets, redacted
from .read import SECRET_KEYS, KeyPath, dotted
from .rules.interpolation_error import ID as INTERPOLATION_ERROR
from .rules.too_complex import ID as TOO_COMPLEX

if TYPE_CHECKING:
    from ._omegaconf import Frame

MAX_STRING = 100_000
MAX_CHAIN = 64
MAX_OMEGACONF = 1_000
MAX_EXPRESSION = 2_000
MAX_COPIED = 20_000
MAX_COPIED_CHARS = 2_000_000
# Stack frames kept free for one OmegaConf evaluation below the deepest reference chain.
_HEADROOM = 400

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_KEY = r"[A-Za-z_][A-Za-z0-9_\-]*"
_SIMPLE = re.compile(
    rf"\$\{{(?:oc\.env:(?P<var>{_NAME})(?:,(?P<default>[A-Za-z_/.:\-][A-Za-z0-9_/.:\-]*)?)?"
    rf"|(?P<ref>(?P<dots>\.*){_KEY}(?:\.(?:{_KEY}|[0-9]+))*))\}}"
)
_TYPED_DEFAULT = re.compile(r"^(?:null|true|false|nan|inf|[-+]?\.?inf|[-+0-9.].*)$", re.I)
_ENV_MARK = re.compile("\x00env:([^\x00]*)\x00")
# An environment value inside an unknown value's token: its identity without its text.
_ANY_MARK = re.compile("\x00(?:env|envval):([^\x00]*)\x00")
# A value that could not be evaluated (an error, a cycle, a limit).
_OTHER_MARK = re.compile("\x00[^\x00]*\x00")


@dataclass(frozen=True)
class Unknown:
    """A value that cannot be known before launch (an unset environment variable).

    `token` stands for the value: two unknowns with the same token are the same value, so
    `${trainer.x}` and the `${oc.env:P}/x` it points to compare equal without knowing P.
    """

    token: str
    missing: tuple[str, ...]

    def __str__(self) -> str:
        text = _ANY_MARK.sub(lambda m: "${oc.env:" + m.group(1) + "}", self.token)
        return _OTHER_MARK.sub("<unresolved>", text)


class _Cycle(Signal):
    def __init__(self, start: KeyPath) -> None:
        super().__init__(start)
        self.start = start
        self.members: list[KeyPath] = []


class _TooDeep(Signal):
    pass


class _Spent(Signal):
    """The config's references have copied all the values they may."""


class _Broken(Signal):
    def __init__(self, message: str, hint: str = "", rule: str = INTERPOLATION_ERROR) -> None:
        super().__init__(message)
        self.hint = hint
        self.rule = rule


@dataclass(eq=False, repr=False)
class Resolved:
    """The composed config with interpolations evaluated."""

    composed: Composed
    data: Any
    # Paths whose value was read from the environment (directly or through a reference).
    tainted: set[KeyPath] = field(default_factory=set)
    # Unset variables, each with the first place that needs it.
    unset: dict[str, tuple[KeyPath, Span]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    # Each reference cycle, its members in order, the first where it is reported.
    cycles: list[tuple[KeyPath, ...]] = field(default_factory=list)
    # Every environment value read while resolving.
    env_values: set[str] = field(default_factory=set)
    # Values of the config after references copied theirs: what validate and lint walk.
    values: int = 0
    _secrets: Secrets | None = None

    @property
    def secrets(self) -> Secrets:
        """Every secret value of this config: literal keys of its files, environment values
        it read. None of them may appear in any output."""
        if self._secrets is None:
            self._secrets = Secrets(self.composed.secrets | self.env_values)
        return self._secrets


@dataclass(eq=False, repr=False)
class _Text:
    """A piece of a string value, with the environment variable it was read from."""

    text: str
    var: str | None = None


class _Resolver:
    def __init__(self, composed: Composed, environ: Mapping[str, str]) -> None:
        self.composed = composed
        self.raw = composed.data
        self.environ = environ
        self.done: dict[KeyPath, Any] = {}
        self.busy: dict[KeyPath, None] = {}
        self.tainted: set[KeyPath] = set()
        # Every tainted path and each section around one (see `taint`).
        self._tainted_under: set[KeyPath] = set()
        self.errors: dict[KeyPath, Finding] = {}
        self.unset: dict[str, tuple[KeyPath, Span]] = {}
        self.cycles: list[tuple[KeyPath, ...]] = []
        # Every environment value read: never to appear in a message.
        self.secrets: set[str] = set()
        self.stack_limit = sys.getrecursionlimit() - _HEADROOM
        # Containers and values being evaluated, one inside the other.
        self.level = 0
        # Limits already reported: each is reported once, where it is first reached.
        self.reported: set[str] = set()
        self._omegaconf: Any = None
        self._evaluations = 0
        # What references have copied so far (values, characters), and the size of each
        # value copied (by id; the value is kept so that its id stays its own).
        self.copied = 0
        self.copied_chars = 0
        self._sizes: dict[int, tuple[Any, int, int]] = {}
        # For each OmegaConf evaluation in progress: the values it has been handed.
        self._handed: list[list[KeyPath]] = []
        self._spent: list[int] = []

    # -- tree walk ------------------------------------------------------------------------
    def run(self) -> Any:
        return self.value_at((), self.raw)

    def value_at(self, path: KeyPath, raw: Any) -> Any:
        if isinstance(raw, str) and "${" in raw:
            return self.leaf(path, raw)
        if not isinstance(raw, (dict, list)):
            return raw
        if self.busy:
            self.guard_stack()
        self.level += 1
        try:
            # A value with nothing to resolve is taken as it is, without a path made for it
            # (most values: a number, a flag, plain text; asked here, not in a call each).
            if isinstance(raw, dict):
                return {
                    k: v
                    if type(v) in _PLAIN or (type(v) is str and "${" not in v)
                    else self.value_at((*path, k), v)
                    for k, v in raw.items()
                }
            return [
                v
                if type(v) in _PLAIN or (type(v) is str and "${" not in v)
                else self.value_at((*path, i), v)
                for i, v in enumerate(raw)
            ]
        finally:
            self.level -= 1

    def leaf(self, path: KeyPath, raw: str) -> Any:
        if path in self.done:
            return self.done[path]
        if path in self.busy:
            raise _Cycle(path)
        if len(self.busy) >= MAX_CHAIN:
            raise _TooDeep()
        self.guard_stack()
        self.busy[path] = None
        self.level += 1
        try:
            value = self.evaluate(path, raw)
        except _Cycle as cycle:
            if cycle.start != path:
                cycle.members.insert(0, path)
                raise
            value = self.cycle([path, *cycle.members])
        except _TooDeep:
            if len(self.busy) > 1:
                self.done[path] = Unknown(f"\x00deep:{dotted(path)}\x00", ())
                raise
            value = self.limit(
                "chain",
                path,
                raw,
                f"interpolations from here refer through a chain of more than {MAX_CHAIN} "
                "values, or through values nested too deeply",
                "Refer to the value itself instead of through a chain of references.",
            )
        except _Broken as exc:
            value = self.fail(path, raw, str(exc), exc.hint, exc.rule)
        except _Spent:
            value = self.limit(
                "copies",
                path,
                raw,
                f"the references of this config copy more than {MAX_COPIED:,} values or "
                f"{MAX_COPIED_CHARS:,} characters in all; the rest are not evaluated",
                "Refer to a section once and to its values directly, not to copies of copies.",
            )
        finally:
            self.busy.pop(path, None)
            self.level -= 1
        self.done[path] = value
        return value

    def spend(self, value: Any) -> None:
        """Count a copy of `value` against the config's budget (raises _Spent when over)."""
        values, chars = self.size(value)
        self.copied += values
        self.copied_chars += chars
        self.check_budget()

    def check_budget(self) -> None:
        if self.copied > MAX_COPIED or self.copied_chars > MAX_COPIED_CHARS:
            raise _Spent()

    def size(self, value: Any) -> tuple[int, int]:
        """(values, characters) of a value, each shared part measured once."""
        if isinstance(value, str):
            return 1, len(value)
        if isinstance(value, Unknown):
            return 1, len(value.token)
        if not isinstance(value, (dict, list)):
            return 1, 0
        known = self._sizes.get(id(value))
        if known is not None:
            return known[1], known[2]
        values, chars = 1, 0
        for item in value.values() if isinstance(value, dict) else value:
            more, text = self.size(item)
            values += more
            chars += text
        self._sizes[id(value)] = (value, values, chars)
        return values, chars

    def guard_stack(self) -> None:
        """Stop a chain of references before Python's recursion limit does (the stack is
        measured only once evaluation is nested deeper than any real config nests it)."""
        if (self.level > 24 or self._handed) and _stack_depth() > self.stack_limit:
            raise _TooDeep()

    def limit(self, kind: str, path: KeyPath, raw: str, message: str, hint: str) -> Unknown:
        """A limit reached: reported the first time only, the value is unknown."""
        if kind not in self.reported:
            self.reported.add(kind)
            self.fail(path, raw, message, hint, TOO_COMPLEX)
        return Unknown(f"\x00{kind}:{dotted(path)}\x00", ())

    def cycle(self, members: list[KeyPath]) -> Unknown:
        """Report a cycle once, at its first member; every member becomes unknown."""
        chain = " -> ".join(dotted(m) for m in [*members, members[0]])
        files = sorted({self.composed.span(m).file for m in members})
        value = Unknown(f"\x00cycle:{dotted(members[0])}\x00", ())
        for member in members:
            self.done[member] = value
        self.cycles.append(tuple(members))
        if len(files) > 1:
            # Formed only by composing files that are each fine alone (an override that
            # points back at the value it overrides): NexRL fails only if it reads them.
            severity = Severity.WARNING
            note = " (formed by composition; NexRL fails if it reads them)"
        else:
            severity, note = Severity.ERROR, ""
        self.errors[members[0]] = Finding(
            INTERPOLATION_ERROR,
            severity,
            f"interpolation cycle: {_clip(chain)}{note}",
            self.composed.span(members[0]),
            dotted(members[0]),
            "Give one of these keys a plain value.",
        )
        return value

    def fail(
        self,
        path: KeyPath,
        raw: str,
        message: str,
        hint: str = "",
        rule: str = INTERPOLATION_ERROR,
    ) -> Unknown:
        if path not in self.errors:
            self.errors[path] = Finding(
                rule,
                Severity.ERROR,
                f"{_clip(raw)}: {_clip(self.scrub(message), 300)}",
                self.composed.span(path),
                dotted(path),
                hint or "Check the key path and the resolver name.",
            )
        return Unknown(f"\x00error:{dotted(path)}\x00", ())

    def scrub(self, message: str) -> str:
        """A message as it may be printed: no value read from the environment in it, whole,
        line by line or decoded (such a message quotes what it could not use)."""
        return Secrets(self.secrets | self.composed.secrets, minimum=3).mask(message)

    # -- evaluation -----------------------------------------------------------------------
    def evaluate(self, path: KeyPath, raw: str) -> Any:
        pieces = self.split(raw)
        if pieces is None:
            return self.with_omegaconf(path, raw)
        values: list[Any] = []
        for literal, match in pieces:
            if literal:
                values.append(literal)
            if match is not None:
                values.append(self.simple(path, match))
        if len(values) == 1 and len(pieces) == 1 and pieces[0][0] == "":
            value = values[0]
            return value.text if isinstance(value, _Text) else value
        slots = _slots(pieces)
        return self.join(
            [self.as_text(path, v, m) for v, (_, m) in zip(values, slots, strict=True)]
        )

    def as_text(self, path: KeyPath, value: Any, match: re.Match[str] | None) -> Any:
        """A section referred to inside text is written as OmegaConf writes it: the section as
        written, its own interpolations unresolved."""
        if not isinstance(value, (dict, list)) or match is None or match.group("ref") is None:
            return value
        dots = len(match.group("dots"))
        target: Any = self.lookup(path[:-dots] if dots else ())
        for part in match.group("ref")[dots:].split("."):
            target = target[int(part) if isinstance(target, list) else part]
        return _Text(str(target))

    @staticmethod
    def split(raw: str) -> list[tuple[str, re.Match[str] | None]] | None:
        """Literal text and simple interpolations, or None when OmegaConf is needed; once per
        text (the configs of a folder share theirs; the pieces are not changed)."""
        found = _SPLIT.get(raw, _NOT_SPLIT)
        if found is _NOT_SPLIT:
            found = _split(raw)
            if len(raw) <= _SPLIT_LENGTH and len(_SPLIT) < _SPLIT_COUNT:
                _SPLIT[raw] = found
        return found  # type: ignore[no-any-return]

    def simple(self, path: KeyPath, match: re.Match[str]) -> Any:
        var = match.group("var")
        if var is not None:
            self.taint(path)
            if var in self.environ:
                self.secrets.add(self.environ[var])
                return _Text(self.environ[var], var)
            if match.group("default") is not None or match.group(0).endswith(",}"):
                return match.group("default") or ""
            self.unset.setdefault(var, (path, self.composed.span(path)))
            return Unknown(f"\x00env:{var}\x00", (var,))
        return self.reference(path, match.group("ref"), len(match.group("dots")))

    def reference(self, path: KeyPath, ref: str, dots: int = 0) -> Any:
        """The value of `${ref}` written at `path`; `dots` leading dots make it relative."""
        if dots > len(path):
            raise _Broken(f"'{ref}' goes above the top of the config")
        target: KeyPath = path[:-dots] if dots else ()
        node: Any = self.lookup(target)
        parts = ref[dots:].split(".")
        for index, part in enumerate(parts):
            if isinstance(node, str) and "${" in node and target:
                # A section written as an interpolation: OmegaConf follows it on the way.
                return self.through(path, target, node, parts[index:], ref)
            if isinstance(node, dict) and part in node:
                key: str | int = part
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                key = int(part)
            else:
                where = "is not in the config" if not dots else f"is not beside '{dotted(path)}'"
                raise _Broken(
                    f"key '{ref}' {where}",
                    f"Define `{ref.lstrip('.')}` or fix the reference; keys are absolute dotted "
                    "paths, or relative to the value's section when they start with '.'.",
                )
            target = (*target, key)
            node = node[key]
        if node == "???":
            raise _Broken(
                f"'{ref}' is `???`, a value that must be given before it is used",
                f"Give `{ref.lstrip('.')}` a value (in a config or on the command line).",
            )
        return self.follow(path, target, node, ref)

    def through(self, path: KeyPath, target: KeyPath, raw: str, rest: list[str], ref: str) -> Any:
        """The value of `${ref}` whose way passes `target`, an interpolation: the rest of the
        key is looked up in what that interpolation gives."""
        node = self.follow(path, target, raw, ref)
        for part in rest:
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            elif isinstance(node, Unknown):
                return node
            else:
                raise _Broken(f"key '{ref}' is not in the config")
        if node == "???":
            raise _Broken(f"'{ref}' is `???`, a value that must be given before it is used")
        return node

    def lookup(self, target: KeyPath) -> Any:
        node: Any = self.raw
        for key in target:
            node = node[key]
        return node

    def follow(self, path: KeyPath, target: KeyPath, node: Any, ref: str) -> Any:
        self.check_budget()
        value = self.value_at(target, node)
        self.spend(value)
        if self.tainted_under(target) or (path != target and self.secret_at(target)):
            self.taint(path)
        if target in self.errors and self.errors[target].severity is Severity.ERROR:
            raise _Broken(f"refers to '{ref}', which cannot be resolved")
        return value

    def taint(self, path: KeyPath) -> None:
        """The value at `path` holds a secret (read from the environment, or copied)."""
        self.tainted.add(path)
        self._tainted_under.update(path[:depth] for depth in range(len(path) + 1))

    def tainted_under(self, target: KeyPath) -> bool:
        """Whether a tainted value is at `target` or under it (asked of every reference)."""
        return target in self._tainted_under

    def secret_at(self, target: KeyPath) -> bool:
        """Whether the value at `target` is, or holds, a secret: read from the environment,
        or a literal key (an `api_key`, or a section that has one)."""
        if self.tainted_under(target) or any(str(p) in SECRET_KEYS for p in target):
            return True
        return _holds_secret_key(self.lookup(target))

    def join(self, values: list[Any]) -> Any:
        unknown = [v for v in values if isinstance(v, Unknown)]
        size = sum(len(v.token if isinstance(v, Unknown) else _as_text(v)) for v in values)
        self.copied_chars += size
        self.check_budget()
        if size > MAX_STRING:
            raise _Broken(
                f"the value expands to more than {MAX_STRING:,} characters",
                "Each reference copies the value it names; do not build values from copies "
                "of copies.",
                TOO_COMPLEX,
            )
        if unknown:
            text = "".join(_token(v) for v in values)
            missing = tuple(dict.fromkeys(m for v in unknown for m in v.missing))
            return Unknown(text, missing)
        return "".join(_as_text(v) for v in values)

    # -- OmegaConf for everything else ----------------------------------------------------
    def with_omegaconf(self, path: KeyPath, raw: str) -> Any:
        if len(raw) > MAX_EXPRESSION:
            raise _Broken(
                f"the expression is longer than {MAX_EXPRESSION:,} characters",
                "Split it into several values.",
                TOO_COMPLEX,
            )
        self.check_budget()
        self._evaluations += 1
        if self._evaluations > MAX_OMEGACONF:
            return self.limit(
                "budget",
                path,
                raw,
                f"more than {MAX_OMEGACONF:,} interpolations need OmegaConf to evaluate; "
                "the rest are not checked",
                "A NexRL config has a few dozen interpolations.",
            )
        from ._omegaconf import Session, Unavailable

        if self._omegaconf is None:
            self._omegaconf = Session(self.raw, self.environ, self.handed, self.secret_at)
        self._handed.append([])
        self._spent.append(len(raw))
        try:
            value, frame, problem = self._omegaconf.evaluate(path, raw)
        except Unavailable as exc:
            return self.limit("unavailable", path, raw, str(exc), "Simplify the config.")
        finally:
            handed = self._handed.pop()
            self._spent.pop()
        self.secrets.update(v for v in frame.env if v)
        if frame.env or any(self.secret_at(p) for p in handed):
            self.taint(path)
        if problem is not None:
            raise _Broken(problem)
        self.spend(value)
        return self.unknowns(path, value, frame)

    def handed(self, target: KeyPath) -> Any:
        """The value at `target`, for OmegaConf evaluating another value that refers to it."""
        value = self.follow(target, target, self.lookup(target), dotted(target))
        if self._handed:
            self._handed[-1].append(target)
            self._spent[-1] += _size(value)
            if self._spent[-1] > MAX_STRING:
                raise _Broken(
                    f"the value expands to more than {MAX_STRING:,} characters",
                    rule=TOO_COMPLEX,
                )
        return _plain(value)

    def unknowns(self, path: KeyPath, value: Any, frame: Frame) -> Any:
        """OmegaConf's result, with the marks of unknown values turned back into `Unknown`,
        and every key computed from a secret replaced (a key is printed as it is)."""
        if isinstance(value, dict):
            out: dict[Any, Any] = {}
            for key, item in value.items():
                if isinstance(key, str) and frame.derives(key):
                    key = _hidden_key(out)
                out[key] = self.unknowns(path, item, frame)
            return out
        if isinstance(value, list):
            return [self.unknowns(path, v, frame) for v in value]
        if not isinstance(value, str) or "\x00" not in value:
            if isinstance(value, str) and len(value) > MAX_STRING:
                raise _Broken(
                    f"the value expands to more than {MAX_STRING:,} characters",
                    rule=TOO_COMPLEX,
                )
            return value
        missing = tuple(dict.fromkeys(_ENV_MARK.findall(value)))
        for var in missing:
            self.unset.setdefault(var, (path, self.composed.span(path)))
        return Unknown(value, missing)


def _hidden_key(taken: dict[Any, Any]) -> str:
    number = 1
    while redacted(number) in taken:
        number += 1
    return redacted(number)


def _holds_secret_key(raw: Any) -> bool:
    """Whether plain data has a secret key (`api_key`) anywhere inside."""
    stack = [raw]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if any(k in SECRET_KEYS for k in node):
                return True
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return False


def _stack_depth() -> int:
    frame: Any = sys._getframe(1)
    depth = 1
    while frame is not None:
        frame = frame.f_back
        depth += 1
    return depth


# The pieces of each short interpolation text met in this process (see `_Resolver.split`),
# at most this many texts.
_SPLIT: dict[str, list[tuple[str, re.Match[str] | None]] | None] = {}
_SPLIT_LENGTH = 500
_SPLIT_COUNT = 20_000
_NOT_SPLIT: Any = object()


def _split(raw: str) -> list[tuple[str, re.Match[str] | None]] | None:
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


# Values that never hold anything to resolve, by their exact type.
_PLAIN = frozenset({int, float, bool, type(None)})


def _slots(
    pieces: list[tuple[str, re.Match[str] | None]],
) -> list[tuple[str, re.Match[str] | None]]:
    """One slot per value `evaluate` collects: a literal's (no match), an expression's."""
    out: list[tuple[str, re.Match[str] | None]] = []
    for literal, match in pieces:
        if literal:
            out.append((literal, None))
        if match is not None:
            out.append(("", match))
    return out


def _as_text(value: Any) -> str:
    if isinstance(value, _Text):
        return value.text
    return str(value)


def _token(value: Any) -> str:
    """A piece of an unknown value's token: an environment value by its variable's name."""
    if isinstance(value, Unknown):
        return value.token
    if isinstance(value, _Text) and value.var is not None:
        return f"\x00envval:{value.var}\x00"
    return _as_text(value)


def _plain(value: Any) -> Any:
    """A value as OmegaConf may hold it: unknown values as their token."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Unknown):
        return value.token
    return value


def _size(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, Unknown):
        return len(value.token)
    if isinstance(value, dict):
        return 1 + sum(_size(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(_size(v) for v in value)
    return 1


def _clip(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _unresolved(raw: Any) -> Any:
    """The raw values, every interpolation unknown: what is left when evaluation failed."""
    if isinstance(raw, dict):
        return {k: _unresolved(v) for k, v in raw.items()}
    if isinstance(raw, list):
        return [_unresolved(v) for v in raw]
    if isinstance(raw, str) and "${" in raw:
        return Unknown(raw, ())
    return raw


def resolve(composed: Composed, environ: Mapping[str, str] | None = None) -> Resolved:
    """Evaluate every interpolation of `composed`; never raises for a bad expression. With
    an empty environment (a fix or a migration judged and checked), once per composition:
    what resolving makes is only read."""
    if environ is not None and not environ:
        if composed.alone is None:
            composed.alone = _resolve(composed, environ)
        return composed.alone
    return _resolve(composed, environ)


def _resolve(composed: Composed, environ: Mapping[str, str] | None) -> Resolved:
    resolver = _Resolver(composed, os.environ if environ is None else environ)
    try:
        data = resolver.run()
    except RecursionError:
        # The limits above should make this unreachable; never let it become a crash.
        resolver.errors[()] = Finding(
            TOO_COMPLEX,
            Severity.ERROR,
            "interpolations nest too deeply to evaluate",
            composed.span(()),
            hint="Refer to values directly instead of through chains of references.",
        )
        data = _unresolved(composed.data)
    findings = list(resolver.errors.values())
    values = len(composed.origins) + resolver.copied
    return Resolved(
        composed,
        data,
        resolver.tainted,
        resolver.unset,
        findings,
        resolver.cycles,
        set(resolver.secrets),
        values=values,
    )
