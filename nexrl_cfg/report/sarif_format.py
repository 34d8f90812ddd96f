"""SARIF 2.1.0, as GitHub code scanning reads it: one run, the rules that fired described in
`tool.driver.rules`, and each finding a result at a file (relative to the working folder, the
checkout in a workflow), line and column (and end column where the source line tells it).
Errors and warnings only; notes with --show-notes. `invocations` gives the exit status and,
when the check could not run, why."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..finding import COMMAND_LINE, Finding, Severity, Span
from ..output import dumps, working_folder
from .github_format import end_column
from .run import Run

DESCRIPTION = "SARIF 2.1.0, for GitHub code scanning"
FIXES = True
STREAMS = False
# A log whose invocation says why the check could not run, so that an upload step has a file.
FAILURE_REPORT = True

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(run: Run) -> str:
    return dumps(document(run))


def document(run: Run) -> dict[str, Any]:
    from ..about import HOMEPAGE, NAME, VERSION
    from ..rules import by_id

    known = by_id()
    shown = run.shown()
    fired = sorted({f.rule for f in shown})
    index = {rule: i for i, rule in enumerate(fired)}
    driver: dict[str, Any] = {
        "name": NAME,
        "version": VERSION,
        "informationUri": HOMEPAGE,
        "rules": [_descriptor(rule, known.get(rule)) for rule in fired],
    }
    folder = working_folder()
    cwd = Path(folder) if folder is not None else None
    results = [
        _result(_placed(f, run.launched), index[f.rule], cwd, run.source_line(f.file, f.line))
        for f in shown
    ]
    bases = {SRCROOT: {"uri": _file_uri(cwd).rstrip("/") + "/"}} if cwd is not None else {}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "originalUriBaseIds": bases,
                "columnKind": "unicodeCodePoints",
                "invocations": [_invocation(run)],
                "results": results,
                "properties": {"nexrlVersions": run.versions()},
            }
        ],
    }


def _descriptor(rule_id: str, rule: Any) -> dict[str, Any]:
    from ..about import rule_url

    if rule is None:  # a finding of a rule that is not registered: still describe it
        return {"id": rule_id, "shortDescription": {"text": rule_id}}
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _what_it_does(rule.doc) or rule.summary},
        "helpUri": rule_url(rule.id),
        "help": {"text": rule.doc, "markdown": rule.doc},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"tags": ["nexrl", rule.stage]},
    }


def _what_it_does(doc: str) -> str:
    """The paragraph under a rule's `## What it does` heading, on one line."""
    _, found, rest = doc.partition("## What it does")
    if not found:
        return ""
    return " ".join(rest.split("\n##", 1)[0].split())


def _invocation(run: Run) -> dict[str, Any]:
    code = run.exit_code
    out: dict[str, Any] = {"executionSuccessful": code in (0, 1), "exitCode": code}
    if run.reason:
        out["exitCodeDescription"] = run.reason
        out["toolExecutionNotifications"] = [{"level": "error", "message": {"text": run.reason}}]
    return out


def _result(f: Finding, rule_index: int, cwd: Path | None, source: str | None) -> dict[str, Any]:
    text = f"{f.message}\n{f.hint}" if f.hint else f.message
    region = {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)}
    end = end_column(source, f.column)
    if end is not None:
        region["endLine"], region["endColumn"] = region["startLine"], end
    result = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": LEVEL[f.severity],
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact(f.file, cwd),
                    "region": region,
                }
            }
        ],
    }
    if f.fixes:
        result["fixes"] = [_fix(f, cwd)]
    return result


def _placed(f: Finding, launched: str | None) -> Finding:
    """A finding about the command line, placed at the start of the launched config (code
    scanning shows a result in a file), its message saying where on the command line."""
    if f.file != COMMAND_LINE or launched is None:
        return f
    message = f"command line, column {f.column}: {f.message}"
    return f._replace(message=message, span=Span(launched, 1, 1))


def _fix(f: Finding, cwd: Path | None) -> dict[str, Any]:
    """A SARIF fix: the finding's edits, as replacements grouped by file."""
    changes: dict[str, list[dict[str, Any]]] = {}
    for edit in f.fixes:
        changes.setdefault(edit.file, []).append(
            {
                "deletedRegion": {
                    "startLine": edit.line,
                    "startColumn": edit.column,
                    "endLine": edit.end_line,
                    "endColumn": edit.end_column,
                },
                "insertedContent": {"text": edit.text},
            }
        )
    return {
        "description": {"text": f.hint or "Apply the fix (nexrl-cfg check --fix)."},
        "artifactChanges": [
            {"artifactLocation": _artifact(file, cwd), "replacements": replacements}
            for file, replacements in changes.items()
        ],
    }


def _artifact(file: str, cwd: Path | None) -> dict[str, str]:
    """A uri relative to the working folder, or an absolute file uri for a file outside it.
    The bytes of the name are percent-encoded, so a name that is not UTF-8 is still a uri."""
    if cwd is None:  # the working folder is gone: names are absolute, or left as given
        if os.path.isabs(file):
            return {"uri": _file_uri(Path(file))}
        return {"uri": quote(os.fsencode(Path(file).as_posix()))}
    path = Path(os.path.normpath(os.path.join(cwd, file)))
    try:
        rel = path.relative_to(cwd)
    except ValueError:
        return {"uri": _file_uri(path)}
    return {"uri": quote(os.fsencode(rel.as_posix())), "uriBaseId": SRCROOT}


def _file_uri(path: Path) -> str:
    """`path.as_uri()` for an absolute path, byte by byte."""
    return "file://" + quote(os.fsencode(path.as_posix()))
