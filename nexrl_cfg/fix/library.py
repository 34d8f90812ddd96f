"""What a rule's `fix` makes its edits with (see `rules/`): where a key or a value is written
(`Files`), the typo matcher (`one_match`), and the edits that rename a key, replace a literal
value or make a value a reference to another key.

A fix changes only the file where the value is written, at the exact span PyYAML reports for
it, so every other byte stays as it was. It never changes a secret (`api_key`) or a value read
from the environment (`untouchable`). Each fix made here declares its intent (a value set, a
key renamed): `--fix` writes it only when the configs change in exactly that way (see
`fix.verify`). A fix made otherwise must declare its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..catalogue import Option
from ..compose import Reader
from ..config import Config, split
from ..finding import COMMAND_LINE, Fix, RenameKey, SetValue
from ..read import Document, KeyPath
from .edits import Tree, edit

_REFERENCE = re.compile(r"\$\{([A-Za-z_][\w.]*)\}")


class Files:
    """The files the fixes of one run may edit, each parsed once, when a fix first needs it,
    from the text the run's reader read: edits are planned on exactly the text the findings
    were found in (and in the text a round of fixing gave it, see `fix.autofix`)."""

    def __init__(self, reader: Reader | None = None) -> None:
        self.reader = reader or Reader(nodes=True)
        self._trees: dict[str, Tree | None] = {}
        # The document each tree was parsed from: its text and the bytes read.
        self.docs: dict[str, Document] = {}

    def tree(self, file: str) -> Tree | None:
        if file == COMMAND_LINE:  # an override: the command line is no file to edit
            return None
        if file not in self._trees:
            try:
                doc: Document | None = self.reader.read(Path(file))
            except OSError:
                doc = None
            parsed = Tree.parse(file, doc.text, doc.node) if doc is not None and doc.ok else None
            self._trees[file] = parsed if parsed is not None and parsed.ok else None
            if doc is not None and parsed is not None and parsed.ok:
                self.docs[file] = doc
        return self._trees[file]

    def node(self, cfg: Config, key: str, side: str) -> tuple[Tree, yaml.Node] | None:
        """The key (`side` "key") or value ("value") node of `key`, in the file where it is
        written."""
        span = cfg.key_span(key) if side == "key" else cfg.span(key)
        tree = self.tree(span.file)
        path = tree.at(span.line, span.column, side) if tree else None
        if tree is None or not path or str(path[-1]) != str(split(key)[-1]):
            return None
        key_node, value_node = tree.pairs[path]
        return tree, key_node if side == "key" else value_node


def untouchable(cfg: Config, key: str) -> bool:
    """A secret, or a value that comes from the environment: never changed by a fix."""
    raw = cfg.raw(key)
    return cfg.is_secret(split(key)) or (isinstance(raw, str) and "oc.env" in raw)


def option_at(cfg: Config, key: str) -> Option | None:
    """The catalogue's option for the concrete key (list indexes left out)."""
    parts = [p for p in key.split(".") if not p.isdigit()]
    return cfg.catalogue.option(cfg.layout.spec_path(".".join(parts)))


def replacement(cfg: Config, spec: str) -> str | None:
    """The name that replaces the catalogue entry `spec` (a spec path) when it is deprecated
    at the checked version and its replacement is in the same section: what the deprecated
    rule's fix renames it to. None otherwise."""
    entry = cfg.catalogue.entry(spec)
    if entry is None or not entry.deprecated_in(cfg.version):
        return None
    new = entry.replaced_by
    if not new or new.rpartition(".")[0] != entry.parent or "*" in new:
        return None
    return new.rsplit(".", 1)[-1]


def rename_key(cfg: Config, files: Files, key: str, name: str) -> Fix | None:
    """The key at `key` written as `name`, in the quoting it has (its anchor, tag and comments
    kept); its intent: that key renamed, its value unchanged."""
    located = files.node(cfg, key, "key")
    made = None if located is None else edit(*located, name)
    if made is None:
        return None
    return Fix((made,), intent=(RenameKey(cfg.path, key, cfg.key_span(key), name),))


def set_value(cfg: Config, key: str, located: tuple[Tree, yaml.Node], value: str) -> Fix | None:
    """The scalar value of `key`, found at `located`, written as the string `value`; its
    intent: that value becomes `value`."""
    made = edit(*located, value)
    if made is None:
        return None
    return Fix((made,), intent=(SetValue(cfg.path, key, cfg.span(key), value),))


@dataclass(frozen=True)
class Literal:
    """A plain string value, written in a file as it is (no interpolation), that a fix may
    replace."""

    text: str
    cfg: Config
    key: str
    tree: Tree
    node: yaml.Node

    def replaced(self, text: str) -> Fix | None:
        return set_value(self.cfg, self.key, (self.tree, self.node), text)

    def listed(self) -> Fix | None:
        """The value written as a list of one item, itself (`[value]`); its intent: the value
        becomes that list."""
        made = edit(self.tree, self.node, self.text)  # the scalar as it is, where it is
        if made is None:
            return None
        cfg, key = self.cfg, self.key
        intent = SetValue(cfg.path, key, cfg.span(key), [self.text])
        return Fix((made._replace(text=f"[{made.text}]"),), intent=(intent,))


def literal(cfg: Config, files: Files, key: str) -> Literal | None:
    """The value of `key` when it is a plain literal string written in a file, not a secret
    nor read from the environment."""
    if untouchable(cfg, key):
        return None
    raw = cfg.raw(key)
    if not isinstance(raw, str) or "${" in raw:
        return None
    located = files.node(cfg, key, "value")
    if located is None or not isinstance(located[1], yaml.ScalarNode):
        return None
    return Literal(raw, cfg, key, *located)


def reference(cfg: Config, files: Files, key: str, target: str) -> Fix | None:
    """`key` written as `${target}`, unless that would replace a secret or an environment
    value, or make a cycle (`target` itself refers to `key`)."""
    if untouchable(cfg, key) or not cfg.has(target):
        return None
    if _refers_to(cfg, split(target), key, set()):
        return None
    located = files.node(cfg, key, "value")
    if located is None or not isinstance(located[1], yaml.ScalarNode):
        return None
    return set_value(cfg, key, located, "${" + target + "}")


def _refers_to(cfg: Config, path: KeyPath, key: str, seen: set[KeyPath]) -> bool:
    """Whether the raw value at `path` refers, directly or through other references, to `key`."""
    if path in seen:
        return False
    seen.add(path)
    raw = cfg.lookup(path, cfg.raw_data)
    if not isinstance(raw, str):
        return False
    for ref in _REFERENCE.findall(raw):
        if ref == key or ref.startswith(key + ".") or key.startswith(ref + "."):
            return True
        if _refers_to(cfg, split(ref), key, seen):
            return True
    return False


# -- the typo matcher ---------------------------------------------------------------------------
def one_match(word: str, candidates: list[str], cutoff: float) -> str | None:
    """The one candidate close to `word`: a typo away (at most two letters changed, left out,
    added or swapped; one for short words) and among difflib's close matches at `cutoff`; None
    when no candidate or several are that close."""
    return _one_match(word, tuple(candidates), cutoff)


@lru_cache(maxsize=1024)
def _one_match(word: str, candidates: tuple[str, ...], cutoff: float) -> str | None:
    # Cached: a folder of recipes repeats the same misspelling in every config.
    import difflib

    limit = 1 if len(word) < 5 else 2
    close = [c for c in candidates if c != word and _distance(word, c, limit) <= limit]
    if len(close) != 1:
        return None
    similar = difflib.get_close_matches(word, candidates, n=len(candidates) or 1, cutoff=cutoff)
    return close[0] if close[0] in similar else None


def _distance(a: str, b: str, limit: int) -> int:
    """Edit distance with swaps of neighbours (optimal string alignment); limit + 1 when
    larger than `limit`. Only the cells within `limit` of the diagonal are computed: the
    others exceed it anyway."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    far = limit + 1
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [far] * (len(b) + 1)
        current[0] = i
        for j in range(max(1, i - limit), min(len(b), i + limit) + 1):
            y = b[j - 1]
            cost = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, before[j - 2] + 1)
            current[j] = cost
        if min(current) > limit and min(row) > limit:
            return far  # a swap reaches back one row at most
        before, row = row, current
    return min(row[-1], far)
