"""What every stage produces: findings, each at a file, line and column."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, NamedTuple


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Span(NamedTuple):
    """A 1-based position in a source file. (A tuple: one is made for every key and value.)"""

    file: str
    line: int = 1
    column: int = 1


class Edit(NamedTuple):
    """A replacement of the text from (line, column) up to (end_line, end_column), 1-based and
    the end excluded, by `text`: one step of a fix."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    text: str


class Applicability(str, Enum):
    """How far a fix can be trusted, as in ruff."""

    # One right answer, meaning kept: `--fix` applies it, reports carry it.
    SAFE = "safe"
    # May change what the config means: offered (an editor's code action), never applied by
    # `--fix`.
    UNSAFE = "unsafe"
    # Shown to explain the finding, never applied.
    DISPLAY_ONLY = "display-only"


@dataclass(frozen=True, slots=True)
class Fix:
    """The edits that fix one finding, made together, and how far they can be trusted."""

    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    span: Span
    key: str = ""
    hint: str = ""
    # What fixes it (a rule's `fix`, see `rules/`): None when it has no fix, or when the run
    # did not ask for fixes.
    fix: Fix | None = None

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
            "fixes": [e._asdict() for e in self.fixes],
        }

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.rule)


@dataclass(frozen=True, slots=True)
class Report:
    """What a rule says, before the runner stamps it with the rule's id and severity.

    `severity` is set only where one case of a rule is weaker than the rule's declared
    severity (a warning beside the rule's errors). `data` is what the rule's own `fix` needs
    to know about this report (which case it is, a key the check found); the runner only
    hands it over."""

    message: str
    span: Span
    key: str = ""
    hint: str = ""
    severity: Severity | None = None
    data: Any = None

    def stamp(self, rule: str, severity: Severity, fix: Fix | None = None) -> Finding:
        return Finding(
            rule, self.severity or severity, self.message, self.span, self.key, self.hint, fix
        )
