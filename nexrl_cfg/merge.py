"""OmegaConf's merge and update, on plain data that remembers where each value was written.

Hydra composes a config by merging its sources with OmegaConf (`cfg.merge_with(source)`),
then applies command-line overrides with `OmegaConf.update` on the composed config, closed
for new keys (struct mode). These are the same rules, on dicts and lists, with an `Origins`
map kept in step: every value written takes its origin from the source it came from.

The rules (omegaconf/basecontainer.py `_map_merge`, 2.3): a mapping merges into a mapping key
by key; a list, a scalar or null replaces what was there; a list and a mapping do not merge
(an error); `???` keeps what was there; a value that is an interpolation naming a section is
replaced by a copy of that section before a mapping merges into it.
"""

from __future__ import annotations

import re
from typing import Any

from .finding import Span
from .read import KeyPath

Origins = dict[KeyPath, tuple[Span | None, Span]]

MISSING = "???"


class MergeError(Exception):
    """A merge OmegaConf refuses (a list into a mapping, a mapping into a list); `path` is
    where, `what` the two kinds."""

    def __init__(self, path: KeyPath, what: str) -> None:
        super().__init__(what)
        self.path = path
        self.what = what


def is_interpolation(value: Any) -> bool:
    """OmegaConf's test: any text holding `${`."""
    return isinstance(value, str) and "${" in value


def kind(value: Any) -> str:
    return "a mapping" if isinstance(value, dict) else "a list" if isinstance(value, list) else ""


class Merger:
    """Merges sources into one config, in place; `data` is the config so far (its root),
    `origins` where each of its values was written."""

    def __init__(self, data: dict[Any, Any] | None = None, origins: Origins | None = None):
        self.data: dict[Any, Any] = {} if data is None else data
        self.origins: Origins = {} if origins is None else origins
        self.share = False

    def merge(self, src: dict[Any, Any], src_origins: Origins, share: bool = False) -> None:
        """Merge mapping `src` (placed at the root) into the config. Raises MergeError at the
        first key OmegaConf refuses; the keys before it are merged, as in OmegaConf.

        With `share`, a section `src` adds is not copied: the config holds `src`'s own, and
        later merges change it there too. Hydra composes so (OmegaConf's no_deepcopy_set_nodes)
        and keeps each config it loaded, so that a config loaded again (at another package)
        holds what was merged into the sections it added at the root."""
        if not self.data and not self.origins and not share:
            # The first source: a copy of it, with its origins as they are (those of its own
            # paths, which are now the config's): as merging gives, without a walk for each.
            self.data.update(clone(src))
            self.origins.update(src_origins)
            return
        self.share = share
        try:
            self._map(self.data, src, src_origins, (), ())
        finally:
            self.share = False

    def merge_at(self, path: KeyPath, src: dict[Any, Any], src_origins: Origins) -> None:
        """Merge mapping `src` into the mapping at `path`; `src_origins` are keyed by the
        paths the values take in the config."""
        dest = lookup(self.data, path)
        assert isinstance(dest, dict)
        self._map(dest, src, src_origins, path, path)

    def _map(
        self,
        dest: dict[Any, Any],
        src: dict[Any, Any],
        src_origins: Origins,
        path: KeyPath,
        src_path: KeyPath,
    ) -> None:
        # A mapping given again takes the position of the later one (where a key it lacks
        # would be added).
        here = src_origins.get(src_path)
        if here is not None:
            self.origins[path] = here
        for key, value in src.items():
            at, src_at = (*path, key), (*src_path, key)
            if key not in dest:
                self._set(dest, key, value, src_origins, at, src_at)
                continue
            current = dest[key]
            if is_interpolation(current):
                target = self.deref(at, current)  # a copy of a section, or nothing
                if isinstance(target, (dict, list)):
                    current = self._copy_section(dest, key, at, target)
            if isinstance(current, (dict, list)):
                if isinstance(value, (dict, list)):
                    if isinstance(value, dict) != isinstance(current, dict):
                        raise MergeError(at, f"{kind(value)} cannot merge into {kind(current)}")
                    if isinstance(value, dict):
                        assert isinstance(current, dict)
                        self._map(current, value, src_origins, at, src_at)
                    else:
                        self._set(dest, key, value, src_origins, at, src_at)
                elif value != MISSING:
                    self._set(dest, key, value, src_origins, at, src_at)
            elif value != MISSING or isinstance(value, (dict, list)):
                self._set(dest, key, value, src_origins, at, src_at)
            # `???` over a value keeps the value, and where it was written.

    def _set(
        self,
        dest: dict[Any, Any],
        key: Any,
        value: Any,
        src_origins: Origins,
        at: KeyPath,
        src_at: KeyPath,
    ) -> None:
        """`dest[key] = value` (a copy), with the origins of `value` in `src_origins`."""
        if key in dest and isinstance(dest[key], (dict, list)):
            forget(self.origins, at, dest[key])
        if not isinstance(value, (dict, list)):  # most values: a scalar, one origin
            dest[key] = value
            origin = src_origins.get(src_at)
            if origin is not None:
                self.origins[at] = origin
            return
        if at == src_at and not self.share:  # merged from the root: its paths are the config's
            dest[key] = self._copy(value, at, src_origins)
            return
        dest[key] = value if self.share else clone(value)
        for sub in shape(value):
            origin = src_origins.get((*src_at, *sub))
            if origin is not None:
                self.origins[(*at, *sub)] = origin

    def _copy(self, value: Any, at: KeyPath, src_origins: Origins) -> Any:
        """A copy of `value` (see `clone`) with the origins of its values, in one walk."""
        origin = src_origins.get(at)
        if origin is not None:
            self.origins[at] = origin
        if isinstance(value, dict):
            return {k: self._copy(v, (*at, k), src_origins) for k, v in value.items()}
        if isinstance(value, list):
            return [self._copy(v, (*at, i), src_origins) for i, v in enumerate(value)]
        return value

    def _copy_section(self, dest: dict[Any, Any], key: Any, at: KeyPath, target: Any) -> Any:
        """Replace an interpolation naming a section by a copy of the section (OmegaConf does
        this before merging into it); the copy keeps where each of its values was written."""
        source = self._find(target)
        forget(self.origins, at, dest[key])
        dest[key] = clone(target)
        if source is not None:
            for sub in shape(target):
                origin = self.origins.get((*source, *sub))
                if origin is not None and sub:
                    self.origins[(*at, *sub)] = origin
        return dest[key]

    def _find(self, target: Any) -> KeyPath | None:
        """The path of the section `target` (an object of the config) in the config."""
        stack: list[tuple[KeyPath, Any]] = [((), self.data)]
        while stack:
            where, node = stack.pop()
            if node is target:
                return where
            if isinstance(node, dict):
                stack.extend(((*where, k), v) for k, v in node.items())
            elif isinstance(node, list):
                stack.extend(((*where, i), v) for i, v in enumerate(node))
        return None

    # -- interpolations ---------------------------------------------------------------------
    def deref(self, at: KeyPath, value: str, seen: frozenset[KeyPath] = frozenset()) -> Any:
        """What a node interpolation (`${a.b}`, `${.x}`, `${oc.select:a.b}`) written at `at`
        names in the config so far, following interpolations. `FAILS` when a reference in
        `value` names nothing (OmegaConf cannot resolve it); `OPAQUE` for what only
        evaluating tells (a resolver, text around references)."""
        match = _NODE.match(value)
        if match is None:
            return FAILS if self._dangling(at, value) else OPAQUE
        target = resolve_key(match.group("key"), at[:-1])
        if target is None or target in seen:
            return FAILS
        found = lookup(self.data, target)
        if found is _ABSENT:
            return None if value.startswith("${oc.select:") else FAILS
        if found == MISSING and not value.startswith("${oc.select:"):
            return FAILS
        if is_interpolation(found):
            return self.deref(target, found, seen | {target})
        return found

    def _dangling(self, at: KeyPath, value: str) -> bool:
        """Whether a plain reference inside `value` (`x_${a.b}`) names nothing."""
        for key in _REFERENCE.findall(value):
            target = resolve_key(key, at[:-1])
            if target is None or target == at or lookup(self.data, target) is _ABSENT:
                return True  # names nothing, or itself (OmegaConf: a recursive interpolation)
        return False


_ABSENT = object()
# What `Merger.deref` says when it cannot name a value.
FAILS: Any = type("Fails", (), {"__repr__": lambda self: "FAILS"})()
OPAQUE: Any = type("Opaque", (), {"__repr__": lambda self: "OPAQUE"})()
# A node interpolation, or oc.select of a key (what OmegaConf returns as a node).
_KEY = r"(?:\.*[\w\-]+(?:\.[\w\-]+|\[\d+\])*|\.+)"
_NODE = re.compile(rf"\$\{{(?:oc\.select:)?\s*(?P<key>{_KEY})\s*\}}\Z")
_REFERENCE = re.compile(rf"\$\{{\s*({_KEY})\s*\}}")


def resolve_key(key: str, parent: KeyPath) -> KeyPath | None:
    """The path a key of an interpolation names, written at a value whose parent is
    `parent`: absolute (`a.b`, `a[0]`), or relative (`.x` beside it, `..x` one level up)."""
    dots = len(key) - len(key.lstrip("."))
    rest = key[dots:]
    if dots:
        if dots - 1 > len(parent):
            return None
        base = parent[: len(parent) - (dots - 1)]
    else:
        base = ()
    parts: list[str | int] = []
    for piece in re.findall(r"[^.\[\]]+|\[\d+\]", rest):
        parts.append(int(piece[1:-1]) if piece.startswith("[") else piece)
    return (*base, *parts)


def lookup(data: Any, path: KeyPath) -> Any:
    """The value at `path` the way OmegaConf selects it: a mapping by the key's text, a list
    by an index (`a.0` or `a[0]`); `_ABSENT` when there is none."""
    node = data
    for part in path:
        if isinstance(node, dict):
            if part not in node or not isinstance(part, str):
                return _ABSENT
            node = node[part]
        elif isinstance(node, list):
            try:
                index = int(part)
            except ValueError:
                return _ABSENT
            if not -len(node) <= index < len(node):
                return _ABSENT
            node = node[index]
        else:
            return _ABSENT
    return node


def shape(value: Any, at: KeyPath = ()) -> list[KeyPath]:
    """The paths in `value`, relative to it: () and every key and index below (each after
    `at`, given the path of `value`: `at` first)."""
    found: list[KeyPath] = []
    stack: list[tuple[KeyPath, Any]] = [(at, value)]
    while stack:
        where, node = stack.pop()
        found.append(where)
        if isinstance(node, dict):
            stack.extend(((*where, k), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend(((*where, i), v) for i, v in enumerate(node))
    return found


def forget(origins: Origins, path: KeyPath, value: Any) -> None:
    """Forget the origins of `value`, which is at `path` and is being replaced (found from
    its shape: the origins of a large config are never scanned whole)."""
    for below in shape(value, path)[1:]:
        origins.pop(below, None)


def clone(value: Any) -> Any:
    """A copy of the mappings and lists of `value` (the scalars are immutable)."""
    if isinstance(value, dict):
        return {k: clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clone(v) for v in value]
    return value


def absent(value: Any) -> bool:
    return value is _ABSENT


__all__ = [
    "FAILS",
    "MISSING",
    "OPAQUE",
    "MergeError",
    "Merger",
    "Origins",
    "absent",
    "clone",
    "forget",
    "is_interpolation",
    "lookup",
    "resolve_key",
    "shape",
]
