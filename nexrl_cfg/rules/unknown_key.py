"""A key is not a known option of its section.

## What it does
Reports keys inside documented sections (`service`, `inference_service`, `train_service`,
`actor`, `model`, `optim`, `fsdp_config`, ...) that are not options there, suggesting the
closest known name; and a top-level key that looks like a misspelt section (`sevice`).

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

from ..config import Config
from ..finding import Report, Severity
from ..validate import entries, suggest

SEVERITY = Severity.WARNING
SUMMARY = "A key is not a known option of its section"
STAGE = "validate"


def check(cfg: Config) -> Iterator[Report]:
    for entry in entries(cfg):
        if entry.spec is not None:
            continue
        name = entry.path.rsplit(".", 1)[-1]
        if entry.parent is None:
            match = suggest(name, cfg.catalogue.top_level_names(), cutoff=0.75)
            if match:
                yield cfg.report(
                    f"unknown top-level key '{name}'",
                    entry.path,
                    f"Did you mean '{match}'?",
                    at="key",
                )
            continue
        if not entry.parent.closed:
            continue
        known = sorted(cfg.catalogue.children(entry.parent.path))
        match = suggest(name, known)
        hint = (
            f"Did you mean '{match}'?"
            if match
            else (f"Known options of '{entry.parent.name}': {', '.join(known)}.")
        )
        yield cfg.report(
            f"unknown option '{name}' in '{entry.parent.path}'; NexRL ignores it",
            entry.path,
            hint,
            at="key",
        )
