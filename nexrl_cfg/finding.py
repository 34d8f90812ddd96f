"""What every stage produces: findings, each at a file, line and column."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple


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


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    span: Span
    key: str = ""
    hint: str = ""
    # Edits that fix it (see `fix/`); empty when it has no safe fix.
    fixes: tuple[Edit, ...] = ()

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
    severity (a warning beside the rule's errors)."""

    message: str
    span: Span
    key: str = ""
    hint: str = ""
    severity: Severity | None = None

    def stamp(self, rule: str, severity: Severity) -> Finding:
        return Finding(
            rule, self.severity or severity, self.message, self.span, self.key, self.hint
        )
