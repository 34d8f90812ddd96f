"""A value is not one of the values its option allows.

## What it does
Checks options with a fixed set of values (`backend`, `weight_type`, `checkpoint_manager`,
`warmup_style`, ...) and suggests the closest allowed value.

## Why is this bad?
NexRL picks the service implementation by these names; a typo such as `backend: sglan`
fails only when the service is created, after the cluster has been allocated.

## Example
```yaml
service:
  inference_service:
    backend: sglan
```

## Use instead
```yaml
service:
  inference_service:
    backend: sglang
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..catalogue import Option
from ..config import Config, show_value
from ..finding import Fix, Report, Severity
from ._entries import did_you_mean, freed, not_freed_because, null_allowed, options, weaker

if TYPE_CHECKING:
    from ..fix.library import Files

SEVERITY = Severity.ERROR
SUMMARY = "A value is not one of the values its option allows"
STAGE = "validate"


def check(cfg: Config) -> Iterator[Report]:
    for opt, entry in options(cfg):
        if not opt.choices or isinstance(entry.value, dict):
            continue
        if null_allowed(cfg, opt, entry):
            continue
        values = entry.value if isinstance(entry.value, list) else [entry.value]
        if isinstance(entry.value, list) and opt.type != "string-or-list":
            continue  # a type problem, reported by invalid-type
        wrong = [
            index
            for index, value in enumerate(values)
            if not (value in opt.choices or isinstance(value, (dict, list)))
        ]
        if not wrong or freed(cfg, opt, entry.path.rpartition(".")[0]):
            continue  # a custom module takes any name
        for index in wrong:
            key = f"{entry.path}.{index}" if isinstance(entry.value, list) else entry.path
            yield _report(cfg, opt, key, entry.path)


def _report(cfg: Config, opt: Option, key: str, path: str) -> Report:
    allowed = ", ".join(show_value(c) for c in opt.choices)
    hint = did_you_mean(str(cfg.get(key)), [str(c) for c in opt.choices if c != ""])
    severity: Severity | None
    if opt.loose_choices:
        severity, effect = Severity.WARNING, "; NexRL does not stop, but treats it as none of them"
    else:
        severity, effect = weaker(cfg, opt, path)
    why = not_freed_because(cfg, opt, path.rpartition(".")[0])
    if why is not None:
        effect += f" ({why}: NexRL looks the name up)"
    return cfg.report(
        f"'{opt.name}' is {cfg.show(key)}, which is not one of: {allowed}{effect}",
        key,
        hint or f"Use one of: {allowed}.",
        severity=severity,
    )


def fix(cfg: Config, report: Report, files: Files) -> Fix | None:
    """A misspelt literal value a typo away from exactly one allowed value is replaced by it;
    by the value that replaces it when that value is deprecated (`deprecated_choices`: the
    deprecated rule's fix would replace it again)."""
    from ..fix.library import literal, one_match, option_at

    opt = option_at(cfg, report.key)
    found = literal(cfg, files, report.key)
    if opt is None or found is None:
        return None
    match = one_match(found.text, [str(c) for c in opt.choices if isinstance(c, str) and c], 0.6)
    if match is None:
        return None
    new = dict(opt.deprecated_choices).get(match, match)
    return found.replaced(new) if isinstance(new, str) else None
