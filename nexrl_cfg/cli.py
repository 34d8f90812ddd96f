"""The command line: `nexrl-cfg check | resolve | explain | schema`.

Thin: parse, call, print, exit."""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from .check import Checker
    from .finding import Finding
    from .settings import Settings

app = typer.Typer(
    name="nexrl-cfg",
    help="Validate and lint NexRL configuration files before launch.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _rules(value: str | None) -> frozenset[str] | None:
    if value is None:
        return None
    return frozenset(part.strip() for part in value.split(",") if part.strip())


def _fail(message: str) -> typer.Exit:
    print(f"nexrl-cfg: {message}", file=sys.stderr)
    return typer.Exit(EXIT_USAGE)


@app.command()
def check(
    paths: Annotated[
        list[str], typer.Argument(help="Config files or folders (searched for *.yaml, *.yml).")
    ],
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="text, json, github or sarif.")
    ] = "text",
    strict: Annotated[
        bool | None, typer.Option("--strict/--no-strict", help="Warnings fail the check too.")
    ] = None,
    require_env: Annotated[
        bool | None,
        typer.Option("--require-env/--allow-unset-env", help="An unset variable is an error."),
    ] = None,
    select: Annotated[
        str | None, typer.Option("--select", help="Only these rules (comma-separated ids).")
    ] = None,
    ignore: Annotated[
        str | None, typer.Option("--ignore", help="Skip these rules (comma-separated ids).")
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Findings only: no source lines, hints or notes.")
    ] = False,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="No colour (also: NO_COLOR=1).")
    ] = False,
    env_file: Annotated[
        str | None, typer.Option("--env-file", help="Read variables from this KEY=VALUE file.")
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
    nexrl_version: Annotated[
        str | None,
        typer.Option(
            "--nexrl-version",
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
    """Check NexRL configs: exit 0 when clean, 1 on errors (or warnings with --strict), 2 when
    the check could not run."""
    from .check import unique
    from .finding import Severity
    from .report import FORMATS, Run, write

    if output_format not in FORMATS:
        raise _fail(f"unknown format '{output_format}' (choose from {', '.join(FORMATS)})")
    settings = _settings(select, ignore, strict, require_env, env_file, debug, nexrl_version)
    problems = {given: _unreadable(given) for given in paths}
    missing = [given for given, problem in problems.items() if problem == "missing"]
    if missing:
        raise _fail(f"path not found: {', '.join(missing)}")
    for given, problem in problems.items():
        if problem:
            raise _fail(f"cannot read {given}: {problem}")

    if fix or diff:
        _fix(paths, settings, write=fix and not diff)
        if diff:
            raise typer.Exit(EXIT_OK)
    checker, findings, files = _collect(paths, settings)
    findings = unique(findings)
    if quiet:
        findings = [f for f in findings if f.severity is not Severity.INFO]
    # NO_COLOR counts when set to something (no-color.org), not when merely present and empty.
    color = output_format == "text" and not no_color and not os.environ.get("NO_COLOR")
    color = color and sys.stdout.isatty()
    targets = sorted((t.version, t.source) for t in checker.targets)
    run = Run(findings, files, checker.source_line, color=color, quiet=quiet, targets=targets)
    write(output_format, run, sys.stdout)
    if any(f.rule == "internal-error" for f in findings):
        raise typer.Exit(EXIT_USAGE)  # a file could not be checked: not a verdict on it
    failing = {Severity.ERROR, Severity.WARNING} if settings.strict else {Severity.ERROR}
    raise typer.Exit(EXIT_FINDINGS if any(f.severity in failing for f in findings) else EXIT_OK)


def _collect(paths: list[str], settings: Settings) -> tuple[Checker, list[Finding], int]:
    """Check every file: the checker, the findings and the number of files checked."""
    from .check import Checker, iter_yaml_files

    checker = Checker(settings)
    findings: list[Finding] = []
    files = 0
    for path in iter_yaml_files(paths):
        try:
            result = checker.check_file(path)
        except OSError as exc:
            raise _fail(f"cannot read {path}: {exc.strerror or exc}") from None
        files += 1
        findings.extend(result.findings)
    if not files:
        raise _fail(f"no YAML files (*.yaml, *.yml) found in {', '.join(paths)}")
    return checker, findings, files


def _fix(paths: list[str], settings: Settings, write: bool) -> None:
    """Apply the fixes of the findings (or print them as a diff when not `write`); a fix can
    reveal another (a key renamed, its value is checked), so fixing repeats a few rounds."""
    from .fix.autofix import fixed_files, write_fixed
    from .fix.edits import StaleFile

    for _ in range(4 if write else 1):
        fixed = fixed_files(_collect(paths, settings)[1])
        if not write:
            sys.stdout.write(fixed.diff())
            return
        if not fixed.files:
            return
        try:
            for path in write_fixed(fixed):
                print(f"fixed {path}", file=sys.stderr)
        except StaleFile as exc:
            raise _fail(f"{exc} changed while it was being fixed; nothing written") from None


def _unreadable(given: str) -> str | None:
    """Why a path named on the command line cannot be checked ("missing" when it does not
    exist), or None."""
    try:
        os.stat(given)
    except FileNotFoundError:
        return "a symbolic link to a missing file" if os.path.islink(given) else "missing"
    except OSError as exc:
        return "a symbolic link loop" if exc.errno == errno.ELOOP else str(exc.strerror or exc)
    except ValueError:  # a NUL character in the name
        return "missing"
    return None


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
        return build(
            Path.cwd(),
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


@app.command()
def resolve(
    config: Annotated[str, typer.Argument(help="The config to compose and resolve.")],
    show_origin: Annotated[
        bool, typer.Option("--show-origin", help="Tell the file and line of each value.")
    ] = False,
    env_file: Annotated[
        str | None, typer.Option("--env-file", help="Read variables from this KEY=VALUE file.")
    ] = None,
) -> None:
    """Print the config NexRL would see: composed, interpolated, secrets redacted, unset
    variables marked. Exit 1 when NexRL would stop at an error (listed on stderr)."""
    from .report.resolved import ResolveError, render_config

    if not Path(config).is_file():
        raise _fail(f"path not found: {config}")
    settings = _settings(env_file=env_file)
    try:
        rendered = render_config(Path(config), settings.environ, show_origin=show_origin)
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
    sys.stdout.write(rendered.text)
    for problem in rendered.problems:
        print(problem, file=sys.stderr)
    raise typer.Exit(EXIT_FINDINGS if rendered.problems else EXIT_OK)


@app.command()
def explain(
    topic: Annotated[
        str | None, typer.Argument(help="An option name, dotted path or rule id.")
    ] = None,
    list_all: Annotated[bool, typer.Option("--list", help="List every rule and option.")] = False,
) -> None:
    """Explain an option (type, allowed values, default, description, examples) or a rule."""
    from . import explain as explaining

    if list_all or topic is None:
        print(explaining.listing())
        return
    text = explaining.explain(topic)
    if text is None:
        near = explaining.suggestions(topic)
        tip = f" Did you mean: {', '.join(near)}?" if near else ""
        raise _fail(f"no option or rule called '{topic}'.{tip} (`explain --list` lists all)")
    print(text)


@app.command()
def schema(
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write to this file instead of printing.")
    ] = None,
    nexrl_version: Annotated[
        str | None,
        typer.Option("--nexrl-version", help="The NexRL version (1.0 to 1.4); the newest."),
    ] = None,
) -> None:
    """Print the JSON Schema of a NexRL config, for editors and other validators."""
    from .schema import dumps
    from .version import NEWEST, UnknownVersion, parse

    try:
        version = NEWEST if nexrl_version is None else parse(nexrl_version)
    except UnknownVersion as exc:
        raise _fail(str(exc)) from None
    text = dumps(version)
    if output is None:
        sys.stdout.write(text)
    else:
        Path(output).write_text(text, encoding="utf-8")


@app.command()
def migrate(
    paths: Annotated[list[str], typer.Argument(help="Config files or recipe folders.")],
    to: Annotated[
        str, typer.Option("--to", help="The NexRL version to migrate to (1.2 to 1.4).")
    ] = "1.4",
    write_files: Annotated[
        bool, typer.Option("--write", help="Write the migrated files (atomically).")
    ] = False,
    show_diff: Annotated[
        bool, typer.Option("--diff", help="Print a unified diff, write nothing (the default).")
    ] = False,
) -> None:
    """Rewrite configs written for an older NexRL in the layout of a newer one. Exit 0 when
    done (or nothing to do), 1 when something needs a choice (reported; those files are left
    alone), 2 when a file could not be written."""
    from .fix.edits import StaleFile
    from .fix.migrate import migrate as run_migration
    from .version import UnknownVersion, parse

    try:
        target = parse(to)
    except UnknownVersion as exc:
        raise _fail(str(exc)) from None
    if target in ("1.0", "1.1"):
        raise _fail(f"nothing to migrate to for NexRL {target}: choose 1.2, 1.3 or 1.4")
    if write_files and show_diff:
        raise _fail("choose one of --write and --diff")
    for given in paths:
        if _unreadable(given):
            raise _fail(f"cannot read {given}: {_unreadable(given)}")
    outcome = run_migration(paths, target)
    if write_files:
        try:
            for path in outcome.write():
                print(f"migrated {path}", file=sys.stderr)
        except StaleFile as exc:
            raise _fail(f"{exc} changed since it was read; nothing written") from None
    else:
        sys.stdout.write(outcome.diff())
    for line in outcome.notes:
        print(f"note: {line}", file=sys.stderr)
    for line in outcome.problems:
        print(f"needs a choice: {line}", file=sys.stderr)
    raise typer.Exit(EXIT_FINDINGS if outcome.problems else EXIT_OK)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
