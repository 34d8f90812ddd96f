"""What may leave the process: text escaped for a terminal, JSON that is plain UTF-8, and no
secret in either. The one place for escaping, for the `REDACTED` marker and for masking.

Every human-facing line (the text report, GitHub annotations, `resolve`, every line on stderr)
goes through `printable`; every JSON document through `dumps`; and the findings and source
lines of a check through `mask_finding` and `Secrets.mask` once, when the run is done (`app`),
the last filter between a value the run has read as secret and the output.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .deferred import Deferred

if TYPE_CHECKING:
    from .finding import Finding

# Control characters (a value may hold terminal escape sequences), C1 controls, bidirectional
# overrides and other invisible formatting that would let a config rewrite what a terminal or a
# review page shows, and lone surrogates (the undecodable bytes of a file name).
_INVISIBLE = (
    "\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069"
    "\ufeff\ufff9-\ufffb\ud800-\udfff"
)
# Compiled the first time text that is not all ASCII is printed (see `deferred`): nearly every
# line printed is ASCII, and is checked with the ASCII class beside it.
_UNPRINTABLE = Deferred("[\x00-\x08\x0a-\x1f" + _INVISIBLE + "]")
_UNPRINTABLE_ASCII = re.compile("[\x00-\x08\x0a-\x1f\x7f]")
# In JSON, `json.dumps` already escapes what is below 0x20, quotes and backslashes.
_JSON_UNSAFE = Deferred("[" + _INVISIBLE + "]")
_JSON_UNSAFE_ASCII = re.compile("\x7f")

# Shorter values are not masked in every output: they are common words and numbers. (Such a
# value is still never printed where it is read: see `Config.redaction`.)
MIN_SECRET = 8
# What stands in for a secret in every output.
REDACTED = "<redacted>"


def redacted(number: int) -> str:
    """The marker for the `number`th of several secrets that must stay apart (keys of one
    mapping): `<redacted>`, `<redacted 2>`, ..."""
    return REDACTED if number == 1 else f"{REDACTED[:-1]} {number}>"


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as os.fsdecode keeps it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


# What a CI system takes as a command in a log line: GitHub Actions' workflow commands
# (`::error ...::`, at the start of a line, spaces before it allowed), Azure Pipelines'
# logging commands (`##vso[...]`, anywhere in a line) and formatting (`##[group]`), and
# TeamCity's service messages (`##teamcity[...]`). Their first character is escaped.
_COMMAND = re.compile(r"^(\s*):(?=:)|#(?=#(?:vso\[|\[|teamcity\[))", re.I)


def printable(text: str) -> str:
    """`text` as it may reach a terminal or a CI log: one line, control and formatting
    characters escaped (`\\u001b`), undecodable bytes of a file name as `\\xff`, and no
    CI command (`::warning::` at its start, `##vso[` anywhere: the first `:` or `#` as
    `\\u003a`, `\\u0023`)."""
    is_ascii = text.isascii()
    if is_ascii and text.isprintable() and "::" not in text and "##" not in text:
        return text  # most messages: nothing to escape, no command
    unprintable = _UNPRINTABLE_ASCII if is_ascii else _UNPRINTABLE
    text = unprintable.sub(lambda m: _escape(m.group()), text)
    return _COMMAND.sub(lambda m: (m.group(1) or "") + _escape(m.group()[-1]), text)


def shown(text: str, secrets: Secrets | None = None) -> str:
    """A line printed about a file (a diff's line, `fixed ...`, `needs a choice: ...`): every
    form of a secret value masked, then escaped (see `printable`)."""
    return printable(secrets.mask(text) if secrets is not None else text)


def dumps(document: Any, indent: int | None = 2) -> str:
    """JSON that is valid UTF-8 and safe to show: unlike `ensure_ascii`, readable text stays
    as it is; C1 controls and bidirectional overrides are escaped (`\\u202e`), and so is an
    undecodable byte of a file name (as the text `\\xff`, like every other output)."""
    import json  # not on the path of a text report

    text = json.dumps(document, indent=indent, ensure_ascii=False)
    return (_JSON_UNSAFE_ASCII if text.isascii() else _JSON_UNSAFE).sub(_json_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\\\x{code - 0xDC00:02x}"
    if 0xD800 <= code <= 0xDFFF:
        return f"\\\\u{code:04x}"
    return f"\\u{code:04x}"


def display_path(file: str) -> str:
    """A file name relative to the working folder when it is below or near it; as given when
    the working folder is gone or on another drive."""
    try:
        rel = os.path.relpath(file)
    except (OSError, ValueError):
        return file
    return file if rel.startswith(".." + os.sep + "..") else rel


def working_folder() -> str | None:
    """The working folder, or None when it has been removed under the process."""
    try:
        return os.getcwd()
    except OSError:
        return None


# -- secrets --------------------------------------------------------------------------------
def forms(value: str) -> set[str]:
    """Every way a secret value can show up in a message: whole and line by line, as read and
    as a resolver decodes it (quotes removed, escapes undone), and as each output escapes it."""
    import json

    found: set[str] = set()
    pending = [value]
    inner = _unquoted(value.strip())
    if inner is not None:
        pending.append(inner)
    for text in pending:
        for piece in (text, *text.splitlines()):
            piece = piece.strip()
            if piece:
                found.add(piece)
    for piece in list(found):
        found.add(printable(piece))
        found.add(json.dumps(piece, ensure_ascii=False)[1:-1])
        found.add(repr(piece)[1:-1])
        found.add(piece.replace("%", "%25"))
    return found


def _unquoted(text: str) -> str | None:
    """The text of a quoted value as YAML or OmegaConf's `oc.decode` reads it, or None."""
    if len(text) < 2 or text[0] not in "'\"" or text[-1] != text[0]:
        return None
    body = text[1:-1]
    if text[0] == "'":
        return body.replace("''", "'").replace("\\'", "'")
    import json

    try:
        decoded = json.loads(text)
    except ValueError:
        return body.replace('\\"', '"').replace("\\\\", "\\")
    return decoded if isinstance(decoded, str) else body


class Secrets:
    """The secret values a run has read (literal keys, environment values): masked in every
    output as the last step, in each of the forms a message could show them in."""

    def __init__(self, values: Iterable[str] = (), minimum: int = MIN_SECRET) -> None:
        self.minimum = minimum
        # The values as added (what another process of the run is sent), and their forms.
        self.values: set[str] = set()
        self._forms: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self.update(values)

    def __bool__(self) -> bool:
        return bool(self._forms)

    def add(self, value: str) -> None:
        if not isinstance(value, str) or len(value.strip()) < self.minimum:
            return
        if value in self.values:
            return
        self.values.add(value)
        new = {f for f in forms(value) if len(f) >= self.minimum} - self._forms
        if new:
            self._forms |= new
            self._pattern = None

    def update(self, values: Iterable[str]) -> None:
        for value in values:
            self.add(value)

    def pattern(self) -> re.Pattern[str]:
        if self._pattern is None:
            ordered = sorted(self._forms, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(f) for f in ordered))
        return self._pattern

    def mask(self, text: str) -> str:
        if not self._forms or not text:
            return text
        return self.pattern().sub(REDACTED, text)

    def holds(self, text: str) -> bool:
        """Whether `text` shows any form of a secret value."""
        return bool(self._forms) and bool(text) and self.pattern().search(text) is not None


def mask_finding(finding: Finding, secrets: Secrets, fixes: bool = True) -> Finding:
    """The finding with every form of a secret value masked in its words (and, with `fixes`,
    in the text its fixes would write)."""
    if not secrets:
        return finding
    message, key, hint = (secrets.mask(t) for t in (finding.message, finding.key, finding.hint))
    fix = finding.fix
    if fixes and fix is not None:
        edits = tuple(e._replace(text=secrets.mask(e.text)) for e in fix.edits)
        fix = fix if edits == fix.edits else fix._replace(edits=edits)
    if (message, key, hint, fix) == (finding.message, finding.key, finding.hint, finding.fix):
        return finding
    return finding._replace(message=message, key=key, hint=hint, fix=fix)
