"""`check --fix` on YAML written in every style a config may use, with typos in known keys and
allowed values: after fixing, the file is byte for byte what it was or it parses, and its
config differs from the one written only where a typo was, each typo either left or fixed to
the word it was made from.

A document is a valid config (the self-hosted sample) written out with a style drawn for each
node: block or flow collections, plain, quoted, multi-line and block scalars, anchors (and
aliases to them), `!!str` tags, explicit `?` keys, tabs after colons, comments before entries
and after values (some ending in U+2028, U+2029 or U+0085, YAML line breaks), CRLF or LF, a
byte-order mark or none. The same drawn styles written with some typos fixed give the config
that fixing may produce; anything else is a damaged file.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from unittest.mock import patch

import yaml
from conftest import SAMPLES
from helpers import write_path_examples
from hypothesis import event, given
from hypothesis import strategies as st

from nexrl_cfg import app as application
from nexrl_cfg import pool
from nexrl_cfg.app import CheckRequest
from nexrl_cfg.catalogue import for_version
from nexrl_cfg.fix.edits import Tree, _Loader
from nexrl_cfg.fix.library import one_match

VERSION = "1.0"
BASE = (SAMPLES / "valid" / "self_hosted_dev.yaml").read_text(encoding="utf-8")

# A comment line ends with one of these before its "\n" (None: no comment).
COMMENT_ENDS = [None, None, "", "\u2028", "\u2029", "\x85"]


@dataclass
class Scalar:
    text: str  # as written in the sample
    string: bool  # a string (may be quoted, tagged, folded); else written as it was
    plain: bool  # written plain in the sample


@dataclass
class Map:
    pairs: list[tuple[str, Any]] = field(default_factory=list)


@dataclass
class Seq:
    items: list[Any] = field(default_factory=list)


def _model(node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return Map([(str(k.value), _model(v)) for k, v in node.value])
    if isinstance(node, yaml.SequenceNode):
        return Seq([_model(item) for item in node.value])
    assert isinstance(node, yaml.ScalarNode)
    return Scalar(node.value, node.tag.endswith(":str"), node.style is None)


MODEL = _model(yaml.compose(BASE, Loader=yaml.SafeLoader))
Site = tuple[str, tuple[str, ...]]  # ("key" | "value", path)


def _walk(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    if isinstance(node, Map):
        for key, value in node.pairs:
            yield (*path, key), value
            yield from _walk(value, (*path, key))


def _typos(word: str) -> list[str]:
    """Words a typo away: two neighbours swapped, a letter left out or doubled."""
    found = set()
    for i in range(1, len(word) - 1):
        if word[i] != word[i + 1]:
            found.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
        found.add(word[:i] + word[i + 1 :])
        found.add(word[:i] + word[i] + word[i:])
    return sorted(found - {word})


@cache
def sites() -> dict[Site, list[str]]:
    """Each key and value a typo may go into, with the typos whose only close known name is
    the word they were made from (a fix may make exactly that one)."""
    catalogue = for_version(VERSION)
    out: dict[Site, list[str]] = {}
    for path, value in _walk(MODEL):
        parent, name = ".".join(path[:-1]), path[-1]
        known = catalogue.children(parent)
        if name in known and not known[name].deprecated:
            names = sorted(known) if parent else catalogue.top_level_names()
            cutoff = 0.6 if parent else 0.75
            ok = [t for t in _typos(name) if one_match(t, names, cutoff) == name]
            if ok:
                out[("key", path)] = ok
        option = catalogue.option(".".join(path))
        if isinstance(value, Scalar) and value.string and option is not None:
            choices = [c for c in option.choices if isinstance(c, str) and c]
            if value.text in choices:
                ok = [t for t in _typos(value.text) if one_match(t, choices, 0.6) == value.text]
                if ok:
                    out[("value", path)] = ok
    return out


class Writer:
    """Writes the model with a style drawn once for each place (the same styles every time it
    writes), the words of some places replaced (`words`: a key's name or a value's text)."""

    def __init__(self, draw: Callable[[st.SearchStrategy[Any]], Any]) -> None:
        self.draw = draw
        self.styles: dict[tuple[str, tuple[str, ...]], Any] = {}
        self.anchors: list[str] = []

    def style(self, what: str, path: tuple[str, ...], strategy: st.SearchStrategy[Any]) -> Any:
        if (what, path) not in self.styles:
            self.styles[(what, path)] = self.draw(strategy)
        return self.styles[(what, path)]

    def write(self, words: dict[Site, str]) -> str:
        self.words = words
        self.anchors = []
        out: list[str] = []
        if self.style("head", (), st.booleans()):
            out.append("# a config\u2028\n")
        self.block_map(MODEL, (), 0, out)
        for i, anchor in enumerate(self.anchors):
            if self.style("alias", (anchor,), st.booleans()):
                out.append(f"zz_copy_{i}: *{anchor}\n")
        return "".join(out)

    # -- names and scalars ------------------------------------------------------------------
    def key(self, path: tuple[str, ...], flow: bool) -> str:
        name = self.words.get(("key", path), path[-1])
        quote = self.style("keyquote", path, st.sampled_from(["", "", "'", '"']))
        return f"{quote}{name}{quote}"

    def scalar(self, value: Scalar, path: tuple[str, ...], indent: int, flow: bool) -> str:
        text = self.words.get(("value", path), value.text)
        prefix = ""
        if self.style("anchor", path, st.integers(0, 4)) == 0:
            anchor = "a" + "_".join(path).replace("-", "_")
            self.anchors.append(anchor)
            prefix = f"&{anchor} "
        if not value.string:
            return prefix + text
        styles = ["plain", "single", "double", "tag"]
        if not flow:
            styles += ["continued", "literal", "folded"]
        chosen = self.style("scalar", path, st.sampled_from(styles))
        if chosen == "plain" and not (value.plain and (not flow or _flow_safe(text))):
            chosen = "double"
        if chosen == "tag":
            prefix += "!!str "
            chosen = "double" if flow or not value.plain else "plain"
        if chosen == "plain":
            return prefix + text
        if chosen == "single":
            return prefix + "'" + text.replace("'", "''") + "'"
        escaped = text.replace("\\", "\\\\").replace('"', '\\"')
        if chosen == "double" or len(text) < 2:
            return prefix + '"' + escaped + '"'
        pad = " " * (indent + 2)
        if chosen == "continued":  # an escaped line break: no space where the line breaks
            cut = self.style("cut", path, st.integers(1, len(escaped) - 1))
            while escaped[cut - 1] == "\\":
                cut -= 1
            return prefix + '"' + escaped[:cut] + "\\\n" + pad + escaped[cut:] + '"'
        header = "|-" if chosen == "literal" else ">-"
        if self.style("header-comment", path, st.booleans()):
            header += "  # block"
        return f"{prefix}{header}\n{pad}{text}"

    # -- collections ------------------------------------------------------------------------
    def block_map(self, node: Map, path: tuple[str, ...], indent: int, out: list[str]) -> None:
        pad = " " * indent
        for name, value in node.pairs:
            here = (*path, name)
            end = self.style("comment", here, st.sampled_from(COMMENT_ENDS))
            if end is not None:
                out.append(f"{pad}# about {name}{end}\n")
            key = self.key(here, False)
            if isinstance(value, (Map, Seq)):
                if self.style("flow", here, st.integers(0, 3)) == 0:
                    out.append(f"{pad}{key}: {self.flow(value, here)}\n")
                elif isinstance(value, Map):
                    out.append(f"{pad}{key}:\n")
                    self.block_map(value, here, indent + 2, out)
                else:
                    out.append(f"{pad}{key}:\n")
                    for i, item in enumerate(value.items):
                        scalar = self.scalar(item, (*here, str(i)), indent + 2, False)
                        out.append(f"{pad}  - {scalar}\n")
                continue
            text = self.scalar(value, here, indent, False)
            block = "\n" in text
            tab = not block and self.style("tab", here, st.integers(0, 5)) == 0
            sep = "\t" if tab else " "
            after = ""
            if not block and self.style("after", here, st.integers(0, 4)) == 0:
                after = "  # after"
            if not block and not tab and self.style("explicit", here, st.integers(0, 6)) == 0:
                out.append(f"{pad}? {key}\n{pad}: {text}{after}\n")
            else:
                out.append(f"{pad}{key}:{sep}{text}{after}\n")

    def flow(self, node: Map | Seq, path: tuple[str, ...]) -> str:
        if isinstance(node, Seq):
            items = [self._flow_item(item, (*path, str(i))) for i, item in enumerate(node.items)]
            return "[" + ", ".join(items) + "]"
        pairs = [
            f"{self.key((*path, k), True)}: {self._flow_item(v, (*path, k))}" for k, v in node.pairs
        ]
        return "{" + ", ".join(pairs) + "}"

    def _flow_item(self, value: Any, path: tuple[str, ...]) -> str:
        if isinstance(value, (Map, Seq)):
            return self.flow(value, path)
        return self.scalar(value, path, 0, True)


def _load(text: str) -> Any:
    """YAML as the check reads it (libyaml: a tab may follow a colon)."""
    return yaml.load(text, Loader=yaml.CSafeLoader)


def _flow_safe(text: str) -> bool:
    return not any(c in text for c in ",[]{}#")


def _lookup(data: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


def _same(a: Any, b: Any) -> bool:
    """Equal, type for type (1 is not 1.0 nor True), mappings as mappings."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _found(data: Any, typos: dict[Site, tuple[str, str]]) -> dict[Site, str] | None:
    """What each typo became in the fixed data: the word (fixed) or the typo (left); None
    when one became something else."""
    words: dict[Site, str] = {}

    def real(path: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(words.get(("key", path[: i + 1]), p) for i, p in enumerate(path))

    # Shorter paths first, and a key before the value under it: the value is looked up
    # under what the key became.
    order = sorted(typos.items(), key=lambda t: (len(t[0][1]), t[0][0] != "key"))
    for (kind, path), (word, typo) in order:
        if kind == "key":
            parent = _lookup(data, real(path[:-1]))
            names = [n for n in (word, typo) if n in parent]
            if len(names) != 1:
                return None
            words[(kind, path)] = names[0]
        else:
            value = _lookup(data, real(path))
            if value not in (word, typo):
                return None
            words[(kind, path)] = value
    return words


@write_path_examples(30)
@given(st.data())
def test_a_fixed_file_parses_and_differs_only_where_a_typo_was(data: st.DataObject) -> None:
    writer = Writer(data.draw)
    chosen = data.draw(st.sets(st.sampled_from(sorted(sites())), max_size=3))
    typos = {site: (_word(site), data.draw(st.sampled_from(sites()[site]))) for site in chosen}
    text = writer.write({site: typo for site, (_, typo) in typos.items()})
    if data.draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    raw = (b"\xef\xbb\xbf" if data.draw(st.booleans()) else b"") + text.encode("utf-8")
    written = _load(raw.decode("utf-8-sig"))  # the generator writes YAML

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "run.yaml"
        path.write_bytes(raw)
        application.write_fixes(
            application.fix(CheckRequest([str(path)], {"nexrl_version": VERSION}))
        )
        after = path.read_bytes()

    if after == raw:
        event("byte for byte")
        return
    fixed = _load(after.decode("utf-8-sig"))
    words = _found(fixed, typos)
    assert words is not None, "a typo became another word"
    assert any(words[site] == word for site, (word, _) in typos.items()), "changed, nothing fixed"
    event(f"fixed {sum(words[s] == w for s, (w, _) in typos.items())} of {len(typos)}")
    expected = _load(writer.write(words))
    assert _same(fixed, expected)
    assert written is not None


def _word(site: Site) -> str:
    kind, path = site
    if kind == "key":
        return path[-1]
    value = _lookup_model(path)
    assert isinstance(value, Scalar)
    return value.text


def _lookup_model(path: tuple[str, ...]) -> Any:
    node: Any = MODEL
    for part in path:
        node = dict(node.pairs)[part] if isinstance(node, Map) else node.items[int(part)]
    return node


def test_the_generator_has_places_for_typos() -> None:
    kinds = {kind for kind, _ in sites()}
    assert kinds == {"key", "value"} and len(sites()) > 20


def _outcome(root: Path, fixes: Any) -> tuple[Any, ...]:
    changed = {Path(c.name).relative_to(root): c.new for c in fixes.changed().values()}
    dropped = sorted(
        (str(Path(f.file).relative_to(root)), f.line, f.rule, why) for f, why in fixes.dropped
    )
    return changed, fixes.diff().replace(str(root), "<root>"), dropped


@write_path_examples(10)
@given(st.data())
def test_folders_fixed_on_every_core_are_fixed_as_each_alone(data: st.DataObject) -> None:
    """Configs with typos in folders of their own, fixed by two processes (a group of folders
    each, taken as each becomes free) and by one, come out the same, and as each folder fixed
    on its own: changed texts, diff and the fixes not made."""
    texts = []
    for _ in range(data.draw(st.integers(2, 4))):
        chosen = data.draw(st.sets(st.sampled_from(sorted(sites())), max_size=2))
        words = {site: data.draw(st.sampled_from(sites()[site])) for site in chosen}
        texts.append(Writer(data.draw).write(words))
    outcomes = []
    with tempfile.TemporaryDirectory() as folder, patch.object(pool, "MIN_FILES", 2):
        root = Path(folder)
        for index, text in enumerate(texts):
            (root / f"r{index}").mkdir()
            (root / f"r{index}" / "run.yaml").write_text(text, encoding="utf-8")
        for jobs in (1, 2):
            request = CheckRequest([str(root)], {"nexrl_version": VERSION, "jobs": jobs})
            outcomes.append(_outcome(root, application.fix(request)))
        alone: tuple[dict[Path, str], str, list[Any]] = ({}, "", [])
        for index in range(len(texts)):
            request = CheckRequest([str(root / f"r{index}")], {"nexrl_version": VERSION})
            changed, diff, dropped = _outcome(root, application.fix(request))
            alone = ({**alone[0], **changed}, alone[1] + diff, sorted(alone[2] + dropped))
    assert outcomes[0] == outcomes[1] == alone
    event("fixed" if alone[0] else "nothing fixed")


# Pieces of YAML around scalars: anchors, tags, aliases, every quoting and block style.
_SCALAR_PIECES = st.sampled_from(
    [
        *("a", "b: ", "- ", "&x ", "*x", "!!str ", "!t ", "'q'", '"d"', "|\n  x\n", ">-\n  y\n"),
        *("\n", "  ", "{", "}", "[", "]", ", ", ": ", "? ", "#c", "1", "null", "\t", "\ufeff"),
        *("k: &y v\n", "k2: !!int 3\n", "k3: !t &z 'w'\n"),
    ]
)


@given(st.lists(_SCALAR_PIECES, max_size=30))
def test_where_a_scalar_s_own_text_starts_is_where_the_scanner_finds_it(parts: list[str]) -> None:
    """An edit replaces a scalar's own text, after any anchor or tag: found from the node
    where that is plain, it is where the scanner's token for it starts."""
    text = "".join(parts)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return
    tree = Tree.parse("f.yaml", text, root)
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        end = node.end_mark.index
        token = tree.tokens.get(end)
        expected = token if token is not None and node.start_mark.index <= token[0] < end else None
        assert tree.own(node) == expected
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
