"""The inference service needs an `identifier` (or the older `model_tag`), from NexRL 1.2.

## What it does
Checks that `service.inference_service` sets `identifier` or `model_tag` to a non-empty
value. A value waiting on an unset variable counts as set.

## Why is this bad?
From NexRL 1.2 the weight-sync controller registers the inference service under this name,
and NexRL raises "service.inference_service must have either 'identifier' or 'model_tag'
field" at start-up when neither is given (an empty string counts as not given).

## Example
```yaml
service:
  inference_service:
    backend: sglang
    model: "Qwen/Qwen3-8B"
```

## Use instead
```yaml
service:
  inference_service:
    identifier: "default"
    backend: sglang
    model: "Qwen/Qwen3-8B"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ..layout import INFERENCE
from ..nexrl import IDENTIFIERS
from ._startup import tag, value, written_tags

SEVERITY = Severity.ERROR
SUMMARY = "The inference service needs an identifier (or model_tag)"
STAGE = "lint"
SINCE = IDENTIFIERS
NEXRL = "nexrl/utils/validate_config.py"


def check(cfg: Config) -> Iterator[Report]:
    if not isinstance(value(cfg, INFERENCE), dict) or tag(cfg, INFERENCE) is not None:
        return
    written = written_tags(cfg, INFERENCE)
    key = written[0] if written else f"{INFERENCE}.identifier"
    empty = "".join(f" ({k} is {cfg.show(k)})" for k in written)
    yield cfg.report(
        f"service.inference_service has neither an identifier nor a model_tag{empty}; NexRL "
        f"{cfg.version} raises 'service.inference_service must have either identifier or "
        "model_tag' at start-up",
        key,
        'Add `identifier: "default"` under `service.inference_service` (the same as the '
        "actor training service's identifier).",
        at="value" if written else "key",
    )
