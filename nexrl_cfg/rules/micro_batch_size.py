"""`ppo_micro_batch_size` must not exceed `ppo_mini_batch_size`, and should divide it.

## What it does
Compares the actor's `ppo_micro_batch_size` with its `ppo_mini_batch_size`. A micro-batch
larger than the mini-batch is an error; one that does not divide it is a warning.

## Why is this bad?
A mini-batch is processed as micro-batches with gradient accumulation. A micro-batch larger
than the mini-batch makes no sense to the trainer; a remainder leaves a short last
micro-batch, so gradient accumulation does not take whole, equal steps.

## Example
```yaml
service:
  train_service:
    actor:
      ppo_mini_batch_size: 28
      ppo_micro_batch_size: 8
```

## Use instead
```yaml
service:
  train_service:
    actor:
      ppo_mini_batch_size: 28
      ppo_micro_batch_size: 4
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ..lint import train_services

SEVERITY = Severity.ERROR
SUMMARY = "ppo_micro_batch_size must not exceed ppo_mini_batch_size and should divide it"
STAGE = "lint"


def _positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def check(cfg: Config) -> Iterator[Report]:
    for service in train_services(cfg):
        yield from _check_actor(cfg, f"{service}.actor")


def _check_actor(cfg: Config, actor: str) -> Iterator[Report]:
    mini_key, micro_key = f"{actor}.ppo_mini_batch_size", f"{actor}.ppo_micro_batch_size"
    mini, micro = cfg.get(mini_key), cfg.get(micro_key)
    if not (_positive_int(mini) and _positive_int(micro)):
        return
    if micro > mini:
        yield cfg.report(
            f"ppo_micro_batch_size ({micro}) is larger than ppo_mini_batch_size ({mini})",
            micro_key,
            f"Use a micro-batch size that divides {mini}, e.g. {_divisor(mini, micro)}.",
        )
    elif mini % micro:
        yield cfg.report(
            f"ppo_micro_batch_size ({micro}) does not divide ppo_mini_batch_size ({mini}): "
            "gradient accumulation needs whole steps",
            micro_key,
            f"Use a micro-batch size that divides {mini}, e.g. {_divisor(mini, micro)}.",
            severity=Severity.WARNING,
        )


def _divisor(mini: int, near: int) -> int:
    return max(d for d in range(1, min(mini, near) + 1) if mini % d == 0)
