"""Command-line overrides, as NexRL's launch takes them: `python -m nexrl.main --config-path DIR
--config-name NAME trainer.total_train_steps=100 +debug.x=1 ~trainer.val_freq model=large`.

Each argument is parsed by Hydra's own override parser (hydra-core is imported only here, and
only when overrides are given), so that what Hydra accepts, refuses or reads as a sweep is
exactly what it does at launch. `compose` applies them with Hydra's rules: group choices
(`model=large`, `+model=large`, `~model`, `model@pkg=large`) change the defaults tree, the rest
change the composed config, which by then accepts no new key without `+` or `++`.

Where a finding about an argument points: the arguments form one line, the *command line*
(`COMMAND_LINE` as the file name, line 1), each argument written as a shell would quote it
and separated by one space; the column is where the argument starts on that line (or, for a
syntax error, where Hydra's parser stopped in it). A value given to a secret key
(`service.inference_service.api_key=sk-...`) is secret like a literal `api_key` in a file:
it is never printed, not even in that line.
"""

from __future__ import annotations

import contextlib
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .finding import COMMAND_LINE, Finding, Severity, Span
from .merge import FAILS, MISSING, OPAQUE, MergeError, Merger, clone, forget, lookup, shape
from .read import SECRET_KEYS, Document, KeyPath, dotted
from .rules.override import ID as RULE

# Arguments parsed in one run; a launch passes a handful.
MAX_ARGUMENTS = 1_000
MAX_ARGUMENT = 10_000

CHANGE, ADD, FORCE_ADD, DELETE = "change", "add", "force-add", "delete"


@dataclass(frozen=True)
class Argument:
    """One override, parsed."""

    index: int
    text: str
    column: int
    kind: str  # CHANGE, ADD, FORCE_ADD or DELETE
    key: str  # the config key path, or the config group
    package: str | None
    value: Any  # as Hydra reads it: text, number, bool, None, list, dict
    secret: bool = False

    @property
    def span(self) -> Span:
        return Span(COMMAND_LINE, 1, self.column)

    @property
    def element(self) -> str:
        """The key as Hydra matches it against the defaults list (`group@package`)."""
        return f"{self.key}@{self.package}" if self.package is not None else self.key

    @property
    def shown(self) -> str:
        """The argument as it may be printed (a secret value redacted)."""
        if not self.secret:
            return self.text
        head, _, _ = self.text.partition("=")
        return f"{head}=<redacted>"

    @property
    def is_hydra(self) -> bool:
        """An override of Hydra's own settings (`hydra.run.dir=...`, `hydra/launcher=...`),
        which are not part of the run's config."""
        return self.key == "hydra" or self.key.startswith(("hydra.", "hydra/"))


@dataclass
class CommandLine:
    """The overrides of one launch: the arguments Hydra reads, and the findings about the
    ones it refuses (a syntax error, a sweep)."""

    arguments: list[Argument] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    line: str = ""
    secrets: set[str] = field(default_factory=set)
    secret_spans: list[tuple[int, int, int, int]] = field(default_factory=list)

    def document(self) -> Document:
        """The command line as a source line findings point into (secrets redacted when shown)."""
        doc = Document(COMMAND_LINE, {}, lines=[self.line])
        doc.secrets = set(self.secrets)
        doc.secret_spans = list(self.secret_spans)
        return doc

    def __bool__(self) -> bool:
        return bool(self.arguments or self.findings)


def _secret_key(key: str) -> bool:
    return any(part in SECRET_KEYS for part in key.replace("/", ".").split("."))


def _layout(args: Sequence[str]) -> tuple[str, list[int]]:
    """The command line as shown and the 1-based column where each argument's text starts."""
    parts, columns, offset = [], [], 0
    for arg in args:
        quoted = shlex.quote(arg) if arg else "''"
        parts.append(quoted)
        columns.append(offset + 1 + (1 if quoted.startswith("'") and quoted != arg else 0))
        offset += len(quoted) + 1
    return " ".join(parts), columns


def parse(args: Sequence[str]) -> CommandLine:
    """Parse command-line overrides with Hydra's parser; never raises for a bad argument."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    args = list(args)
    line, columns = _layout(args[:MAX_ARGUMENTS])
    result = CommandLine(line=line)
    if len(args) > MAX_ARGUMENTS:
        result.findings.append(
            _finding(
                f"more than {MAX_ARGUMENTS:,} overrides; the rest are not read",
                Span(COMMAND_LINE, 1, 1),
            )
        )
    parser = OverridesParser.create()
    for index, text in enumerate(args[:MAX_ARGUMENTS]):
        column = columns[index]
        secret = _secret_key(text.split("=", 1)[0])
        if secret and "=" in text:
            value = text.split("=", 1)[1]
            if value:
                result.secrets.add(value)
                start = column - 1 + len(text.split("=", 1)[0]) + 1
                result.secret_spans.append((0, start, 0, start + len(value)))
        parsed = _parse_one(parser, text, column, secret, result)
        if parsed is None:
            continue
        result.arguments.append(
            Argument(
                index,
                text,
                column,
                parsed[0],
                parsed[1],
                parsed[2],
                parsed[3],
                secret,
            )
        )
    return result


def _parse_one(
    parser: Any, text: str, column: int, secret: bool, result: CommandLine
) -> tuple[str, str, str | None, Any] | None:
    """(kind, key, package, value) of one argument, or None (a finding is recorded)."""
    from hydra.core.override_parser.types import OverrideType, ValueType
    from hydra.errors import HydraException

    shown = Argument(0, text, column, CHANGE, "", None, None, secret).shown
    if len(text) > MAX_ARGUMENT:
        result.findings.append(
            _finding(
                f"override of {len(text):,} characters; not read", Span(COMMAND_LINE, 1, column)
            )
        )
        return None
    try:
        override = parser.parse_override(text)
    except HydraException as exc:
        where = column + _error_offset(exc)
        problem = _first_line(str(exc)) if not secret else "it does not parse"
        result.findings.append(
            _finding(
                f"override {shown!r} is not valid override syntax ({problem})",
                Span(COMMAND_LINE, 1, where),
                "Write key=value, +key=value, ++key=value, ~key or group=option; quote a value "
                "holding spaces or special characters ('key=\"a b\"').",
            )
        )
        return None
    except Exception as exc:  # the parser's own failure on odd input
        result.findings.append(
            _finding(
                f"override {shown!r} cannot be read ({type(exc).__name__})",
                Span(COMMAND_LINE, 1, column),
            )
        )
        return None
    if override.is_sweep_override():
        if override.value_type == ValueType.SIMPLE_CHOICE_SWEEP:
            message = (
                f"override {shown!r} is ambiguous: Hydra reads `a,b` as a sweep, which needs "
                "--multirun"
            )
            hint = "For a list write key=[a,b]; for text quote it: key='a,b'."
        else:
            message = f"override {shown!r} is a sweep, which needs --multirun"
            hint = "NexRL runs one config; give one value."
        result.findings.append(_finding(message, Span(COMMAND_LINE, 1, column), hint))
        return None
    kinds = {
        OverrideType.CHANGE: CHANGE,
        OverrideType.ADD: ADD,
        OverrideType.FORCE_ADD: FORCE_ADD,
        OverrideType.DEL: DELETE,
    }
    return kinds[override.type], override.key_or_group, override.package, override.value()


def _error_offset(exc: BaseException) -> int:
    """Where in the argument Hydra's lexer stopped (0 when it does not say)."""
    cause = exc.__cause__
    start = getattr(cause, "startIndex", None)
    return start if isinstance(start, int) and start >= 0 else 0


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else "syntax error"
    return line if len(line) <= 120 else line[:117] + "..."


def _finding(message: str, span: Span, hint: str = "") -> Finding:
    return Finding(RULE, Severity.ERROR, message, span, "", hint)


# -- applying the config overrides --------------------------------------------------------
def apply(arguments: Sequence[Argument], merger: Merger, findings: list[Finding]) -> None:
    """Apply config overrides to the composed config (`merger.data`, with its origins), as
    Hydra's `_apply_overrides_to_config` does; what Hydra refuses is added to `findings`."""
    overrider = _Overrider(merger, findings)
    for arg in arguments:
        overrider.apply(arg)


class _Overrider:
    """`k=v` changes an existing key, `+k=v` adds one that is not there, `++k=v` sets it
    either way, `~k` (`~k=v`) deletes it (when its value is v); the composed config accepts
    no other new key (Hydra closes it: struct mode)."""

    def __init__(self, merger: Merger, findings: list[Finding]) -> None:
        self.merger = merger
        self.findings = findings

    def error(self, arg: Argument, message: str, hint: str = "") -> None:
        self.findings.append(
            Finding(
                RULE, Severity.ERROR, f"override {arg.shown!r}: {message}", arg.span, arg.key, hint
            )
        )

    def apply(self, arg: Argument) -> None:
        with contextlib.suppress(_Failed):
            self.apply_one(arg)

    def apply_one(self, arg: Argument) -> None:
        if arg.package is not None:
            self.error(
                arg,
                f"looks like a config group choice, but the config group '{arg.key}' does not "
                "exist",
                "A group is a folder of the config folder; check its name.",
            )
            return
        path = self.path(arg.key)
        if path is None:
            self.error(arg, f"'{arg.key}' is not a key path")
        elif arg.kind == DELETE:
            self.delete(arg, path)
        elif arg.kind == ADD and not (
            self.select(arg, path) is None or isinstance(arg.value, (dict, list))
        ):
            self.error(
                arg,
                f"'{arg.key}' is already in the config; `+` adds a key that is not there",
                f"Write `{arg.text[1:]}` to change it, or `+{arg.text}` to set it either way.",
            )
        else:
            self.update(arg, path, force=arg.kind in (ADD, FORCE_ADD))

    def path(self, key: str) -> KeyPath | None:
        """The key path of a dotted key (`a.b`, `a.0`, `a[0]`): a part is a list index
        where the config holds a list."""
        pieces = _KEY_PART.findall(key)
        if not key or not pieces:
            return None
        parts: list[str | int] = []
        node: Any = self.merger.data
        for piece in pieces:
            part: str | int = piece[1:-1] if piece.startswith("[") else piece
            if isinstance(node, list) and str(part).lstrip("-").isdigit():
                part = int(part)
            parts.append(part)
            node = _child(node, part)
        return tuple(parts)

    def select(self, arg: Argument, path: KeyPath) -> Any:
        """OmegaConf.select: the value, the interpolations on the way to it followed; None
        when the key is absent (or null, or `???`). Raises _Failed (reported) when one of
        those interpolations names nothing, as OmegaConf fails to resolve it."""
        node: Any = self.merger.data
        for depth, part in enumerate(path):
            if isinstance(node, list) and _index(part) is None:
                self.error(arg, f"'{dotted(path[:depth])}' is a list, which has no key '{part}'")
                raise _Failed  # OmegaConf: "Index (str) is not an int"
            node = _child(node, part)
            if isinstance(node, str) and "${" in node:
                at = path[: depth + 1]
                node = self.merger.deref(at, node)
                if node is FAILS:
                    self.error(
                        arg,
                        f"Hydra resolves '{dotted(at)}' to apply it, and its interpolation "
                        "names nothing (or itself)",
                        "Fix the interpolation (see its own finding).",
                    )
                    raise _Failed
                if node is OPAQUE:  # known only once evaluated: some value
                    return lookup(self.merger.data, path) if depth == len(path) - 1 else None
            if node is _NONE:
                return None
        return None if node == MISSING else node

    def delete(self, arg: Argument, path: KeyPath) -> None:
        current = self.select(arg, path)
        if current is None:
            self.error(arg, f"'{arg.key}' is not in the config; there is nothing to delete")
            return
        if arg.value is not None and arg.value != current:
            self.error(
                arg,
                f"the value of '{arg.key}' is {_shown(current)}, not {_shown(arg.value)}; "
                "nothing is deleted",
                f"Write `~{arg.key}` to delete it whatever its value.",
            )
            return
        parent = lookup(self.merger.data, path[:-1])
        if isinstance(parent, dict) and path[-1] in parent:
            forget(self.merger.origins, path, parent.pop(path[-1]))
            self.merger.origins.pop(path, None)
        else:
            self.error(arg, "Hydra deletes keys of a mapping only")

    def update(self, arg: Argument, path: KeyPath, force: bool) -> None:
        """OmegaConf.update(cfg, key, value, merge=True, force_add=force) on a config that
        accepts no new key unless `force`."""
        node = self.section(arg, path[:-1], force)
        if node is None:
            return
        last = path[-1]
        current = _child(node, last)
        if isinstance(arg.value, (dict, list)) and isinstance(current, (dict, list)):
            self.merge_value(arg, path, current, force)
            return
        if isinstance(node, list):
            if not isinstance(last, int) or not -len(node) <= last < len(node):
                self.error(arg, f"'{arg.key}': no such item in the list")
                return
        elif last not in node and not force:
            self.missing(arg, path)
            return
        self.put(node, path, arg)

    def section(self, arg: Argument, path: KeyPath, force: bool) -> Any:
        """The container at `path`; what is not a container on the way is replaced by an
        empty mapping (a new key only when `force`). None when it cannot be (reported)."""
        node: Any = self.merger.data
        for depth, part in enumerate(path):
            child = _child(node, part)
            if not isinstance(child, (dict, list)):
                at = path[: depth + 1]
                if not isinstance(node, dict):
                    self.error(arg, f"'{dotted(at)}' is not a key of a mapping")
                    return None
                if part not in node and not force:
                    self.missing(arg, at)
                    return None
                if part in node:
                    forget(self.merger.origins, at, node[part])
                child = node[part] = {}
                self.merger.origins[at] = (arg.span, arg.span)
            node = child
        return node

    def put(self, node: Any, path: KeyPath, arg: Argument) -> None:
        current = _child(node, path[-1])
        if current is not _NONE:
            forget(self.merger.origins, path, current)
        node[path[-1]] = clone(arg.value)
        for sub in shape(arg.value):
            self.merger.origins[(*path, *sub)] = (arg.span, arg.span)

    def merge_value(self, arg: Argument, path: KeyPath, current: Any, force: bool) -> None:
        value = arg.value
        if isinstance(value, dict) != isinstance(current, dict):
            what = "a mapping" if isinstance(value, dict) else "a list"
            into = "a mapping" if isinstance(current, dict) else "a list"
            self.error(arg, f"{what} cannot merge into {into} (Hydra's merge fails)")
            return
        if isinstance(value, list):  # a list merged into a list replaces it
            self.put(lookup(self.merger.data, path[:-1]), path, arg)
            return
        if not force:
            new = _new_key(current, value, path)
            if new is not None:
                self.missing(arg, new)
                return
        origins = {(*path, *sub): (arg.span, arg.span) for sub in shape(value) if sub}
        try:
            self.merger.merge_at(path, value, dict(origins))
        except MergeError as exc:
            self.error(arg, f"'{dotted(exc.path)}': {exc.what} (Hydra's merge fails)")

    def missing(self, arg: Argument, path: KeyPath) -> None:
        self.error(
            arg,
            f"'{dotted(path)}' is not in the config, and Hydra changes only keys that are there",
            f"Write `+{arg.text}` to add it (or `++{arg.text}` to set it whether or not it is "
            "there); check the key for a typo.",
        )


class _Failed(Exception):
    """An override Hydra cannot apply (already reported)."""


_KEY_PART = re.compile(r"[^.\[\]]+|\[-?\d+\]")
_NONE: Any = object()


def _child(node: Any, part: Any) -> Any:
    if isinstance(node, dict):
        return node.get(part, _NONE)
    index = _index(part)
    if isinstance(node, list) and index is not None and -len(node) <= index < len(node):
        return node[index]
    return _NONE


def _index(part: Any) -> int | None:
    """A key as a list index (`0`, `"0"`), or None."""
    if isinstance(part, int):
        return part
    text = str(part)
    return int(text) if text.lstrip("-").isdigit() else None


def _new_key(current: dict[Any, Any], value: dict[Any, Any], path: KeyPath) -> KeyPath | None:
    """The first key of `value` that merging it into `current` would add, or None."""
    for key, item in value.items():
        if key not in current:
            return (*path, key)
        if isinstance(item, dict) and isinstance(current[key], dict):
            found = _new_key(current[key], item, (*path, key))
            if found is not None:
                return found
    return None


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


__all__ = [
    "ADD",
    "CHANGE",
    "COMMAND_LINE",
    "DELETE",
    "FORCE_ADD",
    "Argument",
    "CommandLine",
    "parse",
]
