"""GitHub Actions workflow commands, one per finding, which the runner turns into annotations
on the pull request: `::error file=F,line=L,col=C,endColumn=E,title=nexrl-cfg (RULE)::message`.
Errors and warnings only; notes with --show-notes."""

from __future__ import annotations

import os
import re

from ..finding import COMMAND_LINE, Finding, Severity
from ..output import REDACTED, printable
from .run import Run

DESCRIPTION = "annotations on a pull request, from a GitHub workflow"
FIXES = False
STREAMS = False

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _words(text: str) -> str:
    """Text of a command: escaped for a terminal (a workflow log is one), then for GitHub."""
    return escape_data(printable(text))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def relative(file: str) -> str:
    """The path from the working folder (the checkout, in a workflow), with forward slashes."""
    try:
        rel = os.path.relpath(file)
    except (OSError, ValueError):  # another drive, or the working folder is gone
        return file.replace(os.sep, "/")
    return rel.replace(os.sep, "/")


_FLOW_END = re.compile(r"[,\]}]")


def end_column(source: str | None, column: int) -> int | None:
    """The 1-based column just after the key or value that starts at `column` of a source
    line, or None when it cannot be told."""
    if source is None or REDACTED in source or not 0 < column <= len(source):
        return None
    rest = source[column - 1 :]
    if rest[0] in "\"'":
        close = rest.find(rest[0], 1)
        return None if close < 0 else column + close + 1
    token = re.split(r":(?:\s|$)|\s#", rest, maxsplit=1)[0]
    if "[" in source[: column - 1] or "{" in source[: column - 1]:
        token = _FLOW_END.split(token, maxsplit=1)[0]
    token = token.rstrip()
    return column + len(token) if token else None


def command(f: Finding, source: str | None = None) -> str:
    props = {"file": relative(f.file), "line": str(f.line), "col": str(f.column)}
    end = end_column(source, f.column)
    if end is not None and end > f.column + 1:
        props["endLine"] = str(f.line)
        props["endColumn"] = str(end - 1)  # the last column of the region
    words = f.message
    if f.file == COMMAND_LINE:  # no file to annotate: an annotation of the run, which says where
        props = {}
        words = f"command line, column {f.column}: {f.message}"
    props["title"] = f"nexrl-cfg ({f.rule})"
    head = ",".join(f"{key}={escape_property(printable(value))}" for key, value in props.items())
    message = f"{_words(words)}%0A{_words(f.hint)}" if f.hint else _words(words)
    return f"::{_COMMAND[f.severity]} {head}::{message}"


def render(run: Run) -> str:
    return "\n".join(command(f, run.source_line(f.file, f.line)) for f in run.shown())
