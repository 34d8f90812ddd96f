"""`data.batch_size` must not exceed `trajectory_pool.batch_size`.

## What it does
Compares the data loader's `data.batch_size` with `trajectory_pool.batch_size`. The finding
points at `data.batch_size`, or at the pool's batch size when only that one was written in
the checked file (an override of an included `common.yaml`). Skipped when either value is
unset or waits on an unset environment variable.

## Why is this bad?
The trajectory pool hands the trainer batches of `trajectory_pool.batch_size` trajectories
made from loaded batches of `data.batch_size` prompts; NexRL asserts "batch_size in
dataloader must be less than or equal to trajectory_pool.batch_size" at start-up.

## Example
```yaml
data:
  batch_size: 64
trajectory_pool:
  batch_size: 32
```

## Use instead
```yaml
data:
  batch_size: 32
trajectory_pool:
  batch_size: 256   # data.batch_size x rollout_repeat_n
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ._values import blame, where

SEVERITY = Severity.ERROR
SUMMARY = "data.batch_size must not exceed trajectory_pool.batch_size"
STAGE = "lint"

DATA = "data.batch_size"
POOL = "trajectory_pool.batch_size"


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check(cfg: Config) -> Iterator[Report]:
    if not (cfg.has(DATA) and cfg.has(POOL)):
        return
    data, pool = cfg.get(DATA), cfg.get(POOL)
    if not (_number(data) and _number(pool)) or data <= pool:
        return
    at = blame(cfg, DATA, POOL)
    other = POOL if at == DATA else DATA
    yield cfg.report(
        f"data.batch_size ({cfg.show(DATA)}) is larger than trajectory_pool.batch_size "
        f"({cfg.show(POOL)}); NexRL asserts it is not ({other} at {where(cfg, other)})",
        at,
        "Make trajectory_pool.batch_size at least data.batch_size (usually data.batch_size "
        "times data.rollout_repeat_n).",
    )
