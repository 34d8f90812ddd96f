"""GitHub Actions workflow commands, one per finding, which the runner turns into annotations
on the pull request: `::error file=F,line=L,col=C,title=RULE::message`."""

from __future__ import annotations

import os

from ..finding import Finding, Severity
from ..output import printable
from . import Run

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


def command(f: Finding) -> str:
    props = {
        "file": relative(f.file),
        "line": str(f.line),
        "col": str(f.column),
        "title": f.rule,
    }
    head = ",".join(f"{key}={escape_property(printable(value))}" for key, value in props.items())
    message = f"{_words(f.message)}%0A{_words(f.hint)}" if f.hint else _words(f.message)
    return f"::{_COMMAND[f.severity]} {head}::{message}"


def render(run: Run) -> str:
    return "\n".join(command(f) for f in run.findings)
