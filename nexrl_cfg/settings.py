"""Project settings: `[tool.nexrl-cfg]` in pyproject.toml, an env file, and the command line.

Each checked file gets the settings of the nearest pyproject.toml with a `[tool.nexrl-cfg]`
table at or above its folder (`Lookup`), or of the file given with `--config`. Command-line
flags win over the file. Values read from an env file are
secrets: no message here ever shows one.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .files import read_regular

# A settings file or an env file larger than this is not one.
MAX_SETTINGS_BYTES = 1024 * 1024

TABLE = "nexrl-cfg"
KEYS = (
    "select",
    "ignore",
    "per-file-ignores",
    "strict",
    "require-env",
    "env-file",
    "nexrl-version",
    "exclude",
)
# `[tool.nexrl-cfg]`, `[tool.nexrl-cfg.x]`, `tool.nexrl-cfg.x = `, or a `nexrl-cfg` key.
_MAYBE_TABLE = r"""^\s*(?:\[\s*)?(?:tool\s*\.\s*)?["']?nexrl-cfg["']?\s*[.=\]]"""
_ENV_LINE = r"^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$"


@dataclass
class Settings:
    require_env: bool = False
    environ: Mapping[str, str] | None = None
    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    debug: bool = False
    # glob -> rule ids turned off in the files it matches; globs are relative to `root`.
    per_file_ignores: Mapping[str, frozenset[str]] = field(default_factory=dict)
    root: Path | None = None
    # Warnings fail the run too (read by the command line, not by the checker).
    strict: bool = False
    # The NexRL version: given with --nexrl-version, or by the `nexrl-version` setting; None
    # lets each config's surroundings decide (see `version.py`).
    nexrl_version: str | None = None
    version_source: str = ""
    # Values known to be secret before any config is read (those of an env file).
    secret_values: frozenset[str] = frozenset()
    # Globs of paths a folder walk leaves out (relative to `root`, or a name in any folder).
    exclude: tuple[str, ...] = ()


class SettingsError(Exception):
    """Settings that cannot be used; the message says where and why."""


@dataclass
class FileSettings:
    """What `[tool.nexrl-cfg]` says; None where it says nothing."""

    path: Path | None = None
    select: frozenset[str] | None = None
    ignore: frozenset[str] | None = None
    per_file_ignores: dict[str, frozenset[str]] = field(default_factory=dict)
    strict: bool | None = None
    require_env: bool | None = None
    env_file: Path | None = None
    nexrl_version: str | None = None
    exclude: tuple[str, ...] = ()


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
    return bool(re.search(_MAYBE_TABLE, text, re.M)) and _table(_parse(text, candidate)) is not None


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


def read_pyproject(path: Path, *, bare: bool = False) -> FileSettings:
    """The `[tool.nexrl-cfg]` table of a TOML file; with `bare`, a file without that table is
    read as the settings themselves (a `--config` file of its own)."""
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
    table = {} if table is None else table
    if not isinstance(table, dict):
        raise SettingsError(f"{where}: expected a table")
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        names, known = ", ".join(unknown), ", ".join(KEYS)
        raise SettingsError(f"{where}: unknown setting {names} (known: {known})")
    found = FileSettings(path)
    if "select" in table:
        found.select = _rule_list(table["select"], f"{where} select")
    if "ignore" in table:
        found.ignore = _rule_list(table["ignore"], f"{where} ignore")
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise SettingsError(f"{where} per-file-ignores: expected a table of glob = [rule ids]")
    found.per_file_ignores = {
        str(glob): _rule_list(ids, f"{where} per-file-ignores '{glob}'")
        for glob, ids in pfi.items()
    }
    found.strict = _bool(table, "strict", where)
    found.require_env = _bool(table, "require-env", where)
    if "env-file" in table:
        if not isinstance(table["env-file"], str):
            raise SettingsError(f"{where} env-file: expected a path")
        found.env_file = path.parent / table["env-file"]
    if "nexrl-version" in table:
        found.nexrl_version = _version(table["nexrl-version"], f"{where} nexrl-version")
    if "exclude" in table:
        exclude = table["exclude"]
        if not isinstance(exclude, list) or not all(isinstance(g, str) for g in exclude):
            raise SettingsError(f"{where} exclude: expected a list of globs")
        found.exclude = tuple(exclude)
    return found


def _version(value: Any, where: str) -> str:
    from .nexrl import NEWEST
    from .version import UnknownVersion, parse

    if not isinstance(value, str):
        raise SettingsError(f'{where}: expected a version such as "{NEWEST}"')
    try:
        return parse(value)
    except UnknownVersion as exc:
        raise SettingsError(f"{where}: {exc}") from None


def _rule_list(value: Any, where: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SettingsError(f"{where}: expected a list of rule ids")
    return frozenset(value)


def _bool(table: dict[str, Any], key: str, where: str) -> bool | None:
    value = table.get(key)
    if value is not None and not isinstance(value, bool):
        raise SettingsError(f"{where} {key}: expected true or false")
    return value


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
    select: frozenset[str] | None = None,
    ignore: frozenset[str] | None = None,
    strict: bool | None = None,
    require_env: bool | None = None,
    env_file: Path | None = None,
    debug: bool = False,
    environ: Mapping[str, str] | None = None,
    nexrl_version: str | None = None,
    exclude: tuple[str, ...] = (),
    config: Path | None = None,
) -> Settings:
    """The settings of a run: command-line values (None where not given) over those of the
    `config` file, or of the nearest `[tool.nexrl-cfg]` table at or above `cwd` (`cwd` None:
    the working folder is gone, there is no settings file to find)."""
    pyproject = config if config is not None else find_pyproject(cwd) if cwd else None
    return _from_file(
        pyproject,
        config is not None,
        cwd,
        select=select,
        ignore=ignore,
        strict=strict,
        require_env=require_env,
        env_file=env_file,
        debug=debug,
        environ=environ,
        nexrl_version=nexrl_version,
        exclude=exclude,
    )


def _from_file(
    pyproject: Path | None,
    bare: bool,
    cwd: Path | None,
    *,
    select: frozenset[str] | None = None,
    ignore: frozenset[str] | None = None,
    strict: bool | None = None,
    require_env: bool | None = None,
    env_file: Path | None = None,
    debug: bool = False,
    environ: Mapping[str, str] | None = None,
    nexrl_version: str | None = None,
    exclude: tuple[str, ...] = (),
) -> Settings:
    found = read_pyproject(pyproject, bare=bare) if pyproject else FileSettings()
    settings = Settings(
        require_env=_first(require_env, found.require_env, False),
        select=select if select is not None else found.select,
        ignore=_first(ignore, found.ignore, frozenset()),
        debug=debug,
        per_file_ignores=found.per_file_ignores,
        root=pyproject.parent if pyproject else cwd,
        strict=_first(strict, found.strict, False),
        exclude=(*found.exclude, *exclude),
    )
    if nexrl_version is not None:
        settings.nexrl_version, settings.version_source = nexrl_version, "--nexrl-version"
    elif found.nexrl_version is not None:
        settings.nexrl_version = found.nexrl_version
        settings.version_source = f"nexrl-version in {pyproject}"
    _check_rule_ids(settings)
    env_path = env_file if env_file is not None else found.env_file
    if env_path is not None:
        base = dict(os.environ if environ is None else environ)
        from_file = read_env_file(env_path)
        settings.environ = {**from_file, **base}
        settings.secret_values = frozenset(from_file.values())
    elif environ is not None:
        settings.environ = environ
    return settings


class Lookup:
    """The settings of each checked file, from the nearest `[tool.nexrl-cfg]` table above it
    (or from the `--config` file for every file), with the command-line flags over them.
    Each folder is looked up once, each settings file read once."""

    def __init__(self, cwd: Path | None, config: Path | None = None, **flags: Any) -> None:
        self.cwd, self.config, self.flags = cwd, config, flags
        self._nearest: dict[Path, Path | None] = {}
        self._settings: dict[Path | None, Settings] = {}
        # The run's own settings (read now, so that a bad file stops the run before any check).
        found = config if config is not None else find_pyproject(cwd) if cwd else None
        self.default = self._build(found)

    def for_file(self, path: Path) -> Settings:
        return self.for_folder(path.parent)

    def for_folder(self, folder: Path) -> Settings:
        if self.config is not None:
            return self.default
        return self._build(self._find(Path(os.path.abspath(folder))))

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
            self._settings[pyproject] = _from_file(pyproject, bare, self.cwd, **self.flags)
        return self._settings[pyproject]


def _first(*values: Any) -> Any:
    return next(v for v in values if v is not None)


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
