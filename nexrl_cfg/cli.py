"""The command line: `nexrl-cfg check | resolve | explain | schema | migrate | lsp`.

It parses the arguments, calls the application (`app`) and prints what comes back; nothing
else. Settings flags are declared with the settings (`settings.Settings`), the output formats
by the report's registry (`report`).

Annotations here are evaluated where they are written (no `from __future__ import
annotations`): typer reads a command's annotations when it builds the command, and reading them
from strings, as it does three times over, cost more than building them once (4% of a one-file
check)."""

import contextlib
import errno
import os
import sys
from collections.abc import Sequence
from enum import Enum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TextIO

import typer
from typer.core import TyperCommand, TyperGroup, TyperOption

from . import app as application
from . import report
from .app import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from .nexrl import NAMED_SERVICES, NEWEST
from .output import Secrets, printable, shown
from .settings import SETTINGS

if TYPE_CHECKING:
    from .finding import Finding
    from .fix.autofix import Fixes
    from .report.run import Run


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
            elif isinstance(exc, OSError) and exc.errno in _WRITE_FAILED:  # `--help >&-`
                code = _unwritable(exc).exit_code
            else:
                if "--debug" in argv:
                    import traceback

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
    import traceback  # only when the tool fails

    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return f"{type(exc).__name__}{where}"


def _dashed_paths(group: TyperGroup, argv: list[str]) -> list[str]:
    """`argv` with each existing path that looks like an option (`-x.yaml`) but is not an
    option's bare name (`--fix`) moved after `--`, so that the command takes it as a path."""
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
        # A bare option name stays the option it names, whatever file exists; any other word
        # that exists as a file (`-x.yaml`, `--output-file=x.yaml`, `-ox.yaml`, as a glob or
        # a hook passes them) is a path: no file name sets an option.
        if not word.startswith("-") or word == "-" or word in names:
            kept.append(word)
            value = next(rest, None) if word in takes_value else None
            if value is not None:
                kept.append(value)
        elif os.path.lexists(word):
            paths.append(word)
        else:
            kept.append(word)  # an unknown option: reported as such
    return [*kept, "--", *paths] if paths else kept


def _stdin() -> bytes:
    """What standard input holds (`-`); one line and exit 2 when it was closed before the
    command started."""
    if sys.stdin is None:
        raise _fail("cannot read standard input: it is closed")
    return application.read_stdin(sys.stdin.buffer)


def _flush() -> None:
    """Flush stdout now, so that a full disk or a closed pipe ends the run (see `_unwritable`)
    rather than being found by the interpreter at exit."""
    try:
        sys.stdout.flush()
    except OSError as exc:
        raise _unwritable(exc) from None


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
        raise _unwritable(exc) from None


# How writing the output fails (what click prints, help for one, is written where it is
# made): a reader that went away, a closed descriptor, a full disk or quota.
_WRITE_FAILED = frozenset(
    {errno.EPIPE, errno.EBADF, errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
)


def _unwritable(exc: OSError) -> typer.Exit:
    """The end of a run whose output cannot be written: a reader that went away (`| head`)
    ends it quietly with the status a shell gives a process SIGPIPE ends (128 + 13), as
    `cat` and `grep` do; another failure (a full disk) is one line and exit 2."""
    _silence_stdout()
    if isinstance(exc, BrokenPipeError):
        return typer.Exit(128 + 13)
    return typer.Exit(_say(f"cannot write the output: {exc.strerror or exc}"))


class _Progress:
    """A line on stderr, on a terminal, for a check that takes more than a second: how many
    files of how many are done; rewritten in place at most ten times a second, and cleared
    before the report."""

    def __init__(self) -> None:
        import time

        self._clock = time.monotonic
        self._next = self._clock() + 1.0
        self._shown = False

    @classmethod
    def on_terminal(cls) -> "_Progress | None":
        stream = sys.stderr
        return cls() if stream is not None and stream.isatty() else None

    def __call__(self, done: int, total: int) -> None:
        now = self._clock()
        if now < self._next or done >= total:
            return
        self._next = now + 0.1
        self._shown = True
        sys.stderr.write(f"\rnexrl-cfg: {done}/{total} files checked")
        sys.stderr.flush()

    def clear(self) -> None:
        if self._shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self._shown = False


def _shown(text: str, problems: list[str], code: int) -> NoReturn:
    """Print `text` (a config, a comparison), then the errors NexRL would stop at on stderr,
    and end with `code`."""
    _emit(lambda: sys.stdout.write(text))
    for line in problems:
        print(line, file=sys.stderr)
    raise typer.Exit(code)


def _fail(message: str) -> typer.Exit:
    """One line on stderr (escaped: it may name a path that holds any character), exit 2."""
    return typer.Exit(_say(message))


def _setting(name: str) -> Any:
    """The option of a setting, as the settings declare it."""
    how = SETTINGS[name]
    flags = [flag for flag in (how.flag, how.short) if flag is not None]
    return typer.Option(*flags, metavar=how.metavar, help=how.help)


def _settings_given(ctx: typer.Context) -> dict[str, Any]:
    """The settings given on the command line, by name (None where not given)."""
    return {name: ctx.params[name] for name in SETTINGS if name in ctx.params}


if TYPE_CHECKING:
    Format = str
else:  # the choices of --format: the report's formats
    Format = Enum("Format", [(name, name) for name in report.names()], type=str)


class _CheckCommand(TyperCommand):
    """`check`, whose help describes each output format (read only when help is shown)."""

    def format_options(self, ctx: Any, formatter: Any) -> None:
        for param in self.params:
            if param.name == "output_format" and isinstance(param, TyperOption):
                param.help = report.help_text()
        super().format_options(ctx, formatter)


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def _version_callback(value: bool) -> None:
    if value:
        from .about import NAME, VERSION

        _emit(lambda: print(f"{NAME} {VERSION}"))
        raise typer.Exit()


_CONFIG_PATH = typer.Option(
    "--config-path",
    "-cp",
    metavar="DIR",
    help="The config folder of a launch (`python -m nexrl.main --config-path DIR ...`).",
)
_CONFIG_NAME = typer.Option(
    "--config-name",
    "-cn",
    metavar="NAME",
    help="The config of the launch, in its config folder (NexRL's default: rl_train).",
)
_HYDRA_CHECK = typer.Option(
    "--hydra-check",
    help="Also compose the config with Hydra itself and report where it differs.",
)


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
    cls=_CheckCommand,
    short_help="Check NexRL configs; exit 1 on errors.",
    help="Check NexRL configs. Exit 0 when clean, 1 on errors (or warnings with --strict), "
    "2 when the check could not run. PATH may be a file, a folder (searched for *.yaml and "
    "*.yml, skipping hidden folders, what git ignores and --exclude), or - for standard input. "
    "The config a launch composes: one config file then Hydra overrides (`check run.yaml "
    "trainer.total_train_steps=100 +debug.x=1 ~k model=large`), or the launch's own "
    "arguments (`check --config-path DIR --config-name NAME overrides...`). A word is an "
    "override from the first one that holds `=` or starts with `~` and is not an existing "
    "file or folder: a file named `a=b.yaml` is a path when it exists.",
)
def check(
    ctx: typer.Context,
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PATH... [OVERRIDE...]",
            help="Config files or folders; - for stdin; after one config file, overrides.",
        ),
    ] = None,
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="Report format.")
    ] = report.DEFAULT,
    strict: Annotated[bool | None, _setting("strict")] = None,
    require_env: Annotated[bool | None, _setting("require_env")] = None,
    select: Annotated[str | None, _setting("select")] = None,
    ignore: Annotated[str | None, _setting("ignore")] = None,
    exclude: Annotated[list[str] | None, _setting("exclude")] = None,
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
    env_file: Annotated[str | None, _setting("env_file")] = None,
    debug: Annotated[bool, _setting("debug")] = False,
    nexrl_version: Annotated[str | None, _setting("nexrl_version")] = None,
    jobs: Annotated[int | None, _setting("jobs")] = None,
    fix: Annotated[
        bool, typer.Option("--fix", help="Apply the safe fixes, then check again.")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print the safe fixes as a diff; write nothing.")
    ] = False,
    config_path: Annotated[str | None, _CONFIG_PATH] = None,
    config_name: Annotated[str | None, _CONFIG_NAME] = None,
    hydra_check: Annotated[bool, _HYDRA_CHECK] = False,
) -> None:
    from .report.run import Run

    fmt = output_format.value if isinstance(output_format, Enum) else output_format
    if statistics and report.get(fmt).statistics is None:
        able = [name for name in report.names() if report.get(name).statistics is not None]
        raise _fail(f"--statistics works with --format {' or '.join(able)}")
    if diff and fmt != report.DEFAULT:
        raise _fail(
            f"--diff prints a unified diff and takes no --format {fmt} (check --format {fmt} "
            "gives each finding's fixes)"
        )
    out = _Output(output_file, fmt)
    named, launch = _launch(paths, config_path, config_name, hydra_check)
    if fix and not diff and "-" in named and len(named) > 1:
        raise _fail("--fix with - (standard input) takes no other path")
    request = application.CheckRequest(
        named,
        _settings_given(ctx),
        config,
        stdin=cache(_stdin),
        stdin_name=stdin_filename,
        only_nexrl=only_nexrl,
        exit_zero=exit_zero,
        fixes=report.get(fmt).fixes,
        launch=launch,
        progress=_Progress.on_terminal(),
        note_lines=show_notes,
    )
    out.guard(request)
    try:
        if diff or fix:
            fixes = application.fix(request)
            out.guard(request, fixes.read)
        if diff:
            shown = fixes.diff()
            out.text(shown)
            _not_fixed(fixes.dropped, fixes.secrets)
            raise typer.Exit(EXIT_FINDINGS if shown else EXIT_OK)
        if fix:
            for path in application.write_fixes(fixes):
                _line(f"fixed {path}")
            _not_fixed(fixes.dropped, fixes.secrets)
            if fixes.stdin is not None:
                fixed = _print_stdin(fixes, request)
                request = request.replace(stdin=lambda: fixed)  # what is left is checked
                out.stream = sys.stderr  # as ruff: the text on stdout, the report on stderr
        outcome = application.check(request)
        out.guard(request, outcome.read)
    except application.Failed as exc:
        raise out.fail(str(exc)) from None
    finally:
        if isinstance(request.progress, _Progress):
            request.progress.clear()
    run = Run(
        outcome.findings,
        outcome.files,
        outcome.source_line,
        color=_color("never" if no_color else color.value, out),
        quiet=quiet,
        targets=outcome.targets,
        show_notes=show_notes,
        exit_code=outcome.exit_code,
        reason=outcome.reason,
        width=out.width(),
        launched=outcome.launched,
        skipped=outcome.skipped,
    )
    out.write(run, statistics)
    raise typer.Exit(run.exit_code)


def _not_fixed(dropped: "list[tuple[Finding, str]]", secrets: Secrets | None = None) -> None:
    """A line on stderr for each fix the check offers that is not made, and why."""
    for finding, reason in dropped:
        where = f"{finding.file}:{finding.line}:{finding.column}"
        _line(f"not fixed: {where}: {finding.rule}: {reason}", secrets)


def _line(text: str, secrets: Secrets | None = None) -> None:
    """One line about the files on stderr, as every such line is shown (`output.shown`)."""
    print(shown(text, secrets), file=sys.stderr)


def _print_stdin(fixes: "Fixes", request: application.CheckRequest) -> bytes:
    """The fixed text of standard input on stdout (see `app.fixed_stdin`); its bytes."""
    data = application.fixed_stdin(fixes, request)
    _emit(lambda: sys.stdout.buffer.write(data))
    return data


def _launch(
    words: list[str] | None, folder: str | None, name: str | None, hydra_check: bool
) -> tuple[list[str], application.Launch]:
    """The paths named and the launch of the command line (see `launch.split`)."""
    paths, overrides = application.split_arguments(words or [])
    launch = application.Launch(folder, name, overrides, hydra_check)
    if not paths and not launch:
        raise _fail("give a config file or folder (PATH), or --config-path and --config-name")
    return paths, launch


class _Output:
    """Where the report goes, and the report of a run that could not run (where the format
    writes one: a SARIF log whose invocation says why, so that an upload step has a file)."""

    def __init__(self, file: str | None, fmt: str) -> None:
        self.file, self.format = file, fmt
        # Where the report goes without a file (stderr when stdout carries fixed text).
        self.stream: TextIO = sys.stdout
        self.refused = False

    def guard(self, request: application.CheckRequest, read: Any = ()) -> None:
        """Refuse (exit 2, writing nothing) a report file that is a file the run reads."""
        clash = self.file and application.output_clash(self.file, request, read)
        if clash:
            self.refused = True
            raise _fail(clash)

    def text(self, text: str) -> None:
        """Write `text` (a diff) where the report goes."""
        if self.file is None:
            _emit(lambda: sys.stdout.write(text))
            return
        stream = _open(self.file)
        try:
            stream.write(text)
            stream.close()
        except OSError as exc:
            raise _fail(f"cannot write {self.file}: {exc.strerror or exc}") from None

    def isatty(self) -> bool:
        return self.file is None and sys.stdout.isatty()

    def width(self) -> int:
        if not self.isatty():
            return 100
        import shutil

        return max(40, min(100, shutil.get_terminal_size((100, 24)).columns))

    def write(self, run: "Run", statistics: bool = False) -> None:
        if self.file is None:
            _emit(lambda: report.write(self.format, run, self.stream, statistics))
            return
        stream = _open(self.file)
        try:
            report.write(self.format, run, stream, statistics)
            stream.close()
        except OSError as exc:
            raise _fail(f"cannot write {self.file}: {exc.strerror or exc}") from None

    def fail(self, reason: str) -> typer.Exit:
        if report.get(self.format).failure_report and not self.refused:
            from .report.run import Run

            with contextlib.suppress(typer.Exit):
                self.write(Run([], 0, exit_code=EXIT_USAGE, reason=reason))
        return _fail(reason)


def _open(file: str) -> TextIO:
    try:
        return open(file, "w", encoding="utf-8")
    except OSError as exc:
        raise _fail(f"cannot write {file}: {exc.strerror or exc}") from None


def _color(choice: str, out: _Output) -> bool:
    """Colour for `--color` (auto: on a terminal, unless NO_COLOR; FORCE_COLOR forces it)."""
    if choice != "auto":
        return choice == "always"
    # NO_COLOR and FORCE_COLOR count when set to something (no-color.org, force-color.org).
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or out.isatty()


@app.command(
    short_help="Print the config NexRL would see, composed and resolved.",
    help="Print the config NexRL would see: composed, interpolated, secrets redacted, unset "
    "variables marked. Exit 1 when NexRL would stop at an error (listed on stderr).",
)
def resolve(
    words: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="CONFIG [OVERRIDE...]",
            help="The config to compose and resolve, then Hydra overrides.",
        ),
    ] = None,
    show_origin: Annotated[
        bool,
        typer.Option(
            "--show-origin",
            help='Tell the file and line of each value ("command line" for an override).',
        ),
    ] = False,
    env_file: Annotated[str | None, _setting("env_file")] = None,
    config_path: Annotated[str | None, _CONFIG_PATH] = None,
    config_name: Annotated[str | None, _CONFIG_NAME] = None,
    launched: Annotated[
        bool,
        typer.Option(
            "--as-launched",
            help="The config as NexRL's code reads it after start-up: with _config_file_path "
            "and, from NexRL 1.2, the legacy layout migrated (see --nexrl-version).",
        ),
    ] = False,
    nexrl_version: Annotated[str | None, _setting("nexrl_version")] = None,
) -> None:
    paths, launch = _launch(words, config_path, config_name, False)
    if len(paths) > 1:
        raise _fail(f"resolve takes one config (got {len(paths)}: {', '.join(paths)})")
    try:
        rendering = application.resolve(
            paths[0] if paths else None,
            env_file,
            show_origin,
            launch=launch,
            as_launched=launched,
            nexrl_version=nexrl_version,
        )
    except application.Failed as exc:
        raise _fail(str(exc)) from None
    _shown(rendering.text, rendering.problems, rendering.exit_code)


@app.command(
    "diff",
    short_help="Compare the configs two runs give NexRL, key by key.",
    help="Compare the configs two runs give NexRL: each composed, overridden and resolved as "
    "`resolve` shows it, then compared key by key; each difference with both values and where "
    "each was written, secrets redacted. Exit 1 when they differ, 0 when they are the same.",
)
def diff_command(
    a: Annotated[str, typer.Argument(metavar="A", help="The first run's config.")],
    b: Annotated[str, typer.Argument(metavar="B", help="The second run's config.")],
    override_a: Annotated[
        list[str] | None,
        typer.Option("--override-a", metavar="KEY=VALUE", help="A Hydra override of run A."),
    ] = None,
    override_b: Annotated[
        list[str] | None,
        typer.Option("--override-b", metavar="KEY=VALUE", help="A Hydra override of run B."),
    ] = None,
    env_file: Annotated[str | None, _setting("env_file")] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", metavar="text|json", help="text (default) or json.")
    ] = "text",
) -> None:
    if output_format not in ("text", "json"):
        raise _fail(f"diff prints text or json, not {output_format}")
    try:
        compared = application.compare_runs(
            a, b, env_file, (override_a or (), override_b or ()), output_format == "json"
        )
    except application.Failed as exc:
        raise _fail(str(exc)) from None
    _shown(compared.text, compared.problems, compared.exit_code)


@app.command(short_help="Explain an option or a rule.")
def explain(
    topic: Annotated[
        str | None,
        typer.Argument(
            metavar="TOPIC", help="An option name, dotted path (as a finding prints it) or rule id."
        ),
    ] = None,
    list_all: Annotated[bool, typer.Option("--list", help="List every rule and option.")] = False,
    nexrl_version: Annotated[
        str | None,
        typer.Option(
            "--nexrl-version", metavar="X.Y", help="The NexRL version (1.0 to 1.4); all of them."
        ),
    ] = None,
) -> None:
    """Explain an option (type, allowed values, default, description, examples, NexRL's
    documentation), a key as a finding prints it, or a rule."""
    try:
        text = application.explain(None if list_all else topic, nexrl_version)
    except application.Failed as exc:
        raise _fail(str(exc)) from None
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
    try:
        text = application.schema(nexrl_version, fragment)
    except application.Failed as exc:
        raise _fail(str(exc)) from None
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
    if write_files and show_diff:
        raise _fail("choose one of --write and --diff")
    try:
        migration = application.migrate(paths, to)
        written = application.write_migration(migration) if write_files else None
    except application.Failed as exc:
        raise _fail(str(exc)) from None
    if written is None:
        _emit(lambda: sys.stdout.write(migration.diff()))
    for path in written or ():
        _line(f"migrated {path}")
    for line in migration.notes:
        _line(f"note: {line}")
    for line in migration.problems:
        _line(f"needs a choice: {line}")
    raise typer.Exit(EXIT_FINDINGS if migration.problems else EXIT_OK)


@app.command(
    short_help="Serve an editor: the language server, on standard input and output.",
    help="Run the language server (LSP, on standard input and output) for an editor: "
    "diagnostics as you type, hover, completion, code actions and go to definition. Needs the "
    "`lsp` extra: pip install 'nexrl-cfg[lsp]'.",
)
def lsp(
    stdio: Annotated[
        bool, typer.Option("--stdio", help="Talk on standard input and output (the default).")
    ] = True,
) -> None:
    from . import lsp as server

    if not server.available():
        raise _fail(server.MISSING)
    for stream, name in ((sys.stdin, "input"), (sys.stdout, "output")):
        if getattr(stream, "buffer", None) is None:  # closed before the command started
            raise _fail(f"the language server talks on standard {name}, which is closed")
    code = server.serve()
    # The server closed standard output when the client said exit: nothing is left to flush.
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stands in for stdout until exit
    raise typer.Exit(code)


def main() -> None:
    _batch_collector()
    _app_for(sys.argv[1:])()


def _batch_collector() -> None:
    """Tune the garbage collector for a run of the tool: what the imports made lives to the
    end, out of the collector's way (`gc.freeze`), and the youngest objects are collected
    less often: a check makes no reference cycle, so its garbage is freed as soon as it is
    dropped, and a collection only walks what is still in use (at 200 recipe configs a worker
    now collects not once). The command starts with it off (`__main__`)."""
    import gc

    gc.freeze()
    gc.set_threshold(50_000, 10, 10)
    gc.enable()


def _app_for(argv: Sequence[str]) -> typer.Typer:
    """The application with only the command `argv` names, when it names one: typer builds
    each registered command's options from its signature on every run, and one command's
    are all a run of it needs. Help for the whole tool, completion, an unknown command and
    everything else get the whole application."""
    word = next((w for w in argv if not w.startswith("-")), None)
    if word is None or argv[0].startswith("-") or "_NEXRL_CFG_COMPLETE" in os.environ:
        return app
    import copy

    from typer.main import get_command_name

    chosen = [
        c
        for c in app.registered_commands
        if (c.name or get_command_name(c.callback.__name__ if c.callback else "")) == word
    ]
    if not chosen:
        return app
    lean = copy.copy(app)
    lean.registered_commands = chosen
    return lean


if __name__ == "__main__":
    main()
