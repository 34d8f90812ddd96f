"""Stage 2, compose: build the config NexRL's Hydra launch builds, value by value.

`python -m nexrl.main --config-path DIR --config-name NAME overrides...` composes config NAME
of the config folder DIR with Hydra 1.3 (version_base=None); a checked file is config NAME of
its own folder. This module follows Hydra's algorithm (hydra/_internal/defaults_list.py and
config_loader_impl.py at 1.3.2) on our own data, because Hydra's nodes do not remember where
they were written and ours do (file, line, column, through every merge):

- The defaults tree: each config's `defaults:` list, entries relative to the folder of the
  file that lists them (`/name` from the config folder); `group: option` loads
  `group/option.yaml` under the key `group` (`group@pkg: option` under `pkg`, `_global_` at
  the root, `_group_` and `_here_` as in Hydra; a `# @package` header at the top of the file
  moves it too, always from the root); `group: [a, b]` loads both, `group: null` nothing,
  `group: ???` must be chosen on the command line, `optional` tolerates a missing file,
  `override group: option` (at the end of a list) changes the choice made for that group
  elsewhere in the tree (the outermost override wins, the command line over all), a choice
  may be an interpolation of other choices (`${oc.env:M,small}`). `_self_` marks where the
  file's own content goes; without it the content comes after its defaults. Only `.yaml`
  files are configs, as in Hydra 1.2 and later.
- The merge: OmegaConf's (see `merge`), source after source in the tree's order.
- The command line (see `overrides`): group choices change the tree, the rest are applied to
  the composed config, which accepts new keys only with `+` or `++`.

Whatever Hydra refuses is a `defaults` finding (an `override` finding for a command-line
argument) at the entry or argument that causes it, never an exception, and the rest is still
composed as far as it can be. Each file is read once per run however many configs include it.
"""

from __future__ import annotations

import errno
import os
from collections import Counter, OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, TypeVar

from .defaults_list import (
    OPAQUE,
    Choice,
    ChoiceError,
    Default,
    Deletion,
    Tree,
    choice_text,
    escapes,
    evaluate_choice,
    header,
    here,
    inside,
    keys,
    package_problem,
    place,
    split_package,
    type_name,
    unknown_setting,
)
from .files import read_regular, real_path
from .finding import Finding, Severity, Span
from .merge import MergeError, Merger, Origins, clone, forget
from .read import MAX_BYTES, Document, KeyPath, dotted, read_bytes, read_file
from .rules.defaults import ID as DEFAULTS
from .rules.override import ID as OVERRIDE

if TYPE_CHECKING:
    from .overrides import Argument, CommandLine
    from .resolve import Resolved

# Bounds on the defaults tree, so that no set of files can make composition slow or deep.
MAX_CONFIGS = 1000
MAX_NESTING = 40
# Values merged into one config, over all its sources (a file of 20,000 values included a
# thousand times would otherwise be merged a thousand times).
MAX_COMPOSED = 100_000
# The groups Hydra's own config (hydra/config) chooses: a plain entry for one chooses it twice.
_HYDRA_CHOSEN = frozenset(
    (
        "hydra/output",
        "hydra/launcher",
        "hydra/sweeper",
        "hydra/help",
        "hydra/hydra_help",
        "hydra/hydra_logging",
        "hydra/job_logging",
        "hydra/callbacks",
        "hydra/env",
    )
)
RULE = DEFAULTS


@dataclass(eq=False, repr=False)
class Composed:
    """A config after composition: one tree, with the origin of every value."""

    path: str
    data: Any
    origins: Origins
    findings: list[Finding] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    lines: dict[str, list[str]] = field(default_factory=dict)
    ok: bool = True
    # Literal secret values (`api_key: sk-...`) of the files composed and the command line.
    secrets: set[str] = field(default_factory=set)
    # The overrides it was composed with, if any.
    command_line: CommandLine | None = None
    # Each defaults entry that loaded a config -> the files it loaded (an editor's "go to
    # definition" on the entry).
    includes: dict[Span, list[str]] = field(default_factory=dict)
    # Resolved without an environment, once (see `resolve.resolve`).
    alone: Resolved | None = None

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


# Bytes of files read ahead of their parse (see `Reader.raw`): a folder of a few thousand
# configs is read once, a larger one without holding all of it.
READ_AHEAD = 16 * 1024 * 1024


class Reader:
    """Reads each file once per run (within the most recent few hundred). With `nodes`, each
    document keeps the parser's nodes (for a run that plans fixes on them)."""

    def __init__(self, size: int = 256, nodes: bool = False) -> None:
        self.nodes = nodes
        self._docs: Recent[Path, Document] = Recent(size)
        self._real: dict[Path, Path] = {}
        self._real_names: dict[str, Path] = {}
        self._real_folders: dict[str, str] = {}
        # Texts served in place of files (standard input, an editor's buffers, planned
        # fixes): a document, or (name, bytes) parsed when first read.
        self._given: dict[Path, Document | tuple[str, bytes]] = {}
        # More such texts, by real path -> (name, text), looked up only for the files read;
        # they stand before those given one by one (they are planned on them).
        self._texts: Mapping[Path, tuple[str, str]] = {}
        self._parsed: dict[Path, Document] = {}
        # The real path of every file read or provided: an output may not replace one.
        self.seen: set[Path] = set()
        # Bytes read before the file is parsed (see `raw`), by real path, oldest first.
        self._ahead: OrderedDict[Path, bytes] = OrderedDict()
        self._ahead_size = 0

    def follow(self, other: Reader) -> None:
        """Share the real paths `other`, a reader of the same run, has worked out (and
        will): a folder is resolved once, however many readers look it up."""
        self._real, self._real_names = other._real, other._real_names
        self._real_folders = other._real_folders

    def provide(self, path: Path, doc: Document | bytes) -> None:
        """Serve `doc` as the file at `path` for the whole run (a text read from stdin);
        bytes are parsed when the file is first read."""
        given = (str(path), doc) if isinstance(doc, bytes) else doc
        self._given[self.real(path)] = given

    def serve(self, texts: Mapping[Path, tuple[str, str]]) -> None:
        """Read the files of `texts` (real path -> (name, text)) as the texts given there,
        each parsed when first read: a run handed every file of a folder pays for those it
        reads."""
        self._texts = texts

    def _served(self, key: Path) -> Document | None:
        if key in self._texts:
            doc = self._parsed.get(key)
            if doc is None:
                name, text = self._texts[key]
                raw = text.encode("utf-8", "surrogatepass")
                doc = self._parsed[key] = read_bytes(raw, name, self.nodes)
            return doc
        given = self._given.get(key)
        if isinstance(given, tuple):
            name, raw = given
            given = self._given[key] = read_bytes(raw, name, self.nodes)
        return given

    def real(self, path: Path) -> Path:
        """`path.resolve()`, once per path and run: each file is looked up many times."""
        found = self._real.get(path)
        if found is None:
            try:
                found = self._real[path] = real_path(path, self._real_folders)
            except RuntimeError:  # a symbolic link loop (Python before 3.13)
                raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path)) from None
        return found

    def real_name(self, name: str) -> Path:
        """`real(Path(name))`, once per name: the sources of a composition, and the files of
        findings, are strings asked about again and again."""
        found = self._real_names.get(name)
        if found is None:
            found = self._real_names[name] = self.real(Path(name))
        return found

    def read(self, path: Path) -> Document:
        key = self.real(path)
        self.seen.add(key)
        doc = self._served(key) or self._docs.get(key)
        if doc is None:
            raw = self._ahead.pop(key, None)
            if raw is None:
                doc = read_file(path, self.nodes)
            else:
                self._ahead_size -= len(raw)
                doc = read_bytes(raw, str(path), self.nodes)
            self._docs[key] = doc
        return doc

    def raw(self, path: Path) -> bytes:
        """The bytes of the file at `path` (at most one more than a config may hold; OSError
        as `read`), kept for `read` to parse: a file looked at before it is checked (by the
        includer index) is read from disk once. At most `READ_AHEAD` bytes are kept."""
        key = self.real(path)
        self.seen.add(key)
        if key in self._texts:
            return self._texts[key][1].encode("utf-8", "surrogatepass")
        given = self._given.get(key)
        if isinstance(given, tuple):
            return given[1]
        doc = given or self._docs.get(key)
        if doc is not None and doc.raw:
            return doc.raw
        raw = self._ahead.get(key)
        if raw is None:
            raw = read_regular(path, MAX_BYTES)
            self._ahead[key] = raw
            self._ahead_size += len(raw)
            while self._ahead_size > READ_AHEAD:
                self._ahead_size -= len(self._ahead.popitem(last=False)[1])
        return raw

    def adopt(self, doc: Document) -> None:
        """Take `doc`, read elsewhere, as the document of its file where this reader serves
        that file, under the same name, the very bytes `doc` was read from: it is not parsed
        again."""
        key = self.real(Path(doc.path))
        served = self._texts.get(key)
        if served is None or served[0] != doc.path or not doc.raw:
            return
        if served[1].encode("utf-8", "surrogatepass") == doc.raw:
            self._parsed.setdefault(key, doc)

    def cached(self, path: Path | str) -> Document | None:
        """The document of the file at `path` (or named `path`, as findings and compositions
        name files) if it has been read."""
        key = self.real_name(path) if isinstance(path, str) else self.real(path)
        return self._served(key) or self._docs.get(key)


def _finding(
    message: str, span: Span, hint: str = "", severity: Severity = Severity.ERROR
) -> Finding:
    return Finding(RULE, severity, message, span, "defaults", hint)


@dataclass(eq=False, repr=False)
class _Source:
    """One config to merge: its document, where it goes, and the entry that chose it."""

    doc: Document
    package: str
    entry: Default


class _Composition:
    """The state of composing one primary config."""

    def __init__(
        self,
        reader: Reader,
        root: Path,
        result: Composed,
        environ: Mapping[str, str] | None,
        primary: Path | None,
    ) -> None:
        self.reader = reader
        # As given, so that findings name files the way the user named the config.
        self.root = root
        self.result = result
        self.environ = environ
        self.primary = primary
        self.choices: dict[str, Choice] = {}
        self.appended: list[Default] = []
        self.deletions: dict[str, Deletion] = {}
        self.known: dict[str, str | None] = {}
        self.known_at: dict[str, Span] = {}
        self.known_per_group: dict[str, set[str]] = {}
        # Groups already reported as chosen twice.
        self.twice: set[str] = set()
        self.loaded: dict[str, Document | None] = {}
        self.visits = 0
        self.stack: list[Path] = []

    def error(
        self, message: str, span: Span, hint: str = "", severity: Severity = Severity.ERROR
    ) -> None:
        self.result.findings.append(_finding(message, span, hint, severity))

    # -- reading configs --------------------------------------------------------------------
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

    def load(self, node: Default) -> Document | None:
        """The document of a config of the tree (None when there is none; a reason that is
        not plain absence, such as a path out of the config folder, is reported here)."""
        if node.primary and self.primary is not None:
            return self.read(self.primary)
        path = node.config_path()
        if path in self.loaded:
            doc = self.loaded[path]
        else:
            doc = self.loaded[path] = self.locate(path, node)
        if doc is not None:
            loaded = self.result.includes.setdefault(node.span, [])
            if doc.path not in loaded:
                loaded.append(doc.path)
        return doc

    def exists(self, node: Default) -> bool:
        return self.load(node) is not None

    def locate(self, path: str, node: Default) -> Document | None:
        """The document of config `path` (relative to the config folder), or None. Only a
        regular file whose real path is inside the config folder is read: not an absolute
        path, not `..` out of it, not a symbolic link that leads out of it."""
        relative = path if path.endswith(".yaml") else f"{path}.yaml"
        if "\x00" in relative or not path:
            return None
        absolute = PurePosixPath(relative).is_absolute() or "//" in relative
        if escapes(relative) or absolute:
            self.error(
                f"defaults entry {_show(node.path)} points outside the config folder",
                node.where(),
                "Hydra looks configs up inside the config folder; name a config there.",
            )
            node.deleted = True
            return None
        candidate = Path(os.path.normpath(self.root / relative))
        if not candidate.is_file():
            return None
        try:
            if not inside(self.reader.real(candidate), self.reader.real(self.root)):
                self.error(
                    f"defaults entry {_show(node.path)} is a symbolic link to a file outside "
                    f"the config folder ({relative}); it is not read",
                    node.where(),
                    "Hydra composes configs of the config folder; copy the file into it.",
                )
                node.deleted = True
                return None
            return self.read(candidate)
        except OSError as exc:
            self.error(f"cannot read '{relative}': {exc.strerror or exc}", node.where())
            node.deleted = True
            return None

    def group_exists(self, group: str) -> bool:
        if not group or "\x00" in group or escapes(group):
            return False
        folder = self.root / group.strip("/")
        try:
            return folder.is_dir() and inside(self.reader.real(folder), self.reader.real(self.root))
        except OSError:
            return False

    def options(self, group: str) -> list[str]:
        """The options of a group (its `.yaml` files), for messages."""
        try:
            names = sorted(p.stem for p in (self.root / group).glob("*.yaml") if p.is_file())
        except OSError:
            return []
        return names[:20]

    # -- the command line -------------------------------------------------------------------
    def take_arguments(self, arguments: list[Argument]) -> list[Argument]:
        """Hydra's `Overrides`: group choices go to the tree; the config overrides are
        returned, to be applied once the config is composed."""
        from .overrides import ADD, DELETE, FORCE_ADD

        rest = []
        for arg in arguments:
            if arg.is_hydra:
                continue
            if isinstance(arg.value, dict) or not self.group_exists(arg.key):
                rest.append(arg)
            elif arg.kind == FORCE_ADD:
                self.argument_error(
                    arg,
                    f"{arg.shown!r}: Hydra does not force-add a config group (++)",
                    f"Write `+{arg.text[2:]}` to add the group, or `{arg.text[2:]}` to change it.",
                )
            elif arg.kind == DELETE:
                if arg.value is not None and not isinstance(arg.value, str):
                    self.argument_error(arg, f"{arg.shown!r}: the option to delete is not a name")
                    continue
                self.deletions[arg.element] = Deletion(arg.value, arg.span)
            elif not isinstance(arg.value, (str, list)):
                self.argument_error(
                    arg,
                    f"{arg.shown!r}: a config group's choice must be an option name or a list of "
                    f"them, not {type_name(arg.value)}",
                    f"Delete the group with `~{arg.key}`, or name one of its options.",
                )
            elif arg.kind == ADD:
                package = here(arg.package)
                node = Default(arg.span, "group", arg.key, arg.value, package, external=True)
                self.appended.append(node)
            else:
                self.choices[arg.element] = Choice(arg.value, arg.span, external=True)
        return rest

    def argument_error(self, arg: Argument, message: str, hint: str = "") -> None:
        self.result.findings.append(
            Finding(OVERRIDE, Severity.ERROR, f"override {message}", arg.span, arg.key, hint)
        )

    # -- building the tree (Hydra's _create_defaults_tree_impl) -----------------------------
    def tree(self, root: Tree, is_root: bool, interpolated: bool) -> Tree:
        parent = root.node
        if is_root:
            parent.update_parent("", "")
        doc = None
        if not parent.is_missing() and parent.name() is not None:
            doc = self.load(parent)
            if doc is not None:
                parent.header = self.package_header(doc, parent)
        if self.is_deleted(parent):
            return root
        self.set_known_choice(parent)
        if parent.name() is None or parent.deleted:
            return root
        if parent.is_missing():
            group = parent.group_path() if parent.kind == "group" else parent.path
            options = self.options(group) if parent.kind == "group" else []
            shown = f" (options: {', '.join(options)})" if options else ""
            self.error(
                f"no option is chosen for the config group '{group}' (`???`); Hydra stops "
                f"unless it is chosen on the command line{shown}",
                parent.where(),
                f"Choose one here, or pass `{parent.override_key()}=<option>` at launch.",
            )
            return root
        if doc is None:
            if not parent.optional:
                self.not_found(parent)
            parent.deleted = True
            return root
        real = self.reader.real_name(doc.path)
        if not self.enter(real, parent):
            parent.deleted = True
            return root
        self.stack.append(real)
        try:
            self.expand(root, parent, doc, is_root, interpolated)
        finally:
            self.stack.pop()
        return root

    def enter(self, real: Path, node: Default) -> bool:
        """Whether to follow a config: not into a cycle, nor past the bounds of the tree."""
        if real in self.stack:
            chain = " -> ".join(p.name for p in (*self.stack, real))
            self.error(f"defaults form a cycle: {chain}", node.where())
            return False
        self.visits += 1
        if len(self.stack) > MAX_NESTING or self.visits > MAX_CONFIGS:
            if self.visits <= MAX_CONFIGS + 1:
                self.error(
                    f"defaults nest deeper than {MAX_NESTING} levels or include more than "
                    f"{MAX_CONFIGS} configs; the rest is not followed",
                    node.where(),
                    "A NexRL recipe includes a few configs; check for repeated includes.",
                )
                self.visits = MAX_CONFIGS + 2
            return False
        return True

    def expand(
        self, root: Tree, parent: Default, doc: Document, is_root: bool, interpolated: bool
    ) -> None:
        defaults = self.entries(doc)
        self_added = False
        if defaults or (is_root and self.appended):
            self_added = self.validate_self(defaults, doc)
        if is_root:
            defaults.extend(self.appended)
        self.update_overrides(defaults, parent, interpolated)
        children: list[Tree | Default] = []
        for entry in reversed(defaults):
            if entry.is_self():
                entry.update_parent(parent.base_dir or "", parent.get_package() or "")
                children.append(entry)
                continue
            if entry.override:
                continue
            entry.update_parent(parent.group_path(), parent.final_package())
            if entry.is_hydra():
                self.hydra_entry(entry)
                continue
            self.apply_choice(entry)
            if entry.is_options():
                for item in reversed(entry.value):
                    if "${" in item:
                        self.error(
                            f"defaults entry '{entry.shown()}': Hydra does not support "
                            "interpolations in a list of options",
                            entry.where(),
                        )
                        continue
                    node = Default(
                        entry.where(),
                        "config",
                        f"{entry.path}/{item}",
                        package=entry.package,
                        optional=entry.optional,
                    )
                    node.update_parent(parent.group_path(), parent.final_package())
                    self.add_child(children, Tree(node, root), interpolated)
            elif entry.is_interpolation():
                children.append(entry)
            else:
                self.add_child(children, Tree(entry, root), interpolated)
        self.deferred(children, defaults, self_added, root, parent)
        if children:
            root.children = list(reversed(children))

    def deferred(
        self,
        children: list[Tree | Default],
        defaults: list[Default],
        self_added: bool,
        root: Tree,
        parent: Default,
    ) -> None:
        """Choices written as interpolations, evaluated once the other choices are known."""
        known: dict[str, Any] | None = None
        for index, child in enumerate(children):
            if not isinstance(child, Default) or not child.is_interpolation():
                continue
            if known is None:
                known = self.interpolation_map(defaults, self_added)
            if not self.resolve_choice(child, known):
                child.deleted = True
                continue
            child.update_parent(parent.group_path(), parent.final_package())
            subtree = self.tree(Tree(child, root), False, True)
            if subtree.children is not None:
                children[index] = subtree

    def add_child(self, children: list[Tree | Default], new_root: Tree, interpolated: bool) -> None:
        subtree = self.tree(new_root, False, interpolated)
        children.append(new_root.node if subtree.children is None else subtree)

    def hydra_entry(self, entry: Default) -> None:
        """An entry of Hydra's own groups: Hydra composes it into its own settings, which are
        not the run's config; a plain choice of a group Hydra chooses itself is refused."""
        if entry.group_path() in _HYDRA_CHOSEN:
            self.error(
                f"defaults entry '{entry.shown()}' chooses {entry.group_path()} a second "
                "time: Hydra's own config already chooses it",
                entry.where(),
                f"Write `override {entry.path}: {entry.value}` at the end of the list.",
            )

    # -- parsing a defaults list (Hydra's ConfigRepository._create_defaults_list) ------------
    def entries(self, doc: Document) -> list[Default]:
        data = doc.data
        if not isinstance(data, dict) or "defaults" not in data:
            return []
        raw = data["defaults"]
        if not isinstance(raw, list):
            self.error(
                "'defaults' must be a list of config names",
                doc.span(("defaults",)),
                "Write it as a list, e.g. `defaults: [common, _self_]`.",
            )
            return []
        entries = []
        for index, item in enumerate(raw):
            entry = self.entry(item, doc.span(("defaults", index)))
            if entry is not None:
                entries.append(entry)
        return entries

    def entry(self, item: Any, span: Span) -> Default | None:
        if isinstance(item, str):
            path, package = split_package(item)
            if path == "_self_":
                if package is not None:
                    self.error("`_self_@package` is not supported by Hydra", span)
                return Default(span, "self", "_self_")
            return Default(span, "config", path, package=here(package))
        if isinstance(item, dict) and len(item) == 1:
            ((key, value),) = item.items()
            return self.group_entry(key, value, span)
        if isinstance(item, dict) and len(item) > 1:
            problem = "has several keys; each entry is one `group: option`"
        else:
            problem = "is not a config name or a group choice"
        self.error(
            f"defaults entry {_show(item)} {problem}",
            span,
            "Each entry is a name such as `common`, `_self_` or `group: option`.",
        )
        return None

    def group_entry(self, key: Any, value: Any, span: Span) -> Default | None:
        problem = None
        if not isinstance(key, str):
            problem = "names its group with a key that is not text"
        elif value is not None and not isinstance(value, (str, list)):
            problem = f"chooses {type_name(value)}; a choice is an option name or a list"
        elif isinstance(value, list) and not all(isinstance(v, str) for v in value):
            problem = "lists options that are not names"
        if problem is not None:
            self.error(
                f"defaults entry {_show({key: value})} {problem}",
                span,
                "Write `group: option`, optionally with `optional` or `override` before the group.",
            )
            return None
        assert isinstance(key, str)
        group_text, package = split_package(key)
        words = group_text.split(" ")
        group = words[-1]
        optional = override = False
        ignored = []
        for index, word in enumerate(words[:-1]):
            if word == "optional":
                optional = True
            elif word == "override":
                override = True
            else:
                ignored = words[index:-1]
                break
        if ignored and any(ignored):
            self.error(
                f"defaults entry '{key}': Hydra ignores {' '.join(repr(w) for w in ignored)} "
                f"before the group '{group}'",
                span,
                "Only `optional` and `override` may come before a group.",
                Severity.WARNING,
            )
        if not group:
            self.error(f"defaults entry {_show({key: value})} names no group", span)
            return None
        if value == "_self_":  # Hydra takes it for `_self_`, then fails on an assertion
            self.error(f"defaults entry '{key}: _self_' is not supported by Hydra", span)
            return Default(span, "self", "_self_")
        return Default(
            span,
            "group",
            group,
            value,
            here(package),
            optional=optional,
            override=override,
        )

    def validate_self(self, defaults: list[Default], doc: Document) -> bool:
        """At most one `_self_`; without one, the content comes after the defaults (added
        unless the list holds only overrides). Whether it was added."""
        selves = [d for d in defaults if d.is_self()]
        for extra in selves[1:]:
            self.error("_self_ is listed more than once", extra.span, "Keep one `_self_`.")
            defaults.remove(extra)
        if not selves and (any(not d.override for d in defaults) or not defaults):
            defaults.append(Default(Span(doc.path), "self", "_self_"))
            return True
        return False

    def update_overrides(
        self, defaults: list[Default], parent: Default, interpolated: bool
    ) -> None:
        """Hydra's _update_overrides: overrides come last, and register their choice (the
        first registered wins: the command line, then the outer configs)."""
        seen: Default | None = None
        for entry in defaults:
            if entry.is_self():
                continue
            entry.update_parent(parent.group_path(), parent.final_package())
            if seen is not None and not (entry.override or entry.external):
                self.error(
                    f"defaults entry '{entry.shown()}' comes after the override "
                    f"'{seen.shown()}'; Hydra requires overrides at the end of the list",
                    entry.span,
                    "Move the `override` entries to the end of the defaults list.",
                )
            if entry.kind != "group" or not entry.override:
                continue
            seen = entry
            if entry.is_hydra():
                continue
            if interpolated:
                self.error(
                    f"defaults entry '{entry.shown()}': Hydra does not allow an override in "
                    "a config chosen by an interpolation",
                    entry.span,
                )
                continue
            key = entry.override_key()
            if key not in self.choices:
                self.choices[key] = Choice(entry.value, entry.span, False, parent.config_path())

    def apply_choice(self, entry: Default) -> None:
        if entry.kind != "group":
            return
        choice = self.choices.get(entry.override_key())
        if choice is not None:
            entry.value = choice.value
            entry.chosen_at = choice.span
            choice.used = True

    def set_known_choice(self, node: Default) -> None:
        if node.kind != "group":
            return
        key = node.override_key()
        if key not in self.known:
            self.known[key] = node.name()
            self.known_at[key] = node.where()
        elif self.known[key] != node.name():
            # Reported at the choice that comes later in the tree (visited first).
            self.twice.add(key)
            self.error(
                f"the config group '{key}' is chosen twice ('{self.known[key]}' here, "
                f"'{node.name()}' at {_where(node.where())}); Hydra refuses two choices for "
                "one group",
                self.known_at[key],
                f"Write `override {key}: {self.known[key]}` at the end of the list that should "
                "win.",
            )
        self.known_per_group.setdefault(node.group_path(), set()).add(key)

    def is_deleted(self, node: Default) -> bool:
        if node.kind != "group":
            return False
        deletion = self.deletions.get(node.override_key())
        if deletion is None or (deletion.name is not None and deletion.name != node.name()):
            return False
        node.deleted = True
        deletion.used = True
        return True

    def package_header(self, doc: Document, node: Default) -> str | None:
        """The `# @package` header (as Hydra reads it: leading lines that start with `# @`,
        within the file's first 512 characters), made absolute."""
        package, problem = header(doc)
        if problem is not None:
            self.error(f"{Path(doc.path).name}: {problem}; Hydra stops", Span(doc.path), "")
        if package is None:
            return None
        if package != "_global_" and not package.startswith("_global_."):
            package = f"_global_.{package}"
        return package

    def not_found(self, node: Default) -> None:
        path = node.config_path()
        if node.kind == "group":
            group = node.group_path()
            options = self.options(group)
            shown = f"; its options: {', '.join(options)}" if options else ""
            self.error(
                f"defaults entry '{node.shown()}' chooses '{node.name()}', which the config "
                f"group '{group}' does not have ({path}.yaml in the config folder){shown}",
                node.where(),
                "Check the option's name (configs are .yaml files; Hydra does not read .yml).",
            )
            return
        self.error(
            f"defaults entry '{node.path}' names a config that does not exist ({path}.yaml "
            "in the config folder)",
            node.where(),
            "Check the name; entries are file names without .yaml, relative to the folder of "
            "the file that lists them (Hydra does not read .yml).",
        )

    # -- interpolated choices ---------------------------------------------------------------
    def interpolation_map(self, defaults: list[Default], self_added: bool) -> dict[str, Any]:
        known: dict[str, Any] = dict(self.known)
        listed: list[Any] = []
        for entry in defaults:
            if self_added and entry.is_self():
                continue
            if entry.kind == "config":
                listed.append(entry.config_path())
            elif entry.kind == "group" and entry.base_dir is not None:
                listed.append({entry.override_key(): entry.value})
        known["defaults"] = listed
        return known

    def resolve_choice(self, node: Default, known: dict[str, Any]) -> bool:
        """Evaluate a choice written as an interpolation (`${oc.env:M,small}`, `${other}`)
        the way Hydra does, against the choices made so far; whether it could be."""
        raw = node.value if node.kind == "group" else node.config_path()
        environ = os.environ if self.environ is None else self.environ
        try:
            value, unset = evaluate_choice(raw, known, environ)
        except ChoiceError as exc:
            self.error(
                f"defaults entry '{node.shown()}': {exc}; Hydra stops",
                node.span,
                f"Known choices: {', '.join(k for k in known if k != 'defaults') or 'none'}.",
            )
            return False
        if unset is not None:
            self.error(
                f"defaults entry '{node.shown()}' is chosen by environment variable {unset}, "
                "which is not set; its content is not checked",
                node.span,
                "Export the variable to check what it chooses.",
                Severity.INFO,
            )
            return False
        if value is OPAQUE:
            self.error(
                f"defaults entry '{node.shown()}' is chosen by an interpolation that is not "
                "followed; its content is not checked",
                node.span,
                severity=Severity.INFO,
            )
            return False
        if not isinstance(value, str):
            self.error(
                f"defaults entry '{node.shown()}': the interpolation gives {type_name(value)}, "
                "not an option name; Hydra stops",
                node.span,
            )
            return False
        if node.kind == "group":
            node.value = value
        else:
            node.path = value
            node.base_dir = ""
        return True

    # -- after the tree ---------------------------------------------------------------------
    def flatten(self, tree: Tree) -> list[_Source]:
        """The configs to merge, in order (Hydra's _tree_to_list)."""
        out: list[_Source] = []
        self._flatten(tree, out, {})
        return out

    # Methods, not closures of `flatten`: a nested function that calls itself is a reference
    # cycle, which would keep the whole composition for the garbage collector to find.
    def _flatten(self, node: Tree, out: list[_Source], seen: dict[str, Span]) -> None:
        if not node.children:
            self._visit(node.parent, node.node, out, seen)
            return
        for child in node.children:
            if isinstance(child, Default):
                self._visit(node, child, out, seen)
            else:
                self._flatten(child, out, seen)

    def _visit(
        self, owner: Tree | None, node: Default, out: list[_Source], seen: dict[str, Span]
    ) -> None:
        if node.deleted or node.is_missing():
            return
        if node.is_self():
            assert owner is not None
            config, package = owner.node, owner.node.final_package()
        else:
            if node.name() is None:
                return
            config, package = node, node.final_package()
        if node.kind == "group" and not node.is_self():
            key = node.override_key()
            if key in seen and key not in self.twice:
                self.twice.add(key)
                self.error(
                    f"the config group '{key}' is chosen twice (again); Hydra refuses two "
                    "choices for one group",
                    node.where(),
                    f"Remove one, or write `override {key}: ...` at the end of the list.",
                )
            seen[key] = node.where()
        doc = self.load(config)
        if doc is not None:
            out.append(_Source(doc, package, config))

    def unused(self) -> None:
        for key, choice in self.choices.items():
            if choice.used:
                continue
            group = key.split("@")[0]
            keys = sorted(self.known_per_group.get(group, ()))
            near = f"; did you mean {' or '.join(keys)}?" if keys else ""
            if choice.external:
                self.result.findings.append(
                    Finding(
                        OVERRIDE,
                        Severity.ERROR,
                        f"override '{key}={choice_text(choice.value)}' matches no group chosen "
                        f"in the defaults tree{near}",
                        choice.span,
                        key,
                        f"To add the group, write `+{key}={choice_text(choice.value)}`.",
                    )
                )
                continue
            self.error(
                f"override of the config group '{key}' matches no group chosen in the defaults "
                f"tree{near}; Hydra stops",
                choice.span,
                "Drop the `override` keyword to add the group, or fix the group name.",
            )
        for key, deletion in self.deletions.items():
            if not deletion.used:
                shown = key if deletion.name is None else f"{key}={deletion.name}"
                self.result.findings.append(
                    Finding(
                        OVERRIDE,
                        Severity.ERROR,
                        f"override '~{shown}' deletes nothing: no such choice in the defaults tree",
                        deletion.span,
                        key,
                    )
                )

    def merge(self, sources: list[_Source]) -> tuple[dict[Any, Any], Origins]:
        merger = Merger()
        merged = 0
        # A config merged more than once is loaded once, as Hydra caches it (see `share`).
        counts = Counter(source.entry.config_path() for source in sources)
        loaded: dict[str, tuple[Any, Origins] | None] = {}
        for source in sources:
            doc = source.doc
            merged += len(doc.origins)
            if merged > MAX_COMPOSED:
                self.error(
                    f"the defaults list composes more than {MAX_COMPOSED:,} values in all; "
                    f"{Path(doc.path).name} and the sources after it are not merged",
                    Span(doc.path),
                    "A NexRL recipe composes a few hundred values; check for repeated includes.",
                )
                break
            problem = package_problem(source.package)
            if problem is not None:
                self.error(
                    f"defaults entry {_show(source.entry.path)}: {problem}; it is not composed",
                    source.entry.where(),
                    "A package is a short dotted key path, such as `trainer.model`.",
                )
                continue
            config = source.entry.config_path()
            again = counts[config] > 1
            if not again or config not in loaded:
                content = self.content(doc, source)
                loaded[config] = (
                    content
                    if not again or content is None
                    else (
                        clone(content[0]),
                        content[1],
                    )
                )
            content = loaded[config]
            if content is None:
                continue
            placed, placed_origins = place(*content, keys(source.package))
            try:
                merger.merge(placed, placed_origins, share=again and not source.package)
            except MergeError as exc:
                span = placed_origins.get(exc.path, (None, Span(doc.path)))[1]
                self.error(
                    f"'{dotted(exc.path)}': {exc.what} (Hydra's merge fails)",
                    span,
                    "Write the same kind of value as the config it overrides, or set it to "
                    "null first.",
                )
        data, origins = merger.data, merger.origins
        if "hydra" in data:  # Hydra's own settings, which it takes out of NexRL's config
            unknown = unknown_setting(data["hydra"])
            if unknown is not None:
                where = ("hydra", *unknown)
                self.error(
                    f"'{dotted(where)}' is no setting of Hydra's; Hydra stops",
                    _key_span(origins, where, Span(self.result.path)),
                    "Hydra's settings are documented at hydra.cc (hydra.run.dir, hydra.job...); "
                    "the run's own settings go outside `hydra:`.",
                )
            forget(origins, ("hydra",), data.pop("hydra"))
            origins.pop(("hydra",), None)
        return data, origins

    def content(self, doc: Document, source: _Source) -> tuple[Any, Origins] | None:
        """A config's own content, as Hydra loads it: without its defaults list; an empty or
        null file is an empty mapping; a list goes only under a package."""
        data = doc.data
        origins = dict(doc.origins)
        if data is None:
            return {}, ({(): origins[()]} if () in origins else {})
        if isinstance(data, dict):
            if "defaults" in data:
                data = {k: v for k, v in data.items() if k != "defaults"}
                forget(origins, ("defaults",), doc.data["defaults"])
                origins.pop(("defaults",), None)
            return data, origins
        if isinstance(data, list) and source.package:
            return data, origins
        what = "a list" if isinstance(data, list) else f"a single value ({type_name(data)})"
        self.error(
            f"{Path(doc.path).name} holds {what}, not a mapping; Hydra cannot merge it into "
            "the config",
            doc.span(()),
            "A config included at the root must be a mapping of keys.",
        )
        return None


# -- helpers ------------------------------------------------------------------------------
def _key_span(origins: Origins, path: KeyPath, default: Span) -> Span:
    key, value = origins.get(path, (None, default))
    return key or value


def _show(item: Any) -> str:
    text = repr(item)
    return text if len(text) <= 60 else text[:57] + "..."


def _where(span: Span) -> str:
    return f"{Path(span.file).name}:{span.line}"


class Composer:
    def __init__(self, reader: Reader | None = None) -> None:
        self.reader = reader or Reader()

    def compose(
        self,
        path: str | Path,
        command_line: CommandLine | None = None,
        environ: Mapping[str, str] | None = None,
        root: str | Path | None = None,
        name: str | None = None,
    ) -> Composed:
        """Compose the config at `path` (config `name` of the config folder `root`; by
        default the file's stem, of its own folder), with the overrides of `command_line`."""
        path = path if isinstance(path, Path) else Path(path)
        folder = Path(root) if root is not None else path.parent
        result = Composed(str(path), {}, {})
        run = _Composition(self.reader, folder, result, environ, path)
        doc = run.read(path)
        if command_line is not None:
            result.command_line = command_line
            result.findings.extend(command_line.findings)
            result.secrets |= command_line.secrets
        if not isinstance(doc.data, (dict, type(None))):
            # A document that is no mapping: kept as it is, later stages report it.
            result.data, result.origins = doc.data, dict(doc.origins)
            return result
        arguments = run.take_arguments(command_line.arguments) if command_line else []
        primary = Default(Span(str(path)), "config", name or path.stem, primary=True)
        tree = run.tree(Tree(primary), True, False)
        sources = run.flatten(tree)
        run.unused()
        data, origins = run.merge(sources)
        if arguments:
            from .overrides import apply

            apply(arguments, Merger(data, origins), result.findings)
        result.data, result.origins = data, origins
        return result


def compose_file(path: str | Path, reader: Reader | None = None) -> Composed:
    return Composer(reader).compose(path)


__all__ = ["Composed", "Composer", "Reader", "compose_file", "dotted"]
