"""Reading values for a rule without tripping over what cannot be known before launch: whether
a value is known, whether two values certainly differ or a flag disagrees with what needs
it, which of two keys to blame and where a key was written, for a message.

Not a rule (its name starts with `_`): the lint rules share it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..config import ABSENT, Config
from ..nexrl import VERSIONS
from ..resolve import Unknown


def known(*values: Any) -> bool:
    """True when every value is present and not waiting on an unset variable."""
    return all(v is not ABSENT and not isinstance(v, Unknown) for v in values)


def differ(a: Any, b: Any) -> bool:
    """Whether `a` and `b` certainly differ. A value waiting on unset variables differs from
    a known text only when no value of those variables could make them equal
    (`${oc.env:EXPERIMENT_PATH}/sync_weight` is never "/tmp/other"); of two such values
    nothing is said (two different variables may well hold the same value)."""
    if a is ABSENT or b is ABSENT:
        return False
    if isinstance(a, Unknown) and isinstance(b, Unknown):
        return False
    if isinstance(b, Unknown):
        a, b = b, a
    if isinstance(a, Unknown):
        return isinstance(b, str) and not _could_be(a, b)
    return bool(a != b)


def _could_be(unknown: Unknown, text: str) -> bool:
    """Whether some values of the unset variables make `unknown` read `text`."""
    parts = unknown.token.split("\x00")
    # Even parts are literal text, odd parts markers: `env:VAR` stands for any text, anything
    # else (an error, a cycle) for a value that is not known at all.
    if any(not marker.startswith("env:") for marker in parts[1::2]):
        return True
    pattern = ".*".join(re.escape(literal) for literal in parts[0::2])
    return re.fullmatch(pattern, text, re.S) is not None


def flag_conflict(cfg: Config, flag: str, key: str, needing: tuple[str, ...]) -> bool | None:
    """For a boolean `flag` that must be true exactly when the string at `key` is one of
    `needing` (`data.keep_batch_order` and what waits for loaded batches): where they
    disagree, whether `key` needs the flag (True) or not (False); None where they agree, or
    either is unset, waits on an unset variable or has the wrong type (reported elsewhere)."""
    if not (cfg.has(flag) and cfg.has(key)):
        return None
    on, chosen = cfg.get(flag), cfg.get(key)
    if not isinstance(on, bool) or not isinstance(chosen, str):
        return None
    needs = chosen in needing
    return None if needs == on else needs


def section_present(cfg: Config, dotted: str) -> bool:
    return isinstance(cfg.get(dotted, None), dict)


def _written_in_entry(cfg: Config, dotted: str) -> bool:
    """Whether the value at `dotted` was written in the checked file itself (not a default)."""
    return cfg.has(dotted) and cfg.span(dotted).file == cfg.path


def blame(cfg: Config, primary: str, other: str) -> str:
    """Of two values that disagree, the one a user would change: the one written in the
    checked file when only one of them is (an override of an included file), else `primary`."""
    if not cfg.has(primary):
        return other if cfg.has(other) else primary
    if _written_in_entry(cfg, other) and not _written_in_entry(cfg, primary):
        return other
    return primary


def where(cfg: Config, dotted: str) -> str:
    """Where a value was written, for a message about another key: `file.yaml:12`."""
    if not cfg.has(dotted):
        return "not set"
    span = cfg.span(dotted)
    return f"{Path(span.file).name}:{span.line}"


_ENV_VARIABLE = re.compile(r"\$\{oc\.env:([A-Za-z_][A-Za-z0-9_]*)")


def env_variable(cfg: Config, dotted: str) -> str | None:
    """The environment variable the value written at `dotted` reads, when it reads one: a hint
    then names the variable to set, never the `${oc.env:...}` already written."""
    raw = cfg.raw(dotted) if cfg.has(dotted) else None
    found = _ENV_VARIABLE.search(raw) if isinstance(raw, str) else None
    return found.group(1) if found else None


def at_tag(version: str, lines: tuple[str, ...]) -> str:
    """NexRL's source line for `version`, from `lines` given for each of VERSIONS in order,
    written as `LINE@vX.Y.0` (the release tag)."""
    return f"{lines[VERSIONS.index(version)]}@v{version}.0"
