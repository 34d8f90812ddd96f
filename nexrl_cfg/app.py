"""The application: each command as one call with a typed request and a typed outcome, made
alike by the command line, an editor's language server and a pool of workers. Nothing here
parses arguments or writes to a terminal. A command that cannot run raises `Failed`, whose
message is one line for the user (exit 2).

`check`: discovery -> the checker, file by file (each finding once, see `Checker.check_files`)
-> every secret masked (here, once, with every secret the run has read) -> the exit code.
`fix` and `diff`: the safe fixes of the same check, written or shown. `resolve`, `migrate`,
`explain`, `schema`: the other commands.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

from .discovery import excluder, outside_note, unreadable, walk
from .finding import Finding, Severity
from .launch import Launch, LaunchError, Located, locate
from .output import Secrets, mask_finding
from .record import Record
from .settings import Lookup, SettingsError

if TYPE_CHECKING:
    from .check import Checker, FileResult
    from .fix.autofix import Fixes
    from .fix.migrate import Outcome as Migration
    from .settings import Settings

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
# A fix can reveal another (a key renamed, its value is checked): fixing repeats until a round
# changes nothing, at most this many rounds.
FIX_ROUNDS = 8


class Failed(Exception):
    """The command could not run; the message says why, on one line (exit 2)."""


def _no_source(file: str, line: int) -> str | None:
    return None


class CheckRequest(Record, by_value=False):
    """What to check and how."""

    paths: Sequence[str]
    # Settings given on the command line, by name (`settings.SETTINGS`); None: not given.
    settings: Mapping[str, Any] = MappingProxyType({})
    # A settings file for every checked file, instead of the nearest pyproject.toml.
    config: str | None = None
    # The text of the path "-" (called once, when that path is met), and where it stands.
    stdin: Callable[[], bytes] = bytes
    stdin_name: str | None = None
    # Take a file named like a file found in a folder: checked only when shaped like NexRL
    # and not excluded.
    only_nexrl: bool = False
    exit_zero: bool = False
    # Each finding a rule can fix carries its fix (for a report that shows them): computed
    # only when asked for. `fix` and `diff` ask for them themselves.
    fixes: bool = False
    # A launch to check instead (`--config-path`, `--config-name`, overrides, --hydra-check):
    # the one config it composes.
    launch: Launch = Launch()
    # Told (files looked at, files in all) after each file of a check (a progress line).
    progress: Callable[[int, int], None] | None = None
    # Keep the source line of each note: a report shows notes one by one only when asked
    # (--show-notes); without, a long run need not hold a line for each of them.
    note_lines: bool = True


@dataclass(eq=False, repr=False)
class Outcome:
    """A check done: its findings (sorted, each once, every secret masked), the number of
    files looked at and how many of them were skipped (not NexRL configs), the NexRL versions
    checked for (with where each came from), the exit status and why when the check could
    not be done, and each finding's source line (masked)."""

    findings: list[Finding]
    files: int
    targets: list[tuple[str, str]] = field(default_factory=list)
    exit_code: int = EXIT_OK
    reason: str = ""
    source_line: Callable[[str, int], str | None] = _no_source
    # The config a launch composed, when one was checked (a report places the findings
    # about its command line there when it cannot name the command line itself).
    launched: str | None = None
    # The real path of every file the run read: the report may not be written over one.
    read: frozenset[Path] = frozenset()
    skipped: int = 0


# -- check ------------------------------------------------------------------------------------
def check(request: CheckRequest) -> Outcome:
    run = _Run(request)
    checker, findings, files = run.collect(workers=True)
    secrets = checker.secrets
    masked = [mask_finding(f, secrets) for f in findings]
    return Outcome(
        masked,
        files.total,
        sorted((t.version, t.source) for t in checker.targets),
        *_exit_code(masked, run.strict, request.exit_zero),
        source_line=_masked_lines(checker.source_line, secrets),
        launched=None if run.located is None else str(run.located.file),
        read=_read_by(checker),
        skipped=files.skipped,
    )


def _read_by(checker: Checker) -> frozenset[Path]:
    """Every file a check read: each file read, and the sources of every config composed."""
    sources = (s for config in checker.configs.values() for s in config.sources)
    return frozenset(checker.reader.seen).union(sources)


def output_clash(output: str, request: CheckRequest, read: Iterable[Path] = ()) -> str | None:
    """Why the report may not be written to the file `output`: it is a file the run checks,
    reads or fixes (named, composed, the file standard input stands for, a YAML file in a
    folder checked or beside a file checked), however it is spelt (compared by device and
    inode where it exists, through symbolic and hard links); None when it may."""
    real = Path(os.path.realpath(output))
    try:
        info = os.stat(real)
    except OSError:
        return None  # a new file: nothing it could replace
    elsewhere = "write the report elsewhere"
    same = f"{output} is a file this run reads; {elsewhere}"
    named = [Path(p) for p in request.paths if p != "-"]
    if request.stdin_name is not None:
        named.append(Path(request.stdin_name))
    for path in [*named, *read]:
        try:
            other = os.stat(path)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino):
            return same
    if real.suffix in (".yaml", ".yml"):
        for path in named:
            folder = Path(os.path.realpath(path))
            folder = folder if folder.is_dir() else folder.parent
            if real.is_relative_to(folder):
                return f"{output} is a YAML file among the configs checked; {elsewhere}"
    return None


def fix(request: CheckRequest) -> Fixes:
    """The safe fixes of the findings of the check, made in memory round by round, each
    verified before it is kept (see `fix.autofix`); nothing is written (see `write_fixes`).

    Each group of folders (see `pool.folder_groups`) is fixed on its own, on every core for a
    long run: its configs, the files they read and the files fixed are its own, so the
    outcome does not depend on the number of processes. Should a group change a file another
    group's configs read (it would decide on it without the configs of the other), the whole
    is fixed at once; so are standard input and a launch."""
    from .fix.autofix import Fixes
    from .fix.land import Boundary

    run = _Run(request.replace(fixes=True))
    boundary = Boundary.named(request.paths)
    if "-" in request.paths:
        stdin = str(Path(request.stdin_name or "-"))
        return _fixed(run, Fixes(boundary=boundary, stdin=stdin))
    if run.located is None:
        grouped = _fixed_by_group(run, boundary)
        if grouped is not None:
            return grouped
    return _fixed(run, Fixes(boundary=boundary))


def _fixed(run: _Run, fixes: Fixes, inputs: list[tuple[Path, bool]] | None = None) -> Fixes:
    """`fixes` with the rounds of fixing the run (its `inputs` only, when given) made."""
    from .fix.autofix import fix_round

    for _ in range(FIX_ROUNDS):
        checker, findings, _ = run.collect(fixes.texts(), inputs=inputs)
        fixes.read |= _read_by(checker)
        fixes.secrets = checker.secrets
        if not fix_round(checker, findings, run.checker, fixes):
            break
    return fixes


class _FixShare(NamedTuple):
    """What fixing one group of folders made: the changed files, the fixes not made (with
    why), every file any of its checks read, the files the configs it composed read (real
    paths) and the secret values they met."""

    files: dict[Path, Any]
    dropped: list[tuple[Finding, str]]
    read: frozenset[Path]
    composed: frozenset[Path]
    secrets: frozenset[str]


def _fixed_by_group(run: _Run, boundary: Any) -> Fixes | None:
    """The fixes of each group of folders, made on its own (see `fix`); None for a run of one
    group, or when a group changes a file another group's configs read."""
    from . import pool

    inputs = run._inputs(run.checker(), [])
    groups = pool.folder_groups([path for path, _ in inputs])
    if len(groups) < 2:
        return None
    jobs = pool.workers(run.lookup.default.jobs) if len(inputs) >= pool.MIN_FILES else 1
    shared = [[inputs[index] for index in group] for group in groups]
    shares = pool.shared_out(
        partial(_fix_share, run, boundary), shared, jobs, _groups_progress(run, shared)
    )
    return _merged_fixes(shares, boundary)


def _groups_progress(
    run: _Run, groups: list[list[tuple[Path, bool]]]
) -> Callable[[int], None] | None:
    """The run's progress told in files, from the number of groups taken."""
    shown = run.request.progress
    if shown is None:
        return None
    files = [0]
    for group in groups:
        files.append(files[-1] + len(group))
    return lambda taken: shown(files[taken], files[-1])


def _fix_share(run: _Run, boundary: Any, inputs: list[tuple[Path, bool]]) -> _FixShare:
    from .fix.autofix import Fixes

    share = copy.copy(run)
    share.request = run.request.replace(progress=None)  # one bar per run, not per group
    made: list[Checker] = []
    share.made = made
    fixes = _fixed(share, Fixes(boundary=boundary), inputs)
    read = fixes.read.union(*(checker.reader.seen for checker in made))
    composed = set(fixes.files).union(*(checker.composed_files for checker in made))
    secrets = frozenset(fixes.secrets.values)
    return _FixShare(fixes.files, fixes.dropped, read, frozenset(composed), secrets)


def _merged_fixes(shares: list[_FixShare], boundary: Any) -> Fixes | None:
    """The fixes of the groups together (in the order one run gives them: see `Fixes`);
    None when a group changes a file another group's configs read (each decided on it
    without the configs of the other). A file the groups only looked at, for the configs
    that include theirs, is no such file."""
    from .fix.autofix import Fixes

    readers: dict[Path, int] = {}
    for index, share in enumerate(shares):
        for path in share.composed:
            readers[path] = index if readers.get(path, index) == index else -1
    if any(readers[path] != index for index, s in enumerate(shares) for path in s.files):
        return None
    fixes = Fixes(boundary=boundary, read=frozenset().union(*(s.read for s in shares)))
    for share in shares:
        fixes.files.update(share.files)
        fixes.dropped.extend(share.dropped)
        fixes.secrets.update(share.secrets)
    fixes.dropped.sort(key=lambda dropped: dropped[0].sort_key())
    return fixes


def read_stdin(stream: BinaryIO) -> bytes:
    """Standard input, read as a file is: at most one byte past the size limit (a larger
    text is then reported as too large, as a file is)."""
    from .read import MAX_BYTES

    return stream.read(MAX_BYTES + 1)


def fixed_stdin(fixes: Fixes, request: CheckRequest) -> bytes:
    """What `check --fix -` prints, as `ruff check --fix -` does: the fixed text of standard
    input (the text as read when nothing was fixed). Failed when it holds a secret, which is
    never printed; a placeholder (`api_key: EMPTY`, shorter than a secret is masked at) is
    printed as the text is."""
    from .read import read_bytes

    raw = request.stdin()
    doc = read_bytes(raw, fixes.stdin or "-")
    if Secrets(doc.secrets).holds(doc.text) or fixes.secrets.holds(doc.text):
        raise Failed(
            "standard input holds a secret (an api_key's value or a value from the "
            "environment), which is never printed: fix the file itself with --fix PATH"
        )
    read = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    fixed = fixes.stdin_text("")
    return read if not fixed else raw[: len(raw) - len(read)] + fixed.encode("utf-8")


def write_fixes(fixes: Fixes) -> list[Path]:
    """Write the fixed files (see `fix.land`); Failed, saying which were written, when one
    cannot be."""
    return _landed(fixes.write(), "changed while it was being fixed")


def _landed(writes: Iterator[Path], stale: str) -> list[Path]:
    """The files `writes` writes; one line (Failed) when one cannot be written, naming those
    already written."""
    from .fix.land import Refused, StaleFile, WriteFailed

    written: list[Path] = []
    try:
        for path in writes:
            written.append(path)
    except (StaleFile, Refused) as exc:
        done = ", ".join(map(str, written)) if written else "none"
        what = f"{exc} {stale}" if isinstance(exc, StaleFile) else str(exc)
        raise Failed(f"{what}; files already written: {done}") from None
    except WriteFailed as exc:
        raise Failed(str(exc)) from None
    return written


def diff(request: CheckRequest) -> str:
    """The safe fixes of the findings of the check, as a unified diff."""
    return fix(request).diff()


def check_file(path: str | Path, settings: Settings | None = None) -> list[Finding]:
    """Check one NexRL config (following its defaults) and return its findings, every secret
    masked in their words (not in their fixes: those are edits to apply)."""
    from .check import Checker

    checker = Checker(settings, fixes=True)
    (result,) = checker.check_files([(Path(path), True)])
    return [mask_finding(f, checker.secrets, fixes=False) for f in result.findings]


class _Run:
    """One request's settings, and its checks (a fresh checker for each: a fix changes files)."""

    def __init__(self, request: CheckRequest) -> None:
        self.request = request
        self.lookup = _lookup(request)
        _check_named(request.paths)
        self._stdin: bytes | None = None
        self.located = None
        # When a list: each checker made for the run (see `_fix_share`).
        self.made: list[Checker] | None = None
        if request.launch:
            try:
                self.located = locate(request.launch, request.paths)
            except LaunchError as exc:
                raise Failed(str(exc)) from None

    def strict(self, file: str) -> bool:
        return self.lookup.for_file(Path(file)).strict

    def checker(self, texts: Mapping[Path, tuple[str, str]] | None = None) -> Checker:
        """A checker with this run's settings that reads `texts` (real path -> (name, text))
        instead of those files."""
        from .check import Checker

        lookup = self.lookup
        checker = Checker(
            lookup.default,
            settings_for=lookup.for_file,
            fixes=self.request.fixes,
            note_lines=self.request.note_lines,
        )
        checker.serve(texts or {})
        if self.made is not None:
            self.made.append(checker)
        return checker

    def collect(
        self,
        texts: Mapping[Path, tuple[str, str]] | None = None,
        workers: bool = False,
        inputs: list[tuple[Path, bool]] | None = None,
    ) -> tuple[Checker, list[Finding], Files]:
        """The checker, the findings of every file (sorted, each once, not masked) and the
        number of files looked at and skipped; the files in `texts` are read as the text
        given there. With `workers`, a folder or a long list of files is checked by worker
        processes (see `pool`; what they met is merged into the checker). Given `inputs`
        ((path, named), as the run finds them), those files alone are checked."""
        checker = self.checker(texts)
        outside: list[tuple[Path, Path]] = []
        findings: list[Finding] = []
        files = Files()
        if self.located is not None:
            inputs = [(self.located.file, True)]
            results: Iterable[FileResult] = [checker.check_launch(self.located)]
        else:
            if inputs is None:
                inputs = self._inputs(checker, outside)
            results = self._results(checker, inputs, workers)
        try:
            for result in results:
                files.count(result.kind == "skipped")
                findings.extend(result.findings)
                if self.request.progress is not None:
                    self.request.progress(files.total, len(inputs))
        except OSError as exc:
            raise Failed(f"cannot read {inputs[files.total][0]}: {exc.strerror or exc}") from None
        except SettingsError as exc:
            raise Failed(str(exc)) from None
        for link, folder in dict.fromkeys(outside):  # not read: skipped
            files.count(skipped=True)
            findings.append(outside_note(link, folder))
        if not files.total:
            raise Failed(f"no YAML files (*.yaml, *.yml) found in {', '.join(self.request.paths)}")
        return checker, sorted(findings, key=Finding.sort_key), files

    def _results(
        self, checker: Checker, inputs: list[tuple[Path, bool]], workers: bool
    ) -> Iterator[FileResult]:
        """The result of each input, in order: from worker processes when asked for and the
        run allows (not for standard input, whose text only this process has)."""
        from . import pool

        jobs = pool.workers(self.lookup.default.jobs) if workers and not self._stdin_used else 1
        request = self.request.replace(stdin=bytes, progress=None)  # sent to a spawned worker
        return pool.check_files(checker, inputs, jobs, _worker_checker, request)

    def _inputs(
        self, checker: Checker, outside: list[tuple[Path, Path]]
    ) -> list[tuple[Path, bool]]:
        """(path, named) of each file to check (see `discovery.walk`)."""
        request = self.request
        excluded = excluder(self.lookup.for_folder, self.lookup.cwd)
        found = walk(request.paths, excluded, outside)
        inputs: list[tuple[Path, bool]] = []
        while True:
            try:
                path, named = next(found, (None, True))
            except OSError as exc:  # a folder that cannot be listed: nothing below it is checked
                raise Failed(f"cannot read {exc.filename}: {exc.strerror or exc}") from None
            if path is None:
                return inputs
            if named and request.only_nexrl:
                if excluded(path):
                    continue
                named = False
            if str(path) == "-":
                path = Path(request.stdin_name or "-")
                checker.provide(path, self.stdin())
            inputs.append((path, named))

    def stdin(self) -> bytes:
        if self._stdin is None:
            self._stdin = self.request.stdin()
        return self._stdin

    @property
    def _stdin_used(self) -> bool:
        return self._stdin is not None


def _worker_checker(request: CheckRequest) -> Checker:
    """The checker of a worker process of the run of `request` (see `pool`)."""
    return _Run(request).checker()


@dataclass(eq=False, repr=False)
class Files:
    """How many files a check looked at, and how many of those it skipped."""

    total: int = 0
    skipped: int = 0

    def count(self, skipped: bool) -> None:
        self.total += 1
        self.skipped += skipped


def _lookup(request: CheckRequest) -> Lookup:
    config = request.config
    if config is not None and not Path(config).is_file():
        raise Failed(f"settings file not found: {config}")
    try:
        return Lookup(_cwd(), None if config is None else Path(config), **request.settings)
    except SettingsError as exc:
        raise Failed(str(exc)) from None


def _check_named(paths: Iterable[str]) -> None:
    """Every path named can be read ("-" is standard input)."""
    problems = {given: unreadable(given) for given in paths if given != "-"}
    missing = [given for given, problem in problems.items() if problem == "missing"]
    if missing:
        raise Failed(f"path not found: {', '.join(missing)}")
    for given, problem in problems.items():
        if problem:
            raise Failed(f"cannot read {given}: {problem}")


def _exit_code(
    findings: list[Finding], strict: Callable[[str], bool], exit_zero: bool
) -> tuple[int, str]:
    """The exit status and, when the check could not be done, why: 2 when a file could not be
    checked (no verdict on it), else 1 on an error (or a warning where `strict`), else 0."""
    from .rules.internal_error import ID as INTERNAL_ERROR

    if any(f.rule == INTERNAL_ERROR for f in findings):
        return EXIT_USAGE, "a file could not be checked (internal error)"
    if exit_zero:
        return EXIT_OK, ""
    for f in findings:
        failing = (Severity.ERROR, Severity.WARNING) if strict(f.file) else (Severity.ERROR,)
        if f.severity in failing:
            return EXIT_FINDINGS, ""
    return EXIT_OK, ""


def _masked_lines(
    lines: Callable[[str, int], str | None], secrets: Secrets
) -> Callable[[str, int], str | None]:
    def source_line(file: str, line: int) -> str | None:
        text = lines(file, line)
        return None if text is None else secrets.mask(text)

    return source_line


def _cwd() -> Path | None:
    """The working folder, or None when it was removed (no settings file to look for)."""
    try:
        return Path(os.getcwd())
    except OSError:
        return None


# -- resolve ----------------------------------------------------------------------------------
@dataclass(eq=False, repr=False)
class Rendering:
    """The config NexRL would see, as YAML; the errors NexRL would stop at, a line each."""

    text: str
    problems: list[str]

    @property
    def exit_code(self) -> int:
        return EXIT_FINDINGS if self.problems else EXIT_OK


def resolve(
    config: str | None,
    env_file: str | None = None,
    show_origin: bool = False,
    launch: Launch | None = None,
    as_launched: bool = False,
    nexrl_version: str | None = None,
) -> Rendering:
    """The config composed and resolved, every secret redacted (see `report.resolved`): the
    file `config`, or the config `launch` composes; `as_launched`, as NexRL's code holds it
    after start-up, for `nexrl_version` (the installed or newest NexRL by default)."""
    from .report.resolved import ResolveError, render_config
    from .settings import build

    located = None
    if launch:
        try:
            located = locate(launch, [config] if config is not None else [])
        except LaunchError as exc:
            raise Failed(str(exc)) from None
        config = str(located.file)
    if config is None:
        raise Failed("give the config to resolve")
    problem = unreadable(config)
    if problem == "missing":
        raise Failed(f"path not found: {config}")
    if problem:
        raise Failed(f"cannot read {config}: {problem}")
    try:
        settings = build(_cwd(), env_file=env_file)
    except SettingsError as exc:
        raise Failed(str(exc)) from None
    version = _launched_version(Path(config), nexrl_version) if as_launched else None
    try:
        rendered = render_config(
            Path(config),
            settings.environ,
            show_origin=show_origin,
            secret_values=settings.secret_values,
            launched=located,
            as_launched=version,
        )
    except ResolveError as exc:  # nothing to show, and why
        return Rendering("", [str(exc)])
    except OSError as exc:
        raise Failed(f"cannot read {config}: {exc.strerror or exc}") from None
    except Exception as exc:  # a bug of ours: one line, never a traceback (nor a value)
        raise Failed(
            f"failed on {config} ({type(exc).__name__}); please report it, with the file if "
            "you can share it"
        ) from None
    return Rendering(rendered.text, rendered.problems)


@dataclass(eq=False, repr=False)
class Compared:
    """Two runs' configs compared: the report (text or JSON), the errors NexRL would stop at
    in either (a line each), and whether they differ."""

    text: str
    problems: list[str]
    differ: bool

    @property
    def exit_code(self) -> int:
        return EXIT_FINDINGS if self.differ else EXIT_OK


def compare_runs(
    a: str,
    b: str,
    env_file: str | None = None,
    overrides: tuple[Sequence[str], Sequence[str]] = ((), ()),
    as_json: bool = False,
) -> Compared:
    """The configs runs `a` and `b` give NexRL (composed, overridden, resolved), compared key
    by key (see `report.difference`); every secret either reads redacted."""
    from .output import Secrets
    from .report import difference
    from .report.resolved import ResolveError
    from .settings import build

    for config in (a, b):
        problem = unreadable(config)
        if problem:
            raise Failed(
                f"path not found: {config}"
                if problem == "missing"
                else f"cannot read {config}: {problem}"
            )
    try:
        settings = build(_cwd(), env_file=env_file)
    except SettingsError as exc:
        raise Failed(str(exc)) from None
    secrets = Secrets(settings.secret_values)
    try:
        runs = [
            difference.effective(
                Path(config), settings.environ, secrets, _overridden(config, given)
            )
            for config, given in zip((a, b), overrides, strict=True)
        ]
    except ResolveError as exc:
        raise Failed(secrets.mask(str(exc))) from None
    except OSError as exc:
        raise Failed(f"cannot read {exc.filename}: {exc.strerror or exc}") from None
    first, second = runs
    found = difference.compare(first, second)
    render = difference.document if as_json else difference.text
    problems = [f"{run.name}: {p}" for run in runs for p in run.problems]
    return Compared(render(first, second, found, secrets), problems, bool(found))


def _overridden(config: str, overrides: Sequence[str]) -> Located | None:
    """The launch of `config` with `overrides` (None: the file as it is)."""
    path = Path(config)
    return Located(path, path.parent, path.stem, tuple(overrides)) if overrides else None


def _launched_version(path: Path, given: str | None) -> str:
    """The NexRL version a launched view is for: the one given, else the one `check` would
    check `path` for."""
    from .version import target

    return _version(given) if given is not None else target(None, "", path).version


def split_arguments(words: Sequence[str]) -> tuple[list[str], list[str]]:
    """(paths, overrides) of the words of a command line (see `launch.split`)."""
    from .launch import split

    return split(words)


# -- migrate ----------------------------------------------------------------------------------
def migrate(paths: Sequence[str], to: str) -> Migration:
    """What migrating the configs at `paths` to NexRL `to` changes (see `fix.migrate`)."""
    from .fix.migrate import migrate as run_migration
    from .nexrl import NAMED_SERVICES, at_least, versions

    target = _version(to)
    if not at_least(target, NAMED_SERVICES):
        *first, last = versions(NAMED_SERVICES)
        choices = f"{', '.join(first)} or {last}"
        raise Failed(f"nothing to migrate to for NexRL {target}: choose {choices}")
    for given in paths:
        problem = unreadable(given)
        if problem:
            raise Failed(f"cannot read {given}: {problem}")
    try:
        return run_migration(paths, target)
    except OSError as exc:  # a file found in a folder, as `check` says it
        raise Failed(f"cannot read {exc.filename}: {exc.strerror or exc}") from None


def write_migration(migration: Migration) -> list[Path]:
    """Write the migrated files (see `fix.land`); the files written."""
    return _landed(migration.writes(), "changed since it was read")


# -- explain, schema --------------------------------------------------------------------------
def explain(topic: str | None, version: str | None = None) -> str:
    """What `topic` (an option, a key as a finding prints it, or a rule) is, for NexRL
    `version` (every version when None); every rule and option when `topic` is None."""
    from . import explain as explaining

    if topic is None:
        return explaining.listing()
    text = explaining.explain(topic, None if version is None else _version(version))
    if text is None:
        near = explaining.suggestions(topic)
        tip = f" Did you mean: {', '.join(near)}?" if near else ""
        raise Failed(f"no option or rule called '{topic}'.{tip} (`explain --list` lists all)")
    return text


def schema(version: str | None = None, fragment: bool = False) -> str:
    """The JSON Schema of a config for NexRL `version` (the newest by default)."""
    from .schema import dumps
    from .version import NEWEST

    return dumps(NEWEST if version is None else _version(version), fragment)


def _version(given: str) -> str:
    from .version import UnknownVersion, parse

    try:
        return parse(given)
    except UnknownVersion as exc:
        raise Failed(str(exc)) from None


# -- an editor's check ------------------------------------------------------------------------
@dataclass(eq=False, repr=False)
class BufferCheck:
    """Configs checked as an editor holds them (`check_buffers`): the findings of each config
    checked (every secret masked in their words, each with its fix), by the path it was
    checked as, and what the language server asks of the same run afterwards: the checker
    (its compositions: where each key is written, what each defaults entry loads) and the
    texts read in place of the files."""

    findings: dict[Path, list[Finding]]
    # Each path asked for -> the configs it was checked through (itself, or its includers).
    roots: dict[Path, list[Path]]
    checker: Checker
    buffers: dict[Path, str]
    lookup: Lookup
    # The settings could not be read: why (nothing was checked).
    problem: str = ""


def check_buffers(
    paths: Iterable[Path],
    buffers: Mapping[Path, str],
    cwd: Path | None,
    cancelled: Callable[[], bool] = lambda: False,
) -> BufferCheck:
    """Check each of `paths` as `check` checks a file found in a folder (only when shaped
    like NexRL; one with a defaults list always), reading the texts of `buffers` (path ->
    text) in place of those files: a config other configs include is checked through each of
    them, as an entry (each includer once however many paths it includes). The settings of
    each file are found as for `check` (from `cwd`); `cancelled` is asked between configs,
    and stops the check when it says so."""
    from .check import Checker

    given = {Path(path): text for path, text in buffers.items()}
    try:
        lookup = Lookup(cwd)
    except SettingsError as exc:
        empty = Checker()
        return BufferCheck({}, {}, empty, given, Lookup(None), problem=str(exc))
    checker = _buffer_checker(lookup, given)
    found: dict[Path, list[Finding]] = {}
    roots: dict[Path, list[Path]] = {}
    for path in paths:
        if cancelled():
            break
        try:
            roots[path] = checker.includers.of(path) or [path]
        except OSError:
            roots[path] = [path]
        for root in roots[path]:
            if root in found or cancelled():
                continue
            named = root != path or _has_defaults(checker, root)
            try:
                (result,) = checker.check_files([(root, named)])
            except (OSError, SettingsError):
                found[root] = []
                continue
            found[root] = [mask_finding(f, checker.secrets, fixes=False) for f in result.findings]
    return BufferCheck(found, roots, checker, given, lookup)


def _buffer_checker(lookup: Lookup, buffers: Mapping[Path, str]) -> Checker:
    """A checker that reads each buffer in place of its file; one that holds what the file
    holds is left to be read when needed (an editor keeps many files open, most of them
    saved)."""
    from .check import Checker
    from .files import read_regular
    from .read import MAX_BYTES

    checker = Checker(lookup.default, settings_for=lookup.for_file, fixes=True)
    for path, text in buffers.items():
        raw = text.encode("utf-8", "surrogatepass")
        try:
            if read_regular(path, MAX_BYTES + 1) == raw:
                continue
        except OSError:
            pass  # not on disk (yet): the buffer is the file
        checker.provide(path, raw)
    return checker


def _has_defaults(checker: Checker, path: Path) -> bool:
    """Whether the file at `path` is a Hydra config with a defaults list (an entry config,
    checked whatever sections it holds)."""
    try:
        data = checker.reader.read(path).data
    except OSError:
        return False
    return isinstance(data, dict) and isinstance(data.get("defaults"), list)


def verified_fixes(run: BufferCheck, findings: Iterable[Finding]) -> list[Finding]:
    """Those of `findings` (of `run`) whose safe fix the net accepts (see `fix.verify`), made
    together with the others that pass: an editor offers only these. A fix whose text would
    show a secret is not offered."""
    from .fix.autofix import Round, candidates
    from .fix.verify import Net

    checker = run.checker
    files = checker.fix_files
    offered = [
        f for f in findings if f.fixes and not any(checker.secrets.holds(e.text) for e in f.fixes)
    ]
    if files is None or not offered:
        return []
    texts: dict[Path, tuple[str, str]] = {}
    for name, doc in files.docs.items():
        texts.setdefault(checker.reader.real(Path(name)), (name, doc.text))

    def checker_for(changed: Mapping[Path, tuple[str, str]]) -> Checker:
        fresh = _buffer_checker(run.lookup, run.buffers)
        fresh.serve(changed)
        return fresh

    net = Net(checker_for, checker.configs, texts)
    trial = Round(net)
    found = candidates(offered)
    trial.select([c for c in found if all(net.real(e.file) in texts for e in c.edits)])
    accepted = {frozenset(c.edits) for c in trial.accepted}
    return [f for f in offered if frozenset(f.fixes) in accepted]


def version_for(path: Path, cwd: Path | None) -> str:
    """The NexRL version `check` checks the config at `path` for (its settings, else its
    surroundings: see `version.py`)."""
    from .version import target

    try:
        settings = Lookup(cwd).for_file(path)
    except SettingsError:
        return target(None, "", path).version
    return target(settings.nexrl_version, settings.version_source, path).version
