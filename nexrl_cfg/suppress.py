"""Suppression comments in the YAML itself.

    key: value  # nexrl-cfg: ignore[RULE,RULE2]   findings of these rules on this line
    key: value  # nexrl-cfg: ignore               every finding on this line
    # nexrl-cfg: ignore-file[RULE]                findings of RULE anywhere in this file
    # nexrl-cfg: ignore-file                      every finding in this file

A suppression applies to findings located in its own file. One that suppresses nothing is
reported (as `unused-suppression`) for the file being checked, whose findings, through every
config that includes it, are all known at that point.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from .finding import Finding, Severity, Span

RULE = "unused-suppression"
_MARK = "nexrl-cfg:"
# A YAML comment starts with `#` at the start of a line or after whitespace. (Patterns are
# compiled on first use, by `re`'s cache: most runs meet no suppression at all.)
_COMMENT = r"(?:^|(?<=\s))#\s*nexrl-cfg:(?P<rest>.*)$"
_DIRECTIVE = r"\s*(?P<kind>ignore-file|ignore)(?![\w-])(?:\[(?P<ids>[^\]]*)\])?"

LinesOf = Callable[[str], list[str] | None]


class Directive:
    """One suppression comment. `rules` None: every rule."""

    __slots__ = ("problem", "rules", "span", "used", "whole_file")

    def __init__(
        self, span: Span, whole_file: bool, rules: frozenset[str] | None, problem: str = ""
    ) -> None:
        self.span = span
        self.whole_file = whole_file
        self.rules = rules
        self.problem = problem
        self.used: set[str] = set()

    def covers(self, finding: Finding) -> bool:
        if finding.rule == RULE:
            return False
        if not self.whole_file and finding.line != self.span.line:
            return False
        return self.rules is None or finding.rule in self.rules


def parse(lines: list[str], file: str) -> list[Directive]:
    found = []
    for number, line in enumerate(lines, 1):
        if _MARK not in line:
            continue
        comment = re.search(_COMMENT, line)
        if comment is None:
            continue
        span = Span(file, number, comment.start() + 1)
        match = re.match(_DIRECTIVE, comment.group("rest"))
        if match is None:
            found.append(Directive(span, False, frozenset(), problem="not understood"))
            continue
        ids = match.group("ids")
        rules = None if ids is None else frozenset(p.strip() for p in ids.split(",") if p.strip())
        problem = "names no rule" if rules == frozenset() else ""
        found.append(Directive(span, match.group("kind") == "ignore-file", rules, problem=problem))
    return found


class Suppressor:
    """Applies the suppression comments of every file a run has read, parsing each once."""

    def __init__(self, lines_of: LinesOf, known_rules: Callable[[], Iterable[str]]) -> None:
        self._lines_of = lines_of
        self._known_rules = known_rules
        self._keys: dict[str, Path] = {}
        self._parsed: dict[Path, list[Directive]] = {}

    def _key(self, file: str) -> Path:
        """One key per file, however its path is spelt."""
        key = self._keys.get(file)
        if key is None:
            key = self._keys[file] = Path(file).resolve()
        return key

    def directives(self, file: str) -> list[Directive]:
        key = self._key(file)
        if key not in self._parsed:
            lines = self._lines_of(file)
            self._parsed[key] = parse(lines, file) if lines else []
        # Fresh copies: whether a directive is used is a question about one result.
        return [
            Directive(d.span, d.whole_file, d.rules, problem=d.problem) for d in self._parsed[key]
        ]

    def apply(self, findings: list[Finding], checked: str) -> list[Finding]:
        """The findings no comment suppresses, and a note for each unused comment of
        `checked`."""
        by_key: dict[Path, list[Directive]] = {}
        for name in {f.file for f in findings} | {checked}:
            key = self._key(name)
            if key not in by_key:
                by_key[key] = self.directives(name)
        if not any(by_key.values()):
            return findings
        kept = [f for f in findings if not _suppressed(f, by_key[self._key(f.file)])]
        return kept + self._unused(by_key[self._key(checked)])

    def _unused(self, directives: list[Directive]) -> list[Finding]:
        known = set(self._known_rules())
        notes = []
        for d in directives:
            message = _unused_message(d, known)
            if message:
                notes.append(Finding(RULE, Severity.INFO, message, d.span, hint=_HINT))
        return notes


_HINT = "Remove the comment, or name the rule that fires on this line (`nexrl-cfg explain --list`)."


def _suppressed(finding: Finding, directives: list[Directive]) -> bool:
    hit = False
    for d in directives:
        if d.covers(finding):
            d.used.add(finding.rule)
            hit = True
    return hit


def _unused_message(d: Directive, known: set[str]) -> str:
    if d.problem:
        return f"suppression comment {d.problem}: write `ignore[RULE]` or `ignore-file[RULE]`"
    where = "in this file" if d.whole_file else "on this line"
    if d.rules is None:
        return "" if d.used else f"unused suppression: no finding {where}"
    unknown = sorted(d.rules - known)
    if unknown:
        return f"suppression names unknown rule {', '.join(unknown)}"
    unused = sorted(d.rules - d.used)
    if unused:
        return f"unused suppression: no {', '.join(unused)} finding {where}"
    return ""
