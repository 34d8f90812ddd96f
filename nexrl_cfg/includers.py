"""Which configs include a file through their defaults list (so that a fragment such as
`common.yaml` is checked through them).

The candidates are the YAML files beside the file, or one or two folders up (for a config
group's option, `model/small.yaml`). Each folder is indexed once per run: the words of each
file's top-level `defaults:` block, name -> files. A file is then looked up by its name, so a
folder of many fragments costs one read of each file, not one per pair of files; only the
files whose defaults list names it are composed, to see whether they really include it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from .compose import Reader
from .discovery import YAML_SUFFIXES
from .read import MAX_BYTES

_DEFAULTS_START = re.compile(rb"defaults\s*:")
# The first line after it that is neither indented, an item, a comment nor empty.
_NEXT_TOP = re.compile(rb"^[^\s#-]", re.M)
# What separates the names in a defaults list: `- group@pkg: [a, b]`, `/group/x`, quotes.
_SEPARATORS = re.compile(r"[^\w.\-]+")


class Includers:
    """The includers of files, for one run. `sources(config)` lists the files `config`
    composes (by the names it was given)."""

    def __init__(self, reader: Reader, sources: Callable[[Path], list[str]]) -> None:
        self.reader = reader
        self.sources = sources
        # Real folder -> {name -> files whose defaults block holds that name}.
        self._index: dict[Path, dict[str, list[Path]]] = {}
        self._ups: dict[str, list[Path]] = {}

    def of(self, path: Path) -> list[Path]:
        """Configs that include `path` through their defaults: those beside it, else those
        one or two folders up."""
        target = self.reader.real(path)
        found: list[Path] = []
        for folder in self._folders_up(os.path.dirname(path)):
            for candidate in self._named_in(folder, path.stem):
                if self.reader.real(candidate) == target:
                    continue
                if any(self.reader.real_name(s) == target for s in self.sources(candidate)):
                    found.append(candidate)
            if found:
                break
        return found

    def _folders_up(self, folder: str) -> list[Path]:
        """`folder` and the one or two folders above it (none above the top), once per
        folder: every file of a folder asks."""
        ups = self._ups.get(folder)
        if ups is None:
            ups = [Path(folder)]
            for _ in range(2):
                real = self.reader.real(ups[-1])
                if real == real.parent:
                    break
                ups.append(Path(os.path.normpath(ups[-1] / "..")))
            self._ups[folder] = ups
        return ups

    def _named_in(self, folder: Path, name: str) -> list[Path]:
        """The files of `folder` with a defaults list that names `name`."""
        found = []
        for path in self._folder_index(folder).get(name, ()):
            try:
                data = self.reader.read(path).data
            except OSError:
                continue
            if isinstance(data, dict) and isinstance(data.get("defaults"), list):
                found.append(path)
        return found

    def _folder_index(self, folder: Path) -> dict[str, list[Path]]:
        try:
            key = self.reader.real(folder)
        except OSError:
            return {}
        index = self._index.get(key)
        if index is None:
            index = self._index[key] = self._build(folder, key)
        return index

    def _build(self, folder: Path, real_folder: Path) -> dict[str, list[Path]]:
        """name -> the YAML files directly in `folder` whose defaults block holds that name.
        Only regular files whose real path is in the folder: a FIFO is not read, nor a
        symbolic link that leads out of the folder. Their bytes are the reader's (see
        `Reader.raw`): a file is read once, here and for its check."""
        index: dict[str, list[Path]] = {}
        try:
            with os.scandir(folder) as listing:
                names = sorted(e.name for e in listing if e.name.endswith(YAML_SUFFIXES))
        except OSError:
            return index
        for name in names:
            path = folder / name
            try:
                if self.reader.real(path).parent != real_folder:
                    continue
                raw = self.reader.raw(path)
            except OSError:
                continue
            block = _defaults_block(raw[:MAX_BYTES])
            for word in _words(block):
                index.setdefault(word, []).append(path)
        return index


def _words(block: str) -> set[str]:
    """The names a defaults block may refer to a file by (`x`, `x.yaml`, `group/x`)."""
    words = set()
    for word in _SEPARATORS.split(block):
        if word:
            words.add(word)
            for suffix in YAML_SUFFIXES:
                if word.endswith(suffix):
                    words.add(word[: -len(suffix)])
    return words


def _defaults_block(raw: bytes) -> str:
    """The top-level `defaults:` entry of a YAML file and the indented lines under it (found
    in its bytes: most of a file is not decoded)."""
    match = _top_level_defaults(raw)
    if match is None:
        return ""
    end = _NEXT_TOP.search(raw, match.end())
    return raw[match.start() : end.start() if end else len(raw)].decode("utf-8", "replace")


def _top_level_defaults(raw: bytes) -> re.Match[bytes] | None:
    """Where `defaults:` starts a line. The word is looked for first (a search of the
    pattern at every line costs ten times as much in a file without it)."""
    at = raw.find(b"defaults")
    while at >= 0:
        if at == 0 or raw[at - 1] == 0x0A:  # "\n"
            match = _DEFAULTS_START.match(raw, at)
            if match is not None:
                return match
        at = raw.find(b"defaults", at + 1)
    return None
