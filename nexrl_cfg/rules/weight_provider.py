"""`weight.sync_method: network` needs the actor's `rollout.use_weight_provider: true`.

## What it does
When `weight.sync_method` is `network`, checks that the actor's
`actor.rollout.use_weight_provider` is true (`service.train_service.actor.rollout`, or
`service.train_service.<name>.actor.rollout` for the actor service of the nested layout).
It defaults to false, so a missing key is reported too, at the nearest section written.

## Why is this bad?
Network weight sync pulls the weights from the trainer's weight provider; NexRL asserts
"When weight sync_method is 'network', rollout.use_weight_provider must be set to true" at
start-up. (Network sync also needs NexRL's internal weight-provider package; use
`sync_method: disk` without it.)

## Example
```yaml
weight:
  sync_method: "network"
service:
  train_service:
    actor:
      rollout:
        use_weight_provider: false
```

## Use instead
```yaml
weight:
  sync_method: "network"
service:
  train_service:
    actor:
      rollout:
        use_weight_provider: true
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ..resolve import Unknown
from ._values import where

SEVERITY = Severity.ERROR
SUMMARY = "weight.sync_method network needs actor.rollout.use_weight_provider: true"
STAGE = "lint"

SYNC = "weight.sync_method"


def check(cfg: Config) -> Iterator[Report]:
    if cfg.get(SYNC, None) != "network":
        return
    service = cfg.layout.actor
    if service is None:
        return
    key = f"{service}.actor.rollout.use_weight_provider"
    value = cfg.get(key, False)
    if isinstance(value, Unknown) or value:
        return
    state = f"is {cfg.show(key)}" if cfg.has(key) else "is not set (false by default)"
    yield cfg.report(
        f'use_weight_provider {state} but weight.sync_method is "network" '
        f"({where(cfg, SYNC)}); NexRL asserts the actor's rollout uses the weight provider",
        key,
        "Set `use_weight_provider: true` under the actor's `rollout`, or use `sync_method: disk`.",
        at="value" if cfg.has(key) else "key",
    )
