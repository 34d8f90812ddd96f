"""What each request answers: hover, completion, definitions and code actions, from the
buffer the editor holds and the last results of the checks that read it.

Nothing here waits for a check: a handler reads the buffer (parsed once per version, when it
is small enough to parse at once) and the results already there.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from lsprotocol import types

from .. import app
from ..about import NAME
from ..finding import Edit, Finding
from ..read import Document, KeyPath, dotted, read_text
from .outline import block_at, key_at, key_at_line, reference_at, reference_path
from .results import Root, diagnostic_of, real
from .text import LineView, Text

# A buffer up to this size is parsed for hover and definitions (a few milliseconds); a larger
# one is read from the indentation of its lines, near the cursor.
PARSED = 256 * 1024
# Completion contexts, on the text of the line before the cursor.
_VALUE = re.compile(
    r"^(?P<lead>[ ]*(?:-[ ]+)*)(?P<key>[^\s:#'\"-][^:#]*?)[ ]*:[ ]+(?P<word>[^\s#]*)$"
)
_ITEM = re.compile(r"^(?P<lead>[ ]*)-[ ]+(?P<word>[^\s:#]*)$")
_PROPERTY, _SECTION = types.CompletionItemKind.Property, types.CompletionItemKind.Module
_KEY = re.compile(r"^(?P<lead>[ ]*(?:-[ ]+)*)(?P<word>[\w.\-]*)$")


@dataclass
class Buffer:
    """An open document as the editor holds it."""

    uri: str
    path: Path | None
    source: str
    version: int | None
    encoding: str

    @cached_property
    def real(self) -> Path | None:
        return real(self.path) if self.path is not None else None

    @cached_property
    def text(self) -> Text:
        return Text(self.source, self.encoding)

    @cached_property
    def lines(self) -> LineView:
        return LineView(self.text)

    @cached_property
    def doc(self) -> Document | None:
        """The buffer read as the checker reads it; None when too large to read here."""
        if len(self.source) > PARSED:
            return None
        return read_text(self.text.text, str(self.path or self.uri))

    def cursor(self, position: types.Position) -> tuple[int, int, int]:
        """(character offset, the checker's 1-based line and column) of a position."""
        offset = self.text.offset(position.line, position.character)
        line, column = self.text.yaml_lines.position(offset)
        return offset, line, column

    def column(self, position: types.Position) -> int:
        """The 0-based column of a position, in characters."""
        offset = self.text.offset(position.line, position.character)
        return offset - self.text.offset(position.line, 0)

    def key(self, position: types.Position) -> tuple[KeyPath, tuple[int, int] | None] | None:
        """The key path at a position and, when the buffer reads, where that key is written
        (the checker's line and column)."""
        doc = self.doc
        if doc is not None and doc.ok and doc.origins:
            _, line, column = self.cursor(position)
            path = key_at(doc, line, column)
            if path is None:
                return None
            key = doc.origins.get(path, (None, None))[0]
            return path, (key.line, key.column) if key is not None else None
        found = key_at_line(self.lines, position.line, self.column(position))
        return (found, None) if found else None


# Parsed buffers by (uri, version): a hover after a hover reads nothing again.
_BUFFERS: OrderedDict[tuple[str, int | None, str], Buffer] = OrderedDict()


def buffer(uri: str, path: Path | None, source: str, version: int | None, encoding: str) -> Buffer:
    key = (uri, version, encoding)
    found = _BUFFERS.get(key)
    if found is None or found.source is not source:
        found = _BUFFERS[key] = Buffer(uri, path, source, version, encoding)
        while len(_BUFFERS) > 8:
            _BUFFERS.popitem(last=False)
    return found


def warm_up() -> None:
    """Load what every check and hover needs (the rules, the newest catalogue)."""
    from .. import catalogue
    from ..rules import all_rules

    all_rules()
    catalogue.for_version(catalogue.NEWEST)


def version_of(buffer: Buffer, cwd: Path | None) -> str:
    from ..nexrl import NEWEST

    if buffer.path is None:
        return NEWEST
    return app.version_for(buffer.path, cwd)


def settings_problem(message: str) -> types.Diagnostic:
    start = types.Position(0, 0)
    return types.Diagnostic(
        range=types.Range(start, start),
        message=f"the settings cannot be read: {message}",
        severity=types.DiagnosticSeverity.Error,
        code="settings",
        source=NAME,
    )


# -- hover ------------------------------------------------------------------------------------
def hover(
    buffer: Buffer, position: types.Position, roots: list[Root], cwd: Path | None
) -> types.Hover | None:
    """`explain` of the key under the cursor, for the NexRL version the file is checked for
    (the key as the composed config holds it: a file included under a package, a named
    training service)."""
    found = buffer.key(position)
    if found is None:
        return None
    path, written = found
    if path[0] == "defaults":
        return None
    name = dotted(path)
    if written is not None and buffer.real is not None:
        for root in roots:
            name = root.keys.get((buffer.real, *written), "") or name
            if name != dotted(path):
                break
    try:
        text = app.explain(name, version_of(buffer, cwd))
    except app.Failed:
        return None
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=f"```text\n{text}\n```")
    )


# -- completion -------------------------------------------------------------------------------
def completion(
    buffer: Buffer, position: types.Position, cwd: Path | None
) -> types.CompletionList | None:
    """Keys of the section at the cursor not yet written there, or the allowed values of the
    option at the cursor, from the catalogue of the file's NexRL version."""
    before = buffer.lines[position.line][: buffer.column(position)]
    version = version_of(buffer, cwd)
    lines = buffer.lines
    items: list[types.CompletionItem] = []
    value = _VALUE.match(before)
    item = _ITEM.match(before)
    key = _KEY.match(before)
    if value is not None:
        lead = value.group("lead")
        block = block_at(lines, position.line, len(lead))
        path = [*block.path, *([0] if "-" in lead else []), value.group("key").strip()]
        items = _values(tuple(path), version)
    elif item is not None:
        column = len(item.group("lead"))
        block = block_at(lines, position.line, column)
        items = _values(tuple(block.path), version, listed=True)
        items += _keys((*block.path, 0), version, set())
    elif key is not None:
        lead = key.group("lead")
        block = block_at(lines, position.line, len(lead))
        listed = "-" in lead
        parent = (*block.path, 0) if listed else tuple(block.path)
        items = _keys(parent, version, set() if listed else block.keys)
    if not items:
        return None
    return types.CompletionList(is_incomplete=False, items=items)


def _spec(path: KeyPath, version: str) -> str:
    from ..explain import catalogue_path

    return catalogue_path(dotted(path), version) if path else ""


def _keys(parent: KeyPath, version: str, present: set[str]) -> list[types.CompletionItem]:
    from ..catalogue import Option, for_version

    cat = for_version(version)
    items = []
    for name, entry in sorted(cat.children(_spec(parent, version)).items()):
        if name in present or "*" in name or "[" in name:
            continue
        option = isinstance(entry, Option)
        detail = "section"
        if isinstance(entry, Option):
            detail = entry.type + (" or null" if entry.nullable else "")
        deprecated = entry.deprecated_in(version)
        items.append(
            types.CompletionItem(
                label=name,
                kind=_PROPERTY if option else _SECTION,
                detail=detail,
                documentation=types.MarkupContent(types.MarkupKind.PlainText, entry.description),
                insert_text=f"{name}: " if option else f"{name}:",
                tags=[types.CompletionItemTag.Deprecated] if deprecated else None,
                sort_text=f"{'1' if deprecated else '0'}{name}",
            )
        )
    return items


def _values(path: KeyPath, version: str, listed: bool = False) -> list[types.CompletionItem]:
    from ..catalogue import NO_DEFAULT, Option, for_version

    if not path:
        return []
    entry = for_version(version).entry(_spec(path, version))
    if not isinstance(entry, Option):
        return []
    choices: list[Any] = list(entry.choices)
    if not choices and entry.type == "bool" and not listed:
        choices = [True, False]
    items = []
    for choice in choices:
        text = choice if isinstance(choice, str) else json.dumps(choice)
        default = entry.default is not NO_DEFAULT and entry.default == choice
        items.append(
            types.CompletionItem(
                label=text,
                kind=types.CompletionItemKind.EnumMember,
                detail="default" if default else None,
                insert_text=text,
            )
        )
    return items


# -- definitions ------------------------------------------------------------------------------
def definition(
    buffer: Buffer,
    position: types.Position,
    roots: list[Root],
    open_files: dict[Path, tuple[str, str]],
) -> list[types.Location] | None:
    """Where the key a `${a.b}` under the cursor refers to is written (in whichever file of
    the composed config), or the files a `defaults:` entry loads."""
    line = buffer.lines[position.line]
    found = reference_at(line, buffer.column(position))
    if found is not None:
        return _referred(buffer, position, found[0], roots, open_files)
    _, yaml_line, _ = buffer.cursor(position)
    files: list[str] = []
    for root in roots:
        for name in root.includes.get((buffer.real, yaml_line), ()) if buffer.real else ():
            if name not in files:
                files.append(name)
    start = types.Position(0, 0)
    return [
        types.Location(_uri(Path(name), open_files), types.Range(start, start)) for name in files
    ] or None


def _referred(
    buffer: Buffer,
    position: types.Position,
    reference: str,
    roots: list[Root],
    open_files: dict[Path, tuple[str, str]],
) -> list[types.Location] | None:
    at = buffer.key(position)
    here = at[0] if at is not None else ()
    if at is not None and at[1] is not None and buffer.real is not None:
        for root in roots:
            composed = root.keys.get((buffer.real, *at[1]))
            if composed:
                from ..config import split

                here = split(composed)
                break
    target = reference_path(reference, here)
    if target is None:
        return None
    for root in roots:
        span = root.written.get(target)
        if span is not None:
            location = _location(Path(span.file), span.line, span.column, buffer, open_files)
            return [location] if location is not None else None
    doc = buffer.doc
    if doc is not None and buffer.path is not None:
        from ..config import split

        origin = doc.origins.get(split(target))
        if origin is not None and origin[0] is not None:
            key = origin[0]
            location = _location(buffer.path, key.line, key.column, buffer, open_files)
            return [location] if location is not None else None
    return None


def _uri(path: Path, open_files: dict[Path, tuple[str, str]]) -> str:
    wanted = real(path)
    for named, (uri, _) in open_files.items():
        if real(named) == wanted:
            return uri
    return wanted.as_uri()


def _location(
    path: Path,
    line: int,
    column: int,
    buffer: Buffer,
    open_files: dict[Path, tuple[str, str]],
) -> types.Location | None:
    wanted = real(path)
    source = None
    for named, (_, body) in open_files.items():
        if real(named) == wanted:
            source = body
    if source is None:
        try:
            source = wanted.read_bytes().decode("utf-8", "replace")
        except OSError:
            return None
    text = buffer.text if source is buffer.source else Text(source, buffer.encoding)
    start = text.yaml_offset(line, column)
    span = types.Range(
        types.Position(*text.position(start)), types.Position(*text.position(text.token_end(start)))
    )
    return types.Location(_uri(path, open_files), span)


# -- code actions -----------------------------------------------------------------------------
def in_range(
    found: list[tuple[Root, Finding]], buffer: Buffer, params: types.CodeActionParams
) -> list[tuple[Root, Finding]]:
    """The findings of `found` whose range meets the range asked about (all of them when the
    client asks for the source action that fixes everything)."""
    only = params.context.only or []
    if any(str(kind).startswith(types.CodeActionKind.SourceFixAll) for kind in only):
        return found
    wanted = params.range
    out = []
    for pair in found:
        span = diagnostic_of(pair[1], buffer.text).range
        if _meets(span, wanted):
            out.append(pair)
    return out


def _meets(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def code_actions(
    verified: list[tuple[Root, Finding]],
    buffer: Buffer,
    params: types.CodeActionParams,
    open_files: dict[Path, tuple[str, str]],
) -> list[types.CodeAction]:
    """A quick fix for each verified fix (once however many configs found it) and, when the
    client asks for it, one action that makes them all."""
    only = [str(kind) for kind in params.context.only or []]
    wants_all = any(kind.startswith(types.CodeActionKind.SourceFixAll) for kind in only)
    wants_quick = not only or any(
        types.CodeActionKind.QuickFix.startswith(kind) or kind == "" for kind in only
    )
    actions: list[types.CodeAction] = []
    seen: set[frozenset[Edit]] = set()
    every: dict[str, dict[tuple[int, int, str], types.TextEdit]] = {}
    for root, finding in verified:
        edits = frozenset(finding.fixes)
        if edits in seen:
            continue
        seen.add(edits)
        changes = _changes(root, finding.fixes, open_files)
        if changes is None:
            continue
        for uri, text_edits in changes.items():
            for edit in text_edits:
                start = edit.range.start
                every.setdefault(uri, {})[(start.line, start.character, edit.new_text)] = edit
        if wants_quick:
            actions.append(
                types.CodeAction(
                    title=_title(root, finding),
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=_matching(finding, buffer, params) or None,
                    edit=types.WorkspaceEdit(changes=changes),
                    is_preferred=True,
                )
            )
    if wants_all and every:
        actions.append(
            types.CodeAction(
                title=f"Fix all safe {NAME} findings",
                kind=types.CodeActionKind.SourceFixAll,
                edit=types.WorkspaceEdit(
                    changes={uri: list(edits.values()) for uri, edits in every.items()}
                ),
            )
        )
    return actions


def _changes(
    root: Root, edits: tuple[Edit, ...], open_files: dict[Path, tuple[str, str]]
) -> dict[str, list[types.TextEdit]] | None:
    changes: dict[str, list[types.TextEdit]] = {}
    for edit in edits:
        file = real(edit.file)
        source = root.round.text(file)
        if source is None or edit.start < 0:
            return None
        text = Text(source, root.round.encoding)
        span = types.Range(
            types.Position(*text.position(edit.start)), types.Position(*text.position(edit.end))
        )
        changes.setdefault(_uri(file, open_files), []).append(types.TextEdit(span, edit.text))
    return changes


def _title(root: Root, finding: Finding) -> str:
    secrets = root.round.check.checker.secrets
    if len(finding.fixes) == 1:
        (edit,) = finding.fixes
        source = root.round.text(real(edit.file)) or ""
        old = secrets.mask(source[edit.start : edit.end]) if edit.start >= 0 else ""
        if old and "\n" not in old and len(old) <= 60:
            return f"Change {old} to {secrets.mask(edit.text)} ({finding.rule})"
        return f"Write {secrets.mask(edit.text)} ({finding.rule})"
    return f"Fix {finding.rule} ({len(finding.fixes)} edits)"


def _matching(
    finding: Finding, buffer: Buffer, params: types.CodeActionParams
) -> list[types.Diagnostic]:
    span = diagnostic_of(finding, buffer.text).range
    return [
        d
        for d in params.context.diagnostics
        if d.code == finding.rule and d.range.start == span.start
    ]
