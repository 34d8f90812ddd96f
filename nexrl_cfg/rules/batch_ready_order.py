"""`keep_batch_order` must fit `check_batch_ready_function`.

## What it does
Checks `data.keep_batch_order` against `trajectory_pool.check_batch_ready_function`: a
batch-ready check that waits for the loaded batch to finish (`loaded_batch_finished` or
`batch_size_reached_and_loaded_batch_finished`) needs `keep_batch_order: true`, and
`keep_batch_order: true` needs one of those two checks. The finding points at the value
written in the checked file when the other one comes from an included file (`common.yaml`),
else at `keep_batch_order` (or at the function, when the order is kept but the function
does not wait for loaded batches). Skipped when either value is unset or waits on an unset
environment variable.

## Why is this bad?
NexRL asserts both directions at start-up ("keep_batch_order must be true when
check_batch_ready_function needs loaded_batch_finished", "check_batch_ready_function must
contain loaded_batch_finished when keep_batch_order is true"): the run stops before training.

## Example
```yaml
data:
  keep_batch_order: false
trajectory_pool:
  check_batch_ready_function: "loaded_batch_finished"
```

## Use instead
```yaml
data:
  keep_batch_order: true
trajectory_pool:
  check_batch_ready_function: "loaded_batch_finished"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ._values import blame, flag_conflict, where

SEVERITY = Severity.ERROR
SUMMARY = "keep_batch_order must be true exactly when batch readiness waits for loaded batches"
STAGE = "lint"

KEEP = "data.keep_batch_order"
FUNCTION = "trajectory_pool.check_batch_ready_function"
WAITS_FOR_LOADED = ("loaded_batch_finished", "batch_size_reached_and_loaded_batch_finished")


def check(cfg: Config) -> Iterator[Report]:
    waits = flag_conflict(cfg, KEEP, FUNCTION, WAITS_FOR_LOADED)
    if waits is None:
        return
    if waits:
        at = blame(cfg, KEEP, FUNCTION)
        message = (
            f"keep_batch_order is false but check_batch_ready_function is "
            f"{cfg.show(FUNCTION)}, which waits for the loaded batch to finish; NexRL asserts "
            "keep_batch_order is true then"
        )
        hint = (
            "Set `keep_batch_order: true`, or use `check_batch_ready_function: batch_size_reached`."
        )
    else:
        at = blame(cfg, FUNCTION, KEEP)
        message = (
            f"keep_batch_order is true but check_batch_ready_function is "
            f"{cfg.show(FUNCTION)}; NexRL asserts it waits for loaded batches "
            f"({' or '.join(WAITS_FOR_LOADED)}) when the batch order is kept"
        )
        hint = (
            "Use `check_batch_ready_function: loaded_batch_finished`, or set "
            "`keep_batch_order: false`."
        )
    other = FUNCTION if at == KEEP else KEEP
    yield cfg.report(f"{message} ({other} at {where(cfg, other)})", at, hint)
