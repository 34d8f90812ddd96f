"""The command line: `nexrl-cfg check | resolve | explain | schema`.

Thin: parse, call, print, exit."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from enum import Enum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
from typer.core import TyperGroup

from .discovery import unreadable
from .nexrl import NAMED_SERVICES, NEWEST, at_least, versions
from .output import printable
from .settings import SettingsError as _SettingsError

if TYPE_CHECKING:
    from .check import Checker
    from .finding import Finding
    from .settings import Lookup, Settings

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Group(TyperGroup):
    """The command group, run so that every exit 2 is one line on stderr: a usage error, an
    output that cannot be written, a failure of the tool itself (its traceback with
    `--debug`). A file whose name starts with `-` (as pre-commit passes `-x.yaml`) is a path
    when it exists and is no option; `--` ends the options as usual."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = _dashed_paths(self, list(sys.argv[1:] if args is None else args))
        try:
            code = super().main(
                args=argv,
                prog_name=prog_name or "nexrl-cfg",
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
            _flush()
        except typer.Abort:
            code = _say("interrupted")
        except typer.Exit as exc:
            code = exc.exit_code
        except Exception as exc:
            if hasattr(exc, "format_message") and getattr(exc, "exit_code", None) == 2:
                code = _say(_usage(exc))  # click's UsageError: a bad option, a missing path
            else:
                if "--debug" in argv:
                    traceback.print_exc()
                code = _say(
                    f"failed ({_where(exc)}); please report it; --debug shows the traceback"
                )
        code = code if isinstance(code, int) else EXIT_OK
        if standalone_mode:
            sys.exit(code)
        return code


app = typer.Typer(
    name="nexrl-cfg",
    help="Validate and lint NexRL configuration files before launch.",
    add_completion=True,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Plain help: it reads at 80 columns (rich tables squeeze every option into a third).
    rich_markup_mode=None,
    cls=_Group,
)


def _say(message: str) -> int:
    """One line on stderr; the exit code of a run that could not be done."""
    with contextlib.suppress(OSError, ValueError):
        print(f"nexrl-cfg: {printable(message)}", file=sys.stderr, flush=True)
    return EXIT_USAGE


def _usage(exc: Any) -> str:
    message = " ".join(str(exc.format_message()).split())
    command = exc.ctx.command_path if getattr(exc, "ctx", None) is not None else "nexrl-cfg"
    return f"{message} (see `{command} --help`)"


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return f"{type(exc).__name__}{where}"


def _dashed_paths(group: TyperGroup, argv: list[str]) -> list[str]:
    """`argv` with each existing path that looks like an option (`-x.yaml`) moved after `--`,
    so that the command takes it as a path."""
    index = next((i for i, word in enumerate(argv) if not word.startswith("-")), None)
    if index is None or "--" in argv[:index]:
        return argv
    command = group.commands.get(argv[index])
    if command is None:
        return argv
    names = {"--help"}
    takes_value = set()
    for param in command.params:
        if getattr(param, "param_type_name", "") == "option":
            names.update(param.opts, param.secondary_opts)
            if not getattr(param, "is_flag", False) and not getattr(param, "count", False):
                takes_value.update(param.opts)
    kept, paths = argv[: index + 1], list[str]()
    rest = iter(argv[index + 1 :])
    for word in rest:
        if word == "--":
            paths.extend(rest)
            break
        option = word.split("=", 1)[0]
        if not word.startswith("-") or word == "-" or option in names:
            kept.append(word)
            value = next(rest, None) if word in takes_value else None
            if value is not None:
                kept.append(value)
        elif os.path.lexists(word):
            paths.append(word)
        else:
            kept.append(word)  # an unknown option: reported as such
    return [*kept, "--", *paths] if paths else kept


def _flush() -> None:
    """Flush stdout now, so that a full disk or a closed pipe is reported (one line, exit 2)
    rather than found by the interpreter at exit."""
    try:
        sys.stdout.flush()
    except OSError as exc:
        _silence_stdout()
        raise typer.Exit(_say(f"cannot write the output: {exc.strerror or exc}")) from None


def _silence_stdout() -> None:
    """Send what is left in stdout's buffer nowhere: it cannot be written."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _emit(write: Any) -> None:
    """Run `write()` (which writes to stdout) and flush; a failure to write is one line."""
    try:
        write()
        sys.stdout.flush()
    except OSError as exc:
        _silence_stdout()
        raise typer.Exit(_say(f"cannot write the output: {exc.strerror or exc}")) from None


def _rules(value: str | None) -> frozenset[str] | None:
    if value is None:
        return None
    return frozenset(part.strip() for part in value.split(",") if part.strip())


def _fail(message: str) -> typer.Exit:
    """One line on stderr (escaped: it may name a path that holds any character), exit 2."""
    return typer.Exit(_say(message))


class Format(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def _version_callback(value: bool) -> None:
    if value:
        from . import __version__

        print(f"nexrl-cfg {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_version_callback,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Validate and lint NexRL configuration files before launch."""


@app.command(
    short_help="Check NexRL configs; exit 1 on errors.",
    help="Check NexRL configs. Exit 0 when clean, 1 on errors (or warnings with --strict), "
    "2 when the check could not run. PATH may be a file, a folder (searched for *.yaml and "
    "*.yml, skipping hidden folders, what git ignores and --exclude), or - for standard input.",
)
def check(
    paths: Annotated[
        list[str], typer.Argument(metavar="PATH...", help="Config files or folders; - for stdin.")
    ],
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="Report format.")
    ] = Format.text,
    strict: Annotated[
        bool | None, typer.Option("--strict/--no-strict", help="Warnings fail the check too.")
    ] = None,
    require_env: Annotated[
        bool | None,
        typer.Option("--require-env/--allow-unset-env", help="An unset variable is an error."),
    ] = None,
    select: Annotated[
        str | None,
        typer.Option("--select", metavar="RULES", help="Only these rules (comma-separated ids)."),
    ] = None,
    ignore: Annotated[
        str | None,
        typer.Option("--ignore", metavar="RULES", help="Skip these rules (comma-separated ids)."),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude",
            metavar="GLOB",
            help="Leave out matching files and folders when walking a folder (repeatable).",
        ),
    ] = None,
    only_nexrl: Annotated[
        bool,
        typer.Option(
            "--only-nexrl",
            help="Treat files named like files found in folders: check one only when it looks "
            "like NexRL and is not excluded (for hooks that pass every YAML file).",
        ),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="Findings and hints only: no source lines or notes."),
    ] = False,
    show_notes: Annotated[
        bool,
        typer.Option("--show-notes", help="Report every note (info finding), in every format."),
    ] = False,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Print a count per rule instead of findings.")
    ] = False,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when there are findings.")
    ] = False,
    output_file: Annotated[
        str | None,
        typer.Option("--output-file", "-o", metavar="FILE", help="Write the report to FILE."),
    ] = None,
    color: Annotated[
        Color,
        typer.Option(
            "--color", help="Colour: on a terminal (auto; NO_COLOR, FORCE_COLOR), always or never."
        ),
    ] = Color.auto,
    no_color: Annotated[bool, typer.Option("--no-color", hidden=True)] = False,
    config: Annotated[
        str | None,
        typer.Option(
            "--config",
            metavar="FILE",
            help="Settings from FILE (a pyproject.toml or a TOML file of settings) for every "
            "checked file.",
        ),
    ] = None,
    stdin_filename: Annotated[
        str | None,
        typer.Option(
            "--stdin-filename",
            metavar="PATH",
            help="Where the text read from - stands: defaults and settings are found from there.",
        ),
    ] = None,
    env_file: Annotated[
        str | None,
        typer.Option("--env-file", metavar="FILE", help="Read variables from this KEY=VALUE file."),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
    nexrl_version: Annotated[
        str | None,
        typer.Option(
            "--nexrl-version",
            metavar="X.Y",
            help="The NexRL version to check for (1.0 to 1.4); by default the installed one.",
        ),
    ] = None,
    fix: Annotated[
        bool, typer.Option("--fix", help="Apply the safe fixes, then check again.")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print the safe fixes as a diff; write nothing.")
    ] = False,
) -> None:
    from .check import unique
    from .report import Run

    fmt = output_format.value
    if statistics and fmt not in ("text", "json"):
        raise _fail("--statistics works with --format text or json")
    out = _Output(output_file, fmt)
    flags = _flags(select, ignore, strict, require_env, env_file, debug, nexrl_version)
    lookup = _lookup(flags, tuple(exclude or ()), config, out)
    _check_paths(paths, out)
    stdin = sys.stdin.buffer.read() if "-" in paths else b""

    def collect() -> tuple[Checker, list[Finding], int]:
        return _collect(paths, lookup, out, (Path(stdin_filename or "-"), stdin), only_nexrl)

    if fix or diff:
        _fix(collect, write=fix and not diff)
        if diff:
            raise typer.Exit(EXIT_OK)
    checker, findings, files = collect()
    findings = unique(findings)
    if quiet and not show_notes and fmt != "text":  # text sums up unset variables
        findings = [f for f in findings if f.severity.value != "info"]
    targets = sorted((t.version, t.source) for t in checker.targets)
    run = Run(findings, files, checker.source_line, quiet=quiet, targets=targets)
    run.secrets = checker.secrets
    run.show_notes, run.width = show_notes, out.width()
    run.color = fmt == "text" and _color("never" if no_color else color.value, out)
    run.exit_code, run.reason = _exit_code(run, lookup, exit_zero)
    out.write(run, statistics)
    raise typer.Exit(run.exit_code)


class _Output:
    """Where the report goes, and the report of a run that could not run (in SARIF: a log
    whose invocation says why, so that an upload step still has a file)."""

    def __init__(self, file: str | None, fmt: str) -> None:
        self.file, self.format = file, fmt

    def isatty(self) -> bool:
        return self.file is None and sys.stdout.isatty()

    def width(self) -> int:
        if not self.isatty():
            return 100
        import shutil

        return max(40, min(100, shutil.get_terminal_size((100, 24)).columns))

    def write(self, run: Any, statistics: bool = False) -> None:
        from .report import write

        def report(stream: TextIO) -> None:
            if statistics:
                _write_statistics(run, self.format, stream)
            else:
                write(self.format, run, stream)

        if self.file is None:
            _emit(lambda: report(sys.stdout))
            return
        stream = _open(self.file)
        try:
            report(stream)
            stream.close()
        except OSError as exc:
            raise _fail(f"cannot write {self.file}: {exc.strerror or exc}") from None

    def fail(self, reason: str) -> typer.Exit:
        if self.format == "sarif":
            from .report import Run

            run = Run([], 0, exit_code=EXIT_USAGE, reason=reason)
            with contextlib.suppress(typer.Exit):
                self.write(run)
        return _fail(reason)


def _open(file: str) -> TextIO:
    try:
        return open(file, "w", encoding="utf-8")
    except OSError as exc:
        raise _fail(f"cannot write {file}: {exc.strerror or exc}") from None


def _write_statistics(run: Any, fmt: str, stream: TextIO) -> None:
    from collections import Counter

    from .report.text_format import statistics

    if fmt == "json":
        counts = Counter(f.rule for f in run.findings)
        rows = [{"code": rule, "count": n} for rule, n in counts.most_common()]
        stream.write(json.dumps(rows, indent=2) + "\n")
    else:
        table = statistics(run)
        if table:
            stream.write(table + "\n")


def _collect(
    paths: list[str],
    lookup: Lookup,
    out: _Output,
    stdin: tuple[Path, bytes],
    only_nexrl: bool = False,
) -> tuple[Checker, list[Finding], int]:
    """Check every file: the checker, the findings and the number of files checked. With
    `only_nexrl`, a file named is taken as one found in a folder (shape and excludes)."""
    from .check import Checker
    from .discovery import excluder, outside_note, walk

    checker = Checker(lookup.default, settings_for=lookup.for_file)
    findings: list[Finding] = []
    files = 0
    outside: list[tuple[Path, Path]] = []
    excluded = excluder(lookup.for_folder, lookup.cwd)
    found = walk(paths, excluded, outside)
    try:
        while True:
            try:
                path, named = next(found, (None, True))
            except OSError as exc:  # a folder that cannot be listed: nothing below it is checked
                raise out.fail(f"cannot read {exc.filename}: {exc.strerror or exc}") from None
            if path is None:
                break
            if named and only_nexrl:
                if excluded(path):
                    continue
                named = False
            if str(path) == "-":
                path = stdin[0]
                checker.provide(path, stdin[1])
            try:
                result = checker.check_file(path, named)
            except OSError as exc:
                raise out.fail(f"cannot read {path}: {exc.strerror or exc}") from None
            files += 1
            findings.extend(result.findings)
    except _SettingsError as exc:
        raise out.fail(str(exc)) from None
    for link, folder in outside:
        files += 1
        findings.append(outside_note(link, folder))
    if not files:
        raise out.fail(f"no YAML files (*.yaml, *.yml) found in {', '.join(paths)}")
    return checker, findings, files


def _fix(collect: Callable[[], tuple[Checker, list[Finding], int]], write: bool) -> None:
    """Apply the fixes of the findings (or print them as a diff when not `write`); a fix can
    reveal another (a key renamed, its value is checked), so fixing repeats a few rounds."""
    from .fix.autofix import fixed_files, write_fixed
    from .fix.edits import StaleFile

    for _ in range(4 if write else 1):
        fixed = fixed_files(collect()[1])
        if not write:
            _emit(partial(sys.stdout.write, fixed.diff()))
            return
        if not fixed.files:
            return
        try:
            for path in write_fixed(fixed):
                print(f"fixed {path}", file=sys.stderr)
        except StaleFile as exc:
            raise _fail(f"{exc} changed while it was being fixed; nothing written") from None


def _check_paths(paths: list[str], out: _Output) -> None:
    problems = {given: unreadable(given) for given in paths if given != "-"}
    missing = [given for given, problem in problems.items() if problem == "missing"]
    if missing:
        raise out.fail(f"path not found: {', '.join(missing)}")
    for given, problem in problems.items():
        if problem:
            raise out.fail(f"cannot read {given}: {problem}")


def _color(choice: str, out: _Output) -> bool:
    """Colour for `--color` (auto: on a terminal, unless NO_COLOR; FORCE_COLOR forces it)."""
    if choice != "auto":
        return choice == "always"
    # NO_COLOR and FORCE_COLOR count when set to something (no-color.org, force-color.org).
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or out.isatty()


def _exit_code(run: Any, lookup: Lookup, exit_zero: bool) -> tuple[int, str]:
    """The exit status and, when the check could not run, why."""
    from .rules.internal_error import ID as INTERNAL_ERROR

    if any(f.rule == INTERNAL_ERROR for f in run.findings):
        # A file could not be checked: not a verdict on it.
        return EXIT_USAGE, "a file could not be checked (internal error)"
    if exit_zero:
        return EXIT_OK, ""
    for f in run.findings:
        failing = ("error", "warning") if lookup.for_file(Path(f.file)).strict else ("error",)
        if f.severity.value in failing:
            return EXIT_FINDINGS, ""
    return EXIT_OK, ""


def _working_folder() -> Path | None:
    """The working folder, or None when it was removed (no settings file to look for)."""
    from .output import working_folder

    folder = working_folder()
    return None if folder is None else Path(folder)


def _flags(
    select: str | None,
    ignore: str | None,
    strict: bool | None,
    require_env: bool | None,
    env_file: str | None,
    debug: bool,
    nexrl_version: str | None,
) -> dict[str, Any]:
    """The command-line values that settings files may be overridden with."""
    from .version import UnknownVersion, parse

    try:
        version = None if nexrl_version is None else parse(nexrl_version)
    except UnknownVersion as exc:
        raise _fail(str(exc)) from None
    return {
        "select": _rules(select),
        "ignore": _rules(ignore),
        "strict": strict,
        "require_env": require_env,
        "env_file": None if env_file is None else Path(env_file),
        "debug": debug,
        "nexrl_version": version,
    }


def _lookup(
    flags: dict[str, Any], exclude: tuple[str, ...], config: str | None, out: _Output
) -> Lookup:
    from .settings import Lookup

    if config is not None and not Path(config).is_file():
        raise out.fail(f"settings file not found: {config}")
    try:
        return Lookup(
            _working_folder(), None if config is None else Path(config), exclude=exclude, **flags
        )
    except _SettingsError as exc:
        raise out.fail(str(exc)) from None


def _settings(
    select: str | None = None,
    ignore: str | None = None,
    strict: bool | None = None,
    require_env: bool | None = None,
    env_file: str | None = None,
    debug: bool = False,
    nexrl_version: str | None = None,
) -> Settings:
    """Command-line flags (None where not given) over `[tool.nexrl-cfg]` in pyproject.toml."""
    from .settings import SettingsError, build
    from .version import UnknownVersion, parse

    try:
        version = None if nexrl_version is None else parse(nexrl_version)
    except UnknownVersion as exc:
        raise _fail(str(exc)) from None
    try:
        folder = Path(os.getcwd())
    except OSError:  # the working folder was removed: no settings file to look for
        folder = None
    try:
        return build(
            folder,
            select=_rules(select),
            ignore=_rules(ignore),
            strict=strict,
            require_env=require_env,
            env_file=None if env_file is None else Path(env_file),
            debug=debug,
            nexrl_version=version,
        )
    except SettingsError as exc:
        raise _fail(str(exc)) from None


@app.command(
    short_help="Print the config NexRL would see, composed and resolved.",
    help="Print the config NexRL would see: composed, interpolated, secrets redacted, unset "
    "variables marked. Exit 1 when NexRL would stop at an error (listed on stderr).",
)
def resolve(
    config: Annotated[
        str, typer.Argument(metavar="CONFIG", help="The config to compose and resolve.")
    ],
    show_origin: Annotated[
        bool, typer.Option("--show-origin", help="Tell the file and line of each value.")
    ] = False,
    env_file: Annotated[
        str | None,
        typer.Option("--env-file", metavar="FILE", help="Read variables from this KEY=VALUE file."),
    ] = None,
) -> None:
    from .report.resolved import ResolveError, render_config

    problem = unreadable(config)
    if problem == "missing":
        raise _fail(f"path not found: {config}")
    if problem:
        raise _fail(f"cannot read {config}: {problem}")
    settings = _settings(env_file=env_file)
    try:
        rendered = render_config(
            Path(config),
            settings.environ,
            show_origin=show_origin,
            secret_values=settings.secret_values,
        )
    except ResolveError as exc:
        print(str(exc), file=sys.stderr)
        raise typer.Exit(EXIT_FINDINGS) from None
    except OSError as exc:
        raise _fail(f"cannot read {config}: {exc.strerror or exc}") from None
    except Exception as exc:  # a bug of ours: one line, never a traceback (nor a value)
        raise _fail(
            f"failed on {config} ({type(exc).__name__}); please report it, with the file if "
            "you can share it"
        ) from None
    _emit(lambda: sys.stdout.write(rendered.text))
    for line in rendered.problems:
        print(line, file=sys.stderr)
    raise typer.Exit(EXIT_FINDINGS if rendered.problems else EXIT_OK)


@app.command(short_help="Explain an option or a rule.")
def explain(
    topic: Annotated[
        str | None,
        typer.Argument(metavar="TOPIC", help="An option name, dotted path or rule id."),
    ] = None,
    list_all: Annotated[bool, typer.Option("--list", help="List every rule and option.")] = False,
) -> None:
    """Explain an option (type, allowed values, default, description, examples) or a rule."""
    from . import explain as explaining

    if list_all or topic is None:
        _emit(lambda: print(explaining.listing()))
        return
    text = explaining.explain(topic)
    if text is None:
        near = explaining.suggestions(topic)
        tip = f" Did you mean: {', '.join(near)}?" if near else ""
        raise _fail(f"no option or rule called '{topic}'.{tip} (`explain --list` lists all)")
    _emit(lambda: print(text))


@app.command(short_help="Print the JSON Schema of a NexRL config, for editors.")
def schema(
    output: Annotated[
        str | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write to this file instead of printing."
        ),
    ] = None,
    nexrl_version: Annotated[
        str | None,
        typer.Option(
            "--nexrl-version", metavar="X.Y", help="The NexRL version (1.0 to 1.4); the newest."
        ),
    ] = None,
    fragment: Annotated[
        bool,
        typer.Option("--fragment", help="The schema of a part of a config: nothing required."),
    ] = False,
) -> None:
    """Print the JSON Schema of a NexRL config, for editors and other validators."""
    from .schema import dumps
    from .version import NEWEST, UnknownVersion, parse

    try:
        version = NEWEST if nexrl_version is None else parse(nexrl_version)
    except UnknownVersion as exc:
        raise _fail(str(exc)) from None
    text = dumps(version, fragment)
    if output is None:
        _emit(lambda: sys.stdout.write(text))
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _fail(f"cannot write {output}: {exc.strerror or exc}") from None


@app.command(
    short_help="Rewrite configs for a newer NexRL's layout.",
    help="Rewrite configs written for an older NexRL in the layout of a newer one. Exit 0 when "
    "done (or nothing to do), 1 when something needs a choice (reported; those files are left "
    "alone), 2 when a file could not be written.",
)
def migrate(
    paths: Annotated[
        list[str], typer.Argument(metavar="PATH...", help="Config files or recipe folders.")
    ],
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="X.Y",
            help=f"The NexRL version to migrate to ({NAMED_SERVICES} to {NEWEST}).",
        ),
    ] = NEWEST,
    write_files: Annotated[
        bool, typer.Option("--write", help="Write the migrated files (atomically).")
    ] = False,
    show_diff: Annotated[
        bool, typer.Option("--diff", help="Print a unified diff, write nothing (the default).")
    ] = False,
) -> None:
    from .fix.edits import StaleFile
    from .fix.migrate import migrate as run_migration
    from .version import UnknownVersion, parse

    try:
        target = parse(to)
    except UnknownVersion as exc:
        raise _fail(str(exc)) from None
    if not at_least(target, NAMED_SERVICES):
        *first, last = versions(NAMED_SERVICES)
        choices = f"{', '.join(first)} or {last}"
        raise _fail(f"nothing to migrate to for NexRL {target}: choose {choices}")
    if write_files and show_diff:
        raise _fail("choose one of --write and --diff")
    for given in paths:
        if unreadable(given):
            raise _fail(f"cannot read {given}: {unreadable(given)}")
    outcome = run_migration(paths, target)
    if write_files:
        try:
            for path in outcome.write():
                print(f"migrated {path}", file=sys.stderr)
        except StaleFile as exc:
            raise _fail(f"{exc} changed since it was read; nothing written") from None
    else:
        _emit(lambda: sys.stdout.write(outcome.diff()))
    for line in outcome.notes:
        print(f"note: {line}", file=sys.stderr)
    for line in outcome.problems:
        print(f"needs a choice: {line}", file=sys.stderr)
    raise typer.Exit(EXIT_FINDINGS if outcome.problems else EXIT_OK)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
