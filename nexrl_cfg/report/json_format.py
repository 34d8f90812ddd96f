"""One JSON document: {"findings": [...], "summary": {...}}."""

from __future__ import annotations

from ..output import dumps
from . import Run


def render(run: Run) -> str:
    document = {
        "findings": [f.as_dict() for f in run.findings],
        "summary": {**run.summary(), "nexrl_versions": run.versions()},
    }
    return dumps(document)
