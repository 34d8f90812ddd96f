"""Stage 2, compose: follow a config's Hydra `defaults:` list the way NexRL's launch does.

Entries are config names relative to the folder of the file that lists them (`common` is
`common.yaml` beside it, `group: option` is `group/option.yaml` placed under `group`).
`_self_` marks where the file's own content goes; without it the content comes last, as in
Hydra 1.1 and later. Later sources override earlier ones key by key; every value keeps the
file and line it came from. Each file is read once per run however many configs include it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .finding import Finding, Severity, Span
from .read import Document, KeyPath, dotted, read_file

Origins = dict[KeyPath, tuple[Span | None, Span]]


@dataclass
class Composed:
    """A config after composition: one tree, with the origin of every value."""

    path: str
    data: Any
    origins: Origins
    findings: list[Finding] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    lines: dict[str, list[str]] = field(default_factory=dict)
    ok: bool = True

    def span(self, path: KeyPath) -> Span:
        while path not in self.origins and path:
            path = path[:-1]
        origin = self.origins.get(path)
        return origin[1] if origin else Span(self.path)

    def key_span(self, path: KeyPath) -> Span:
        """Where the key was written; for a missing key, the key of its nearest section."""
        while path not in self.origins and path:
            path = path[:-1]
        origin = self.origins.get(path)
        if origin and origin[0]:
            return origin[0]
        return self.span(path)


class Reader:
    """Reads each file once per run."""

    def __init__(self) -> None:
        self._docs: dict[Path, Document] = {}

    def read(self, path: Path) -> Document:
        key = path.resolve()
        doc = self._docs.get(key)
        if doc is None:
            doc = read_file(path)
            self._docs[key] = doc
        return doc

    def cached(self, path: Path) -> Document | None:
        return self._docs.get(path.resolve())


def _finding(message: str, span: Span, hint: str = "", key: str = "defaults") -> Finding:
    return Finding("defaults", Severity.ERROR, message, span, key, hint)


def merge(base: Any, base_origins: Origins, top: Any, top_origins: Origins, path: KeyPath) -> Any:
    """OmegaConf-style merge of `top` over `base` at `path`; origins are updated in place."""
    if isinstance(base, dict) and isinstance(top, dict):
        out = dict(base)
        for key, value in top.items():
            sub = (*path, key)
            if key in out:
                out[key] = merge(out[key], base_origins, value, top_origins, sub)
            else:
                out[key] = value
                _copy_origins(base_origins, top_origins, sub)
        return out
    _drop_origins(base_origins, path)
    _copy_origins(base_origins, top_origins, path)
    return top


def _drop_origins(origins: Origins, path: KeyPath) -> None:
    depth = len(path)
    for key in [k for k in origins if len(k) > depth and k[:depth] == path]:
        del origins[key]


def _copy_origins(dest: Origins, src: Origins, path: KeyPath) -> None:
    depth = len(path)
    for key, origin in src.items():
        if key[:depth] == path:
            dest[key] = origin


def _place(data: Any, origins: Origins, package: KeyPath) -> tuple[Any, Origins]:
    """Put a config's content under `package` (a group's key path)."""
    if not package:
        return data, origins
    for key in reversed(package):
        data = {key: data}
    moved = {(*package, *k): v for k, v in origins.items()}
    root = origins.get(())
    if root:
        for depth in range(1, len(package) + 1):
            moved.setdefault(package[:depth], (None, root[1]))
    return data, moved


class Composer:
    def __init__(self, reader: Reader | None = None) -> None:
        self.reader = reader or Reader()

    def compose(self, path: str | Path) -> Composed:
        path = Path(path)
        result = Composed(str(path), {}, {})
        data, origins = self._compose_file(path, path.parent.resolve(), (), result, [])
        result.data = data
        result.origins = origins
        return result

    def _compose_file(
        self, path: Path, root: Path, package: KeyPath, result: Composed, stack: list[Path]
    ) -> tuple[Any, Origins]:
        doc = self.reader.read(path)
        name = str(path)
        result.sources.append(name)
        result.lines[name] = doc.lines
        result.findings.extend(doc.findings)
        if not doc.ok:
            result.ok = False
        own = doc.data
        own_origins = dict(doc.origins)
        entries: list[Any] = []
        if isinstance(own, dict) and "defaults" in own:
            entries = self._entries(own["defaults"], doc, result)
            own = {k: v for k, v in own.items() if k != "defaults"}
            _drop_origins(own_origins, ("defaults",))
            own_origins.pop(("defaults",), None)
        if "_self_" not in [e for e, _ in entries]:
            entries.append(("_self_", None))
        data: Any = {}
        origins: Origins = {}
        stack = [*stack, path.resolve()]
        for entry, span in entries:
            if entry == "_self_":
                placed, placed_origins = _place(own, own_origins, package)
            else:
                placed, placed_origins = self._include(entry, span, path, root, result, stack)
                if placed is None:
                    continue
            if not isinstance(placed, dict):
                # A non-mapping document: keep it as is, later stages report it.
                if placed is not None or not data:
                    data, origins = placed, placed_origins
                continue
            data = merge(
                data if isinstance(data, dict) else {}, origins, placed, placed_origins, ()
            )
        return data, origins

    def _entries(self, raw: Any, doc: Document, result: Composed) -> list[tuple[Any, Span | None]]:
        if not isinstance(raw, list):
            result.findings.append(
                _finding(
                    "'defaults' must be a list of config names",
                    doc.span(("defaults",)),
                    "Write it as a list, e.g. `defaults: [common, _self_]`.",
                )
            )
            return []
        return [(item, doc.span(("defaults", i))) for i, item in enumerate(raw)]

    def _include(
        self,
        entry: Any,
        span: Span | None,
        parent: Path,
        root: Path,
        result: Composed,
        stack: list[Path],
    ) -> tuple[Any, Origins]:
        span = span or Span(str(parent))
        target = self._target(entry, span, result)
        if target is None:
            return None, {}
        relative, package, optional = target
        folder = parent.parent
        candidate = folder / f"{relative}.yaml"
        if not candidate.exists() and (folder / f"{relative}.yml").exists():
            candidate = folder / f"{relative}.yml"
        resolved = candidate.resolve()
        if root not in resolved.parents:
            result.findings.append(
                _finding(
                    f"defaults entry '{relative}' points outside the config folder",
                    span,
                    "NexRL looks configs up inside the config folder; name a config there.",
                )
            )
            return None, {}
        if resolved in stack:
            chain = " -> ".join(p.name for p in [*stack, resolved])
            result.findings.append(_finding(f"defaults form a cycle: {chain}", span))
            return None, {}
        if not candidate.is_file():
            if not optional:
                result.findings.append(
                    _finding(
                        f"defaults entry '{relative}' names a config that does not exist "
                        f"({candidate.name} beside {parent.name})",
                        span,
                        "Check the name; entries are file names without .yaml, relative to "
                        "the folder of the file that lists them.",
                    )
                )
            return None, {}
        try:
            return self._compose_file(candidate, root, package, result, stack)
        except OSError as exc:
            result.findings.append(_finding(f"cannot read '{relative}': {exc.strerror}", span))
            return None, {}

    def _target(self, entry: Any, span: Span, result: Composed) -> tuple[str, KeyPath, bool] | None:
        """(relative config path, package key path, optional) for one defaults entry."""
        if isinstance(entry, str) and entry:
            return entry.lstrip("/"), (), False
        if isinstance(entry, dict) and len(entry) == 1:
            ((group, option),) = entry.items()
            words = str(group).split()
            optional = "optional" in words[:-1]
            group = words[-1] if words else ""
            if option is None:
                return None
            group, _, package = group.partition("@")
            if package == "_global_" or group.startswith("/"):
                keys: KeyPath = ()
            else:
                keys = tuple(part for part in (package or group).replace("/", ".").split("."))
            if not isinstance(option, str) or not group:
                result.findings.append(
                    _finding(f"defaults entry {entry!r} is not a config name", span)
                )
                return None
            return f"{group.strip('/')}/{option}", keys, optional
        result.findings.append(
            _finding(
                f"defaults entry {entry!r} is not a config name",
                span,
                "Each entry is a name such as `common`, `_self_` or `group: option`.",
            )
        )
        return None


def compose_file(path: str | Path, reader: Reader | None = None) -> Composed:
    return Composer(reader).compose(path)


__all__ = ["Composed", "Composer", "Reader", "compose_file", "dotted", "merge"]
