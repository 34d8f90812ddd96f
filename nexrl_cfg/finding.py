"""What every stage produces: findings, each at a file, line and column."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Any, NamedTuple


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


# The file name of a position on the command line: a launch's overrides, one line (see
# `overrides`); the column is where the argument starts on it.
COMMAND_LINE = "<command line>"


class Span(NamedTuple):
    """A 1-based position in a source file. (A tuple: one is made for every key and value.)"""

    file: str
    line: int = 1
    column: int = 1


class Edit(NamedTuple):
    """A replacement of the text from (line, column) up to (end_line, end_column), 1-based and
    the end excluded, by `text`: one step of a fix.

    `start` and `end` are the same places as character offsets in the file's text (after a
    byte-order mark), as the YAML parser recorded them: edits are made at these, and the line
    and column, derived from the same marks (YAML's line breaks: `\r\n`, `\r`, `\n`, U+0085,
    U+2028, U+2029), are for reports. -1 when only the line and column are known."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    start: int = -1
    end: int = -1

    def report(self) -> dict[str, object]:
        """The edit as reports show it: file, 1-based positions and text."""
        return {name: getattr(self, name) for name in _REPORTED}


_REPORTED = ("file", "line", "column", "end_line", "end_column", "text")


class SetValue(NamedTuple):
    """What a fix means to do: in the config `config` (the entry or fragment whose check
    found it), the value at `key` becomes `value` (as composed, before interpolation). `at` is
    where that value is written (its node's start, as the parser recorded it): every config
    that reads the file changes at the paths whose value is written there (an alias or merge
    key copies a value: every copy changes with it)."""

    config: str
    key: str
    at: Span
    value: Any


class RenameKey(NamedTuple):
    """What a fix means to do: in the config `config`, the key `key` (written at `at`) is
    renamed `name`, in place, its value unchanged."""

    config: str
    key: str
    at: Span
    name: str


# A fix's intent: each of its changes to a composed config (see `fix.verify`).
Intent = SetValue | RenameKey


class Applicability(str, Enum):
    """How far a fix can be trusted, as in ruff."""

    # One right answer, meaning kept: `--fix` applies it, reports carry it.
    SAFE = "safe"
    # May change what the config means: offered (an editor's code action), never applied by
    # `--fix`.
    UNSAFE = "unsafe"
    # Shown to explain the finding, never applied.
    DISPLAY_ONLY = "display-only"


class Fix(NamedTuple):
    """The edits that fix one finding, made together, how far they can be trusted, and what
    they mean to change: `--fix` writes them only when every config that reads the file
    changes in exactly that way (see `fix.verify`); a fix that declares no intent is never
    written."""

    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE
    intent: tuple[Intent, ...] = ()


class Finding(NamedTuple):
    """What a check found, at a file, line and column. (A tuple, as `Span` is: one is made
    for every problem of every config; `_replace` makes a changed copy.)"""

    rule: str
    severity: Severity
    message: str
    span: Span
    key: str = ""
    hint: str = ""
    # What fixes it (a rule's `fix`, see `rules/`): None when it has no fix, or when the run
    # did not ask for fixes.
    fix: Fix | None = None

    # Sent by a worker process (see `pool`): the texts come back interned, so that the notes
    # many configs share (an unset variable, a key no version reads) are held once.
    def __reduce__(self) -> tuple[Any, ...]:
        return (_interned, tuple(self))

    @property
    def fixes(self) -> tuple[Edit, ...]:
        """The edits of its safe fix (what `--fix` applies and reports carry); empty when it
        has none."""
        fix = self.fix
        return fix.edits if fix is not None and fix.applicability is Applicability.SAFE else ()

    @property
    def file(self) -> str:
        return self.span.file

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "key": self.key,
            "hint": self.hint,
            "fixes": [e.report() for e in self.fixes],
        }

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.rule)

    def ident(self) -> tuple[str, int, int, str, str]:
        """What makes two findings the same one: a run reports it once (see `check`, and
        `pool`, whose workers leave out one they have sent)."""
        return (self.file, self.line, self.column, self.rule, self.message)


class Report(NamedTuple):
    """What a rule says, before the runner stamps it with the rule's id and severity.

    `severity` is set only where one case of a rule is weaker than the rule's declared
    severity (a warning beside the rule's errors). `data` is what the rule's own `fix` needs
    to know about this report (which case it is, a key the check found); the runner only
    hands it over. `covers` is a key missing from the config that the report accounts for
    from another place (a misspelt key): the runner keeps one report per missing key (see
    `rules.run`)."""

    message: str
    span: Span
    key: str = ""
    hint: str = ""
    severity: Severity | None = None
    data: Any = None
    covers: str = ""

    def stamp(self, rule: str, severity: Severity, fix: Fix | None = None) -> Finding:
        return Finding(
            rule, self.severity or severity, self.message, self.span, self.key, self.hint, fix
        )


def _interned(
    rule: str,
    severity: Severity,
    message: str,
    span: Span,
    key: str,
    hint: str,
    fix: Fix | None,
) -> Finding:
    """A finding unpickled, its texts interned (see `Finding.__reduce__`)."""
    intern = sys.intern
    return Finding(intern(rule), severity, intern(message), span, intern(key), intern(hint), fix)
