"""One JSON document: {"findings": [...], "summary": {...}}; notes unless --quiet."""

from __future__ import annotations

from collections import Counter

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
    counts = Counter(f.rule for f in run.shown(notes=True))
    return dumps([{"code": rule, "count": n} for rule, n in counts.most_common()])
