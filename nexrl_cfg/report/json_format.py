"""One JSON document: {"findings": [...], "summary": {...}}; notes unless --quiet."""

from __future__ import annotations

from ..output import dumps
from .run import Run

DESCRIPTION = "one document, for scripts"
FIXES = True
STREAMS = False


def render(run: Run) -> str:
    findings = run.shown(notes=True)
    document = {
        "findings": [f.as_dict() for f in findings],
        "summary": {**run.summary(findings), "nexrl_versions": run.versions()},
    }
    return dumps(document)


def statistics(run: Run) -> str:
    """A count per rule, most frequent first: [{"code": rule, "count": n}, ...]."""
    return dumps([{"code": rule, "count": n} for rule, n in run.statistics()])
