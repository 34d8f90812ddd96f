"""Where the cursor is in a config: the key path at a position, the section a new key would
go in and the keys it already holds, the `${...}` reference under the cursor.

A text that reads as YAML is looked up in the reader's own record of where each key and value
is written (`read.Document.origins`). A text being typed often does not read (`resume:` then
`  mo` on the next line); its block structure is then taken from the indentation of its
lines, which is what a NexRL config is written in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..read import Document, KeyPath, dotted

# A line that starts a key: its indentation, list markers, the key (plain or quoted), then
# `:` before a space or the end of the line.
_KEY_LINE = re.compile(
    r"""^(?P<indent>[ ]*)(?P<dashes>(?:-[ ]+)*)
    (?P<key>"[^"]*"|'[^']*'|[^\s#'"\-?:,\[\]{}][^:#]*?|-[^\s:#][^:#]*?)
    [ ]*:(?:[ ]|$)""",
    re.X,
)
_ITEM_LINE = re.compile(r"^(?P<indent>[ ]*)-(?:[ ]|$)")
# A reference under the cursor: `${a.b}`, `${.sibling}`, `${a.list[0]}`; not a resolver.
_REFERENCE = re.compile(r"\$\{(?P<path>[^${}:\s]*)\}")
_PATH_PART = re.compile(r"[^.\[\]]+|\[(\d+)\]")


@dataclass
class Line:
    """What one line of block YAML starts: a key (at `column`) and/or list items."""

    key: str | None
    column: int  # of the key, or of the last list marker when there is no key
    items: list[int] = field(default_factory=list)  # the columns of its list markers
    empty_value: bool = False


def parse_line(text: str) -> Line | None:
    """The key and list markers a line starts with; None for a blank line or a comment."""
    stripped = text.lstrip(" ")
    if not stripped or stripped.startswith("#"):
        return None
    match = _KEY_LINE.match(text)
    items: list[int] = []
    column = len(text) - len(stripped)
    rest = stripped
    while _ITEM_LINE.match(rest):
        items.append(column)
        after = rest[1:]
        skipped = len(after) - len(after.lstrip(" "))
        column += 1 + skipped
        rest = after.lstrip(" ")
    if match is None:
        return Line(None, column, items)
    key = match.group("key").strip()
    if key[:1] in "'\"" and key[-1:] == key[:1] and len(key) > 1:
        key = key[1:-1]
    value = text[match.end() :].split(" #", 1)[0].strip()
    return Line(key, column, items, empty_value=not value)


@dataclass
class Block:
    """The section a line is in: its key path (list items as their index) and the keys of
    that section already written."""

    path: list[str | int]
    keys: set[str]


def block_at(lines: Sequence[str], number: int, column: int) -> Block:
    """The section that a key written at 0-based `column` of line `number` belongs to."""
    path: list[str | int] = []
    keys: set[str] = set()
    target, equal_ok = column, False
    siblings = True
    for index in range(number - 1, -1, -1):
        line = parse_line(lines[index])
        if line is None:
            continue
        if line.key is not None and (
            line.column < target or (equal_ok and line.column == target and line.empty_value)
        ):
            path.insert(0, line.key)
            target, equal_ok, siblings = _after_key(line)
            if line.items:
                path.insert(1, 0)
            continue
        if line.items and min(line.items) < target:
            if siblings and line.key is not None and line.column == target:
                keys.add(line.key)
            path.insert(0, 0)
            target, equal_ok, siblings = min(line.items), True, False
            continue
        if siblings and line.key is not None and line.column == target:
            keys.add(line.key)
    keys |= _keys_below(lines, number, column)
    return Block(path, keys)


def _after_key(line: Line) -> tuple[int, bool, bool]:
    """Where to look for the parent of a key line met on the way up: before its list markers
    (an item's own section), else before the key."""
    if line.items:
        return min(line.items), True, False
    return line.column, False, False


def _keys_below(lines: Sequence[str], number: int, column: int) -> set[str]:
    keys: set[str] = set()
    for index in range(number + 1, len(lines)):
        line = parse_line(lines[index])
        if line is None:
            continue
        start = min(line.items) if line.items else line.column
        if start < column:
            break
        if line.key is not None and line.column == column and not line.items:
            keys.add(line.key)
        elif line.items and start == column:
            break  # the next item of a list of sections
    return keys


def key_at_line(lines: Sequence[str], number: int, column: int) -> KeyPath | None:
    """The key path of the key on line `number` (0-based) when the cursor at `column` is on
    the key or its value; from the indentation of the lines."""
    if not 0 <= number < len(lines):
        return None
    line = parse_line(lines[number])
    if line is None or (line.key is None and not line.items):
        return None
    block = block_at(lines, number, line.column if line.key is not None else min(line.items))
    if line.key is None:
        return tuple(block.path) or None
    path: list[str | int] = list(block.path)
    if line.items:
        path.append(0)
    path.append(line.key)
    return tuple(path)


def key_at(doc: Document, line: int, column: int) -> KeyPath | None:
    """The key path whose key or value is written on the 1-based `line` at or before the
    1-based `column` (the rightmost such key: `a: {b: 1}` at `b` is `a.b`); a list item
    without a key stands for its list."""
    best: tuple[int, KeyPath] | None = None
    for path, (key, value) in doc.origins.items():
        start = key or value
        if not path or start.line != line or start.column > column:
            continue
        if key is None:  # a list item: the list it is in
            path = tuple(p for p in path if not isinstance(p, int)) or path
        if best is None or start.column > best[0]:
            best = (start.column, path)
    return best[1] if best else None


def reference_at(text: str, column: int) -> tuple[str, int, int] | None:
    """The `${path}` reference around 0-based `column` of a line: (path, start, end)."""
    for match in _REFERENCE.finditer(text):
        if match.start() <= column <= match.end():
            return match.group("path"), match.start(), match.end()
    return None


def reference_path(reference: str, at: KeyPath) -> str | None:
    """The absolute dotted path a reference written in the value of `at` names (`.x` is a
    key beside `at`, each further dot one section up), or None when it names nothing."""
    if not reference:
        return None
    dots = len(reference) - len(reference.lstrip("."))
    rest = reference[dots:]
    parts: list[str | int] = []
    for match in _PATH_PART.finditer(rest):
        parts.append(int(match.group(1)) if match.group(1) is not None else match.group())
    if dots:
        if dots > len(at):
            return None
        parts = [*at[: len(at) - dots], *parts]
    return dotted(tuple(parts)) if parts else None
