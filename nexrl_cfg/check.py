"""The pipeline for one run: read -> compose -> resolve -> validate -> lint, file by file.

`Checker` holds what a run shares (files already read, the options), so each defaults file
is read once however many configs include it. It filters the findings by the settings
(`select`, `ignore`, suppressions) and reports each once. Nothing here prints (see `report/`)
or masks secrets (see `app`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import catalogue
from ._interpolation import HIDDEN_NAME
from .compose import Composed, Composer, Reader, Recent
from .finding import Finding, Severity, Span
from .includers import Includers
from .kinds import classify
from .launch import Located
from .output import REDACTED, Secrets
from .pipeline import prepare, run_rules
from .read import KeyPath, dotted
from .record import Record
from .rules.env_unset import ID as ENV_UNSET
from .rules.internal_error import ID as INTERNAL_ERROR
from .rules.not_nexrl import ID as NOT_NEXRL
from .rules.too_complex import ID as TOO_COMPLEX
from .settings import Settings
from .suppress import Suppressor
from .version import Target, target

if TYPE_CHECKING:
    from .fix.library import Files


@dataclass(eq=False, repr=False)
class FileResult:
    path: str
    # "entry", "fragment", "included" (checked through its includers), "skipped", "error"
    kind: str
    findings: list[Finding] = field(default_factory=list)


class Checker:
    def __init__(
        self,
        settings: Settings | None = None,
        settings_for: Callable[[Path], Settings] | None = None,
        fixes: bool = False,
        note_lines: bool = True,
    ) -> None:
        """`settings_for` gives each checked file its own settings (see `settings.Lookup`).
        With `fixes`, each finding a rule can fix carries its fix (`--fix`, `--diff`, the
        reports that show fixes, an editor): they are computed only when asked for. Without
        `note_lines`, the source lines of notes are not kept (no report will show them)."""
        self.settings = settings or Settings()
        self.fixes = fixes
        self.note_lines = note_lines
        self._settings_for = settings_for
        self.reader = Reader(32, nodes=fixes)
        self.composer = Composer(self.reader)
        self._entry_results: Recent[tuple[Path, int], list[Finding]] = Recent(64)
        # Configs of one folder are checked one after another: a few dozen recent files and
        # compositions cover the reuse (a shared common.yaml) without growing with the run.
        self._composed: Recent[Path, Composed] = Recent(16)
        self.includers = Includers(self.reader, lambda config: self._compose(config).sources)
        self._shown: dict[tuple[str, int], str | None] = {}
        self._words: dict[tuple[str, str], tuple[str, str, str]] = {}
        self.suppressor = Suppressor(self._lines, _rule_ids, self.reader.real_name)
        # The NexRL version each checked config was checked for, for the summary.
        self.targets: dict[Target, int] = {}
        self._folder_targets: dict[tuple[str, str | None, str], Target] = {}
        # Every secret value met so far: `app` masks them in every finding and source line.
        self.secrets = Secrets(self.settings.secret_values)
        # Each config composed and checked (entries, includers, lone fragments), by real path:
        # how it was named, how it was checked and the real paths of the files it reads. A fix
        # is verified against every one of them that reads the file it edits.
        self.configs: dict[Path, Checked] = {}
        # Given `fixes`: the real path of every file a config this checker composed reads
        # (what its findings and fixes depend on; not the files only looked at for includers).
        self.composed_files: set[Path] = set()
        # The files fixes are planned on: those this checker read (given `fixes`).
        self._fix_files: Files | None = None
        if fixes:
            from .fix.library import Files

            self._fix_files = Files(self.reader)

    # -- public ---------------------------------------------------------------------------
    def warm(self) -> None:
        """Build now what every check needs, the catalogue of the version asked for (else the
        newest): forked workers then share it instead of each building its own."""
        catalogue.for_version(self.settings.nexrl_version or catalogue.NEWEST)

    def check_file(self, path: str | Path, named: bool = True) -> FileResult:
        """Check one config file. An unreadable path raises OSError. A file found by walking
        a folder (not `named`) is checked only when its shape says NexRL. The findings are
        sorted, each once, and not masked: a report masks them (see `app`)."""
        (result,) = self.check_files([(Path(path), named)])
        return result

    def check_files(self, paths: Iterable[tuple[Path, bool]]) -> Iterator[FileResult]:
        """Check each (path, named) in turn as `check_file` does, each finding reported once
        in all, with the first file that has it (a fragment's findings come through every
        config that includes it)."""
        seen: set[tuple[str, int, int, str, str]] = set()
        for path, named in paths:
            yield self._check_one(path, named, seen)

    def check_launch(self, located: Located) -> FileResult:
        """Check the config a launch composes (see `launch`): config `located.name` of its
        config folder with the launch's overrides, as an entry config (whatever includes it
        or looks like); with `hydra_check`, composed by Hydra too (see `hydra_check`)."""
        return self._check_one(located.file, True, set(), lambda: self._check_launched(located))

    def _check_one(
        self,
        path: Path,
        named: bool,
        seen: set[tuple[str, int, int, str, str]],
        check: Callable[[], FileResult] | None = None,
    ) -> FileResult:
        return reported(self.checked(path, named, check), seen)

    def checked(
        self, path: Path, named: bool, check: Callable[[], FileResult] | None = None
    ) -> FileResult:
        """The findings of one file (see `check_file`) filtered by its settings and
        suppressions, each finding's source line kept; not yet `reported`: a finding that
        other files share is still there. An unreadable path raises OSError."""
        if self._settings_for is not None:
            self.settings = self._settings_for(path)
        try:
            result = check() if check is not None else self._check(path, named)
        except OSError:
            raise
        except Exception as exc:  # a bug of ours: one line, never a traceback
            # Never filtered away: the file was not checked.
            return FileResult(str(path), "error", [_failed(exc, str(path), self.settings.debug)])
        result.findings = self._filter(self.suppressor.apply(result.findings, str(path)))
        for f in self._with_lines(result.findings):  # while the file is still recently read
            if (f.file, f.line) not in self._shown:
                self._shown[(f.file, f.line)] = self._source_line(f.file, f.line)
        return result

    def _with_lines(self, findings: Iterable[Finding]) -> Iterable[Finding]:
        if self.note_lines:
            return findings
        return (f for f in findings if f.severity is not Severity.INFO)

    def lines(self, findings: Iterable[Finding]) -> dict[tuple[str, int], str | None]:
        """The source line of each of `findings` that a report may show (see `source_line`),
        by (file, line)."""
        return {
            (f.file, f.line): self.source_line(f.file, f.line) for f in self._with_lines(findings)
        }

    def merge(
        self,
        lines: Mapping[tuple[str, int], str | None],
        secrets: Iterable[str],
        targets: Mapping[Target, int],
    ) -> None:
        """Take in what another checker of the run (a worker's) met: the source lines of its
        findings, the secret values it read, the versions it checked for."""
        for where, text in lines.items():
            self._shown.setdefault(where, text)
        self.secrets.update(secrets)
        for found, count in targets.items():
            self.targets[found] = self.targets.get(found, 0) + count

    def serve(self, texts: Mapping[Path, tuple[str, str]]) -> None:
        """Read the files of `texts` (real path -> (name, text)) as given there (planned
        fixes, an editor's buffers), each parsed when first read."""
        self.reader.serve(texts)

    def provide(self, path: Path, raw: bytes) -> None:
        """Check `raw` as the text of the file at `path` (read from standard input): defaults
        and settings are found from where it would be. It is parsed when first read."""
        self.reader.provide(path, raw)

    @property
    def fix_files(self) -> Files | None:
        """The files the fixes of this run's findings were planned on (None: the run does
        not ask for fixes)."""
        return self._fix_files

    def compose(self, path: Path) -> Composed:
        """The config at `path` composed (once per run while it is recent)."""
        return self._compose(path)

    def adopt(self, path: Path, composed: Composed) -> None:
        """Take `composed`, composed elsewhere from the texts this checker reads, as the
        config at `path`: it is not composed again while it is recent."""
        self._composed[self.reader.real(path)] = composed

    def check_config(self, path: Path, mode: str) -> list[Finding]:
        """The findings of one config checked as `mode` ("entry" or "fragment"), filtered
        by its settings and suppressions as `check_file` does; a failure of ours is one
        internal-error finding."""
        if self._settings_for is not None:
            self.settings = self._settings_for(path)
        try:
            findings = self._run(self._compose(path), mode)
        except Exception as exc:
            return [_failed(exc, str(path), self.settings.debug)]
        return self._filter(self.suppressor.apply(findings, str(path)))

    def target(self, path: str) -> Target:
        """The NexRL version the config at `path` is checked for (see `version.py`)."""
        setting, source = self.settings.nexrl_version, self.settings.version_source
        key = (os.path.dirname(path), setting, source)
        if key not in self._folder_targets:
            self._folder_targets[key] = target(setting, source, Path(path))
        found = self._folder_targets[key]
        self.targets[found] = self.targets.get(found, 0) + 1
        return found

    def _lines(self, file: str) -> list[str] | None:
        doc = self.reader.cached(file)
        return doc.lines if doc is not None else None

    def source_line(self, file: str, line: int) -> str | None:
        """The line at a finding's position, the secret values its own file holds redacted
        (a report masks the run's other secrets too: see `app`)."""
        if (file, line) in self._shown:
            return self._shown[(file, line)]
        return self._source_line(file, line)

    def _source_line(self, file: str, line: int) -> str | None:
        doc = self.reader.cached(file)
        if doc is None or not 0 < line <= len(doc.lines):
            return None
        # The parts where a secret value is written, as the parser saw them (whatever the
        # spelling of the key), then any other copy of a secret value.
        shown = doc.redact_line(line, doc.lines[line - 1])
        for secret in doc.secrets:
            shown = shown.replace(secret, REDACTED)
        return shown

    # -- pipeline -------------------------------------------------------------------------
    def _check(self, path: Path, named: bool = True) -> FileResult:
        doc = self.reader.read(path)
        self.secrets.update(doc.secrets)
        name = str(path)
        kind, note = classify(doc, named)
        if kind == "broken":
            return FileResult(name, "error", list(doc.findings))
        if kind == "unlike" and self.includers.of(path):
            kind = "part"  # a fragment of the configs beside it, whatever it looks like
        if kind in ("skipped", "unlike"):
            info = Finding(
                NOT_NEXRL,
                Severity.INFO,
                f"not a NexRL config ({note}); skipped",
                Span(name),
            )
            return FileResult(name, "skipped", [info])
        # A file other configs include is checked as part of them, whatever it holds: alone
        # it would lack what they add.
        includers = self.includers.of(path)
        if includers:
            findings = list(doc.findings)
            for entry in includers:
                findings.extend(self._check_entry(entry))
            return FileResult(name, "included", findings)
        if kind == "entry":
            return FileResult(name, "entry", self._check_entry(path))
        return FileResult(name, "fragment", self._run(self._compose(path), "fragment"))

    def _check_launched(self, located: Located) -> FileResult:
        from .overrides import COMMAND_LINE, parse

        path = located.file
        doc = self.reader.read(path)
        self.secrets.update(doc.secrets)
        if classify(doc, True)[0] == "broken":
            return FileResult(str(path), "error", list(doc.findings))
        command_line = parse(located.overrides) if located.overrides else None
        if command_line is not None:
            self.reader.provide(Path(COMMAND_LINE), command_line.document())
        composed = self.composer.compose(
            path, command_line, self.settings.environ, located.folder, located.name
        )
        findings = self._run(composed, "entry")
        if located.hydra_check:
            from .hydra_check import cross_check

            findings.extend(
                cross_check(composed, located.folder, located.name, located.overrides, self.secrets)
            )
        return FileResult(str(path), "entry", findings)

    def _compose(self, path: Path) -> Composed:
        key = self.reader.real(path)
        if key not in self._composed:
            composed = self._composed[key] = self.composer.compose(path)
            if self.fixes:  # only fixing by group asks (see `app._merged_fixes`)
                self.composed_files.update(self.reader.real_name(s) for s in composed.sources)
        return self._composed[key]

    def _check_entry(self, path: Path) -> list[Finding]:
        # Per settings too: a config included from another project's folder is checked with
        # each project's settings.
        key = (self.reader.real(path), id(self.settings))
        if key not in self._entry_results:
            self._entry_results[key] = self._run(self._compose(path), "entry")
        return self._entry_results[key]

    def _run(self, composed: Composed, mode: str) -> list[Finding]:
        target = self.target(composed.path)
        sources = frozenset(self.reader.real_name(source) for source in composed.sources)
        real = self.reader.real_name(composed.path)
        self.configs[real] = Checked(Path(composed.path), mode, sources)
        findings, cfg = prepare(composed, self.settings.environ, target.version, mode)
        self.secrets.update(composed.secrets)
        if cfg is None:
            return findings
        self.secrets.update(cfg.resolved.env_values)
        findings.extend(self._unset_notes(cfg.resolved.unset))
        if cfg.resolved.values > MAX_CHECKED:
            findings.append(_too_many(cfg.resolved.values, composed))
            return findings
        return run_rules(cfg, self.fix_files, findings)

    def _unset_notes(self, unset: dict[str, tuple[KeyPath, Span]]) -> list[Finding]:
        severity = Severity.ERROR if self.settings.require_env else Severity.INFO
        notes = []
        for var, (path, span) in unset.items():
            message, key, hint = self._unset_words(var, dotted(path))
            notes.append(Finding(ENV_UNSET, severity, message, span, key, hint))
        return notes

    def _unset_words(self, var: str, key: str) -> tuple[str, str, str]:
        """(message, key, hint) of an unset-variable note. The same few notes come from every
        config of a folder of recipes: one copy of the words serves them all."""
        words = self._words.get((var, key))
        if words is None:
            message = f"environment variable {var} is not set; checks that need '{key}' are skipped"
            hint = f"Export {var} before launch, or give a default: ${{oc.env:{var},...}}."
            if var == HIDDEN_NAME:  # the name itself is secret: the expression says which
                hint = "Export the variable the expression names before launch."
            words = self._words[(var, key)] = (message, key, hint)
        return words

    def _filter(self, findings: list[Finding]) -> list[Finding]:
        select, ignore = self.settings.select, self.settings.ignore
        kept = [
            f for f in findings if (select is None or f.rule in select) and f.rule not in ignore
        ]
        if self.settings.per_file_ignores:
            from .settings import per_file_ignored

            kept = [f for f in kept if f.rule not in per_file_ignored(self.settings, f.file)]
        return kept


# Values of one config (after composition and references) that validate and lint check; a
# NexRL config has a few hundred.
MAX_CHECKED = 20_000


def _too_many(values: int, composed: Composed) -> Finding:
    return Finding(
        TOO_COMPLEX,
        Severity.ERROR,
        f"the config holds {values:,} values after composition and interpolation, more than "
        f"{MAX_CHECKED:,}; its options are not checked",
        composed.span(()),
        hint="A NexRL config has a few hundred values; keep data in data files.",
    )


class Checked(Record, by_value=False):
    """A config a run composed: its path as named, "entry" or "fragment", and the real paths
    of the files it reads."""

    path: Path
    mode: str
    sources: frozenset[Path]


def _failed(exc: Exception, file: str, debug: bool) -> Finding:
    """The finding for a failure of ours on a file: where it happened, never the exception's
    text (that may quote a value of the config)."""
    import traceback  # only when the tool fails

    if debug:
        traceback.print_exc()
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return Finding(
        INTERNAL_ERROR,
        Severity.ERROR,
        f"nexrl-cfg failed on this file ({type(exc).__name__}{where}); please report it",
        Span(file),
        hint="Report it with the file if you can share it; --debug shows the traceback.",
    )


def crashed(file: str, how: str) -> Finding:
    """The finding for a file whose check stopped the process checking it (a worker of the
    run, see `pool`): `how` it stopped."""
    return Finding(
        INTERNAL_ERROR,
        Severity.ERROR,
        f"nexrl-cfg failed on this file ({how}); please report it",
        Span(file),
        hint="Report it with the file if you can share it.",
    )


def _rule_ids() -> list[str]:
    from .rules import by_id

    return list(by_id())


# Findings reported for one file checked; the rest are counted in one last finding.
MAX_FINDINGS = 1_000
_RANK = {Severity.ERROR: 2, Severity.WARNING: 1, Severity.INFO: 0}


def capped(findings: list[Finding], file: str) -> list[Finding]:
    """At most `MAX_FINDINGS` findings, the most severe first, and one that counts the rest."""
    if len(findings) <= MAX_FINDINGS:
        return findings
    ranked = sorted(findings, key=lambda f: (-_RANK[f.severity], f.sort_key()))
    kept, dropped = ranked[:MAX_FINDINGS], ranked[MAX_FINDINGS:]
    counts = {s: sum(1 for f in dropped if f.severity is s) for s in Severity}
    words = ", ".join(
        f"{n:,} {name}{'' if n == 1 else 's'}"
        for name, n in (
            ("error", counts[Severity.ERROR]),
            ("warning", counts[Severity.WARNING]),
            ("note", counts[Severity.INFO]),
        )
        if n
    )
    more = Finding(
        TOO_COMPLEX,
        max((f.severity for f in dropped), key=_RANK.__getitem__),
        f"and {len(dropped):,} more findings ({words}), not shown: more than {MAX_FINDINGS:,} "
        "for this file",
        Span(file),
        hint="Fix the findings shown first; most often one mistake causes many of them.",
    )
    return sorted([*kept, more], key=Finding.sort_key)


def reported(result: FileResult, seen: set[tuple[str, int, int, str, str]]) -> FileResult:
    """`result` as it is reported: its findings sorted, those in `seen` (reported with an
    earlier file) left out and the others added to it, at most `MAX_FINDINGS`."""
    result.findings = capped(_once(result.findings, seen), result.path)
    return result


def _once(findings: list[Finding], seen: set[tuple[str, int, int, str, str]]) -> list[Finding]:
    """`findings` sorted, leaving out those in `seen` (and adding the others to it)."""
    out = []
    for f in sorted(findings, key=Finding.sort_key):
        ident = f.ident()
        if ident not in seen:
            seen.add(ident)
            out.append(f)
    return out
