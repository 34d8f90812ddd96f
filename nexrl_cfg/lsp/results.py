"""What a check of the open configs leaves for the editor: the diagnostics of each file, and
where each key of each composed config is written (hover, go to definition).

Built off the event loop, right after the check (`collect`): everything here is plain data
the server's handlers read without touching the checker again, except the code actions,
which verify fixes with the run's own checker (see `app.verified_fixes`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types

from .. import app
from ..about import NAME, rule_url
from ..finding import Finding, Severity, Span
from ..read import dotted
from ..rules.env_unset import ID as ENV_UNSET
from ..rules.not_nexrl import ID as NOT_NEXRL
from .text import Text

SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
# Notes that say a check was skipped for want of a variable: an editor shows them faintly.
HINTS = frozenset({ENV_UNSET})
# Findings that say nothing about a file an editor opened: another tool's YAML.
SILENT = frozenset({NOT_NEXRL})


def real(path: str | Path) -> Path:
    return Path(os.path.realpath(path))


@dataclass
class Root:
    """One config checked in a round (an open config, or a config that includes an open
    file): its findings turned into diagnostics, by the real path of the file they are in,
    and what its composition tells."""

    path: Path
    round: Round
    sources: frozenset[Path]
    diagnostics: dict[Path, list[types.Diagnostic]] = field(default_factory=dict)
    # Where each key of the composed config is written: dotted path -> span of its key.
    written: dict[str, Span] = field(default_factory=dict)
    # (real file, line, column) of a key as written -> its dotted path in the composed config.
    keys: dict[tuple[Path, int, int], str] = field(default_factory=dict)
    # (real file, line) of a defaults entry -> the files it loads.
    includes: dict[tuple[Path, int], list[str]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Round:
    """One check of the open configs: the run (for the code actions), and the texts it read
    for each file, by real path (a result holds while a file still has that text)."""

    check: app.BufferCheck
    texts: dict[Path, str]
    uris: dict[Path, str]
    encoding: str = "utf-16"
    roots: dict[Path, Root] = field(default_factory=dict)
    # The open files asked for -> the real paths of the configs they were checked through.
    asked: dict[Path, list[Path]] = field(default_factory=dict)
    problem: str = ""

    # Each finding's fix tried through the net: id(finding) -> accepted.
    verified: dict[int, bool] = field(default_factory=dict)

    def text(self, path: Path) -> str | None:
        return self.texts.get(path)

    def verify(self, findings: list[Finding]) -> set[int]:
        """The ids of those `findings` whose fix the net accepts (each tried once a round)."""
        todo = [f for f in findings if id(f) not in self.verified]
        if todo:
            accepted = {id(f) for f in app.verified_fixes(self.check, todo)}
            for f in todo:
                self.verified[id(f)] = id(f) in accepted
        return {id(f) for f in findings if self.verified[id(f)]}


def collect(
    paths: list[Path],
    buffers: dict[Path, str],
    uris: dict[Path, str],
    cwd: Path | None,
    encoding: str,
    cancelled: Callable[[], bool],
) -> Round | None:
    """Check the open files `paths` (their texts in `buffers`, by path as named) and build
    what the editor reads from it; None when `cancelled` stopped it."""
    check = app.check_buffers(paths, buffers, cwd, cancelled)
    if cancelled():
        return None
    texts = {real(path): text for path, text in buffers.items()}
    uris_by_real = {real(p): uri for p, uri in uris.items()}
    result = Round(check, texts, uris_by_real, encoding, problem=check.problem)
    for path, roots in check.roots.items():
        result.asked[real(path)] = [real(root) for root in roots]
    for path, findings in check.findings.items():
        result.roots[real(path)] = _root(result, path, findings, encoding)
    return result


def _root(run: Round, path: Path, findings: list[Finding], encoding: str) -> Root:
    checker = run.check.checker
    here = real(path)
    checked = checker.configs.get(checker.reader.real(path))
    sources = frozenset(real(s) for s in checked.sources) if checked else frozenset({here})
    root = Root(here, run, sources | {here}, findings=findings)
    try:
        composed = checker.compose(path) if checked is not None else None
    except Exception:  # what cannot be composed has no keys to show
        composed = None
    if composed is not None:
        for key_path, (key, _) in composed.origins.items():
            if key is None:
                continue
            name = dotted(key_path)
            root.written.setdefault(name, key)
            root.keys.setdefault((real(key.file), key.line, key.column), name)
        for span, files in composed.includes.items():
            root.includes[(real(span.file), span.line)] = files
    texts: dict[Path, Text | None] = {}
    for finding in findings:
        if finding.rule in SILENT:
            continue
        file = real(finding.file)
        if file not in texts:
            texts[file] = _text(run, checker, finding.file, encoding)
        text = texts[file]
        if text is None:
            continue
        diagnostic = diagnostic_of(finding, text)
        if file != here:
            diagnostic.related_information = [_through(root, run)]
        root.diagnostics.setdefault(file, []).append(diagnostic)
    summary = _included(root, run, findings, texts, encoding)
    if summary:
        root.diagnostics.setdefault(here, []).extend(summary)
    return root


def _text(run: Round, checker: object, file: str, encoding: str) -> Text | None:
    """The text a file was checked in: the editor's buffer, else what the run read."""
    own = run.texts.get(real(file))
    if own is not None:
        return Text(own, encoding)
    doc = run.check.checker.reader.cached(file)
    if doc is None:
        try:
            doc = run.check.checker.reader.read(Path(file))
        except OSError:
            return None
    run.texts.setdefault(real(file), doc.text)
    return Text(doc.text, encoding)


def uri_of(run: Round, path: Path) -> str:
    return run.uris.get(path) or path.as_uri()


def _through(root: Root, run: Round) -> types.DiagnosticRelatedInformation:
    start = types.Position(0, 0)
    return types.DiagnosticRelatedInformation(
        types.Location(uri_of(run, root.path), types.Range(start, start)),
        f"found checking {root.path.name}, which includes this file",
    )


def diagnostic_of(finding: Finding, text: Text) -> types.Diagnostic:
    """The diagnostic of a finding, from where it is written to the end of that key or value."""
    start = text.yaml_offset(finding.line, finding.column)
    end = text.token_end(start)
    message = finding.message + (f"\n{finding.hint}" if finding.hint else "")
    severity = SEVERITY[finding.severity]
    if finding.rule in HINTS and finding.severity is Severity.INFO:
        severity = types.DiagnosticSeverity.Hint
    return types.Diagnostic(
        range=types.Range(
            types.Position(*text.position(start)), types.Position(*text.position(end))
        ),
        message=message,
        severity=severity,
        code=finding.rule,
        code_description=types.CodeDescription(href=rule_url(finding.rule)),
        source=NAME,
    )


def _included(
    root: Root,
    run: Round,
    findings: Iterable[Finding],
    texts: dict[Path, Text | None],
    encoding: str,
) -> list[types.Diagnostic]:
    """For a config, its errors and warnings written in the files it includes, each at the
    defaults entry that brings that file in (at the top of the config when none does): an
    edit to a shared `common.yaml` shows in every config it breaks."""
    own = root.path
    entries = {
        real(file): line
        for (where, line), files in root.includes.items()
        if where == own
        for file in files
    }
    text = texts.get(own) or _text(run, run.check.checker, str(own), encoding)
    if text is None:
        return []
    out = []
    for finding in findings:
        file = real(finding.file)
        if file == own or finding.severity is Severity.INFO or finding.rule in SILENT:
            continue
        line = entries.get(file)
        start = text.yaml_offset(line, 1) if line else 0
        if line:
            while start < len(text.text) and text.text[start] in " -\t":
                start += 1
        end = text.token_end(start)
        where = f"{Path(finding.file).name}:{finding.line}:{finding.column}"
        file_text = texts.get(file)
        related = []
        if file_text is not None:
            at = file_text.yaml_offset(finding.line, finding.column)
            span = types.Range(
                types.Position(*file_text.position(at)),
                types.Position(*file_text.position(file_text.token_end(at))),
            )
            related.append(
                types.DiagnosticRelatedInformation(
                    types.Location(uri_of(run, file), span), finding.message
                )
            )
        out.append(
            types.Diagnostic(
                range=types.Range(
                    types.Position(*text.position(start)), types.Position(*text.position(end))
                ),
                message=f"in {where}: {finding.message}",
                severity=SEVERITY[finding.severity],
                code=finding.rule,
                code_description=types.CodeDescription(href=rule_url(finding.rule)),
                source=NAME,
                related_information=related or None,
            )
        )
    return out
