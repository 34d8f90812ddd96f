"""Stage 1, read: YAML text to plain data that remembers where every key and value was written.

The YAML rules are OmegaConf's (which NexRL uses): `1e-4` is a float, dates stay strings, a key
given twice is an error, merge keys (`<<`) work. Only safe YAML is loaded; tags that would build
objects are reported, never executed. Nesting, alias expansion and file size are capped so that
no input can make the check slow or large.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._yaml import yaml
from .files import read_regular
from .finding import Finding, Severity, Span
from .output import REDACTED
from .rules.duplicate_key import ID as DUPLICATE_KEY
from .rules.encoding import ID as ENCODING
from .rules.invalid_key import ID as INVALID_KEY
from .rules.too_complex import ID as TOO_COMPLEX
from .rules.yaml_syntax import ID as YAML_SYNTAX
from .rules.yaml_tag import ID as YAML_TAG

try:
    from yaml import CSafeLoader as _BaseLoader
    from yaml._yaml import get_version as _libyaml_version
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

    def _libyaml_version() -> tuple[int, int, int]:
        return (0, 2, 6)  # the Python parser: deep nesting is a RecursionError


# libyaml stops nesting at 1000 levels from 0.2.6 (PyYAML 6.0.3+); the 0.2.5 of PyYAML 6.0.2
# (NexRL's pin) has no limit, and composing deeper nesting overflows the C stack.
_NEST_LIMIT = 1000
_UNLIMITED = tuple(_libyaml_version()) < (0, 2, 6)

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 100
MAX_NODES = 50_000
# Python converts at most 4,300 digits between text and int; a longer number is refused before
# it is built (a long sexagesimal `!!int 1:2:3:...` would also take quadratic time).
MAX_NUMBER = 4_300
_MAX_BITS = 14_000  # about 4,200 digits
# Text up to this size is parsed at once; larger text is first counted, so that a file of
# many small values stops early.
_SMALL = 64 * 1024

KeyPath = tuple[str | int, ...]
# Keys whose literal value is a secret.
SECRET_KEYS = ("api_key",)
# The same, to test a whole key path at once (every value read is tested).
_SECRET_KEY_SET = frozenset(SECRET_KEYS)
# A secret key spelt in another case (`API_KEY`): NexRL does not read it, but its value is
# kept from every output as an `api_key`'s is (a shown line hides it whatever the case).
_SECRET_SPELLING = re.compile("|".join(map(re.escape, SECRET_KEYS)), re.I)
_SECRET_LENGTHS = frozenset(map(len, SECRET_KEYS))
Pair = tuple[yaml.Node, yaml.Node]

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"
_INT = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_KNOWN_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}

# OmegaConf's float pattern: unlike plain YAML 1.1 it accepts `1e-4` without a dot.
_FLOAT = re.compile(
    r"""^(?:
     [-+]?[0-9]+(?:_[0-9]+)*\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?[0-9]+(?:_[0-9]+)*(?:[eE][-+]?[0-9]+)
    |\.[0-9]+(?:_[0-9]+)*(?:[eE][-+][0-9]+)?
    |[-+]?[0-9]+(?:_[0-9]+)*(?::[0-5]?[0-9])+\.[0-9_]*
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.X,
)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        """The tag of a node, as PyYAML's resolver finds it, without its support for path
        resolvers (which NexRL configs never use): this runs once for every key and value,
        and the same plain words come back again and again (`type`, `true`, `1`)."""
        if kind is yaml.ScalarNode:
            if not implicit[0]:
                return _STR
            tag = _PLAIN_TAGS.get(value)
            if tag is None:
                tag = _STR
                for candidate, regexp in _IMPLICIT.get(value[:1], ()):
                    if regexp.match(value):
                        tag = candidate
                        break
                if len(value) <= _PLAIN_TAG_LENGTH and len(_PLAIN_TAGS) < _PLAIN_TAG_COUNT:
                    _PLAIN_TAGS[value] = tag
            return tag
        return _SEQ if kind is yaml.SequenceNode else _MAP


# PyYAML's composer calls these around every node for path resolvers, which NexRL configs
# never use (see `_Loader.resolve`): a call of a built-in that does nothing costs less.
_Loader.descend_resolver = {}.get  # type: ignore[assignment]
_Loader.ascend_resolver = tuple  # type: ignore[assignment]

# The tags of short plain scalars already met in this process, by their text; and the
# values of short nulls, booleans and numbers, by their tag and text (they cannot change).
_PLAIN_TAGS: dict[str, str] = {}
_SCALAR_VALUES: dict[tuple[str, str], Any] = {}
_PLAIN_TAG_LENGTH = 64
_PLAIN_TAG_COUNT = 50_000


_Loader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789."))
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}
# OmegaConf's implicit types by first character ("" for an empty value, which is null).
_IMPLICIT = {
    first: tuple(r) for first, r in _Loader.yaml_implicit_resolvers.items() if first is not None
}

_SCALARS = yaml.constructor.SafeConstructor()
# Direct constructors for the plain scalar types: construct_object's bookkeeping is for
# collections and recursion, which plain scalars do not need.
_CONSTRUCT = {
    "tag:yaml.org,2002:null": _SCALARS.construct_yaml_null,
    "tag:yaml.org,2002:bool": _SCALARS.construct_yaml_bool,
    "tag:yaml.org,2002:int": _SCALARS.construct_yaml_int,
    "tag:yaml.org,2002:float": _SCALARS.construct_yaml_float,
}


@dataclass(eq=False, repr=False)
class Document:
    """One YAML file: its data, where each path was written, and what went wrong reading it."""

    path: str
    data: Any = None
    # For each path: (span of the key, span of the value). The root has no key span.
    origins: dict[KeyPath, tuple[Span | None, Span]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    ok: bool = True
    # Literal values of secret keys (`api_key: sk-...`), line by line: never to be printed.
    secrets: set[str] = field(default_factory=set)
    # Where those values are written: (first line, first column, last line, end column), all
    # 0-based, the end exclusive. A source line is shown with these parts redacted.
    secret_spans: list[tuple[int, int, int, int]] = field(default_factory=list)
    # The file could not be parsed whole: its secret values are found by the YAML scanner,
    # when a line of it is first shown.
    scan_secrets: bool = False
    # The text as parsed (after a byte-order mark) and the bytes it was read from: fixes are
    # planned on this text, and written only while the file still holds these bytes.
    text: str = field(default="", repr=False)
    raw: bytes = field(default=b"", repr=False)
    # The parser's nodes of the text, kept when asked for (a run that plans fixes edits at
    # their offsets, see `fix.edits.Tree`): the text is parsed once.
    node: yaml.Node | None = field(default=None, repr=False)

    def redact_line(self, number: int, line: str) -> str:
        """Line `number` (1-based) with every part of a secret value on it replaced."""
        if self.scan_secrets:
            self.scan_secrets = False
            self.secret_spans.extend(_scanned_secrets("\n".join(self.lines), len(self.lines)))
        index = number - 1
        cuts = []
        for first, start, last, end in self.secret_spans:
            if first <= index <= last and not (index == last > first and end == 0):
                cuts.append((start if index == first else 0, end if index == last else len(line)))
        merged: list[list[int]] = []
        for start, end in sorted(cuts):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, max(start, end)])
        for start, end in reversed(merged):
            line = line[:start] + REDACTED + line[end:]
        return _key_redacted(line, self.lines[index - 1] if 0 < index <= len(self.lines) else "")

    def span(self, path: KeyPath) -> Span:
        while path not in self.origins and path:
            path = path[:-1]
        origin = self.origins.get(path)
        return origin[1] if origin else Span(self.path)


_tuple = tuple.__new__
_SCALAR = yaml.ScalarNode
_NO_KEY: Any = object()
# Key types OmegaConf accepts besides text (not null: "Incompatible key type").
_KEY_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool")


def _span(file: str, mark: Any) -> Span:
    # tuple.__new__ directly: a NamedTuple's own constructor is a Python function.
    return _tuple(Span, (file, mark.line + 1, mark.column + 1))


def dotted(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _spelt_secret(key: str) -> bool:
    """Whether `key` is a secret key spelt in another case (`API_KEY`)."""
    return key not in _SECRET_KEY_SET and _SECRET_SPELLING.fullmatch(key) is not None


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.nodes = 0
        self.stopped = False
        # Collections already built: met again, an alias is being expanded.
        self.seen: set[int] = set()
        self.aliased = False
        # Where a secret key is spelt in another case: what is under it is a secret too.
        self.spelt: set[KeyPath] = set()

    def error(
        self, rule: str, message: str, span: Span, path: KeyPath = (), hint: str = ""
    ) -> None:
        self.doc.findings.append(Finding(rule, Severity.ERROR, message, span, dotted(path), hint))

    def build(self, node: yaml.Node, path: KeyPath, depth: int) -> Any:
        if self.stopped:
            return None
        self.nodes += 1
        if self.nodes <= MAX_NODES and node.tag == _STR and isinstance(node, yaml.ScalarNode):
            return self.text(node, path)  # most values: the short way
        if self.nodes > MAX_NODES:
            self.stopped = True
            span = _span(self.doc.path, node.start_mark)
            # At the top-level key being expanded: an alias's own mark is its anchor's.
            top = self.doc.origins.get(path[:1], (None, span))[0] or span
            self.too_many(top, path[:1])
            return None
        if depth > MAX_DEPTH:
            self.stopped = True
            self.error(
                TOO_COMPLEX,
                f"nesting deeper than {MAX_DEPTH} levels"
                + (" (an alias used inside its own anchor?)" if self.aliased else ""),
                _span(self.doc.path, node.start_mark),
                path[: MAX_DEPTH // 10],
                "A NexRL config nests a few levels deep; check the indentation.",
            )
            return None
        if node.tag not in _KNOWN_TAGS:
            self.error(
                YAML_TAG,
                f"YAML tag '{_short_tag(node.tag)}' is not allowed; NexRL loads configs with "
                "safe YAML only, nothing in a config is run",
                _span(self.doc.path, node.start_mark),
                path,
                "Remove the tag; write the value as plain YAML.",
            )
            return None
        if isinstance(node, yaml.CollectionNode):
            self.aliased = self.aliased or id(node) in self.seen
            self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            out = []
            for index, item in enumerate(node.value):
                item_path = (*path, index)
                self.doc.origins[item_path] = (None, _span(self.doc.path, item.start_mark))
                out.append(self.build(item, item_path, depth + 1))
            return out
        assert isinstance(node, yaml.ScalarNode)
        return self.scalar(node, path)

    def text(self, node: yaml.ScalarNode, path: KeyPath) -> str:
        value: str = node.value
        if not _SECRET_KEY_SET.isdisjoint(path) or (self.spelt and self.under_spelt(path)):
            self.secret(node, value)
        return value

    def under_spelt(self, path: KeyPath) -> bool:
        return any(path[:depth] in self.spelt for depth in range(1, len(path) + 1))

    def secret(self, node: yaml.Node, value: str) -> None:
        """Remember a literal secret (the value of an `api_key`, or inside one): its text and,
        unless it is only `${...}` expressions, where it is written."""
        literal = _literal_part(value)
        if not literal.strip():
            return
        self.doc.secrets.update(part.strip() for part in literal.splitlines() if part.strip())
        start, end = node.start_mark, node.end_mark
        self.doc.secret_spans.append((start.line, start.column, end.line, end.column))

    def too_many(self, span: Span, path: KeyPath) -> None:
        if self.aliased:
            message = f"aliases expand the document to more than {MAX_NODES:,} values"
            hint = "A NexRL config has a few hundred values; remove the repeated aliases."
        else:
            message = f"the document holds more than {MAX_NODES:,} values; not a NexRL config"
            hint = "A NexRL config has a few hundred values; keep data in data files."
        self.error(TOO_COMPLEX, message, span, path, hint)

    def scalar(self, node: yaml.ScalarNode, path: KeyPath) -> Any:
        if not _SECRET_KEY_SET.isdisjoint(path) or (self.spelt and self.under_spelt(path)):
            self.secret(node, str(node.value))
        text = str(node.value)
        if node.tag in (_INT, _FLOAT_TAG) and len(text) > MAX_NUMBER:
            self.too_long(text, _span(self.doc.path, node.start_mark), path)
            return None
        key = (node.tag, text)
        if key in _SCALAR_VALUES:
            return _SCALAR_VALUES[key]
        try:
            construct = _CONSTRUCT.get(node.tag)
            value = construct(node) if construct is not None else _SCALARS.construct_object(node)
            if isinstance(value, int) and value.bit_length() > _MAX_BITS:  # `0xfff...`
                self.too_long(text, _span(self.doc.path, node.start_mark), path)
                return None
            short = len(text) <= _PLAIN_TAG_LENGTH and len(_SCALAR_VALUES) < _PLAIN_TAG_COUNT
            if construct is not None and short:
                _SCALAR_VALUES[key] = value
            return value
        except yaml.YAMLError as exc:
            span = _span(self.doc.path, node.start_mark)
            self.error(YAML_SYNTAX, f"value cannot be read: {_problem(exc)}", span, path)
            return None
        except Exception:  # PyYAML's constructors fail on odd text with explicit tags (`!!int 0x`)
            pass
        self.error(
            YAML_SYNTAX,
            f"value {_clip(text, 40)!r} cannot be read as {_short_tag(node.tag)}",
            _span(self.doc.path, node.start_mark),
            path,
            "Remove the tag, or write a value of that type.",
        )
        return None

    def too_long(self, text: str, span: Span, path: KeyPath) -> None:
        self.error(
            YAML_SYNTAX,
            f"number with {len(text):,} characters is too long to read",
            span,
            path,
            "Quote it if it is meant as text.",
        )

    def mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int) -> dict[Any, Any]:
        # Keyed by the key's text, as OmegaConf's loader tells a repeated key; a number or
        # boolean key is a key of that type (`1` and `true` are then one key, as in Python).
        explicit: dict[str, tuple[Any, yaml.Node, yaml.Node]] = {}
        merged: dict[str, Pair] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _STR and type(key_node) is _SCALAR:  # most keys: a name
                key = text = key_node.value
            elif key_node.tag == _MERGE:
                merged.update(self.merge_source(value_node, path, {id(node)}))
                continue
            else:
                key = self.key(key_node, path)
                if key is _NO_KEY:
                    continue
                text = str(key_node.value)
            if isinstance(key, str) and text in explicit:
                self.error(
                    DUPLICATE_KEY,
                    f"key '{key}' is given twice in this mapping",
                    _span(self.doc.path, key_node.start_mark),
                    (*path, key),
                    "NexRL (OmegaConf) refuses a file with a repeated key; keep one of them.",
                )
                continue
            if not isinstance(key, str):
                text = f"\x00{key_node.tag}:{text}"  # never the text of a string key
                explicit.pop(text, None)
            explicit[text] = (key, key_node, value_node)
        # As OmegaConf orders them: merged keys first, then the mapping's own.
        pairs = [
            (k, key_node, value_node)
            for k, (key_node, value_node) in merged.items()
            if k not in explicit
        ]
        pairs.extend(explicit.values())
        out: dict[Any, Any] = {}
        origins, file = self.doc.origins, self.doc.path
        for key, key_node, value_node in pairs:  # where each key and value is written
            at = (*path, key)
            if type(key) is str and len(key) in _SECRET_LENGTHS and _spelt_secret(key):
                self.spelt.add(at)
            key_mark, value_mark = key_node.start_mark, value_node.start_mark
            origins[at] = (
                _tuple(Span, (file, key_mark.line + 1, key_mark.column + 1)),
                _tuple(Span, (file, value_mark.line + 1, value_mark.column + 1)),
            )
            out[key] = self.build(value_node, at, depth + 1)
        return out

    def key(self, key_node: yaml.Node, path: KeyPath) -> Any:
        """The key (text, or a number or boolean as OmegaConf takes them), or `_NO_KEY`."""
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _STR:
            return str(key_node.value)
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag in _KEY_TAGS:
            try:
                return _CONSTRUCT[key_node.tag](key_node)
            except Exception:  # PyYAML's constructors fail on odd text with explicit tags
                pass
        if isinstance(key_node, yaml.ScalarNode):
            shown = f"key {_clip(str(key_node.value))!r} is not a string, number or boolean"
        else:
            kind = "list" if isinstance(key_node, yaml.SequenceNode) else "mapping"
            shown = f"a {kind} is used as a key"
        self.error(
            INVALID_KEY,
            f"{shown}; NexRL config keys are names",
            _span(self.doc.path, key_node.start_mark),
            path,
            "Quote the key or rename it to a plain name.",
        )
        return _NO_KEY

    def merge_source(self, node: yaml.Node, path: KeyPath, visiting: set[int]) -> dict[str, Pair]:
        """The pairs a merge key (`<<: *base` or `<<: [*a, *b]`) brings in, as PyYAML (and so
        OmegaConf) merges them: an earlier source wins, a source's own merges apply first."""
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        pairs: dict[str, Pair] = {}
        for source in reversed(sources):
            if not isinstance(source, yaml.MappingNode):
                self.error(
                    YAML_SYNTAX,
                    "a merge key (<<) must name a mapping or a list of mappings",
                    _span(self.doc.path, source.start_mark),
                    path,
                    "Anchor a mapping (`base: &base {...}`) and merge it with `<<: *base`.",
                )
                continue
            if id(source) not in visiting:
                pairs.update(self.flatten(source, path, visiting | {id(source)}))
        return pairs

    def flatten(self, node: yaml.MappingNode, path: KeyPath, visiting: set[int]) -> dict[str, Pair]:
        merged: dict[str, Pair] = {}
        own: dict[str, Pair] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.update(self.merge_source(value_node, path, visiting))
            elif isinstance(key_node, yaml.ScalarNode) and key_node.tag == _STR:
                own[str(key_node.value)] = (key_node, value_node)
        return {k: v for k, v in merged.items() if k not in own} | own


_EXPRESSION = re.compile(r"\$\{[^${}]*\}")


def _literal_part(value: str) -> str:
    """A value without its `${...}` expressions (nested ones included)."""
    while "${" in value:
        shorter = _EXPRESSION.sub("", value)
        if shorter == value:
            break
        value = shorter
    return value


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _problem(exc: yaml.YAMLError) -> str:
    parts = [getattr(exc, "context", None), getattr(exc, "problem", None)]
    text = ", ".join(p for p in parts if p)
    return text or str(exc).splitlines()[0]


def _decode(raw: bytes, doc: Document) -> str | None:
    here = Span(doc.path)
    wide = "UTF-32" if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")) else "UTF-16"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        doc.findings.append(
            Finding(
                ENCODING,
                Severity.ERROR,
                f"file is {wide}; NexRL reads configs as UTF-8",
                here,
                hint="Save the file as UTF-8.",
            )
        )
        return None
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        doc.findings.append(
            Finding(
                ENCODING,
                Severity.ERROR,
                "file contains NUL bytes: binary data, not a YAML config",
                Span(doc.path, line, nul - (raw.rfind(b"\n", 0, nul) + 1) + 1),
            )
        )
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        doc.findings.append(
            Finding(
                ENCODING,
                Severity.ERROR,
                f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                Span(doc.path, line, column),
                hint="Save the file as UTF-8.",
            )
        )
        return None


# A line of a block mapping (`key: value` or `key:`) swallowed by a quoted value.
_KEY_LINE = re.compile(r"\n[ \t]*[A-Za-z_][\w.-]*:(?:[ \t]|$)", re.M)


def _unclosed_quote(text: str, mark: Any) -> Any:
    """The start of a quoted value that runs over `key:` lines up to the error: the value whose
    closing quote is missing (the parser only notices where the next quote closes it)."""
    found = None
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if token.start_mark.line > mark.line:
                break
            quoted = isinstance(token, yaml.ScalarToken) and token.style in ('"', "'")
            start, end = token.start_mark, token.end_mark
            if (
                quoted
                and start.line < end.line <= mark.line
                and _KEY_LINE.search(text, start.index, end.index)
            ):
                found = start
    except yaml.YAMLError:
        pass
    return found


def _failed(doc: Document, exc: yaml.MarkedYAMLError, text: str) -> Document:
    mark = exc.problem_mark or exc.context_mark
    span = _span(doc.path, mark) if mark else Span(doc.path)
    message, hint = _problem(exc), ""
    opened = _unclosed_quote(text, mark) if mark else None
    stopped = f"the parser stopped at line {mark.line + 1}" if mark else ""
    if "quoted scalar" in str(exc.context) and exc.context_mark:
        opened, stopped = exc.context_mark, "it runs to the end of the file"
    if opened is not None:
        span = _span(doc.path, opened)
        message = f"this quoted value is never closed ({stopped})"
        hint = "Close the quote at the end of the value."
    elif mark is not None and text[mark.index : mark.index + 1] == "\t":
        message = "a tab is used for indentation; YAML indents with spaces only"
        hint = "Replace the tabs with spaces."
    elif "mapping values are not allowed" in message:
        hint = "Quote the value: an unquoted ': ' (or ':' at the end of a line) starts a mapping."
    doc.findings.append(Finding(YAML_SYNTAX, Severity.ERROR, message, span, hint=hint))
    doc.ok = False
    doc.scan_secrets = True
    return doc


def read_text(text: str, path: str, keep_node: bool = False) -> Document:
    """Parse YAML text; never raises for bad input, reports it as findings instead. With
    `keep_node`, the document keeps the parser's nodes of a text that is one document."""
    doc = Document(path, lines=text.splitlines(), text=text)
    crowded = _crowded(text) if len(text) > _SMALL else None
    if crowded is not None:
        doc.findings.append(
            Finding(
                TOO_COMPLEX,
                Severity.ERROR,
                f"the document holds more than {MAX_NODES:,} values; not a NexRL config",
                _span(path, crowded),
                hint="A NexRL config has a few hundred values; keep data in data files.",
            )
        )
        doc.ok = False
        doc.scan_secrets = True
        return doc
    deep = _too_deep(text) if _UNLIMITED else None
    if deep is not None:
        message = "exceeded maximum nesting depth"
        doc.findings.append(Finding(YAML_SYNTAX, Severity.ERROR, message, _span(path, deep)))
        doc.ok = False
        return doc
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.composer.ComposerError as exc:
        if "single document" not in str(exc.context):
            return _failed(doc, exc, text)
        # Several documents (`---`): NexRL reads one; keep the first to tell what the file is.
        node = next(iter(yaml.compose_all(text, Loader=_Loader)), None)
        doc.findings.append(
            Finding(
                YAML_SYNTAX,
                Severity.ERROR,
                "file holds several YAML documents; NexRL reads a config from one",
                _span(path, exc.problem_mark) if exc.problem_mark else Span(path),
                hint="Keep one document per config file.",
            )
        )
        doc.scan_secrets = True
    except yaml.MarkedYAMLError as exc:
        return _failed(doc, exc, text)
    except (yaml.YAMLError, RecursionError) as exc:
        problem = "nesting too deep" if isinstance(exc, RecursionError) else str(exc)
        doc.findings.append(Finding(YAML_SYNTAX, Severity.ERROR, problem, Span(path)))
        doc.ok = False
        doc.scan_secrets = True
        return doc
    if node is None:
        doc.data = None
        return doc
    doc.origins[()] = (None, _span(path, node.start_mark))
    if keep_node and not doc.scan_secrets:  # not the first of several documents
        doc.node = node
    builder = _Builder(doc)
    doc.data = builder.build(node, (), 0)
    doc.ok = not builder.stopped
    return doc


def _key_redacted(line: str, previous: str) -> str:
    """`line` with what follows a secret key on it redacted (and the value of a complex
    secret key on the line before): a value the parser did not take as the key's (a
    duplicate key, a tag, a flow collection left open) is not shown either."""
    found = _SECRET_LINE.search(line)
    if found is None and previous and _SECRET_COMPLEX_KEY.match(previous):
        found = _COMPLEX_VALUE.match(line)
    if found is None:
        return line
    rest = line[found.end() :]
    if rest == REDACTED or _REFERENCE_ONLY.fullmatch(rest):  # `${oc.env:KEY}` is no secret
        return line
    return line[: found.end()] + REDACTED


def may_hold_secret(text: str) -> bool:
    """Whether a secret key may be written in `text` (else no line of it needs redacting
    but where the parser found a secret value): the part of a key before its first `_`,
    which no escape changes, is in it, in any case `_SECRET_LINE` matches."""
    if text.isascii():  # lower-cased, then, as a case-insensitive pattern matches it
        lowered = text.lower()
        return any(prefix in lowered for prefix in _SECRET_PREFIXES)
    return _SECRET_PREFIX.search(text) is not None


def secret_key_offsets(text: str) -> list[int]:
    """Where `may_hold_secret` finds the first part of a secret key in `text`, in order."""
    if not text.isascii():
        return [found.start() for found in _SECRET_PREFIX.finditer(text)]
    lowered, offsets = text.lower(), []
    for prefix in _SECRET_PREFIXES:
        at = lowered.find(prefix)
        while at >= 0:
            offsets.append(at)
            at = lowered.find(prefix, at + len(prefix))
    return sorted(offsets)


def _scanned_secrets(text: str, lines: int) -> list[tuple[int, int, int, int]]:
    """Where the values of secret keys are written, from the YAML scanner's tokens: for a file
    the parser cannot read whole (a value whose quote is never closed runs to the end)."""
    spans = []
    state = 0  # 1: a key starts; 2: it is a secret key; 3: its value comes next
    value_start: Any = None
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if isinstance(token, yaml.KeyToken):
                state = 1
            elif state == 1 and isinstance(token, yaml.ScalarToken):
                state = 2 if token.value in SECRET_KEYS else 0
            elif state == 2 and isinstance(token, yaml.ValueToken):
                state, value_start = 3, token.end_mark
            elif state == 3 and isinstance(token, (yaml.AnchorToken, yaml.TagToken)):
                continue
            elif state == 3 and isinstance(token, yaml.ScalarToken):
                start, end = token.start_mark, token.end_mark
                spans.append((start.line, start.column, end.line, end.column))
                state = 0
            else:
                state = 0
    except yaml.YAMLError:
        if state == 3 and value_start is not None:  # the secret value itself is broken
            spans.append((value_start.line, value_start.column, lines, 0))
    return spans


# A secret key written on a line, however it is quoted or escaped (`"api\x5fkey"`), up to
# its value: what follows is redacted from any line shown, whatever the parser made of it.
_KEY = "|".join(k.replace("_", r"(?:_|\\x5f|\\u005f|\\U0000005f)") for k in SECRET_KEYS)
_SECRET_PREFIXES = tuple(sorted({key.split("_", 1)[0].lower() for key in SECRET_KEYS}))
_SECRET_PREFIX = re.compile("|".join(map(re.escape, _SECRET_PREFIXES)), re.I)
_SECRET_LINE = re.compile(
    r"""(?:^|[\s{,\[?])["']?(?:""" + _KEY + r""")["']?[ \t]*:[ \t]*(?=\S)""", re.IGNORECASE
)
# A complex key (`? api_key`), whose value is written on the next line (`: value`).
_SECRET_COMPLEX_KEY = re.compile(r"""^\s*\?\s*["']?(?:""" + _KEY + r""")["']?\s*$""", re.I)
_COMPLEX_VALUE = re.compile(r"^\s*:[ \t]*(?=\S)")
# A value that only names where the secret comes from (no default, nothing literal).
_REFERENCE_ONLY = re.compile(r"""(["']?)\$\{[\w.:-]*\}\1[ \t]*(?:#.*)?""")


def _too_deep(text: str) -> Any:
    """Where nesting passes libyaml's limit, or None; parser events come without recursion.
    Each level takes a `[`, `{`, `-` or `:`: text with fewer of them is never that deep."""
    if sum(text.count(c) for c in "[{-:") < _NEST_LIMIT:
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > _NEST_LIMIT:
                    return event.start_mark
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass  # reported by the parse that follows
    return None


def _crowded(text: str) -> Any:
    """Where the text passes the value limit, or None; counted from parser events (a key and
    its value are two), so that composing a file of many small values never starts."""
    count = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.NodeEvent):
                count += 1
                if count > 2 * MAX_NODES:
                    return event.start_mark
    except yaml.YAMLError:
        pass  # reported by the parse that follows
    return None


def read_file(path: str | Path, keep_node: bool = False) -> Document:
    """Read one file. OSError (missing, unreadable, a directory, not a regular file such as a
    FIFO, which would block) is left to the caller."""
    name = str(path)
    raw = read_regular(path, MAX_BYTES)
    return read_bytes(raw, name, keep_node)


def read_bytes(raw: bytes, name: str, keep_node: bool = False) -> Document:
    """Read the bytes of a file called `name` (standard input, for one); `keep_node`: see
    `read_text`."""
    if len(raw) > MAX_BYTES:
        doc = Document(name, ok=False)
        doc.findings.append(
            Finding(
                TOO_COMPLEX,
                Severity.ERROR,
                f"file is larger than {MAX_BYTES // (1024 * 1024)} MB; not a NexRL config",
                Span(name),
            )
        )
        return doc
    doc = Document(name)
    text = _decode(raw, doc)
    if text is None:
        doc.ok = False
        return doc
    doc = read_text(text, name, keep_node)
    doc.raw = raw
    return doc
