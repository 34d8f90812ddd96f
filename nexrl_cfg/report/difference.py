"""`nexrl-cfg diff A B`: the configs two runs give NexRL, compared key by key.

Each run is composed, overridden and resolved as `resolve` does (see `report.resolved`); the
leaves of the two configs are compared by their dotted keys (`trainer.teachers.0.backend`).
A difference names both values and where each was written (file and line, or "command
line"); a secret is shown as `resolve` shows it (its `${...}` expression or `<redacted>`),
and every output is masked once more with every secret value either run read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Config, join
from ..output import Secrets, display_path, dumps, printable
from ..read import KeyPath
from ..resolve import Unknown
from .resolved import ResolveError, _compose, _Emitter, _problem, _where

if TYPE_CHECKING:
    from ..launch import Located


@dataclass(frozen=True)
class Leaf:
    """One value of a run's config: as shown (a one-line YAML scalar, secrets hidden), as
    compared, and where it was written."""

    shown: str
    compared: Any
    origin: str
    # The value itself for JSON, when it may be shown as it is (None: `shown` stands).
    plain: Any = None


@dataclass(frozen=True)
class Run:
    """A run's config, leaf by leaf, and the errors NexRL would stop at composing it."""

    name: str
    leaves: dict[str, Leaf]
    problems: list[str]


@dataclass(frozen=True)
class Difference:
    key: str
    a: Leaf | None
    b: Leaf | None

    @property
    def change(self) -> str:
        return "added" if self.a is None else "removed" if self.b is None else "changed"


def effective(
    path: Path,
    environ: Mapping[str, str] | None,
    secrets: Secrets,
    launched: Located | None = None,
) -> Run:
    """The config run `path` (or the launch of it with overrides) gives NexRL, leaf by leaf;
    every secret it reads is added to `secrets`. Raises ResolveError when there is none."""
    from ..catalogue import NEWEST
    from ..pipeline import prepare

    composed = _compose(path, environ, launched)
    findings, cfg = prepare(composed, environ, NEWEST)
    secrets.update(composed.secrets)
    if cfg is not None:
        secrets.update(cfg.resolved.env_values)
    problems = [_problem(f, secrets) for f in findings if f.severity.value == "error"]
    if cfg is None:
        where = printable(display_path(str(path)))
        raise ResolveError("\n".join(problems) or f"{where}: not a mapping of sections")
    return Run(display_path(str(path)), dict(_leaves(cfg, cfg.data, ())), problems)


def _leaves(cfg: Config, node: Any, path: KeyPath) -> Iterator[tuple[str, Leaf]]:
    if isinstance(node, dict) and node:
        for key, value in node.items():
            yield from _leaves(cfg, value, (*path, key))
        return
    if isinstance(node, list) and node:
        for index, value in enumerate(node):
            yield from _leaves(cfg, value, (*path, index))
        return
    shown, notes = _Emitter(cfg, False).leaf(node, path)
    shown += "".join(f"  # {note}" for note in notes)
    span = cfg.resolved.composed.span(path)
    hidden = cfg.redaction(path) is not None or isinstance(node, Unknown)
    compared = str(cfg.lookup(path, cfg.raw_data)) if isinstance(node, Unknown) else node
    plain = None if hidden or isinstance(node, float) else node
    yield (
        join(path),
        Leaf(shown, (type(compared).__name__, compared), _where(span.file, span.line), plain),
    )


def compare(a: Run, b: Run) -> list[Difference]:
    """The keys whose values differ, in the order of A's config, then B's new keys."""
    out = []
    for key, leaf in a.leaves.items():
        other = b.leaves.get(key)
        if other is None or other.compared != leaf.compared:
            out.append(Difference(key, leaf, other))
    out.extend(Difference(key, None, leaf) for key, leaf in b.leaves.items() if key not in a.leaves)
    return out


def text(a: Run, b: Run, differences: Iterable[Difference], secrets: Secrets) -> str:
    """Each difference in a block: `~ key: A -> B`, then where each value was written."""
    lines = [f"--- a: {a.name}", f"+++ b: {b.name}"]
    count = 0
    for d in differences:
        count += 1
        if d.a is not None and d.b is not None:
            lines += [f"~ {d.key}: {d.a.shown} -> {d.b.shown}", f"    a: {d.a.origin}"]
            lines.append(f"    b: {d.b.origin}")
        elif d.b is not None:
            lines += [f"+ {d.key}: {d.b.shown}", f"    b: {d.b.origin}"]
        elif d.a is not None:
            lines += [f"- {d.key}: {d.a.shown}", f"    a: {d.a.origin}"]
    lines.append(
        f"{count} difference{'' if count == 1 else 's'}"
        if count
        else "The two configs are the same."
    )
    return "".join(secrets.mask(printable(line)) + "\n" for line in lines)


def document(a: Run, b: Run, differences: Iterable[Difference], secrets: Secrets) -> str:
    """The differences as JSON: `{"a": ..., "b": ..., "differences": [...]}`."""

    def side(leaf: Leaf | None) -> dict[str, Any] | None:
        if leaf is None:
            return None
        value = leaf.shown if leaf.plain is None and leaf.shown != "null" else leaf.plain
        return {"value": value, "origin": leaf.origin}

    rows = [{"key": d.key, "change": d.change, "a": side(d.a), "b": side(d.b)} for d in differences]
    return secrets.mask(dumps({"a": a.name, "b": b.name, "differences": rows})) + "\n"
