"""`weight.sync_method: network` and the actor's `rollout.use_weight_provider` go together.

## What it does
When `weight.sync_method` is `network`, checks that the actor's
`actor.rollout.use_weight_provider` is true (`service.train_service.actor.rollout`, or
`service.train_service.<name>.actor.rollout` for the actor service of the nested layout).
It defaults to false, so a missing key is reported too, at the nearest section written.
Conversely, with `weight.sync_method: disk`, the actor of NexTrainer's workers must not use
the weight provider.

## Why is this bad?
Network weight sync pulls the weights from the trainer's weight provider; NexRL asserts
"When weight sync_method is 'network', rollout.use_weight_provider must be set to true" at
start-up. (Network sync also needs NexRL's internal weight-provider package; use
`sync_method: disk` without it.) With the weight provider on, NexTrainer hands every
weight-sync save to it and writes no weights to the sync path, so a disk sync has nothing to
load at the first weight sync (and without the internal package the workers do not start).

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
Turn the weight provider on for the actor (or sync through the disk):
```yaml
# service.train_service.actor.rollout
use_weight_provider: true
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ..resolve import Unknown
from ._services import updated_service
from ._values import where

SEVERITY = Severity.ERROR
SUMMARY = "weight.sync_method network and actor.rollout.use_weight_provider go together"
STAGE = "lint"
NEXRL = (
    "nexrl/utils/validate_config.py:92-105@v1.0.0, :225-238@v1.4.0 (network needs the provider); "
    "nexrl/train_service_backend/utils/checkpoint_manager.py:303-312,534-600 (the provider "
    "takes every save at global_step 0, the one weight sync uses)"
)

SYNC = "weight.sync_method"


def check(cfg: Config) -> Iterator[Report]:
    if cfg.get(SYNC, None) == "disk":
        yield from _disk(cfg)
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
        at="written",
    )


def _disk(cfg: Config) -> Iterator[Report]:
    service = updated_service(cfg)
    key = f"{service}.actor.rollout.use_weight_provider"
    if service is None or cfg.get(key, None) is not True:
        return
    yield cfg.report(
        f'use_weight_provider is true but weight.sync_method is "disk" ({where(cfg, SYNC)}): '
        "NexTrainer hands every weight-sync save to its weight provider (NexRL's internal "
        "north_checkpoint) and writes no weights for the disk sync to load",
        key,
        "Set `use_weight_provider: false`, or use `sync_method: network` with the weight "
        "provider installed.",
    )
