"""Line edits of one YAML file for a migration: lines deleted, shifted right, changed at a
span, and new lines inserted, all recorded against the lines as read and made at once, so
that every line the migration does not touch stays byte for byte."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from ..read import KeyPath, _Loader
from .edits import Tree


class Conflict(Exception):
    """Two steps of a migration want different text at one place."""


def end_line(node: yaml.Node) -> int:
    """The last line (0-based) holding the node's content (not the comments after it)."""
    if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        return end_line(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        return end_line(node.value[-1])
    end = node.end_mark
    line: int = end.line
    if end.column == 0 and line > node.start_mark.line:
        line -= 1
    return line


@dataclass
class FilePlan:
    path: Path
    text: str
    raw: bytes
    tree: Tree
    lines: list[str] = field(init=False)
    deleted: set[int] = field(default_factory=set)
    shift: dict[int, int] = field(default_factory=dict)
    subs: dict[int, dict[tuple[int, int], str]] = field(default_factory=dict)
    # Lines inserted before / after a line: (order, text) so that steps need not run in order.
    before: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    after: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    # How a copied or kept line's references are rewritten (set by the migration).
    rewrite: Callable[[str], str] = field(default=lambda text: text)

    def __post_init__(self) -> None:
        self.lines = self.text.splitlines(keepends=True)

    # -- the file's structure ---------------------------------------------------------------
    def has(self, path: KeyPath) -> bool:
        return path in self.tree.pairs

    def key(self, path: KeyPath) -> yaml.Node:
        return self.tree.pairs[path][0]

    def value(self, path: KeyPath) -> yaml.Node:
        return self.tree.pairs[path][1]

    def mapping(self, path: KeyPath) -> bool:
        return self.has(path) and isinstance(self.value(path), yaml.MappingNode)

    def children(self, path: KeyPath) -> list[str]:
        return self.tree.children(path)

    def line(self, path: KeyPath) -> int:
        return int(self.key(path).start_mark.line)

    def last(self, path: KeyPath) -> int:
        return max(self.line(path), end_line(self.value(path)))

    def indent(self, path: KeyPath) -> int:
        return int(self.key(path).start_mark.column)

    def step(self) -> int:
        """The file's indentation step (2 unless the file nests otherwise)."""
        for path in self.tree.pairs:
            if len(path) == 2 and isinstance(path[1], str):
                return self.indent(path) - self.indent(path[:1]) or 2
        return 2

    def child_indent(self, path: KeyPath) -> int:
        names = self.children(path)
        if names:
            return self.indent((*path, names[0]))
        return self.indent(path) + self.step()

    def source(self, path: KeyPath) -> str:
        return self.tree.source(self.value(path))

    # -- recording edits ----------------------------------------------------------------------
    def delete(self, path: KeyPath) -> None:
        first, last = self.line(path), self.last(path)
        self._keep_anchors(path, first, last)
        self.deleted.update(range(first, last + 1))

    def _keep_anchors(self, path: KeyPath, first: int, last: int) -> None:
        """Conflict when lines `first`..`last` define an anchor an alias elsewhere uses: moved
        or deleted, the alias would name nothing (or another node)."""
        for name, line in self.anchors:
            if first <= line <= last:
                used = [at for alias, at in self.aliases if alias == name]
                outside = [at for at in used if not first <= at <= last]
                if outside:
                    raise Conflict(
                        f"{self.path}:{line + 1}: {'.'.join(map(str, path))} holds the anchor "
                        f"&{name}, which line {outside[0] + 1} refers to (*{name}); move it "
                        "by hand, or write the value there instead of the alias"
                    )

    @cached_property
    def _marks(self) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
        anchors: list[tuple[str, int]] = []
        aliases: list[tuple[str, int]] = []
        if "&" not in self.text and "*" not in self.text:
            return anchors, aliases  # neither can be written without its sign
        for token in yaml.scan(self.text, Loader=_Loader):
            if isinstance(token, yaml.AnchorToken):
                anchors.append((str(token.value), int(token.start_mark.line)))
            elif isinstance(token, yaml.AliasToken):
                aliases.append((str(token.value), int(token.start_mark.line)))
        return anchors, aliases

    @property
    def anchors(self) -> list[tuple[str, int]]:
        return self._marks[0]

    @property
    def aliases(self) -> list[tuple[str, int]]:
        return self._marks[1]

    def flow(self, path: KeyPath) -> bool:
        """Whether the value at `path`, or a section above it, is written in flow style."""
        return any(
            self.has(path[:i]) and getattr(self.value(path[:i]), "flow_style", False)
            for i in range(1, len(path) + 1)
        )

    def indent_block(self, path: KeyPath, by: int) -> None:
        for index in range(self.line(path) + 1, self.last(path) + 1):
            self.shift[index] = by

    def sub(self, node: yaml.Node, text: str) -> None:
        start, end = node.start_mark, node.end_mark
        if start.line != end.line:
            raise Conflict(f"{self.path}:{start.line + 1}: a value over several lines")
        spans = self.subs.setdefault(start.line, {})
        # The scalar's own text: an anchor or a tag written before it stays.
        own = self.tree.own(node)
        span = (start.column + (own[0] - start.index if own else 0), end.column)
        if spans.get(span, text) != text:
            raise Conflict(f"{self.path}:{start.line + 1}: two different changes")
        spans[span] = text

    def insert_after(self, index: int, lines: list[str], order: int = 0) -> None:
        self._insert(self.after, index, lines, order)

    def insert_before(self, index: int, lines: list[str], order: int = 0) -> None:
        self._insert(self.before, index, lines, order)

    @staticmethod
    def _insert(
        where: dict[int, list[tuple[int, str]]], index: int, lines: list[str], order: int
    ) -> None:
        known = where.setdefault(index, [])
        new = [(order, text) for text in lines]
        if all(item in known for item in new):
            return  # the same lines from another config of the folder
        known.extend(new)

    def block(self, path: KeyPath, indent: int, skip: tuple[str, ...] = ()) -> list[str]:
        """The lines of the mapping at `path` (its children, with their comments), indented
        to `indent`, leaving out the children named in `skip`; references rewritten. A
        mapping written in flow style (`{a: 1, b: {c: 2}}`) gives a line per child, each
        value as written."""
        if getattr(self.value(path), "flow_style", False):
            return [
                " " * indent + self.rewrite(f"{self.tree.source(key)}: {self.tree.source(value)}")
                for key, value in self.value(path).value
                if str(key.value) not in skip
            ]
        left_out: set[int] = set()
        for name in skip:
            if self.has((*path, name)):
                left_out.update(range(self.line((*path, name)), self.last((*path, name)) + 1))
        old = self.child_indent(path)
        out = []
        for index in range(self.line(path) + 1, self.last(path) + 1):
            if index in left_out:
                continue
            text = self.lines[index].rstrip("\r\n")
            if not text.strip():
                out.append("")
                continue
            cut = min(old, len(text) - len(text.lstrip(" ")))
            out.append(" " * indent + self.rewrite(text[cut:]))
        while out and not out[-1]:
            out.pop()
        return out

    # -- the result ---------------------------------------------------------------------------
    def render(self) -> str:
        out: list[str] = []
        newline = "\r\n" if self.text.endswith("\r\n") or "\r\n" in self.text[:200] else "\n"
        before, after, subs, shift = self.before, self.after, self.subs, self.shift
        for index, line in enumerate(self.lines):
            if index in before:
                out.extend(t + newline for _, t in sorted(before[index], key=_order))
            if index in self.deleted:
                pass
            elif subs.get(index) or shift.get(index):
                out.append(self._changed(index, line))
            else:  # most lines: what `_changed` makes of a line with no edit, without its cost
                body = line.rstrip("\r\n")
                out.append(self.rewrite(body) + line[len(body) :])
            added = sorted(after[index], key=_order) if index in after else ()
            if added and not out[-1].endswith("\n"):
                out[-1] += newline
            out.extend(t + newline for _, t in added)
        text = "".join(out)
        if not self.text.endswith(newline * 2):
            # A block removed at the end of the file leaves no blank lines behind.
            text = text.rstrip("\r\n") + newline if self.text.endswith(newline) else text
        return text

    def _changed(self, index: int, line: str) -> str:
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        spans = self.subs.get(index, {})
        for (start, end), text in sorted(spans.items(), reverse=True):
            body = body[:start] + text + body[end:]
        if not spans:
            body = self.rewrite(body)
        if body.strip() and self.shift.get(index):
            body = " " * self.shift[index] + body
        return body + ending

    @property
    def changed(self) -> bool:
        return self.render() != self.text


def _order(item: tuple[int, str]) -> int:
    return item[0]
