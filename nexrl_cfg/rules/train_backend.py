"""The training backend: `mock` trains nothing.

## What it does
Notes (info) a `service.train_service.backend: mock`, the mock trainer for testing. The
options an `http` (NexTrainer) backend needs, `url` and `world_size`, are checked by
`missing-required`.

## Why is this bad?
A mock trainer is right for a dry run and wrong for a real one: the run completes and
nothing is trained.

## Example
```yaml
service:
  train_service:
    backend: mock
```

## Use instead
```yaml
service:
  train_service:
    backend: http
    world_size: 8
    url: "http://${oc.env:API_SERVER_URL}:8000"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ..layout import TRAIN

SEVERITY = Severity.INFO
SUMMARY = "The mock training backend trains nothing"
STAGE = "lint"


def check(cfg: Config) -> Iterator[Report]:
    key = f"{TRAIN}.backend"
    if cfg.get(key, None) == "mock":
        yield cfg.report(
            "train_service uses the mock backend: nothing will be trained",
            key,
            "Use `backend: http` with url and world_size for a real run.",
        )
