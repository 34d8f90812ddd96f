"""`max_tokens` must equal `data.max_response_length`.

## What it does
Compares `service.inference_service.max_tokens` with `data.max_response_length`. When both
come from the same unset environment variable they are equal; when only one is known the
check is skipped.

## Why is this bad?
NexRL asserts `max_response_length must be equal to max_tokens` at start-up: the run stops
after the cluster has been allocated.

## Example
```yaml
data:
  max_response_length: 8192
service:
  inference_service:
    max_tokens: 4096
```

## Use instead
```yaml
data:
  max_response_length: 8192
service:
  inference_service:
    max_tokens: ${data.max_response_length}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..config import Config
from ..finding import Fix, Report, Severity
from ..layout import INFERENCE
from ..resolve import Unknown
from ._values import differ, section_present

if TYPE_CHECKING:
    from ..fix.library import Files

SEVERITY = Severity.ERROR
SUMMARY = "max_tokens must equal data.max_response_length"
STAGE = "lint"

TOKENS = f"{INFERENCE}.max_tokens"
RESPONSE = "data.max_response_length"


def check(cfg: Config) -> Iterator[Report]:
    if not section_present(cfg, INFERENCE):
        return
    key = TOKENS
    tokens = cfg.get(key)
    length = cfg.get(RESPONSE)
    if not differ(tokens, length):
        return
    if not all(isinstance(v, Unknown) or type(v) is int for v in (tokens, length)):
        return  # a value of the wrong type is reported by invalid-type
    yield cfg.report(
        f"max_tokens ({cfg.show(key)}) differs from data.max_response_length "
        f"({cfg.show('data.max_response_length')}); NexRL asserts they are equal at start-up",
        key,
        "Write `max_tokens: ${data.max_response_length}`.",
    )


def fix(cfg: Config, report: Report, files: Files) -> Fix | None:
    """`max_tokens` made `${data.max_response_length}`."""
    from ..fix.library import reference

    return reference(cfg, files, report.key, RESPONSE)
