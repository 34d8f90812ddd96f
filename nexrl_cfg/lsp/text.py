"""Positions in a text, as the checker counts them and as an editor does.

The checker's findings and fixes are at YAML's lines and columns (1-based, counted in
characters, with YAML's line breaks: `\\r\\n`, `\\r`, `\\n`, U+0085, U+2028, U+2029) and at
character offsets; the Language Server Protocol counts 0-based lines broken at `\\r\\n`, `\\r`
and `\\n` only, and columns in UTF-16 code units (or what the client and server agreed on).
Both are turned into character offsets here, so that a finding lands where it is written
whatever characters a line holds.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import cached_property
from typing import overload

import yaml

from ..fix.edits import Lines
from ..read import _Loader

_LSP_BREAK = re.compile("\r\n|[\r\n]")
# Where a plain word ends: a key, a value, a name.
_WORD_END = re.compile(r"[^\s:#,\[\]{}]*")


class Text:
    """A text with both ways of counting its positions. `encoding` is the position encoding
    the client and server agreed on: "utf-16" (the protocol's default), "utf-8" or
    "utf-32"."""

    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        # The reader drops a byte-order mark: its offsets start after one.
        self.skip = 1 if text.startswith("\ufeff") else 0
        self.text = text[self.skip :]
        self.encoding = encoding

    @cached_property
    def _starts(self) -> list[int]:
        return [0, *(m.end() for m in _LSP_BREAK.finditer(self.text))]

    @cached_property
    def yaml_lines(self) -> Lines:
        return Lines(self.text)

    # -- offsets <-> the protocol's positions ------------------------------------------------
    def position(self, offset: int) -> tuple[int, int]:
        """The protocol's 0-based (line, character) of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self._starts, offset) - 1
        start = self._starts[line]
        column = self._units(self.text[start:offset])
        if line == 0:
            column += self.skip * self._units("\ufeff")
        return line, column

    def offset(self, line: int, character: int) -> int:
        """The character offset of the protocol's 0-based (line, character), within the line
        (a position past its end is its end)."""
        if line < 0:
            return 0
        if line >= len(self._starts):
            return len(self.text)
        start = self._starts[line]
        end = self._starts[line + 1] if line + 1 < len(self._starts) else len(self.text)
        content = self.text[start:end].rstrip("\r\n")
        if line == 0 and self.skip:
            character -= self._units("\ufeff")
        units = 0
        for index, char in enumerate(content):
            if units >= character:
                return start + index
            units += self._units(char)
        return start + len(content)

    def line_text(self, line: int) -> str:
        """The text of the protocol's 0-based line, without its line break."""
        if not 0 <= line < len(self._starts):
            return ""
        start = self._starts[line]
        end = self._starts[line + 1] if line + 1 < len(self._starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def _units(self, chars: str) -> int:
        if self.encoding == "utf-32":
            return len(chars)
        if self.encoding == "utf-8":
            return len(chars.encode("utf-8", "surrogatepass"))
        return len(chars) + sum(1 for c in chars if ord(c) > 0xFFFF)

    # -- the checker's positions -----------------------------------------------------------
    def yaml_offset(self, line: int, column: int) -> int:
        """The character offset of the checker's 1-based (line, column)."""
        return min(self.yaml_lines.offset(line, column), len(self.text))

    def token_end(self, offset: int) -> int:
        """Where the key or value written at `offset` ends: the YAML token that starts there,
        else the plain word, else the rest of the line (at least one character)."""
        end = self._tokens.get(offset)
        if end is not None:
            return end
        word = _WORD_END.match(self.text, offset)
        if word is not None and word.end() > offset:
            return word.end()
        line_end = len(self.text)
        for index in range(offset, len(self.text)):
            if self.text[index] in "\r\n\x85\u2028\u2029":
                line_end = index
                break
        return line_end if line_end > offset else min(offset + 1, len(self.text))

    @cached_property
    def _tokens(self) -> dict[int, int]:
        """The start -> end offsets of each scalar and flow collection token, as far as the
        text scans."""
        ends: dict[int, int] = {}
        try:
            for token in yaml.scan(self.text, Loader=_Loader):
                if isinstance(token, yaml.ScalarToken):
                    ends.setdefault(token.start_mark.index, token.end_mark.index)
        except yaml.YAMLError:
            pass
        return ends


class LineView(Sequence[str]):
    """The protocol's lines of a text, each cut when it is asked for (a large buffer is
    never split whole)."""

    def __init__(self, text: Text) -> None:
        self._text = text

    def __len__(self) -> int:
        return self._text.line_count

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self._text.line_text(i) for i in range(*index.indices(len(self)))]
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._text.line_text(index)
