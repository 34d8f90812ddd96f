"""An API key is written in the config file.

## What it does
Reports an `api_key` whose value is a literal key (such as `sk-...`) rather than
`"EMPTY"`, an empty value, or a `${oc.env:VAR}` reference. The key itself is never printed:
at most its first characters.

## Why is this bad?
Config files are committed, shared and logged; a key written in one is leaked. NexRL itself
runs with it: a warning.

## Example
```yaml
service:
  inference_service:
    api_key: "sk-proj-abc123..."
```

## Use instead
```yaml
service:
  inference_service:
    api_key: "${oc.env:OPENAI_API_KEY}"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ._entries import entries

# NexRL runs with the key: a leak to fix, not a failure (the severity policy's warning).
SEVERITY = Severity.WARNING
SUMMARY = "An API key is written in the config file"
STAGE = "lint"

PLACEHOLDERS = {"", "empty", "none", "null", "dummy", "placeholder", "xxx", "your-api-key"}


def check(cfg: Config) -> Iterator[Report]:
    for entry in entries(cfg):
        if not entry.path.endswith("api_key"):
            continue
        raw = cfg.raw(entry.path)
        if not isinstance(raw, str) or "${" in raw or raw.strip().lower() in PLACEHOLDERS:
            continue
        yield cfg.report(
            f"api_key holds a literal key ({_prefix(raw)}); keys must not be written in "
            "config files",
            entry.path,
            'Read it from the environment: `api_key: "${oc.env:MY_API_KEY}"`.',
        )


def _prefix(key: str) -> str:
    shown = key[:3] if len(key) >= 12 else ""
    return f'"{shown}…", {len(key)} characters' if shown else f"{len(key)} characters"
