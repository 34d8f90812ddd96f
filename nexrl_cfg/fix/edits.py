"""The edit engine: where each key and value of a YAML file starts and ends, edits at those
spans and a unified diff of the result (`land` writes it).

Every position is the YAML parser's own: an edit replaces the characters between the offsets
PyYAML recorded (`Mark.index`), never a place found by counting lines again (YAML breaks lines
at `\r\n`, `\r`, `\n`, U+0085, U+2028 and U+2029, where Python's and an editor's counts
differ). Only a scalar's own text is replaced: an anchor or tag written before it stays, so do
the comments around it, and a block scalar (`|`, `>`) keeps its header's comment and the line
breaks after its content. What cannot be edited that way (an empty value, a collection) gets
no edit, and so no fix.
"""

from __future__ import annotations

import errno
import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from ..files import read_regular
from ..finding import Edit
from ..output import Secrets, shown
from ..read import (
    MAX_BYTES,
    Document,
    KeyPath,
    _Loader,
    _scanned_secrets,
    may_hold_secret,
    secret_key_offsets,
)
from ..read import read_text as parse_text

Pair = tuple[yaml.Node, yaml.Node]

# YAML's line breaks (YAML 1.1, which PyYAML and libyaml follow).
BREAKS = "\r\n\x85\u2028\u2029"
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_FLOW_INDICATORS = frozenset(",[]{}")


class Overlap(Exception):
    """Two edits of one file touch the same text."""


class Lines:
    """1-based lines and columns of a text's character offsets, with YAML's line breaks (the
    parser's own count: a finding's line is the line an editor shows for ordinary files)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0, *(m.end() for m in _BREAK.finditer(self.text))]
        return self._starts

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of an offset."""
        index = bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1

    def offset(self, line: int, column: int) -> int:
        """The offset of a 1-based (line, column)."""
        starts = self.starts
        return starts[min(max(line, 1), len(starts)) - 1] + column - 1


@dataclass
class Tree:
    """A YAML file's text and, for each key path, its key and value nodes (in file order)."""

    path: str
    text: str
    pairs: dict[KeyPath, Pair] = field(default_factory=dict)
    # (1-based line, column, "key" or "value") of each key and value -> its key path. A
    # section's value starts where its first key does: the side tells them apart.
    starts: dict[tuple[int, int, str], KeyPath] = field(default_factory=dict)
    ok: bool = True
    # Nodes inside a flow collection (`{...}`, `[...]`), by id: `,[]{}` end a plain scalar there.
    flow: set[int] = field(default_factory=set)

    @classmethod
    def parse(cls, path: str, text: str, root: yaml.Node | None = None) -> Tree:
        """The tree of `text`; given `root`, the nodes the reader composed from that same
        text (it is not parsed again)."""
        tree = cls(path, text)
        if root is None:
            try:
                root = yaml.compose(text, Loader=_Loader)
            except (yaml.YAMLError, RecursionError):
                tree.ok = False
                return tree
        if root is not None:
            tree._index(root)
        return tree

    def own(self, node: yaml.Node) -> tuple[int, str | None] | None:
        """Where the scalar text ending where `node` ends starts (after any anchor or tag),
        and its style; None when there is no such text (an empty value). The node's own
        mark says so for a scalar written without an anchor or a tag; else the tokens do."""
        start, end = node.start_mark.index, node.end_mark.index
        text = self.text
        # The parser's offsets do not count a byte-order mark: the tokens place the text then.
        scalar = isinstance(node, yaml.ScalarNode) and text[:1] != "\ufeff"
        if scalar and start < end and text[start] not in "&!":
            return start, node.style  # type: ignore[attr-defined]
        token = self.tokens.get(end)
        return token if token is not None and start <= token[0] < end else None

    @cached_property
    def tokens(self) -> dict[int, tuple[int, str | None]]:
        """The end offset of each scalar's own text -> where that text starts and its style:
        a node's marks include the anchor and tag written before it, the token's do not.
        Scanned when a first edit is made (no edit is made in a text that does not scan)."""
        try:
            return {
                token.end_mark.index: (token.start_mark.index, token.style)
                for token in yaml.scan(self.text, Loader=_Loader)
                if isinstance(token, yaml.ScalarToken)
            }
        except (yaml.YAMLError, RecursionError):
            return {}

    def _index(self, root: yaml.Node) -> None:
        # Depth first in file order, so that a position names the path where it is written
        # (an alias comes after its anchor); a stack, not recursion: a file may nest deeper
        # than Python's recursion limit.
        stack: list[tuple[yaml.Node, yaml.Node | None, KeyPath, bool]] = [(root, None, (), False)]
        seen: set[int] = set()
        while stack:
            node, key, path, flow = stack.pop()
            if key is not None:
                self.pairs.setdefault(path, (key, node))
                for side, part in (("key", key), ("value", node)):
                    mark = part.start_mark
                    self.starts.setdefault((mark.line + 1, mark.column + 1, side), path)
            if flow:
                self.flow.update(id(part) for part in (node, key) if part is not None)
            if not isinstance(node, yaml.CollectionNode) or id(node) in seen:
                continue  # a scalar, or an alias of a collection indexed where it is written
            seen.add(id(node))
            flow = flow or bool(node.flow_style)
            children: list[tuple[yaml.Node, yaml.Node | None, KeyPath, bool]] = []
            if isinstance(node, yaml.MappingNode):
                for k, value in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.tag.endswith(":str"):
                        children.append((value, k, (*path, str(k.value)), flow))
            elif isinstance(node, yaml.SequenceNode):
                children = [(item, None, (*path, i), flow) for i, item in enumerate(node.value)]
            stack.extend(reversed(children))

    # -- lookups ----------------------------------------------------------------------------
    def at(self, line: int, column: int, side: str) -> KeyPath | None:
        """The key path whose key (`side` "key") or value ("value") starts at a 1-based
        position (where it is written, for a value an alias copies)."""
        return self.starts.get((line, column, side))

    def children(self, path: KeyPath) -> list[str]:
        depth = len(path)
        return [str(p[-1]) for p in self.pairs if len(p) == depth + 1 and p[:depth] == path]

    def source(self, node: yaml.Node) -> str:
        return self.text[node.start_mark.index : node.end_mark.index]

    @cached_property
    def lines(self) -> Lines:
        return Lines(self.text)


def edit(tree: Tree, node: yaml.Node, value: str) -> Edit | None:
    """An edit that makes the scalar `node` the string `value`, written in the node's quoting
    style where that reads back as the same string; None when the node is not a scalar whose
    own text the parser recorded (an empty value, a collection)."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    own = tree.own(node)
    if own is None:
        return None
    start, style = own
    end = node.end_mark.index
    text = scalar_text(value, node, flow=id(node) in tree.flow)
    if style in ("|", ">"):
        text, end = _block_scalar(tree.text, start, end, text)
    return _edit(tree, start, end, text)


def _block_scalar(source: str, start: int, end: int, text: str) -> tuple[str, int]:
    """A block scalar (`|`, `>`, with indicators) made a one-line scalar: its header's comment
    kept after the new text, and the edit ending where its last line of content ends, so that
    the line breaks after it (part of the parser's token) stay."""
    written = source[start:end]
    header_end = next((i for i, c in enumerate(written) if c in BREAKS), len(written))
    header = written[:header_end]
    comment = header.find("#")
    if comment >= 0:
        text += header[len(header[:comment].rstrip(" \t")) :]
    body = written[header_end:]
    content = len(body.rstrip(" \t" + BREAKS))
    stop = header_end + content
    while stop < len(written) and written[stop] not in BREAKS:
        stop += 1
    return text, start + stop


def _edit(tree: Tree, start: int, end: int, text: str) -> Edit:
    line, column = tree.lines.position(start)
    end_line, end_column = tree.lines.position(end)
    return Edit(tree.path, line, column, end_line, end_column, text, start, end)


def scalar_text(value: str, like: yaml.Node | None = None, flow: bool = False) -> str:
    """`value` written as YAML, in the quoting style of the value it replaces (in a flow
    collection, quoted where a plain scalar would end early)."""
    style = getattr(like, "style", None)
    if style == '"':
        return _double_quoted(value)
    if style == "'" and value.isprintable():
        return "'" + value.replace("'", "''") + "'"
    if _plain_ok(value) and not (flow and _FLOW_INDICATORS.intersection(value)):
        return value
    return _double_quoted(value)


def _double_quoted(value: str) -> str:
    out = []
    for char in value:
        if char in '\\"':
            out.append("\\" + char)
        elif char.isprintable() and char not in BREAKS:
            out.append(char)
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def _plain_ok(value: str) -> bool:
    """Whether a string reads back as the same string when written without quotes."""
    if not value or value != value.strip() or ": " in value or " #" in value:
        return False
    if not value.isprintable() or any(c in BREAKS for c in value):
        return False
    if value[0] in "!&*[]{}|>'\"%@`#,?:-" and not value.startswith("${"):
        return False
    try:
        return bool(yaml.load(value, Loader=_Loader) == value)
    except yaml.YAMLError:
        return False


# -- applying -------------------------------------------------------------------------------
def apply(text: str, edits: Iterable[Edit]) -> str:
    """`text` with the edits made (each once; two edits that overlap raise Overlap), at their
    character offsets: one pass over the text, whatever the number of edits."""
    lines = Lines(text)

    def span(e: Edit) -> tuple[int, int, str]:
        if e.start >= 0:
            return e.start, e.end, e.text
        return lines.offset(e.line, e.column), lines.offset(e.end_line, e.end_column), e.text

    spans = sorted({span(e) for e in edits})
    out, last = [], 0
    for start, end, new in spans:
        if start < last or end < start or end > len(text):
            line, _ = lines.position(min(start, len(text)))
            raise Overlap(f"two fixes touch line {line}")
        out.append(text[last:start])
        out.append(new)
        last = end
    out.append(text[last:])
    return "".join(out)


def diff(
    path: str,
    old: str,
    new: str,
    secrets: Secrets | None = None,
    parsed: Mapping[str, Document] | None = None,
) -> str:
    """A unified diff of `old` and `new`, safe to print: the lines are YAML's (see `Lines`),
    the value of every secret key is `<redacted>` on both sides (found by the parser, or by
    the scanner in a file that does not parse), every form of `secrets` is masked, and each
    line is escaped as every printed line is (`output.shown`: no control character, no CI
    command). `parsed`: documents already read, by their text (not read again)."""
    import difflib

    literal = Secrets()  # the literal secrets of either text, wherever else they are written
    known = parsed or {}
    before = _redacted_lines(old, path, literal, known.get(old))
    after = _redacted_lines(new, path, literal, known.get(new))
    lines = difflib.unified_diff(before, after, f"a/{path}", f"b/{path}", lineterm="")
    out = []
    for line in lines:
        ending = "\n\\ No newline at end of file\n" if line.endswith(_NO_NEWLINE) else "\n"
        out.append(shown(literal.mask(line.rstrip(_NO_NEWLINE)), secrets) + ending)
    return "".join(out)


# Marks the last line of a text that does not end with a line break (taken off when shown).
_NO_NEWLINE = "\x00"


def _redacted_lines(
    text: str, path: str, literal: Secrets, doc: Document | None = None
) -> list[str]:
    """The lines of `text` (YAML's, without their breaks), each secret value redacted (and
    added to `literal`); `doc`: `text` already read (one the scanner must finish is read
    again, as it is changed here)."""
    if doc is None or doc.text != text or doc.scan_secrets or not doc.ok:
        doc = parse_text(text, path)
    literal.update(doc.secrets)
    lines, open_end = _plain_lines(text)
    if doc.scan_secrets or not doc.ok:  # found by the scanner, on this text's own lines
        doc.scan_secrets = False
        doc.secret_spans.extend(_scanned_secrets(text, len(lines) + (not open_end)))
    if doc.secret_spans or may_hold_secret(text):  # else each line is shown as it is
        _redact(doc, lines)
    if open_end:
        lines[-1] += _NO_NEWLINE
    return lines


def _redact(doc: Document, lines: list[str]) -> None:
    """Each line of `doc`'s text redacted in place: only a line a secret value is written on,
    or one that (or the line before it) may write a secret key, can change (see
    `Document.redact_line`)."""
    covered = {i for first, _, last, _ in doc.secret_spans for i in range(first, last + 1)}
    keyed = _keyed(doc, lines)
    for index, line in enumerate(lines):
        if index in covered or index in keyed or index - 1 in keyed:
            lines[index] = doc.redact_line(index + 1, line)


def _keyed(doc: Document, lines: list[str]) -> set[int]:
    """The indices of the lines that may write a secret key, in `lines` or in `doc.lines`
    (the lines `redact_line` takes the line before from)."""
    text = doc.text
    if not _holds_any(text, _ODD_BREAKS + _SPLITLINES_ONLY):
        keyed, line, at = set(), 0, 0  # both are the text split at each `\n`
        for offset in secret_key_offsets(text):
            line += text.count("\n", at, offset)
            at = offset
            keyed.add(line)
        return keyed
    ours = {i for i, line in enumerate(lines) if may_hold_secret(line)}
    return ours | {i for i, line in enumerate(doc.lines) if may_hold_secret(line)}


# The line breaks other than `\n`: a text without one is split on `\n` alone.
_ODD_BREAKS = BREAKS.replace("\n", "")
# What `str.splitlines` breaks at besides YAML's line breaks.
_SPLITLINES_ONLY = "\v\f\x1c\x1d\x1e"


def _holds_any(text: str, characters: str) -> bool:
    return any(c in text for c in characters)  # a search each: faster than a pattern's


def _plain_lines(text: str) -> tuple[list[str], bool]:
    """The lines of `text` (YAML's), without their breaks, and whether the last is not ended
    by one."""
    if not _holds_any(text, _ODD_BREAKS):
        lines = text.split("\n")
    else:
        starts = Lines(text).starts
        ends = [*starts[1:], len(text)]
        lines = [text[start:end].rstrip(BREAKS) for start, end in zip(starts, ends, strict=True)]
    if lines[-1]:
        return lines, True
    lines.pop()  # the text ends with a line break (or is empty)
    return lines, False


def read_text(path: Path) -> tuple[str, bytes]:
    """The text of a file (UTF-8, a byte-order mark kept aside) and its bytes as read, through
    the bounded reader every file is read with (no FIFO or device; OSError past the size
    limit, as a file too large is not a config)."""
    raw = read_regular(path, MAX_BYTES)
    if len(raw) > MAX_BYTES:
        raise OSError(errno.EFBIG, "larger than a config may be", str(path))
    return raw.decode("utf-8-sig"), raw
