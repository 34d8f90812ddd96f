"""The training backend: `mock` trains nothing.

## What it does
Notes (info) a training service with `backend: mock`, the mock trainer for testing
(`service.train_service.backend`, or a named service's `backend`). The options a NexTrainer
backend needs are checked by `missing-required`.

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
A backend that trains, in NexRL 1.4's layout (`missing-required` says what else it needs):
```yaml
service:
  train_service:
    main_actor:
      role: actor
      backend: direct-zmq
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ..nexrl import DIRECT_ZMQ, at_least

SEVERITY = Severity.INFO
SUMMARY = "The mock training backend trains nothing"
STAGE = "lint"
NOTE = ("mock training backend", "mock training backends")


def check(cfg: Config) -> Iterator[Report]:
    for service in cfg.layout.train_services:
        key = f"{service}.backend"
        if cfg.get(key, None) == "mock":
            yield cfg.report(
                f"{service.rsplit('.', 1)[-1]} uses the mock backend: nothing will be trained",
                key,
                f"Use a NexTrainer backend (`{_nextrainer(cfg)}`) with its url for a real run.",
            )


def _nextrainer(cfg: Config) -> str:
    """The NexTrainer backend to name at the config's version (`http` is deprecated from
    DIRECT_ZMQ on)."""
    return "direct-zmq" if at_least(cfg.version, DIRECT_ZMQ) else "http"
