"""The safe fixes behind the check's hints, attached to the findings they fix.

A fix is computed here from the finding's rule and key, the catalogue and the file's text, so
rules need not know about fixes. Only what has one right answer is fixed:

* `unknown-key`: a misspelt key with exactly one close known name (not already set beside it);
* `invalid-choice`: a misspelt literal value with exactly one close allowed value;
* `max-tokens-match`: `max_tokens` made `${data.max_response_length}`;
* `sync-weight-path`: the path the finding blames made a reference to the other one;
* the deprecations of the checked version: a key the catalogue marks `deprecated` with a
  `replaced_by` in the same section is renamed, a value in `deprecated_choices` replaced.

A fix never changes a secret (`api_key`), a value read from the environment or made of
interpolations other than the one it writes, nor any file other than the one where the value
is written.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..catalogue import Option
from ..config import Config, split
from ..finding import Edit, Finding
from ..read import SECRET_KEYS, KeyPath
from .edits import Overlap, Tree, apply, diff, edit, read_text, scalar_text, write_all

INFERENCE_TOKENS = "service.inference_service.max_tokens"
RESPONSE = "data.max_response_length"
SYNC_PATHS = ("trainer.sync_weight_path", "weight.sync_weight_path")
_REFERENCE = re.compile(r"\$\{([A-Za-z_][\w.]*)\}")


class _Files:
    """The parsed text of each file a fix may edit, read once."""

    def __init__(self) -> None:
        self.trees: dict[str, Tree | None] = {}

    def tree(self, file: str) -> Tree | None:
        if file not in self.trees:
            try:
                text = Path(file).read_bytes().decode("utf-8-sig")
            except (OSError, UnicodeDecodeError):
                self.trees[file] = None
            else:
                parsed = Tree.parse(file, text)
                self.trees[file] = parsed if parsed.ok else None
        return self.trees[file]

    def node(self, cfg: Config, key: str, side: str) -> tuple[Tree, yaml.Node] | None:
        """The key or value node of `key` in the file where it is written."""
        span = cfg.key_span(key) if side == "key" else cfg.span(key)
        tree = self.tree(span.file)
        found = tree.at(span.line, span.column) if tree else None
        if tree is None or found is None or found[1] != side:
            return None
        path, _ = found
        if not path or str(path[-1]) != str(split(key)[-1]):
            return None
        key_node, value_node = tree.pairs[path]
        return tree, key_node if side == "key" else value_node


def attach(cfg: Config, findings: list[Finding]) -> list[Finding]:
    """The findings, each with the edits that fix it (where it has a safe fix)."""
    files = _Files()
    out = []
    for finding in findings:
        fixes = _fixes(cfg, finding, files)
        out.append(dataclasses.replace(finding, fixes=fixes) if fixes else finding)
    return out


def _fixes(cfg: Config, f: Finding, files: _Files) -> tuple[Edit, ...]:
    if not f.key:
        return ()
    try:
        if f.rule == "unknown-key":
            found = _rename(cfg, f, files)
        elif f.rule == "invalid-choice":
            found = _choice(cfg, f.key, files)
        elif f.rule == "max-tokens-match" and f.key == INFERENCE_TOKENS:
            found = _reference(cfg, INFERENCE_TOKENS, RESPONSE, files)
        elif f.rule == "sync-weight-path" and "differs" in f.message and f.key in SYNC_PATHS:
            other = SYNC_PATHS[1 - SYNC_PATHS.index(f.key)]
            found = _reference(cfg, f.key, other, files)
        else:
            found = None
        found = found or _deprecation(cfg, f.key, files)
    except (KeyError, ValueError, TypeError):
        return ()
    return (found,) if found else ()


def _untouchable(cfg: Config, key: str) -> bool:
    """A secret, or a value that comes from the environment."""
    path = split(key)
    raw = cfg.raw(key)
    return cfg.is_secret(path) or (isinstance(raw, str) and "oc.env" in raw)


def _one_match(word: str, candidates: list[str], cutoff: float) -> str | None:
    """The one candidate close to `word`: a typo away (at most two letters changed, left out,
    added or swapped; one for short words) and among the rule's close matches; None when no
    candidate or several are that close."""
    limit = 1 if len(word) < 5 else 2
    close = [c for c in candidates if c != word and _distance(word, c, limit) <= limit]
    if len(close) != 1:
        return None
    similar = difflib.get_close_matches(word, candidates, n=len(candidates) or 1, cutoff=cutoff)
    return close[0] if close[0] in similar else None


def _distance(a: str, b: str, limit: int) -> int:
    """Edit distance with swaps of neighbours (optimal string alignment); limit + 1 when
    larger than `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                current[j] = min(current[j], before[j - 2] + 1)
        before, row = row, current
    return min(row[-1], limit + 1)


def _rename(cfg: Config, f: Finding, files: _Files) -> Edit | None:
    parent, _, name = f.key.rpartition(".")
    if parent:
        section = cfg.layout.spec_path(parent)
        known = sorted(cfg.catalogue.children(section))
        match = _one_match(name, known, 0.6)
    else:
        match = _one_match(name, cfg.catalogue.top_level_names(), 0.75)
    if match is None or cfg.has(f"{parent}.{match}" if parent else match):
        return None
    if match in SECRET_KEYS or _untouchable(cfg, f.key):
        return None  # a key that holds a secret, or will: left to the user
    located = files.node(cfg, f.key, "key")
    if located is None:
        return None
    tree, node = located
    return edit(tree, node, scalar_text(match, node))


def _option(cfg: Config, key: str) -> Option | None:
    parts = [p for p in key.split(".") if not p.isdigit()]
    return cfg.catalogue.option(cfg.layout.spec_path(".".join(parts)))


def _literal(cfg: Config, key: str, files: _Files) -> tuple[Tree, yaml.Node, str] | None:
    """The value node of `key` when it is a plain literal string written in a file."""
    if _untouchable(cfg, key):
        return None
    raw = cfg.raw(key)
    if not isinstance(raw, str) or "${" in raw:
        return None
    located = files.node(cfg, key, "value")
    if located is None or not isinstance(located[1], yaml.ScalarNode):
        return None
    return located[0], located[1], raw


def _choice(cfg: Config, key: str, files: _Files) -> Edit | None:
    opt = _option(cfg, key)
    found = _literal(cfg, key, files)
    if opt is None or found is None:
        return None
    tree, node, raw = found
    match = _one_match(raw, [str(c) for c in opt.choices if isinstance(c, str) and c], 0.6)
    if match is None:
        return None
    return edit(tree, node, scalar_text(match, node))


def _reference(cfg: Config, key: str, target: str, files: _Files) -> Edit | None:
    """`key` written as `${target}`, unless that would read the environment's value or make a
    cycle (`target` itself refers to `key`)."""
    if _untouchable(cfg, key) or not cfg.has(target):
        return None
    if _refers_to(cfg, split(target), key, set()):
        return None
    located = files.node(cfg, key, "value")
    if located is None or not isinstance(located[1], yaml.ScalarNode):
        return None
    tree, node = located
    return edit(tree, node, scalar_text("${" + target + "}", node))


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


def _deprecation(cfg: Config, key: str, files: _Files) -> Edit | None:
    spec = cfg.layout.spec_path(".".join(p for p in key.split(".") if not p.isdigit()))
    entry = cfg.catalogue.entry(spec)
    if isinstance(entry, Option) and entry.deprecated_choices:
        fixed = _deprecated_choice(cfg, key, entry, files)
        if fixed is not None:
            return fixed
    if entry is None or not entry.deprecated_in(cfg.version):
        return None
    new = entry.replaced_by
    if not new or new.rpartition(".")[0] != entry.parent or "*" in new:
        return None
    parent = key.rpartition(".")[0]
    renamed = f"{parent}.{new.rsplit('.', 1)[-1]}" if parent else new
    if cfg.has(renamed):
        return None
    located = files.node(cfg, key, "key")
    if located is None:
        return None
    tree, node = located
    return edit(tree, node, scalar_text(renamed.rsplit(".", 1)[-1], node))


def _deprecated_choice(cfg: Config, key: str, opt: Option, files: _Files) -> Edit | None:
    found = _literal(cfg, key, files)
    if found is None:
        return None
    tree, node, raw = found
    for old, new in opt.deprecated_choices:
        if raw == old and isinstance(new, str):
            return edit(tree, node, scalar_text(new, node))
    return None


# -- applying the fixes of a run --------------------------------------------------------------
@dataclass
class Fixed:
    """The files a set of fixes changes: path -> (text as read, fixed text, bytes as read)."""

    files: dict[Path, tuple[str, str, bytes]] = field(default_factory=dict)
    # Fixes left out because they touch text another fix of the same file changes.
    skipped: int = 0

    def diff(self) -> str:
        return "".join(diff(str(path), old, new) for path, (old, new, _) in self.files.items())


def fixed_files(findings: Iterable[Finding]) -> Fixed:
    """Every file some finding's fix edits, with those edits made (each edit once)."""
    by_file: dict[str, set[Edit]] = {}
    for finding in findings:
        for one in finding.fixes:
            by_file.setdefault(one.file, set()).add(one)
    out = Fixed()
    for file, edits in sorted(by_file.items()):
        path = Path(file)
        try:
            old, raw = read_text(path)
        except (OSError, UnicodeDecodeError):
            continue
        kept: list[Edit] = []
        for one in sorted(edits):
            try:
                apply(old, [*kept, one])
            except Overlap:
                out.skipped += 1
                continue
            kept.append(one)
        new = apply(old, kept)
        if new != old:
            out.files[path] = (old, new, raw)
    return out


def write_fixed(fixed: Fixed) -> list[Path]:
    """Write the fixed files (atomically; StaleFile when one changed since it was read)."""
    return list(write_all({path: (new, raw) for path, (_, new, raw) in fixed.files.items()}))
