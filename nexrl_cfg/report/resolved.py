"""`nexrl-cfg resolve`: the config NexRL would see, as YAML.

Composed and interpolated; a secret (an `api_key`, any value read from the environment) is
shown as its `${...}` expression or `<redacted>`, by the same rules as every message
(`Config.redaction`); a value that cannot be known is shown as its expression with a comment
naming the unset variables; `show_origin` adds the file and line each value was written at.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..catalogue import NEWEST
from ..config import Config
from ..finding import COMMAND_LINE, Finding, Severity
from ..output import REDACTED, Secrets, display_path, printable
from ..read import KeyPath
from ..resolve import Unknown

if TYPE_CHECKING:
    from ..compose import Composed
    from ..launch import Located
    from ..launched import Sources


class ResolveError(Exception):
    """Nothing to show: the config is not a mapping, or cannot be read at all."""


@dataclass
class Rendered:
    text: str
    # Errors NexRL would stop at (composition, interpolation), one line each.
    problems: list[str]


def render_config(
    path: Path,
    environ: Mapping[str, str] | None = None,
    show_origin: bool = False,
    secret_values: Iterable[str] = (),
    launched: Located | None = None,
    as_launched: str | None = None,
) -> Rendered:
    """The config as NexRL sees it: config `path`, or the one a launch composes (with its
    overrides); `as_launched`, a NexRL version: as its code holds the config after start-up
    (see `launched`). Nothing returned or raised holds a secret value (of the files, of the
    command line, of the environment, or `secret_values`, those of an env file)."""
    from ..pipeline import prepare

    secrets = Secrets(secret_values)
    composed = _compose(path, environ, launched)
    findings, cfg = prepare(composed, environ, as_launched or NEWEST)
    secrets.update(composed.secrets)
    if cfg is not None:
        secrets.update(cfg.resolved.env_values)
    problems = [_problem(f, secrets) for f in findings if f.severity is Severity.ERROR]
    if cfg is None:
        where = printable(display_path(str(path)))
        raise ResolveError("\n".join(problems) or f"{where}: not a mapping of sections")
    data, sources = cfg.data, dict[KeyPath, "KeyPath | str"]()
    if as_launched is not None:
        from ..launched import view

        data, sources = view(cfg.data, str(Path(composed.path).resolve()), as_launched)
    lines = _Emitter(cfg, show_origin, sources).mapping(data, (), 0)
    text = "".join(secrets.mask(line) + "\n" for line in lines)
    return Rendered(text, problems)


def _compose(path: Path, environ: Mapping[str, str] | None, launched: Located | None) -> Composed:
    from ..compose import Composer, Reader

    if launched is None:
        return Composer(Reader()).compose(path)
    from ..overrides import parse

    command_line = parse(launched.overrides) if launched.overrides else None
    return Composer(Reader()).compose(
        launched.file, command_line, environ, launched.folder, launched.name
    )


def _problem(f: Finding, secrets: Secrets) -> str:
    where = _where(f.file, f.line)
    return printable(secrets.mask(f"{where}:{f.column}: error [{f.rule}] {f.message}"))


class _Emitter:
    def __init__(self, cfg: Config, show_origin: bool, sources: Sources | None = None) -> None:
        self.cfg = cfg
        self.show_origin = show_origin
        # Where each value of a launched view comes from (see `launched.view`).
        self.sources = sources or {}

    def mapping(self, node: dict[Any, Any], path: KeyPath, indent: int) -> list[str]:
        out = []
        pad = " " * indent
        for key, value in node.items():
            head = f"{pad}{scalar(key)}:"
            out.extend(self.entry(head, value, (*path, key), indent))
        return out

    def sequence(self, node: list[Any], path: KeyPath, indent: int) -> list[str]:
        out = []
        pad = " " * indent
        for i, value in enumerate(node):
            child = (*path, i)
            if isinstance(value, dict) and value:
                lines = self.mapping(value, child, indent + 2)
                out.append(f"{pad}- {lines[0][indent + 2 :]}")
                out.extend(lines[1:])
            else:
                out.extend(self.entry(f"{pad}-", value, child, indent))
        return out

    def entry(self, head: str, value: Any, path: KeyPath, indent: int) -> list[str]:
        if isinstance(value, dict) and value:
            return [head, *self.mapping(value, path, indent + 2)]
        if isinstance(value, list) and value:
            return [head, *self.sequence(value, path, indent + 2)]
        source = self.sources.get(path, path)
        if isinstance(source, str):  # a value NexRL sets itself
            text, notes = self.plain(value, path), ([source] if self.show_origin else [])
        else:
            text, notes = self.leaf(value, source)
            if self.show_origin:
                span = self.cfg.resolved.composed.span(source)
                notes.append(_where(span.file, span.line))
        # A note may name a variable (any text): escaped, it stays one comment.
        return [f"{head} {text}" + "".join(f"  # {printable(note)}" for note in notes)]

    def plain(self, value: Any, path: KeyPath) -> str:
        """A value NexRL sets (the config's path, `role: actor`): secret only by its key."""
        return scalar(REDACTED if self.cfg.is_secret(path) else value)

    def leaf(self, value: Any, path: KeyPath) -> tuple[str, list[str]]:
        notes = []
        if isinstance(value, Unknown):
            notes.append(
                f"unset: {', '.join(value.missing)}"
                if value.missing
                else "unresolved: see `nexrl-cfg check`"
            )
        hidden = self.cfg.redaction(path)
        if hidden is not None:
            return scalar(hidden), notes
        if isinstance(value, Unknown):
            raw = self.cfg.lookup(path, self.cfg.raw_data)
            return scalar(raw if isinstance(raw, str) else str(value)), notes
        return scalar(value), notes


# Text YAML reads back as the same text when written plain, and the words it would not.
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*\Z")
_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"}


def scalar(value: Any) -> str:
    """One value as a one-line YAML scalar; text that holds a line break, a control or a
    formatting character is double-quoted with escapes (JSON's, which YAML reads too)."""
    import yaml

    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and _PLAIN.match(value) and value.lower() not in _WORDS:
        return value  # most keys and values: PyYAML would write them as they are
    if isinstance(value, str) and ("\r" in value or printable(value) != value):
        return printable(json.dumps(value, ensure_ascii=False))
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1 << 30)
    return text.removesuffix("\n...\n").rstrip("\n")


def _where(file: str, line: int) -> str:
    if file == COMMAND_LINE:
        return "command line"
    return printable(f"{display_path(file)}:{line}")
