"""Stage 2, compose: follow a config's Hydra `defaults:` list the way NexRL's Hydra launch does.

The checked file is the primary config and its folder the config folder. As in Hydra 1.1 and
later: entries name configs relative to the folder of the file that lists them (`common` is
`common.yaml` beside it, `/common` is in the config folder); `group: option` loads
`group/option.yaml` under the key `group` (`group@pkg: option` under `pkg`, `@_global_` at the
root; a `# @package` header in the file moves it too), `group: [a, b]` loads both,
`group: null` nothing, and `optional group: option` nothing when the file is missing;
`override group: option` changes the option chosen for that group earlier in the defaults
tree. `_self_` marks where the file's own content goes; without it the content comes last.
Sources are merged in that order, later ones overriding earlier ones key by key, and every
value keeps the file and line it was written at. Each file is read once per run however many
configs include it. Whatever cannot be composed is a `defaults` finding, never an exception.
"""

from __future__ import annotations

import errno
import os
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from .finding import Finding, Severity, Span
from .read import Document, KeyPath, dotted, read_file
from .rules.defaults import ID as DEFAULTS

Origins = dict[KeyPath, tuple[Span | None, Span]]

# Bounds on the defaults tree, so that no set of files can make composition slow or deep.
MAX_CONFIGS = 1000
MAX_NESTING = 40
# Values merged into one config, over all its sources (a file of 20,000 values included a
# thousand times would otherwise be merged a thousand times).
MAX_COMPOSED = 100_000
# Levels of a package (`# @package a.b.c`, `group@a.b`), after joining it to its parent's.
MAX_PACKAGE_DEPTH = 16
_PACKAGE_PART = re.compile(r"[A-Za-z0-9_\-]+\Z")

_HEADER = re.compile(r"^#\s*@package\s+(?P<package>\S+)")
_KEYWORDS = ("optional", "override")


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
    # Literal secret values (`api_key: sk-...`) of the files composed.
    secrets: set[str] = field(default_factory=set)

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


K = TypeVar("K")
V = TypeVar("V")


class Recent(OrderedDict[K, V]):
    """A dict that keeps the `size` most recently used entries: configs beside each other are
    checked one after another, so a run keeps what it reuses without growing with every file."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def get(self, key: K, default: Any = None) -> Any:  # type: ignore[override]
        if key in self:
            self.move_to_end(key)
            return self[key]
        return default

    def __setitem__(self, key: K, value: V) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


class Reader:
    """Reads each file once per run (within the most recent few hundred)."""

    def __init__(self, size: int = 256) -> None:
        self._docs: Recent[Path, Document] = Recent(size)
        self._real: dict[Path, Path] = {}
        self._given: dict[Path, Document] = {}

    def provide(self, path: Path, doc: Document) -> None:
        """Serve `doc` as the file at `path` for the whole run (a text read from stdin)."""
        self._given[self.real(path)] = doc

    def real(self, path: Path) -> Path:
        """`path.resolve()`, once per path and run: each file is looked up many times."""
        found = self._real.get(path)
        if found is None:
            try:
                found = self._real[path] = path.resolve()
            except RuntimeError:  # a symbolic link loop (Python before 3.13)
                raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path)) from None
        return found

    def read(self, path: Path) -> Document:
        key = self.real(path)
        doc = self._given.get(key) or self._docs.get(key)
        if doc is None:
            doc = read_file(path)
            self._docs[key] = doc
        return doc

    def cached(self, path: Path) -> Document | None:
        key = self.real(path)
        return self._given.get(key) or self._docs.get(key)


def _finding(
    message: str, span: Span, hint: str = "", severity: Severity = Severity.ERROR
) -> Finding:
    return Finding(DEFAULTS, severity, message, span, "defaults", hint)


# -- merging ------------------------------------------------------------------------------
def merge(
    base: Any, base_origins: Origins, top: Any, top_origins: Origins, path: KeyPath = ()
) -> Any:
    """OmegaConf-style merge of `top` over `base` at `path`; origins are updated in place.

    Every value of `top` takes its origin from `top`; a mapping given again keeps the keys of
    both and takes the position of the later one (where a missing key would be added); what a
    scalar or a list replaced loses its origins.
    """
    replaced: list[tuple[KeyPath, Any]] = []
    out = _merged(base, top, path, replaced)
    for where, old in replaced:  # the origins of what was replaced, found from its shape
        for key in _below(where, old):
            base_origins.pop(key, None)
    depth = len(path)
    base_origins.update(
        top_origins if not path else {k: v for k, v in top_origins.items() if k[:depth] == path}
    )
    return out


def _merged(base: Any, top: Any, path: KeyPath, replaced: list[tuple[KeyPath, Any]]) -> Any:
    if isinstance(base, dict) and isinstance(top, dict):
        out = dict(base)
        for key, value in top.items():
            out[key] = _merged(out[key], value, (*path, key), replaced) if key in out else value
        return out
    replaced.append((path, base))
    return top


def _below(path: KeyPath, value: Any) -> list[KeyPath]:
    """The key paths strictly below `path` in `value`."""
    found: list[KeyPath] = []
    stack = [(path, value)]
    while stack:
        where, node = stack.pop()
        items = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node)
            if isinstance(node, list)
            else ()
        )
        for key, child in items:
            found.append((*where, key))
            stack.append(((*where, key), child))
    return found


def _drop_origins(origins: Origins, path: KeyPath) -> None:
    depth = len(path)
    for key in [k for k in origins if len(k) > depth and k[:depth] == path]:
        del origins[key]


def _place(data: Any, origins: Origins, package: KeyPath) -> tuple[Any, Origins]:
    """Put a config's content under `package` (a key path)."""
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


# -- the defaults tree ----------------------------------------------------------------------
@dataclass(frozen=True)
class _Node:
    """One config of the defaults tree: its file, its folder inside the config folder (what
    its own entries are relative to) and its package (where its content goes)."""

    file: Path
    folder: PurePosixPath
    package: str


@dataclass
class _Entry:
    """One item of a defaults list, parsed."""

    span: Span
    kind: str  # "self", "config" or "group"
    name: str = ""  # the config path ("config") or the group ("group")
    options: list[Any] = field(default_factory=list)
    package: str | None = None
    optional: bool = False
    override: bool = False
    # `group: [a, b]`: several configs of one group, no single choice
    listed: bool = False


@dataclass
class _Override:
    option: Any
    span: Span
    used: bool = False


def _package_header(doc: Document) -> str | None:
    """The `# @package` directive of a file's leading comment, if any."""
    for line in doc.lines:
        text = line.strip()
        if not text:
            continue
        if not text.startswith("#"):
            return None
        match = _HEADER.match(text)
        if match:
            return match.group("package")
    return None


def _join(parent: str, package: str) -> str:
    """Hydra's package arithmetic: relative to the parent, `_global_` restarts at the root."""
    full = f"{parent}.{package}" if parent and package else parent or package
    index = full.rfind("_global_")
    return full if index < 0 else full[index + len("_global_") + 1 :]


def _keys(package: str) -> KeyPath:
    return tuple(part for part in package.split(".") if part)


def _package_problem(package: str) -> str | None:
    """Why a package cannot be used (too deep, not made of names), or None."""
    parts = package.split(".", MAX_PACKAGE_DEPTH + 1)
    shown = package if len(package) <= 40 else package[:37] + "..."
    if len(parts) > MAX_PACKAGE_DEPTH:
        return f"package '{shown}' nests more than {MAX_PACKAGE_DEPTH} levels"
    if not all(_PACKAGE_PART.match(part) for part in parts if part):
        return f"package {shown!r} is not a dotted name"
    return None


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


class _Composition:
    """The state of composing one primary config."""

    def __init__(self, reader: Reader, primary: Path, result: Composed) -> None:
        self.reader = reader
        # As given, so that findings name files the way the user named the config.
        self.root = primary.parent
        self.result = result
        self.overrides: dict[str, _Override] = {}
        self.choices: dict[str, tuple[str, Span]] = {}
        self.visits = 0

    # A source is (file, package, document); the list is in merge order.
    def tree(self, node: _Node, stack: tuple[Path, ...]) -> list[tuple[Path, str, Document]]:
        doc = self.read(node.file)
        entries = self.entries(doc)
        out: list[tuple[Path, str, Document]] = []
        stack = (*stack, self.reader.real(node.file))
        # Like Hydra, walk the list backwards: an override at the end of a list applies to
        # the group defaults before it, including those in the configs they include.
        for entry in reversed(entries):
            if entry.kind == "self":
                out.append((node.file, node.package, doc))
            elif entry.override:
                if not _is_hydra(self.group_path(entry.name, node)):
                    override = _Override(entry.options, entry.span)
                    self.overrides.setdefault(self.group_key(entry, node), override)
            else:
                for child in reversed(self.children(entry, node)):
                    if self.allowed(child, entry, stack):
                        out.extend(reversed(self.tree(child, stack)))
        out.reverse()
        return out

    def allowed(self, child: _Node, entry: _Entry, stack: tuple[Path, ...]) -> bool:
        """Whether to follow an entry: not into a cycle, nor past the bounds of the tree."""
        if self.reader.real(child.file) in stack:
            chain = " -> ".join(p.name for p in (*stack, self.reader.real(child.file)))
            self.error(f"defaults form a cycle: {chain}", entry.span)
            return False
        self.visits += 1
        if len(stack) > MAX_NESTING or self.visits > MAX_CONFIGS:
            if self.visits <= MAX_CONFIGS + 1:
                self.error(
                    f"defaults nest deeper than {MAX_NESTING} levels or include more than "
                    f"{MAX_CONFIGS} configs; the rest is not followed",
                    entry.span,
                    "A NexRL recipe includes a few configs; check for repeated includes.",
                )
                self.visits = MAX_CONFIGS + 2
            return False
        return True

    def read(self, path: Path) -> Document:
        doc = self.reader.read(path)
        name = str(path)
        if name not in self.result.lines:
            self.result.sources.append(name)
            self.result.lines[name] = doc.lines
            self.result.findings.extend(doc.findings)
            self.result.secrets |= doc.secrets
        if not doc.ok:
            self.result.ok = False
        return doc

    def error(
        self, message: str, span: Span, hint: str = "", severity: Severity = Severity.ERROR
    ) -> None:
        self.result.findings.append(_finding(message, span, hint, severity))

    # -- parsing the list ---------------------------------------------------------------------
    def entries(self, doc: Document) -> list[_Entry]:
        data = doc.data
        if not isinstance(data, dict) or "defaults" not in data:
            return [_Entry(Span(doc.path), "self")]
        raw = data["defaults"]
        if not isinstance(raw, list):
            self.error(
                "'defaults' must be a list of config names",
                doc.span(("defaults",)),
                "Write it as a list, e.g. `defaults: [common, _self_]`.",
            )
            return [_Entry(Span(doc.path), "self")]
        entries = []
        for index, item in enumerate(raw):
            entry = self.entry(item, doc.span(("defaults", index)))
            if entry is not None:
                entries.append(entry)
        return self.check_order(entries, Span(doc.path))

    def entry(self, item: Any, span: Span) -> _Entry | None:
        if item == "_self_":
            return _Entry(span, "self")
        if isinstance(item, str) and item.strip():
            return _Entry(span, "config", item.strip())
        if isinstance(item, dict) and len(item) == 1:
            ((key, value),) = item.items()
            return self.group_entry(str(key), value, span)
        self.error(
            f"defaults entry {_show(item)} is not a config name",
            span,
            "Each entry is a name such as `common`, `_self_` or `group: option`.",
        )
        return None

    def group_entry(self, key: str, value: Any, span: Span) -> _Entry | None:
        *words, group = key.split() or [""]
        unknown = [w for w in words if w not in _KEYWORDS]
        group, _, package = group.partition("@")
        options = value if isinstance(value, list) else [value]
        if (
            unknown
            or not group.strip("/")
            or not all(o is None or isinstance(o, str) for o in options)
        ):
            self.error(
                f"defaults entry {_show({key: value})} is not a config group choice",
                span,
                "Write `group: option`, optionally with `optional` or `override` before the group.",
            )
            return None
        return _Entry(
            span,
            "group",
            group,
            options,
            package or None,
            optional="optional" in words,
            override="override" in words,
            listed=isinstance(value, list),
        )

    def check_order(self, entries: list[_Entry], here: Span) -> list[_Entry]:
        selves = [e for e in entries if e.kind == "self"]
        for extra in selves[1:]:
            self.error("_self_ is listed more than once", extra.span, "Keep one `_self_`.")
            entries.remove(extra)
        seen_override = None
        for entry in entries:
            if entry.override:
                seen_override = entry
            elif seen_override is not None and entry.kind != "self":
                self.error(
                    f"defaults entry '{entry.name}' comes after the override of "
                    f"'{seen_override.name}'; Hydra requires overrides at the end of the list",
                    entry.span,
                    "Move the `override` entries to the end of the defaults list.",
                )
        if not selves:
            entries.append(_Entry(here, "self"))
        return entries

    # -- resolving an entry to configs --------------------------------------------------------
    def group_key(self, entry: _Entry, node: _Node) -> str:
        group = self.group_path(entry.name, node)
        return f"{group}@{entry.package}" if entry.package else group

    @staticmethod
    def group_path(name: str, node: _Node) -> str:
        """A config or group path relative to the config folder."""
        if name.startswith("/"):
            return name.strip("/")
        return str(node.folder / name.strip("/"))

    def children(self, entry: _Entry, node: _Node) -> list[_Node]:
        if entry.kind == "config":
            return [n for n in [self.config_child(entry, node)] if n is not None]
        group = self.group_path(entry.name, node)
        if _is_hydra(group):
            return []
        key = self.group_key(entry, node)
        options = entry.options
        override = self.overrides.get(key)
        if override is not None:
            override.used = True
            options = override.option if isinstance(override.option, list) else [override.option]
        children = []
        for option in options:
            child = self.group_child(entry, node, group, option, key)
            if child is not None:
                children.append(child)
        return children

    def config_child(self, entry: _Entry, node: _Node) -> _Node | None:
        folder = PurePosixPath(entry.name.lstrip("/")).parent
        package = node.package
        if ".." not in folder.parts and str(folder) != ".":
            package = _join(node.package, ".".join(folder.parts))
        return self.locate(PurePosixPath(self.group_path(entry.name, node)), entry, package)

    def group_child(
        self, entry: _Entry, node: _Node, group: str, option: Any, key: str
    ) -> _Node | None:
        if option is None:
            return None  # `group: null`: nothing chosen
        if option == "???":
            self.error(
                f"no option is chosen for the config group '{group}' (`???`); Hydra stops "
                "unless it is given on the command line",
                entry.span,
                f"Choose one (`{entry.name}: <option>`), or pass `{group}=<option>` at launch.",
                Severity.WARNING,
            )
            return None
        if "${" in option:
            self.error(
                f"defaults entry '{entry.name}: {option}' is chosen by an interpolation, which "
                "is not followed; its content is not checked",
                entry.span,
                severity=Severity.INFO,
            )
            return None
        if not entry.listed:
            self.choose(entry, group, option, key)
        return self.locate(
            PurePosixPath(group) / option, entry, self.group_package(entry, node, group)
        )

    def choose(self, entry: _Entry, group: str, option: str, key: str) -> None:
        """Hydra allows one choice per group; a second one needs `override`."""
        previous = self.choices.get(key)
        if previous is None:
            self.choices[key] = (option, entry.span)
            return
        again = "again" if previous[0] == option else f"'{previous[0]}' and '{option}'"
        self.error(
            f"the config group '{group}' is chosen twice ({again}); Hydra refuses two choices "
            "for one group",
            entry.span,
            f"Remove one, or write `override {entry.name}: ...` at the end of the later list.",
        )

    @staticmethod
    def group_package(entry: _Entry, node: _Node, group: str) -> str:
        if entry.package is None:
            return _join(node.package, entry.name.strip("/").replace("/", "."))
        if entry.package == "_here_":
            return node.package
        package = entry.package.replace("_group_", f"_global_.{group.replace('/', '.')}")
        return _join(node.package, package)

    def locate(self, path: PurePosixPath, entry: _Entry, package: str) -> _Node | None:
        """The node for config `path` (relative to the config folder), or None (reported).
        Only a regular file whose real path is inside the config folder is composed: not an
        absolute path, not `..` out of it, not a symbolic link that leads out of it."""
        name = str(path)
        relative = name if name.endswith((".yaml", ".yml")) else f"{name}.yaml"
        if "\x00" in relative:
            self.error(f"defaults entry {_show(entry.name)} is not a config name", entry.span)
            return None
        if _escapes(relative) or path.is_absolute():
            self.error(
                f"defaults entry {_show(entry.name)} points outside the config folder",
                entry.span,
                "Hydra looks configs up inside the config folder; name a config there.",
            )
            return None
        candidate = Path(os.path.normpath(self.root / relative))
        if not candidate.is_file() and (self.root / f"{name}.yml").is_file():
            candidate = Path(os.path.normpath(self.root / f"{name}.yml"))
        if not candidate.is_file():
            if not entry.optional:
                self.error(
                    f"defaults entry '{entry.name}' names a config that does not exist "
                    f"({relative} in the config folder)",
                    entry.span,
                    "Check the name; entries are file names without .yaml, relative to the "
                    "folder of the file that lists them.",
                )
            return None
        try:
            if not _inside(self.reader.real(candidate), self.reader.real(self.root)):
                self.error(
                    f"defaults entry {_show(entry.name)} is a symbolic link to a file outside "
                    f"the config folder ({relative}); it is not read",
                    entry.span,
                    "Hydra composes configs of the config folder; copy the file into it.",
                )
                return None
            doc = self.reader.read(candidate)
        except OSError as exc:
            self.error(f"cannot read '{relative}': {exc.strerror or exc}", entry.span)
            return None
        header = _package_header(doc)
        if header is not None and entry.package is None and header != "_group_":
            package = _join("_global_", header) if header != "_global_" else ""
        problem = _package_problem(package)
        if problem is not None:
            self.error(
                f"defaults entry {_show(entry.name)}: {problem}; it is not composed",
                entry.span,
                "A package is a short dotted key path, such as `trainer.model`.",
            )
            return None
        return _Node(candidate, PurePosixPath(relative).parent, package)

    def unused_overrides(self) -> None:
        for key, override in self.overrides.items():
            if not override.used:
                self.error(
                    f"override of the config group '{key}' matches no group chosen before it "
                    "in the defaults tree; Hydra stops",
                    override.span,
                    "Drop the `override` keyword to add the group, or fix the group name.",
                )


def _escapes(relative: str) -> bool:
    """Whether a path relative to the config folder leads out of it (by `..`)."""
    depth = 0
    for part in PurePosixPath(relative).parts:
        depth += -1 if part == ".." else 0 if part == "." else 1
        if depth < 0:
            return True
    return False


def _is_hydra(group: str) -> bool:
    """Hydra's own config groups (logging, launcher): not part of the run's config."""
    return group == "hydra" or group.startswith("hydra/")


def _show(item: Any) -> str:
    text = repr(item)
    return text if len(text) <= 60 else text[:57] + "..."


class Composer:
    def __init__(self, reader: Reader | None = None) -> None:
        self.reader = reader or Reader()

    def compose(self, path: str | Path) -> Composed:
        path = Path(path)
        result = Composed(str(path), {}, {})
        run = _Composition(self.reader, path, result)
        doc = self.reader.read(path)
        header = _package_header(doc)
        package = "" if header in (None, "_global_", "_group_") else _join("_global_", header)
        problem = _package_problem(package)
        if problem is not None:
            run.error(
                f"the `# @package` header: {problem}; the file's content is placed at the root",
                Span(str(path)),
                "A package is a short dotted key path, such as `trainer.model`.",
            )
            package = ""
        sources = run.tree(_Node(path, PurePosixPath("."), package), ())
        run.unused_overrides()
        result.data, result.origins = self._merge(sources, run)
        return result

    @staticmethod
    def _merge(sources: list[tuple[Path, str, Document]], run: _Composition) -> tuple[Any, Origins]:
        data: Any = {}
        origins: Origins = {}
        merged = 0
        for file, package, doc in sources:
            merged += len(doc.origins)
            if merged > MAX_COMPOSED:
                run.error(
                    f"the defaults list composes more than {MAX_COMPOSED:,} values in all; "
                    f"{file.name} and the sources after it are not merged",
                    Span(str(file)),
                    "A NexRL recipe composes a few hundred values; check for repeated includes.",
                )
                break
            own, own_origins = _content(doc)
            placed, placed_origins = _place(own, own_origins, _keys(package))
            if not isinstance(placed, dict):
                # A non-mapping document: keep it as is, later stages report it.
                if placed is not None or not data:
                    data, origins = placed, placed_origins
                continue
            data = merge(
                data if isinstance(data, dict) else {}, origins, placed, placed_origins, ()
            )
        return data, origins


def _content(doc: Document) -> tuple[Any, Origins]:
    """A file's own content: without its defaults list, and without Hydra's own `hydra:`
    settings, which Hydra takes out of the config it hands to NexRL."""
    data = doc.data
    origins = dict(doc.origins)
    if not isinstance(data, dict):
        return data, origins
    data = {k: v for k, v in data.items() if k not in ("defaults", "hydra")}
    for key in ("defaults", "hydra"):
        _drop_origins(origins, (key,))
        origins.pop((key,), None)
    return data, origins


def compose_file(path: str | Path, reader: Reader | None = None) -> Composed:
    return Composer(reader).compose(path)


__all__ = ["Composed", "Composer", "Reader", "compose_file", "dotted", "merge"]
