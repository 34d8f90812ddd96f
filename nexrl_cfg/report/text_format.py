"""Text for a terminal. Each finding: `file:line:col: severity [rule]`, the message on the lines
below it, the source line with a marker under the offending column, and a hint; every line
fits the width (100 columns), wrapped between words. Colour (through rich) only when asked
for. The summary counts the findings and the files, sums up unset variables and skipped files
in a line each, and points at `nexrl-cfg explain`."""

from __future__ import annotations

import io
import re
import textwrap
from collections import Counter
from typing import TextIO

from ..finding import COMMAND_LINE, Finding, Severity
from ..output import display_path
from ..output import printable as _printable
from ..rules.env_unset import ID as ENV_UNSET
from ..rules.not_nexrl import ID as NOT_NEXRL
from .run import Run

DESCRIPTION = "for a terminal"
FIXES = False
STREAMS = True

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
# Notes the summary sums up instead of listing (unless --show-notes).
_SUMMED = (ENV_UNSET, NOT_NEXRL)
_UNSET = re.compile(r"^environment variable (\S+) is not set")
_INDENT = "  "


def _relative(file: str) -> str:
    return display_path(file)


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    """`text` in lines of at most `width` columns, broken between words only."""
    return textwrap.wrap(
        text,
        width=max(width, len(first) + 20),
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def _excerpt(source: str, column: int, room: int) -> tuple[str, int]:
    """The part of a source line that fits in `room` columns around `column` (1-based), and
    the column's offset in it."""
    offset = column - 1
    if len(source) <= room:
        return source, offset
    start = max(0, min(offset - room // 2, len(source) - room + 3))
    start = 0 if start <= 3 else start
    head = "..." if start else ""
    end = start + room - len(head)
    tail = "..." if end < len(source) else ""
    end -= len(tail)
    return head + source[start:end] + tail, offset - start + len(head)


def _block(f: Finding, run: Run) -> list[tuple[str, str]]:
    """Lines of one finding, each with a rich style ("" for none)."""
    style = _STYLE[f.severity]
    head = f"{_relative(f.file)}:{f.line}:{f.column}: {f.severity.value} [{f.rule}]"
    if f.fixes:
        head += " (fixable)"
    lines = [(_printable(head), style)]
    lines += [(line, "") for line in _wrap(_printable(f.message), run.width, _INDENT, _INDENT)]
    source = None if run.quiet else run.source_line(f.file, f.line)
    gutter = " " * len(str(f.line))
    if source is not None:
        number = f"{f.line} | "
        shown, at = _excerpt(_printable(source.expandtabs(1)), f.column, run.width - len(number))
        lines.append((f"{gutter} |", "dim"))
        lines.append((number + shown, "dim"))
        lines.append((f"{gutter} | " + " " * at + "^", style))
    if f.hint:
        first = f"{gutter} = hint: "
        for line in _wrap(_printable(f.hint), run.width, first, " " * len(first)):
            lines.append((line, "green"))
    return lines


def _listed(run: Run) -> list[Finding]:
    """The findings shown one by one: notes sum up in the summary unless asked for."""
    if run.show_notes:
        return run.findings
    if run.quiet:
        return [f for f in run.findings if f.severity is not Severity.INFO]
    return [f for f in run.findings if f.severity is not Severity.INFO or f.rule not in _SUMMED]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _counts(listed: list[Finding]) -> str:
    by = Counter(f.severity for f in listed)
    parts = [
        _plural(by[severity], word)
        for severity, word in (
            (Severity.ERROR, "error"),
            (Severity.WARNING, "warning"),
            (Severity.INFO, "note"),
        )
        if by[severity]
    ]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _summed_up(run: Run) -> list[str]:
    """A line for the unset variables and one for the skipped files, when not listed."""
    if run.show_notes:
        return []
    notes = [f for f in run.findings if f.severity is Severity.INFO]
    names = sorted({m.group(1) for f in notes if (m := _UNSET.match(f.message))})
    lines = []
    if names:
        lines.append(
            f"{_plural(len(names), 'variable')} not set: {', '.join(names)}; checks that need "
            "them were skipped; --require-env makes this an error."
        )
    skipped = sum(1 for f in notes if f.rule == NOT_NEXRL)
    if skipped and not run.quiet:
        lines.append(
            f"{_plural(skipped, 'YAML file')} skipped: not NexRL configs (--show-notes lists them)."
        )
    return lines


def summary_lines(run: Run) -> list[str]:
    # The versions line names where the version came from (a path): escaped, not wrapped.
    versions = [_printable(run.versions_line())] if run.versions_line() else []
    parts = (_printable(part) for part in _summary(run))
    return versions + [line for part in parts for line in _wrap(part, run.width, "", "")]


def _summary(run: Run) -> list[str]:
    listed = _listed(run)
    lines = _summed_up(run)
    if not listed:
        lines.append(f"All checks passed ({_plural(run.files, 'file')}).")
        return lines
    # A fragment's findings come through the configs that include it: the files with findings
    # are not always among the files checked.
    files = {f.file for f in listed}
    where = _plural(len(files - {COMMAND_LINE}), "file")
    if COMMAND_LINE in files:
        where = f"{where} and the command line" if len(files) > 1 else "the command line"
    lines.append(f"Found {_counts(listed)} in {where} ({run.files} checked).")
    fixable = sum(1 for f in listed if f.fixes)
    if fixable:
        lines.append(f"{fixable} fixable with `nexrl-cfg check --fix`.")
    # The most severe finding's rule (errors sort before warnings, and notes last).
    from ..rules import by_id

    rank = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    explained = [f for f in listed if f.rule in by_id()]  # not internal-error
    if explained:
        first = min(explained, key=lambda f: (rank[f.severity], f.rule))
        from ..about import rule_url

        lines.append(
            f"For more on a rule: nexrl-cfg explain {first.rule} or {rule_url(first.rule)}"
        )
    return lines


def render(run: Run) -> str:
    out = io.StringIO()
    write(run, out)
    return out.getvalue().rstrip("\n")


def write(run: Run, out: TextIO) -> None:
    """Write the report a finding at a time: a run over thousands of files never holds its
    whole text."""
    if run.color:
        _write_rich(run, out)
        return
    for f in _listed(run):
        out.write("\n".join(line for line, _ in _block(f, run)))
        out.write("\n\n")
    out.write("\n".join(summary_lines(run)) + "\n")


def _write_rich(run: Run, out: TextIO) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(
        file=out,
        force_terminal=True,
        color_system="standard",
        width=max(run.width, 200),
        highlight=False,
        soft_wrap=True,
    )
    for f in _listed(run):
        for line, style in _block(f, run):
            console.print(Text(line, style=style))
        console.print()
    for line in summary_lines(run):
        console.print(Text(line, style="bold"))


def statistics(run: Run) -> str:
    """A count per rule, most frequent first, as `ruff --statistics` prints it."""
    from ..rules import by_id

    known = by_id()
    counts = Counter(f.rule for f in _listed(run))
    if not counts:
        return ""
    width = len(str(max(counts.values())))
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    name_width = max(len(rule) for rule in counts)
    lines = []
    for rule, count in rows:
        summary = known[rule].summary if rule in known else ""
        lines.append(f"{count:>{width}}  {rule:<{name_width}}  {summary}".rstrip())
    return "\n".join(lines)
