"""`trainer.sync_weight_path` must equal `weight.sync_weight_path` and not be empty.

## What it does
When `trainer.sync_weight_path` is set (not null), checks that `weight.sync_weight_path`
is the same path and that it is not the empty string. Two values that come from the same
unset environment variable (`${oc.env:EXPERIMENT_PATH}/sync_weight` and
`${trainer.sync_weight_path}`) are equal; one that cannot be known is not compared. The
mismatch is reported at `weight.sync_weight_path`, or at `trainer.sync_weight_path` when
only that one was written in the checked file. From NexRL 1.4, runs whose weights are
synchronised by a Tinker or Weaver service (`weight.sync_method: tinker` / `weaver`) are
skipped, as NexRL skips them; NexRL 1.0 to 1.3 check every run.

## Why is this bad?
The trainer writes the weights to its path and the weight-sync controller reads them from
its own: NexRL asserts "sync_weight_path must be the same for trainer and weight sync" and
"sync_weight_path must not be empty" at start-up.

## Example
```yaml
trainer:
  sync_weight_path: "${oc.env:EXPERIMENT_PATH}/sync_weight"
weight:
  sync_method: "disk"
  sync_weight_path: "/tmp/sync_weight"
```

## Use instead
```yaml
trainer:
  sync_weight_path: "${oc.env:EXPERIMENT_PATH}/sync_weight"
weight:
  sync_method: "disk"
  sync_weight_path: ${trainer.sync_weight_path}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..config import Config
from ..finding import Fix, Report, Severity
from ..nexrl import REMOTE_BACKENDS, SYNC_PATH_SELF_HOSTED_ONLY, at_least
from ._values import blame, differ, where

if TYPE_CHECKING:
    from ..fix.library import Files

SEVERITY = Severity.ERROR
SUMMARY = "trainer.sync_weight_path must equal weight.sync_weight_path and not be empty"
STAGE = "lint"
NEXRL = "nexrl/utils/validate_config.py"

TRAINER = "trainer.sync_weight_path"
WEIGHT = "weight.sync_weight_path"


def check(cfg: Config) -> Iterator[Report]:
    trainer = cfg.get(TRAINER, None)
    if trainer is None:
        return
    remote = cfg.get("weight.sync_method", None) in REMOTE_BACKENDS
    if remote and at_least(cfg.version, SYNC_PATH_SELF_HOSTED_ONLY):
        return
    if trainer == "":
        yield cfg.report(
            "trainer.sync_weight_path is empty; NexRL asserts it is a path when it is set",
            TRAINER,
            'Give a directory, e.g. `sync_weight_path: "${oc.env:EXPERIMENT_PATH}/sync_weight"`,'
            " or remove the key.",
        )
    weight = cfg.get(WEIGHT)
    if not cfg.has(WEIGHT):
        yield cfg.report(
            f"weight.sync_weight_path is not set but trainer.sync_weight_path is "
            f"({TRAINER} at {where(cfg, TRAINER)}); NexRL asserts they are the same",
            WEIGHT,
            "Add `sync_weight_path: ${trainer.sync_weight_path}` under `weight`.",
            at="key",
        )
        return
    if not differ(trainer, weight):
        # Equal, or possibly equal once the unset variables are set at launch.
        return
    at = blame(cfg, WEIGHT, TRAINER)
    other = TRAINER if at == WEIGHT else WEIGHT
    yield cfg.report(
        f"weight.sync_weight_path ({cfg.show(WEIGHT)}) differs from trainer.sync_weight_path "
        f"({cfg.show(TRAINER)}); NexRL asserts they are the same ({other} at "
        f"{where(cfg, other)})",
        at,
        "Write `sync_weight_path: ${trainer.sync_weight_path}` under `weight`.",
        data=other,
    )


def fix(cfg: Config, report: Report, files: Files) -> Fix | None:
    """Of two paths that differ, the one blamed made a reference to the other (`report.data`)."""
    from ..fix.library import reference

    return None if report.data is None else reference(cfg, files, report.key, report.data)
