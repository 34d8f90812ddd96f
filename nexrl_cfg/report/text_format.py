"""Text for a terminal, quiet by default: the errors, then the warnings, each
`file:line:col: severity [rule]`, the message on the lines below it, the source line with a
marker under the offending column, and a hint; every line fits the width (100 columns),
wrapped between words. Colour (through rich) only when asked for. The summary counts the
findings (errors first) and the files checked and skipped, sums up the notes in one line
(`--show-notes` lists them after the warnings), and points at `nexrl-cfg explain`."""

from __future__ import annotations

import io
import re
import textwrap
from collections import Counter
from collections.abc import Iterator
from typing import TextIO

from ..finding import COMMAND_LINE, Finding, Severity
from ..output import display_path
from ..output import printable as _printable
from .run import Run

DESCRIPTION = "for a terminal"
FIXES = False
STREAMS = True

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_UNSET = re.compile(r"^environment variable (\S+) is not set")
_INDENT = "  "


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    """`text` in lines of at most `width` columns, broken between words only."""
    if text and len(first) + len(text) <= width and "\t" not in text and not text[-1].isspace():
        return [first + text]  # what textwrap gives a line that fits, without its cost
    if _SIMPLE_TEXT.fullmatch(text):
        return _fill(text.split(" "), max(width, len(first) + 20), first, rest)
    return _textwrap(text, width, first, rest)


def _textwrap(text: str, width: int, first: str, rest: str) -> list[str]:
    """`_wrap` by textwrap itself, for any text."""
    return textwrap.wrap(
        text,
        width=max(width, len(first) + 20),
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first.rstrip()]


# Words with one space between them, nothing else that is blank: most messages and hints.
_SIMPLE_TEXT = re.compile(r"[^\s]+(?: [^\s]+)*")


def _fill(words: list[str], width: int, first: str, rest: str) -> list[str]:
    """What `textwrap.wrap` gives words with one space between them (`break_long_words`
    off): as many words on a line as fit, a longer word on a line of its own; without the
    cost of its general splitting."""
    lines: list[str] = []
    indent, room, line = first, width - len(first), ""
    for word in words:
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= room:
            line += " " + word
        else:
            lines.append(indent + line)
            indent, room, line = rest, width - len(rest), word
    lines.append(indent + line)
    return lines


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


def _block(f: Finding, run: Run, where: str) -> list[tuple[str, str]]:
    """Lines of one finding, each with a rich style ("" for none); `where`: its file as
    shown."""
    style = _STYLE[f.severity]
    head = f"{where}:{f.line}:{f.column}: {f.severity.value} [{f.rule}]"
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


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def _blocks(run: Run) -> Iterator[list[tuple[str, str]]]:
    """The lines of each finding listed; each file's name as shown worked out once."""
    shown: dict[str, str] = {}
    for f in _listed(run):
        if f.file not in shown:
            shown[f.file] = display_path(f.file)
        yield _block(f, run, shown[f.file])


def _listed(run: Run) -> list[Finding]:
    """The findings shown one by one, errors first, then warnings (each kind by file and
    line): notes only with --show-notes; otherwise the summary counts them in one line."""
    shown = run.findings if run.show_notes else run.shown()
    return sorted(shown, key=lambda f: _RANK[f.severity])


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


def _notes_line(run: Run) -> list[str]:
    """The notes not listed, in one line: how many, of what kind, the most first (none with
    --quiet)."""
    if run.show_notes or run.quiet:
        return []
    notes = [f for f in run.findings if f.severity is Severity.INFO]
    if not notes:
        return []
    from ..rules import by_id
    from ..rules.env_unset import ID as ENV_UNSET

    known = by_id()
    kinds = Counter(f.rule for f in notes)
    parts = []
    for rule, count in sorted(kinds.items(), key=lambda item: (-item[1], item[0])):
        if rule == ENV_UNSET:
            parts.append(_unset(notes, count))
        elif rule in known:
            parts.append(known[rule].notes(count))
        else:
            parts.append(f"{count} {rule} note{'' if count == 1 else 's'}")
    shown = f"{_plural(len(notes), 'note')} not shown ({'; '.join(parts)})"
    return [f"{shown}; --show-notes lists them."]


def _unset(notes: list[Finding], count: int) -> str:
    """The unset-variable notes in words, with the variables' names (never their values)."""
    names = sorted({m.group(1) for f in notes if (m := _UNSET.match(f.message))})
    variables = _plural(len(names), "unset variable")
    uses = variables if count == len(names) else f"{count} uses of {variables}"
    return f"{uses}: {', '.join(names)}" if names else _plural(count, "unset variable")


def summary_lines(run: Run) -> list[str]:
    # The versions line names where the version came from (a path): escaped, not wrapped.
    versions = [_printable(run.versions_line())] if run.versions_line() else []
    parts = (_printable(part) for part in _summary(run))
    return versions + [line for part in parts for line in _wrap(part, run.width, "", "")]


def _checked(run: Run, count: str) -> str:
    """ "15 checked, 1 skipped": the files checked (`count`, in words), and those skipped."""
    return f"{count} checked, {run.skipped} skipped" if run.skipped else f"{count} checked"


def _summary(run: Run) -> list[str]:
    """The count of the findings listed (errors first), the fixable ones, the notes not
    listed, and where to read more."""
    listed = _listed(run)
    if not listed:
        checked = _checked(run, _plural(run.checked, "file"))
        return [f"All checks passed ({checked}).", *_notes_line(run)]
    # A fragment's findings come through the configs that include it: the files with findings
    # are not always among the files checked.
    files = {f.file for f in listed}
    where = _plural(len(files - {COMMAND_LINE}), "file")
    if COMMAND_LINE in files:
        where = f"{where} and the command line" if len(files) > 1 else "the command line"
    lines = [f"Found {_counts(listed)} in {where} ({_checked(run, str(run.checked))})."]
    fixable = sum(1 for f in listed if f.fixes)
    if fixable:
        lines.append(f"{fixable} fixable with `nexrl-cfg check --fix`.")
    lines += _notes_line(run)
    # The most severe finding's rule (errors sort before warnings, and notes last).
    from ..rules import by_id

    known = by_id()
    explained = [f for f in listed if f.rule in known]  # not internal-error
    if explained:
        first = min(explained, key=lambda f: (_RANK[f.severity], f.rule))
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
    for block in _blocks(run):
        out.write("\n".join(line for line, _ in block))
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
    for block in _blocks(run):
        for line, style in block:
            console.print(Text(line, style=style))
        console.print()
    for line in summary_lines(run):
        console.print(Text(line, style="bold"))


def statistics(run: Run) -> str:
    """A count per rule, most frequent first, as `ruff --statistics` prints it."""
    from ..rules import by_id

    known = by_id()
    rows = run.statistics()
    if not rows:
        return ""
    width = len(str(rows[0][1]))
    name_width = max(len(rule) for rule, _ in rows)
    lines = []
    for rule, count in rows:
        summary = known[rule].summary if rule in known else ""
        lines.append(f"{count:>{width}}  {rule:<{name_width}}  {summary}".rstrip())
    return "\n".join(lines)
