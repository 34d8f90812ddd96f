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

from ..config import Config, show_value
from ..finding import Report, Severity
from ..validate import did_you_mean, options

SEVERITY = Severity.ERROR
SUMMARY = "A value is not one of the values its option allows"
STAGE = "validate"


def check(cfg: Config) -> Iterator[Report]:
    for opt, entry in options(cfg):
        if not opt.choices or entry.value in opt.choices:
            continue
        if entry.value is None and opt.nullable:
            continue
        if isinstance(entry.value, (dict, list)):
            continue  # a type problem, reported by invalid-type
        allowed = ", ".join(show_value(c) for c in opt.choices)
        hint = did_you_mean(str(entry.value), [str(c) for c in opt.choices if c != ""])
        yield cfg.report(
            f"'{opt.name}' is {cfg.show(entry.path)}, which is not one of: {allowed}",
            entry.path,
            hint or f"Use one of: {allowed}.",
        )
