"""`--hydra-check`: compose the launched config with Hydra itself (see `_hydra`: confined to
the config folder) and report where Hydra and nexrl-cfg disagree.

- Hydra fails where nexrl-cfg composed without an error: an error (NexRL stops there).
- Hydra composes where nexrl-cfg found a composition error, or Hydra's config differs from
  nexrl-cfg's: a warning at the first value that differs (its kinds, never its text: a value
  may be secret), since nexrl-cfg's verdict may then not be NexRL's.
- A `hydra.searchpath` in the config or on the command line is a note: Hydra at launch reads
  more folders than this check (and nexrl-cfg) does.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .compose import Composed
from .finding import Finding, Severity, Span
from .output import Secrets
from .read import KeyPath, dotted
from .rules.defaults import ID as DEFAULTS
from .rules.duplicate_key import ID as DUPLICATE_KEY
from .rules.encoding import ID as ENCODING
from .rules.hydra_check import ID as RULE
from .rules.invalid_key import ID as INVALID_KEY
from .rules.override import ID as OVERRIDE
from .rules.too_complex import ID as TOO_COMPLEX
from .rules.yaml_syntax import ID as YAML_SYNTAX

# Composition findings that mean "Hydra stops" to nexrl-cfg.
_STOPS = (DEFAULTS, OVERRIDE, YAML_SYNTAX, DUPLICATE_KEY, INVALID_KEY, ENCODING)
MAX_MESSAGE = 300


def cross_check(
    composed: Composed, folder: Path, name: str, overrides: Sequence[str], secrets: Secrets
) -> list[Finding]:
    """The findings of composing config `name` of `folder` with Hydra, beside `composed`."""
    from ._hydra import compose

    here = Span(composed.path)
    if _unreadable(composed):
        return [
            _finding(
                "not composed with Hydra: nexrl-cfg could not read all of its files",
                here,
                Severity.INFO,
            )
        ]
    result = compose(folder, name, list(overrides))
    ours_failed = any(f.severity is Severity.ERROR and f.rule in _STOPS for f in composed.findings)
    findings = _searchpath(composed, overrides, here)
    if result.error is not None:
        if not ours_failed:
            findings.append(
                _finding(
                    f"Hydra refuses this config: {_clip(secrets.mask(result.error))}",
                    here,
                    Severity.ERROR,
                    "NexRL stops at launch; nexrl-cfg found no composition error (please "
                    "report the difference).",
                )
            )
        return findings
    if ours_failed:
        findings.append(
            _finding(
                "Hydra composes this config, where nexrl-cfg reports a composition error",
                here,
                Severity.WARNING,
                "Please report the difference, with the config if you can share it.",
            )
        )
        return findings
    differs = _difference(composed.data, result.data, ())
    if differs is not None:
        path, what = differs
        findings.append(
            _finding(
                f"Hydra composes '{dotted(path) or '(the root)'}' differently: {what}",
                composed.span(path),
                Severity.WARNING,
                "nexrl-cfg's checks may not be NexRL's here; please report the difference.",
                dotted(path),
            )
        )
    return findings


def _difference(ours: Any, hydra: Any, path: KeyPath) -> tuple[KeyPath, str] | None:
    """The first place where two composed configs differ, and how (never their text)."""
    if isinstance(ours, dict) and isinstance(hydra, dict):
        for key in hydra:
            if key not in ours:
                return (*path, key), "Hydra has this key, nexrl-cfg does not"
        for key in ours:
            if key not in hydra:
                return (*path, key), "nexrl-cfg has this key, Hydra does not"
            found = _difference(ours[key], hydra[key], (*path, key))
            if found is not None:
                return found
        if list(ours) != list(hydra):
            return path, "its keys come in another order"
        return None
    if isinstance(ours, list) and isinstance(hydra, list):
        if len(ours) != len(hydra):
            return path, f"a list of {len(hydra)} in Hydra, of {len(ours)} in nexrl-cfg"
        for index, (a, b) in enumerate(zip(ours, hydra, strict=True)):
            found = _difference(a, b, (*path, index))
            if found is not None:
                return found
        return None
    if type(ours) is not type(hydra) or ours != hydra:
        if ours != ours and hydra != hydra:  # both NaN
            return None
        return path, f"{_kind(hydra)} in Hydra, {_kind(ours)} in nexrl-cfg"
    return None


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "an interpolation" if "${" in value else "text"
    return f"a {type(value).__name__}"


def _searchpath(composed: Composed, overrides: Sequence[str], here: Span) -> list[Finding]:
    named = any(arg.lstrip("+~").startswith("hydra.searchpath") for arg in overrides)
    doc_lines = composed.lines.get(composed.path, [])
    written = any(line.strip().startswith("searchpath:") for line in doc_lines)
    if not (named or written):
        return []
    return [
        _finding(
            "hydra.searchpath is not followed: Hydra at launch also reads the folders it "
            "names, which neither this check nor nexrl-cfg reads",
            here,
            Severity.INFO,
        )
    ]


def _unreadable(composed: Composed) -> bool:
    return not composed.ok or any(
        f.rule in (TOO_COMPLEX, ENCODING) and f.severity is Severity.ERROR
        for f in composed.findings
    )


def _clip(text: str) -> str:
    text = " ".join(line.strip() for line in text.strip().splitlines()[:3])
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


def _finding(
    message: str, span: Span, severity: Severity, hint: str = "", key: str = ""
) -> Finding:
    return Finding(RULE, severity, message, span, key, hint)
