"""The edit engine: where each key and value of a YAML file starts and ends, edits at those
spans, a unified diff of the result, and an atomic write that refuses a file changed since it
was read."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..finding import Edit
from ..read import KeyPath, _Loader

Pair = tuple[yaml.Node, yaml.Node]


class StaleFile(Exception):
    """A file changed on disk after it was read: nothing is written."""


class Overlap(Exception):
    """Two edits of one file touch the same text."""


@dataclass
class Tree:
    """A YAML file's text and, for each key path, its key and value nodes (in file order)."""

    path: str
    text: str
    pairs: dict[KeyPath, Pair] = field(default_factory=dict)
    # 1-based (line, column) of each key and value -> (its key path, "key" or "value")
    starts: dict[tuple[int, int], tuple[KeyPath, str]] = field(default_factory=dict)
    ok: bool = True

    @classmethod
    def parse(cls, path: str, text: str) -> Tree:
        tree = cls(path, text)
        try:
            root = yaml.compose(text, Loader=_Loader)
        except yaml.YAMLError:
            tree.ok = False
            return tree
        if root is not None:
            tree._index(root, ())
        return tree

    def _index(self, node: yaml.Node, path: KeyPath) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag.endswith(":str"):
                    here = (*path, str(key.value))
                    self.pairs[here] = (key, value)
                    for side, part in (("key", key), ("value", value)):
                        mark = part.start_mark
                        self.starts.setdefault((mark.line + 1, mark.column + 1), (here, side))
                    self._index(value, here)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self._index(item, (*path, index))

    # -- lookups ----------------------------------------------------------------------------
    def at(self, line: int, column: int) -> tuple[KeyPath, str] | None:
        """The key path whose key ("key") or value ("value") starts at a 1-based position."""
        return self.starts.get((line, column))

    def children(self, path: KeyPath) -> list[str]:
        depth = len(path)
        return [str(p[-1]) for p in self.pairs if len(p) == depth + 1 and p[:depth] == path]

    def source(self, node: yaml.Node) -> str:
        return self.text[node.start_mark.index : node.end_mark.index]


def edit(tree: Tree, node: yaml.Node, text: str) -> Edit:
    """An edit replacing `node`'s text by `text`."""
    start, end = node.start_mark, node.end_mark
    return Edit(tree.path, start.line + 1, start.column + 1, end.line + 1, end.column + 1, text)


def scalar_text(value: str, like: yaml.Node | None = None) -> str:
    """`value` written as YAML, in the quoting style of the value it replaces."""
    style = getattr(like, "style", None)
    if style == '"':
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    if _plain_ok(value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _plain_ok(value: str) -> bool:
    """Whether a string reads back as the same string when written without quotes."""
    if not value or value != value.strip() or ": " in value or " #" in value:
        return False
    if value[0] in "!&*[]{}|>'\"%@`#,?:-" and not value.startswith("${"):
        return False
    try:
        return yaml.load(value, Loader=_Loader) == value
    except yaml.YAMLError:
        return False


# -- applying -------------------------------------------------------------------------------
def _offsets(text: str) -> list[int]:
    starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            starts.append(index + 1)
    return starts


def apply(text: str, edits: Iterable[Edit]) -> str:
    """`text` with the edits made (each once; two edits that overlap raise Overlap)."""
    starts = _offsets(text)

    def offset(line: int, column: int) -> int:
        return starts[min(line, len(starts)) - 1] + column - 1

    spans = sorted(
        {(offset(e.line, e.column), offset(e.end_line, e.end_column), e.text) for e in edits}
    )
    out, last = [], 0
    for start, end, new in spans:
        if start < last:
            raise Overlap(f"two fixes touch line {text.count(chr(10), 0, start) + 1}")
        out.append(text[last:start])
        out.append(new)
        last = end
    out.append(text[last:])
    return "".join(out)


def diff(path: str, old: str, new: str) -> str:
    import difflib

    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{path}", f"b/{path}"
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


def read_text(path: Path) -> tuple[str, bytes]:
    """The text of a file (UTF-8, a byte-order mark kept aside) and its bytes as read."""
    raw = path.read_bytes()
    return raw.decode("utf-8-sig"), raw


def write_atomic(path: Path, text: str, read_as: bytes) -> None:
    """Write `text` to `path` through a temporary file and `os.replace`, keeping the file's
    mode; raise StaleFile (writing nothing) when the file is no longer what was read."""
    import tempfile

    if path.read_bytes() != read_as:
        raise StaleFile(str(path))
    bom = b"\xef\xbb\xbf" if read_as.startswith(b"\xef\xbb\xbf") else b""
    mode = stat.S_IMODE(os.stat(path).st_mode)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(bom + text.encode("utf-8"))
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def write_all(changes: dict[Path, tuple[str, bytes]]) -> Iterator[Path]:
    """Write every changed file, after checking that none changed since it was read."""
    for path, (_, read_as) in changes.items():
        if path.read_bytes() != read_as:
            raise StaleFile(str(path))
    for path, (text, read_as) in changes.items():
        write_atomic(path, text, read_as)
        yield path
