"""SARIF 2.1.0, as GitHub code scanning reads it: one run, the rules that fired described in
`tool.driver.rules`, and each finding a result at a file (relative to the working folder, the
checkout in a workflow), line and column."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..finding import Finding, Severity
from ..output import dumps, working_folder
from . import Run

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(run: Run) -> str:
    return dumps(document(run))


def document(run: Run) -> dict[str, Any]:
    from .. import __version__
    from ..rules import by_id

    known = by_id()
    fired = sorted({f.rule for f in run.findings})
    index = {rule: i for i, rule in enumerate(fired)}
    driver: dict[str, Any] = {"name": "nexrl-cfg", "version": __version__}
    homepage = _homepage()
    if homepage:
        driver["informationUri"] = homepage
    driver["rules"] = [_descriptor(rule, known.get(rule)) for rule in fired]
    folder = working_folder()
    cwd = Path(folder) if folder is not None else None
    bases = {SRCROOT: {"uri": _file_uri(cwd).rstrip("/") + "/"}} if cwd is not None else {}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "originalUriBaseIds": bases,
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, index[f.rule], cwd) for f in run.findings],
                "properties": {"nexrlVersions": run.versions()},
            }
        ],
    }


def _descriptor(rule_id: str, rule: Any) -> dict[str, Any]:
    if rule is None:  # a finding of a rule that is not registered: still describe it
        return {"id": rule_id, "shortDescription": {"text": rule_id}}
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _what_it_does(rule.doc) or rule.summary},
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


def _result(f: Finding, rule_index: int, cwd: Path | None) -> dict[str, Any]:
    text = f"{f.message}\n{f.hint}" if f.hint else f.message
    result = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": LEVEL[f.severity],
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact(f.file, cwd),
                    "region": {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)},
                }
            }
        ],
    }
    if f.fixes:
        result["fixes"] = [_fix(f, cwd)]
    return result


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


def _homepage() -> str:
    """The project's home page, when the installed package names one."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        meta = metadata("nexrl-cfg")
    except PackageNotFoundError:
        return ""
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("homepage", "home", "repository", "source"):
            return url.strip()
    pages = meta.get_all("Home-page") or []
    return pages[0] if pages else ""
