"""A key is not a known option of its section.

## What it does
Reports keys inside documented sections (`service`, `inference_service`, `train_service`,
`actor`, `model`, `optim`, `fsdp_config`, ...) that are not options there at the NexRL
version checked for, suggesting the closest known name; and a top-level key that looks like
a misspelt section (`sevice`). A key another NexRL version reads says so: "added in NexRL
1.4" (checked for an older version), or "no longer read since NexRL 1.4" with what replaces
it. Keys in open sections, which NexRL hands on untouched, are not reported.

## Why is this bad?
NexRL ignores keys it does not read: `max_retry: 5` leaves `max_retries` at its default and
nothing tells you.

## Example
```yaml
service:
  inference_service:
    max_retry: 5
```

## Use instead
```yaml
service:
  inference_service:
    max_retries: 5
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .. import catalogue
from ..catalogue import version_key
from ..config import Config
from ..finding import Fix, Report, Severity
from ..read import SECRET_KEYS
from ._entries import entries, missing_required, need_words, suggest

if TYPE_CHECKING:
    from ..fix.library import Files

SEVERITY = Severity.WARNING
SUMMARY = "A key is not a known option of its section"
STAGE = "validate"
NOTE = (
    "key NexRL's recipes write that no version reads",
    "keys NexRL's recipes write that no version reads",
)


def check(cfg: Config) -> Iterator[Report]:
    for entry in entries(cfg):
        if entry.spec is not None:
            # One warning for a block NexRL never reads, at its outermost key.
            if entry.spec.unread and not (entry.parent is not None and entry.parent.unread):
                yield _unread(cfg, entry.path)
            continue
        if entry.parent is not None and not entry.parent.closed:
            continue
        other = _other_version(cfg, entry.path)
        if other is not None:
            yield _elsewhere(cfg, entry.path, *other)
        elif entry.parent is None:
            yield from _top_level(cfg, entry.path)
        else:
            yield _unknown(cfg, entry.path, entry.parent.path, entry.parent.name)


def _unread(cfg: Config, path: str) -> Report:
    name = path.rsplit(".", 1)[-1]
    return cfg.report(
        f"'{name}' is read by no NexRL version (NexRL's own recipes write it); it has no effect",
        path,
        f"Remove `{name}`, or see `nexrl-cfg explain {cfg.layout.spec_path(path)}`.",
        at="key",
        # NexRL's own recipes write it: a note, not a warning on every copy of a recipe.
        severity=Severity.INFO,
    )


def _other_version(cfg: Config, path: str) -> tuple[str, str, str] | None:
    """(how, version, replacement) when another NexRL version reads the key: "added" with the
    first version that does, or "removed" with the first that no longer does."""
    found = catalogue.history(cfg.layout.spec_path(path))
    if not found:
        return None
    now = version_key(cfg.version)
    later = [e for e in found if version_key(e.added) > now]
    if later:
        return "added", later[0].added, ""
    gone = [e for e in found if e.removed is not None and version_key(e.removed) <= now]
    if gone:
        return "removed", gone[-1].removed or "", gone[-1].replaced_by
    return None


def _elsewhere(cfg: Config, path: str, how: str, version: str, replacement: str) -> Report:
    name = path.rsplit(".", 1)[-1]
    if how == "added":
        message = (
            f"'{name}' is read from NexRL {version} on, not by NexRL {cfg.version}; "
            f"NexRL {cfg.version} ignores it (added in NexRL {version})"
        )
        hint = f"Remove it, or check the config for NexRL {version} or later."
    else:
        use = f"; use {replacement}" if replacement else ""
        message = (
            f"'{name}' is no longer read since NexRL {version}{use}; NexRL {cfg.version} ignores it"
        )
        hint = f"Write {replacement} in its place." if replacement else "Remove it."
    return cfg.report(message, path, hint, at="key")


def _top_level(cfg: Config, path: str) -> Iterator[Report]:
    match = suggest(path, cfg.catalogue.top_level_names(), cutoff=0.75)
    if match:
        message = f"unknown top-level key '{path}'"
        yield _typo(cfg, path, "", match, message) or cfg.report(
            message, path, f"Did you mean '{match}'?", at="key"
        )


def _unknown(cfg: Config, path: str, parent: str, parent_name: str) -> Report:
    name = path.rsplit(".", 1)[-1]
    known = sorted(cfg.catalogue.children(parent))
    match = suggest(name, known)
    message = f"unknown option '{name}' in '{parent}'; NexRL ignores it"
    typo = _typo(cfg, path, path.rpartition(".")[0], match, message) if match else None
    if typo is not None:
        return typo
    hint = (
        f"Did you mean '{match}'?"
        if match
        else (f"Known options of '{parent_name}': {', '.join(known)}.")
    )
    return cfg.report(message, path, hint, at="key")


def _typo(cfg: Config, path: str, section: str, match: str, message: str) -> Report | None:
    """The misspelt key's error when the name it stands for is required and missing: one
    finding, here, for both (`missing-required` stands down; see `rules.run`)."""
    spec = missing_required(cfg, section, match)
    if spec is None:
        return None
    missing = f"{section}.{match}" if section else match
    return cfg.report(
        f"{message}, so the required {missing} is missing{need_words(spec)}",
        path,
        f"Did you mean '{match}'?",
        at="key",
        severity=Severity.ERROR,
        covers=missing,
    )


def fix(cfg: Config, report: Report, files: Files) -> Fix | None:
    """A misspelt key a typo away from exactly one known name of its section (one not set
    beside it) is renamed; to the name that replaces it when that name is deprecated (the
    deprecated rule's fix would rename it again, or leave it beside its replacement); a key
    that holds a secret, or will, is left to the user."""
    from ..fix.library import one_match, rename_key, replacement, untouchable

    parent, _, name = report.key.rpartition(".")
    section = cfg.layout.spec_path(parent) if parent else ""
    if parent:
        match = one_match(name, sorted(cfg.catalogue.children(section)), 0.6)
    else:
        match = one_match(name, cfg.catalogue.top_level_names(), 0.75)
    if match is not None:
        # Never a name the deprecated rule's fix would rename again: its replacement.
        match = replacement(cfg, f"{section}.{match}" if section else match) or match
    if match is None or cfg.has(f"{parent}.{match}" if parent else match):
        return None
    if match in SECRET_KEYS or untouchable(cfg, report.key):
        return None
    return rename_key(cfg, files, report.key, match)
