"""`keep_batch_order` must be true exactly in the `sync` and `batch-async` weight modes.

## What it does
Checks `data.keep_batch_order` against `weight.sync_mode`: it must be `true` when the mode
is `sync` or `batch-async`, and `false` when it is `fully-async`. The finding points at
`keep_batch_order`, or at `sync_mode` when only that one was written in the checked file
(an override of an included `common.yaml`). Skipped when either value is unset or waits on
an unset environment variable.

## Why is this bad?
In the batch-wise modes the trainer consumes whole loaded batches in order; fully
asynchronous training does not. NexRL asserts "keep_batch_order must be true when
sync_mode is sync or batch-async" (and false otherwise) at start-up.

## Example
```yaml
data:
  keep_batch_order: false
weight:
  sync_mode: "sync"
```

## Use instead
```yaml
data:
  keep_batch_order: true
weight:
  sync_mode: "sync"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ._values import blame, flag_conflict, where

SEVERITY = Severity.ERROR
SUMMARY = "keep_batch_order must be true exactly when weight.sync_mode is sync or batch-async"
STAGE = "lint"

KEEP = "data.keep_batch_order"
MODE = "weight.sync_mode"
ORDERED_MODES = ("sync", "batch-async")


def check(cfg: Config) -> Iterator[Report]:
    ordered = flag_conflict(cfg, KEEP, MODE, ORDERED_MODES)
    if ordered is None:
        return
    at = blame(cfg, KEEP, MODE)
    other = MODE if at == KEEP else KEEP
    if ordered:
        message = f"keep_batch_order is false but weight.sync_mode is {cfg.show(MODE)}"
        hint = "Set `keep_batch_order: true`, or use `sync_mode: fully-async`."
    else:
        message = f"keep_batch_order is true but weight.sync_mode is {cfg.show(MODE)}"
        hint = "Set `keep_batch_order: false`, or use `sync_mode: sync` (or batch-async)."
    yield cfg.report(
        f"{message}; NexRL asserts keep_batch_order is true exactly when sync_mode is sync or "
        f"batch-async ({other} at {where(cfg, other)})",
        at,
        hint,
    )
