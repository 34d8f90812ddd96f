"""Text for a terminal: `file:line:col: severity [rule] message`, the source line with a marker
under the offending column, and a hint. Colour (through rich) only when asked for."""

from __future__ import annotations

import io
from typing import TextIO

from ..finding import Finding, Severity
from ..output import display_path
from ..output import printable as _printable
from . import Run

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _relative(file: str) -> str:
    return display_path(file)


def _block(f: Finding, run: Run) -> list[tuple[str, str]]:
    """Lines of one finding, each with a rich style ("" for none)."""
    head = f"{_relative(f.file)}:{f.line}:{f.column}: {f.severity.value} [{f.rule}] {f.message}"
    if f.fixes:
        head += " (fixable)"
    lines = [(_printable(head), _STYLE[f.severity])]
    source = run.source_line(f.file, f.line)
    if source is not None and not run.quiet:
        source = _printable(source.expandtabs(1))
        if len(source) > 160:
            source = source[:157] + "..."
        number = f"{f.line:>5} | "
        lines.append((number + source, "dim"))
        lines.append((" " * (len(number) + f.column - 1) + "^", _STYLE[f.severity]))
    if f.hint and not run.quiet:
        lines.append((_printable(f"      hint: {f.hint}"), "green"))
    return lines


def _summary(run: Run) -> str:
    s = run.summary()
    files = f"{s['files']} file{'s' if s['files'] != 1 else ''}"
    versions = run.versions_line()
    head = f"{versions}\n" if versions else ""
    if not run.findings:
        return f"{head}All checks passed ({files})."
    fixable = sum(1 for f in run.findings if f.fixes)
    tail = f"\n{fixable} fixable with `nexrl-cfg check --fix`." if fixable else ""
    return (
        head
        + (
            f"Found {s['errors']} error{'s' if s['errors'] != 1 else ''}, "
            f"{s['warnings']} warning{'s' if s['warnings'] != 1 else ''}, "
            f"{s['infos']} note{'s' if s['infos'] != 1 else ''} in {files}."
        )
        + tail
    )


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
    for f in run.findings:
        out.write("\n".join(line for line, _ in _block(f, run)))
        out.write("\n\n")
    out.write(_summary(run) + "\n")


def _write_rich(run: Run, out: TextIO) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(
        file=out,
        force_terminal=True,
        color_system="standard",
        width=200,
        highlight=False,
        soft_wrap=True,
    )
    for f in run.findings:
        for line, style in _block(f, run):
            console.print(Text(line, style=style))
        console.print()
    console.print(Text(_summary(run), style="bold"))
