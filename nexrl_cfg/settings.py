"""Project settings, declared once: each field of `Settings` that is a setting carries its
key in `[tool.nexrl-cfg]`, its command-line flag and how a written value is read (`SETTINGS`).

A setting's value comes from, in order: the command line; the file given with `--config` (a
pyproject.toml, or a TOML file of settings alone), else the nearest pyproject.toml with a
`[tool.nexrl-cfg]` table at or above the checked file's folder (`Lookup`); the default. Values
read from an env file are secrets: no message here ever shows one.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, NamedTuple

from .files import read_regular

# A settings file or an env file larger than this is not one.
MAX_SETTINGS_BYTES = 1024 * 1024

TABLE = "nexrl-cfg"
# `[tool.nexrl-cfg]`, `[tool.nexrl-cfg.x]`, `tool.nexrl-cfg.x = `, or a `nexrl-cfg` key.
_MAYBE_TABLE = r"""^\s*(\[\s*)?(tool\s*\.\s*)?["']?nexrl-cfg["']?\s*[.=\]]"""
# A table's header: `[tool]`, `[project.scripts]`.
_HEADER = r"""^\s*\[\s*([^\]\n]*?)\s*\]"""
_ENV_LINE = r"^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$"


class SettingsError(Exception):
    """Settings that cannot be used; the message says where and why."""


# -- how a written value is read: (value, where it is written, the folder a path is relative to)
def _at(where: str, problem: str) -> str:
    """A problem with a value, after where it is written (nothing for the command line, where
    the flag's own message says it)."""
    return f"{where}: {problem}" if where else problem


def _rule_ids(value: Any, where: str, folder: Path | None = None) -> frozenset[str]:
    if isinstance(value, str) and not where:  # the command line: comma-separated
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, (list, tuple, set, frozenset)) or not all(
        isinstance(v, str) for v in value
    ):
        raise SettingsError(_at(where, "expected a list of rule ids"))
    return frozenset(value)


def _per_file_ignores(
    value: Any, where: str, folder: Path | None = None
) -> dict[str, frozenset[str]]:
    if not isinstance(value, dict):
        raise SettingsError(_at(where, "expected a table of glob = [rule ids]"))
    return {str(glob): _rule_ids(ids, f"{where} '{glob}'") for glob, ids in value.items()}


def _bool(value: Any, where: str, folder: Path | None = None) -> bool:
    if not isinstance(value, bool):
        raise SettingsError(_at(where, "expected true or false"))
    return value


def _globs(value: Any, where: str, folder: Path | None = None) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(g, str) for g in value):
        raise SettingsError(_at(where, "expected a list of globs"))
    return tuple(value)


def _path(value: Any, where: str, folder: Path | None = None) -> Path:
    if not isinstance(value, (str, os.PathLike)):
        raise SettingsError(_at(where, "expected a path"))
    return Path(value) if folder is None else folder / value


def _version(value: Any, where: str, folder: Path | None = None) -> str:
    from .nexrl import NEWEST
    from .version import UnknownVersion, parse

    if not isinstance(value, str):
        raise SettingsError(_at(where, f'expected a version such as "{NEWEST}"'))
    try:
        return parse(value)
    except UnknownVersion as exc:
        raise SettingsError(_at(where, str(exc))) from None


def _jobs(value: Any, where: str, folder: Path | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise SettingsError(_at(where, "expected a number of processes (0: one per core)"))
    return value


class Setting(NamedTuple):
    """How a setting is written: its key in `[tool.nexrl-cfg]` (None: the command line only),
    its command-line flag (None: settings files only) with the flag's metavar and help, and
    how a written value is read (raising SettingsError). With `adds`, the command line adds
    to the value of the file instead of replacing it. `short`: the flag's one-letter form."""

    key: str | None
    flag: str | None
    read: Callable[[Any, str, Path | None], Any]
    metavar: str | None = None
    help: str = ""
    adds: bool = False
    short: str | None = None


def _how(
    key: str | None,
    flag: str | None,
    read: Callable[[Any, str, Path | None], Any],
    metavar: str | None = None,
    help: str = "",
    adds: bool = False,
    short: str | None = None,
) -> dict[str, Setting]:
    return {"setting": Setting(key, flag, read, metavar, help, adds, short)}


@dataclass(eq=False)
class Settings:
    """The settings of the files of one project. The fields up to `jobs` are settings (in
    the order `known:` lists their keys); the rest is what they lead to."""

    select: frozenset[str] | None = field(
        default=None,
        metadata=_how(
            "select", "--select", _rule_ids, "RULES", "Only these rules (comma-separated ids)."
        ),
    )
    ignore: frozenset[str] = field(
        default=frozenset(),
        metadata=_how(
            "ignore", "--ignore", _rule_ids, "RULES", "Skip these rules (comma-separated ids)."
        ),
    )
    # glob -> rule ids turned off in the files it matches; globs are relative to `root`.
    per_file_ignores: Mapping[str, frozenset[str]] = field(
        default_factory=dict, metadata=_how("per-file-ignores", None, _per_file_ignores)
    )
    # Warnings fail the run too (read by the application, not by the checker).
    strict: bool = field(
        default=False,
        metadata=_how("strict", "--strict/--no-strict", _bool, help="Warnings fail the check too."),
    )
    require_env: bool = field(
        default=False,
        metadata=_how(
            "require-env",
            "--require-env/--allow-unset-env",
            _bool,
            help="An unset variable is an error.",
        ),
    )
    # Its variables are read into `environ`, as secrets.
    env_file: Path | None = field(
        default=None,
        metadata=_how(
            "env-file", "--env-file", _path, "FILE", "Read variables from this KEY=VALUE file."
        ),
    )
    # None lets each config's surroundings decide (see `version.py`).
    nexrl_version: str | None = field(
        default=None,
        metadata=_how(
            "nexrl-version",
            "--nexrl-version",
            _version,
            "X.Y",
            "The NexRL version to check for (1.0 to 1.4); by default the installed one.",
        ),
    )
    # Globs of paths a folder walk leaves out (relative to `root`, or a name in any folder).
    exclude: tuple[str, ...] = field(
        default=(),
        metadata=_how(
            "exclude",
            "--exclude",
            _globs,
            "GLOB",
            "Leave out matching files and folders when walking a folder (repeatable).",
            adds=True,
        ),
    )
    debug: bool = field(
        default=False,
        metadata=_how(None, "--debug", _bool, help="Show tracebacks of internal errors."),
    )
    # Worker processes for a folder or a long list of files (None, 0: one per core); taken
    # from the run's own settings (the command line, --config, the working folder's).
    jobs: int | None = field(
        default=None,
        metadata=_how(
            "jobs",
            "--jobs",
            _jobs,
            "N",
            "Check in N processes (default: one per core; 1: in this one).",
            short="-j",
        ),
    )
    # -- what the settings lead to
    environ: Mapping[str, str] | None = None
    root: Path | None = None
    # Where `nexrl_version` was given ("--nexrl-version", "nexrl-version in FILE").
    version_source: str = ""
    # Values known to be secret before any config is read (those of an env file).
    secret_values: frozenset[str] = frozenset()


# name -> how it is written, for every setting, in the order of `Settings`.
SETTINGS: dict[str, Setting] = {
    f.name: f.metadata["setting"] for f in fields(Settings) if "setting" in f.metadata
}
KEYS = tuple(s.key for s in SETTINGS.values() if s.key is not None)


def _read_table(table: Any, where: str, folder: Path) -> dict[str, Any]:
    """The settings a `[tool.nexrl-cfg]` table gives, by name."""
    if not isinstance(table, dict):
        raise SettingsError(f"{where}: expected a table")
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        names, known = ", ".join(unknown), ", ".join(KEYS)
        raise SettingsError(f"{where}: unknown setting {names} (known: {known})")
    return {
        name: s.read(table[s.key], f"{where} {s.key}", folder)
        for name, s in SETTINGS.items()
        if s.key in table
    }


def read_flags(given: Mapping[str, Any]) -> dict[str, Any]:
    """The settings given on the command line (by name; None where a flag was not given)."""
    unknown = sorted(set(given) - {n for n, s in SETTINGS.items() if s.flag is not None})
    if unknown:
        raise TypeError(f"not command-line settings: {', '.join(unknown)}")
    return {name: SETTINGS[name].read(v, "", None) for name, v in given.items() if v is not None}


# -- pyproject.toml ---------------------------------------------------------------------------
def _read_text(path: Path) -> str:
    """A settings or env file's text: a regular file only (a FIFO or a device would block or
    never end), at most `MAX_SETTINGS_BYTES`. OSError or UnicodeDecodeError otherwise."""
    raw = read_regular(path, MAX_SETTINGS_BYTES)
    if len(raw) > MAX_SETTINGS_BYTES:
        raise OSError(f"larger than {MAX_SETTINGS_BYTES // 1024} KB")
    return raw.decode("utf-8-sig")


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start` that has a `[tool.nexrl-cfg]` table.
    One that cannot be read as a file of text (a FIFO, a device, too large) is passed over."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if _has_table(candidate):
            return candidate
    return None


def _has_table(candidate: Path) -> bool:
    try:
        text = _read_text(candidate)
    except (OSError, UnicodeDecodeError):
        return False
    # A cheap look first, so that most projects without the table never load a parser.
    return _may_hold_table(text) and _table(_parse(text, candidate)) is not None


def _may_hold_table(text: str) -> bool:
    """Whether a pyproject.toml may hold `[tool.nexrl-cfg]`: a line names it with `tool`, or
    a `nexrl-cfg` key is written under `[tool]`; not a script or a dependency of that name
    (`[project.scripts]`, `[tool.poetry.dependencies]`). Where a multi-line string could
    hide a header, any `nexrl-cfg` key may be the table."""
    for found in re.finditer(_MAYBE_TABLE, text, re.M):
        if found.group(2):
            return True
        if found.group(1):
            continue  # `[nexrl-cfg]`, a table of its own
        headers = re.findall(_HEADER, text[: found.start()], re.M)
        if not headers or headers[-1].strip("\"'") == "tool" or '"""' in text or "'''" in text:
            return True
    return False


def _table(document: dict[str, Any]) -> Any:
    """The `[tool.nexrl-cfg]` value of a parsed pyproject.toml, None when there is none."""
    tool = document.get("tool")
    return tool.get(TABLE) if isinstance(tool, dict) else None


def _parse(text: str, path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc})") from None
    except RecursionError:  # arrays or inline tables nested thousands deep
        raise SettingsError(f"{path}: not valid settings (nested too deep)") from None


def read_pyproject(path: Path, *, bare: bool = False) -> dict[str, Any]:
    """The settings (by name) of the `[tool.nexrl-cfg]` table of a TOML file; with `bare`, a
    file without that table is read as the settings themselves (a `--config` file of its own)."""
    try:
        text = _read_text(path)
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise SettingsError(f"cannot read {path}: {reason}") from None
    document = _parse(text, path)
    table = _table(document)
    where = f"{path} [tool.{TABLE}]"
    if bare and table is None:
        table, where = document, str(path)
    return _read_table({} if table is None else table, where, path.parent)


# -- env files --------------------------------------------------------------------------------
def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; `export ` prefixes, quotes and comments allowed. A bad line is named
    by number only: its text may hold a secret."""
    try:
        text = _read_text(path)
    except FileNotFoundError:
        raise SettingsError(f"env file not found: {path}") from None
    except OSError as exc:
        raise SettingsError(f"cannot read env file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise SettingsError(f"cannot read env file {path}: not UTF-8 text") from None
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = re.match(_ENV_LINE, stripped)
        value = _env_value(match.group(2)) if match else None
        if match is None or value is None:
            raise SettingsError(f"{path}:{number}: expected KEY=VALUE")
        values[match.group(1)] = value
    return values


def _env_value(raw: str) -> str | None:
    if raw[:1] in ("'", '"'):
        quote = raw[0]
        end = raw.find(quote, 1)
        while quote == '"' and end > 0 and raw[end - 1] == "\\":
            end = raw.find(quote, end + 1)
        if end < 0 or raw[end + 1 :].strip()[:1] not in ("", "#"):
            return None
        inner = raw[1:end]
        if quote == '"':
            inner = inner.replace("\\n", "\n").replace('\\"', '"').replace("\\\\", "\\")
        return inner
    return re.split(r"\s+#", raw, maxsplit=1)[0].strip()


# -- the settings of one run ------------------------------------------------------------------
def build(
    cwd: Path | None,
    *,
    config: Path | None = None,
    environ: Mapping[str, str] | None = None,
    **given: Any,
) -> Settings:
    """The settings of a run in `cwd` (None: the working folder is gone, there is no settings
    file to find): `given` on the command line (by name, None where not given) over those of
    the `config` file or of the nearest `[tool.nexrl-cfg]` table."""
    return Lookup(cwd, config, environ=environ, **given).default


def _resolve(
    given: Mapping[str, Any],
    pyproject: Path | None,
    bare: bool,
    cwd: Path | None,
    environ: Mapping[str, str] | None,
) -> Settings:
    """The settings, each from the first source that gives it: the command line (`given`,
    read), the settings file, the default."""
    found = read_pyproject(pyproject, bare=bare) if pyproject else {}
    values: dict[str, Any] = {}
    for name, setting in SETTINGS.items():
        if setting.adds:
            values[name] = (*found.get(name, ()), *given.get(name, ()))
        elif name in given or name in found:
            values[name] = given[name] if name in given else found[name]
    settings = Settings(**values, root=pyproject.parent if pyproject else cwd)
    if "nexrl_version" in given:
        settings.version_source = SETTINGS["nexrl_version"].flag or ""
    elif "nexrl_version" in found:
        settings.version_source = f"{SETTINGS['nexrl_version'].key} in {pyproject}"
    _check_rule_ids(settings)
    if settings.env_file is not None:
        base = dict(os.environ if environ is None else environ)
        from_file = read_env_file(settings.env_file)
        settings.environ = {**from_file, **base}
        settings.secret_values = frozenset(from_file.values())
    elif environ is not None:
        settings.environ = environ
    return settings


class Lookup:
    """The settings of each checked file, from the nearest `[tool.nexrl-cfg]` table above it
    (or from the `--config` file for every file), with the command-line settings (`given`,
    by name, None where not given) over them. Each folder is looked up once, each settings
    file read once."""

    def __init__(
        self,
        cwd: Path | None,
        config: Path | None = None,
        environ: Mapping[str, str] | None = None,
        **given: Any,
    ) -> None:
        self.cwd, self.config, self.environ = cwd, config, environ
        self.given = read_flags(given)
        self._nearest: dict[Path, Path | None] = {}
        self._by_folder: dict[str, Settings] = {}
        self._settings: dict[Path | None, Settings] = {}
        # The run's own settings (read now, so that a bad file stops the run before any check).
        found = config if config is not None else find_pyproject(cwd) if cwd else None
        self.default = self._build(found)

    def for_file(self, path: Path) -> Settings:
        return self.for_folder(path.parent)

    def for_folder(self, folder: Path) -> Settings:
        if self.config is not None:
            return self.default
        key = str(folder)  # asked for every file: once per folder as named
        found = self._by_folder.get(key)
        if found is None:
            found = self._by_folder[key] = self._build(self._find(Path(os.path.abspath(folder))))
        return found

    def _find(self, folder: Path) -> Path | None:
        if folder not in self._nearest:
            own = folder / "pyproject.toml"
            if _has_table(own):
                self._nearest[folder] = own
            else:
                parent = folder.parent
                self._nearest[folder] = None if parent == folder else self._find(parent)
        return self._nearest[folder]

    def _build(self, pyproject: Path | None) -> Settings:
        if pyproject not in self._settings:
            bare = self.config is not None
            self._settings[pyproject] = _resolve(
                self.given, pyproject, bare, self.cwd, self.environ
            )
        return self._settings[pyproject]


def _check_rule_ids(settings: Settings) -> None:
    from .rules import by_id

    named = set(settings.select or ()) | set(settings.ignore)
    for ids in settings.per_file_ignores.values():
        named |= ids
    unknown = sorted(named - set(by_id()))
    if unknown:
        raise SettingsError(
            f"unknown rule id: {', '.join(unknown)} (see `nexrl-cfg explain --list`)"
        )


def per_file_ignored(settings: Settings, file: str) -> frozenset[str]:
    """Rule ids that `per-file-ignores` turns off in `file`."""
    from fnmatch import fnmatch

    try:
        path = Path(file).resolve()
        root = (settings.root or Path.cwd()).resolve()
    except OSError:  # the working folder is gone: names are matched as they are
        path, root = Path(file), settings.root or Path(file).parent
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        rel = path.as_posix()
    ignored: frozenset[str] = frozenset()
    for glob, ids in settings.per_file_ignores.items():
        if fnmatch(rel, glob) or ("/" not in glob and fnmatch(path.name, glob)):
            ignored |= ids
    return ignored
