"""Text for a terminal: `file:line:col: severity [rule] message`, the source line with a marker
under the offending column, and a hint. Colour (through rich) only when asked for."""

from __future__ import annotations

import os
import re

from ..finding import Finding, Severity
from . import Run

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
# Control characters (a config value may hold terminal escape sequences) and bidirectional
# overrides, which would let a config rewrite what the terminal shows.
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _printable(text: str) -> str:
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _relative(file: str) -> str:
    try:
        rel = os.path.relpath(file)
    except ValueError:
        return file
    return file if rel.startswith("../..") else rel


def _block(f: Finding, run: Run) -> list[tuple[str, str]]:
    """Lines of one finding, each with a rich style ("" for none)."""
    head = f"{_relative(f.file)}:{f.line}:{f.column}: {f.severity.value} [{f.rule}] {f.message}"
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
    if not run.findings:
        return f"All checks passed ({files})."
    return (
        f"Found {s['errors']} error{'s' if s['errors'] != 1 else ''}, "
        f"{s['warnings']} warning{'s' if s['warnings'] != 1 else ''}, "
        f"{s['infos']} note{'s' if s['infos'] != 1 else ''} in {files}."
    )


def render(run: Run) -> str:
    blocks = [_block(f, run) for f in run.findings]
    if not run.color:
        text = "\n\n".join("\n".join(line for line, _ in b) for b in blocks)
        return (text + "\n\n" if text else "") + _summary(run)
    return _render_rich(blocks, _summary(run))


def _render_rich(blocks: list[list[tuple[str, str]]], summary: str) -> str:
    from rich.console import Console
    from rich.text import Text

    console = Console(
        force_terminal=True, color_system="standard", width=200, highlight=False, soft_wrap=True
    )
    with console.capture() as capture:
        for block in blocks:
            for line, style in block:
                console.print(Text(line, style=style))
            console.print()
        console.print(Text(summary, style="bold"))
    return capture.get().rstrip("\n")
