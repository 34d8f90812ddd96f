"""Suppression comments in the YAML itself.

    key: value  # nexrl-cfg: ignore[RULE,RULE2]   findings of these rules on this line
    key: value  # nexrl-cfg: ignore               every finding on this line
    # nexrl-cfg: ignore-file[RULE]                findings of RULE anywhere in this file
    # nexrl-cfg: ignore-file                      every finding in this file

A suppression applies to findings located in its own file. One that suppresses nothing is
reported (as `unused-suppression`) for the file being checked, whose findings, through every
config that includes it, are all known at that point.

Only a real YAML comment suppresses: the YAML scanner tells where the values are, and the text
`# nexrl-cfg: ignore` inside a quoted value or a block scalar (`|`, `>`) is part of the value.
The directive must be well formed: `ignore[` without its `]`, or `ignore [rule]` with a space,
suppresses nothing. Each of these is reported, with the reason, as `unused-suppression`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .files import real_path
from .finding import Finding, Severity, Span
from .rules.unused_suppression import ID as UNUSED_SUPPRESSION

_MARK = "nexrl-cfg:"
# A YAML comment starts with `#` at the start of a line or after whitespace. (Patterns are
# compiled on first use, by `re`'s cache: most runs meet no suppression at all.)
_COMMENT = r"(?:^|(?<=\s))#\s*nexrl-cfg:"
_DIRECTIVE = r"\s*(?P<kind>ignore-file|ignore)(?![\w-])"
_RULES = r"\[(?P<ids>[^\[\]]*)\]"

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
        if finding.rule == UNUSED_SUPPRESSION:
            return False
        if not self.whole_file and finding.line != self.span.line:
            return False
        return self.rules is None or finding.rule in self.rules


def parse(lines: list[str], file: str) -> list[Directive]:
    if _MARK not in "\n".join(lines):  # most files: looked for in one pass
        return []
    found = []
    values: _Values | None = None
    for number, line in enumerate(lines, 1):
        if _MARK not in line:
            continue
        if values is None:
            values = _Values(lines)
        inside, first = "", 0
        for comment in re.finditer(_COMMENT, line):
            where = values.inside(number - 1, comment.start())
            span = Span(file, number, comment.start() + 1)
            if not where:
                found.append(_directive(line[comment.end() :], span))
                break
            inside, first = inside or where, first or span.column
        else:
            if inside:
                span = Span(file, number, first)
                found.append(Directive(span, False, frozenset(), problem=inside))
    return found


def _directive(rest: str, span: Span) -> Directive:
    """The directive of a real comment, with its problem when it is not well formed."""
    match = re.match(_DIRECTIVE, rest)
    if match is None:
        return Directive(span, False, frozenset(), problem="not understood")
    whole_file = match.group("kind") == "ignore-file"
    after = rest[match.end() :]
    if after.lstrip().startswith("[") and not after.startswith("["):
        return Directive(span, whole_file, frozenset(), problem="has a space before '['")
    if not after.startswith("["):
        return Directive(span, whole_file, None)
    listed = re.match(_RULES, after)
    if listed is None:
        return Directive(span, whole_file, frozenset(), problem="has no closing ']'")
    ids = listed.group("ids")
    rules = frozenset(p.strip() for p in ids.split(",") if p.strip())
    return Directive(span, whole_file, rules, problem="names no rule" if not rules else "")


class _Values:
    """Where a file's values are, from the YAML scanner: a `#` inside one starts no comment."""

    def __init__(self, lines: list[str]) -> None:
        import yaml

        try:
            from yaml import CSafeLoader as Loader
        except ImportError:  # pragma: no cover - PyYAML built without libyaml
            from yaml import SafeLoader as Loader  # type: ignore[assignment]

        # (start line, start column, end line, end column, what the value is)
        spans: list[tuple[int, int, int, int, str]] = []
        offset = 0
        for _ in range(100):  # after a syntax error, the scan goes on at the next line
            try:
                for token in yaml.scan("\n".join(lines[offset:]), Loader=Loader):
                    if isinstance(token, yaml.ScalarToken) and token.style:
                        start, end = _at(token.start_mark, offset), _at(token.end_mark, offset)
                        spans.append((*start, *end, token.style))
                break
            except yaml.YAMLError as exc:
                context = str(getattr(exc, "context", ""))
                opened, problem = (
                    getattr(exc, "context_mark", None),
                    getattr(exc, "problem_mark", None),
                )
                if opened is not None and "scalar" in context:
                    # A quoted value or block scalar that never ends: the rest is in it.
                    style = '"' if "quoted" in context else "|"
                    spans.append((*_at(opened, offset), len(lines), 0, style))
                    break
                if problem is None:
                    break
                offset += problem.line + 1
        self.spans = spans
        self.starts = [(s[0], s[1]) for s in spans]

    def inside(self, line: int, column: int) -> str:
        """Why position (line, column), 0-based, is not in a comment; "" when it may be."""
        index = bisect_right(self.starts, (line, column)) - 1
        if index < 0:
            return ""
        first, start, last, end, style = self.spans[index]
        if (first, start) <= (line, column) < (last, end):
            where = "a quoted value" if style in "'\"" else "a block scalar (| or >)"
            return f"is inside {where}, not a comment"
        return ""


def _at(mark: Any, offset: int = 0) -> tuple[int, int]:
    return mark.line + offset, mark.column


class Suppressor:
    """Applies the suppression comments of every file a run has read, parsing each once."""

    def __init__(
        self,
        lines_of: LinesOf,
        known_rules: Callable[[], Iterable[str]],
        real: Callable[[str], Path] | None = None,
    ) -> None:
        """`real` gives a file's real path (the run's reader knows those of the files it
        read); by default each is found here."""
        self._lines_of = lines_of
        self._known_rules = known_rules
        self._keys: dict[str, Path] = {}
        self._folders: dict[str, str] = {}
        self._real = real or (lambda file: real_path(file, self._folders))
        self._parsed: dict[Path, list[Directive]] = {}

    def _key(self, file: str) -> Path:
        """One key per file, however its path is spelt."""
        key = self._keys.get(file)
        if key is None:
            key = self._keys[file] = self._real(file)
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
                notes.append(
                    Finding(UNUSED_SUPPRESSION, Severity.INFO, message, d.span, hint=_HINT)
                )
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
    if d.problem.startswith("is inside"):
        return f"suppression text {d.problem}; it suppresses nothing"
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
