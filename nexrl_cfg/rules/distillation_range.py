"""The token ranges of the on-policy distillation update must be ordered fractions.

## What it does
For the student of a `self_hosted_opd` run (the service with `role: actor`, on NexTrainer),
checks the three ranges its distillation update selects tokens by, each a start and an end
fraction on the student's `actor` (NexRL's recipe fills them from `trainer.*`):
`train_token_start_pct`/`train_token_end_pct` (position in the response),
`advantage_start_pct`/`advantage_end_pct` and `entropy_start_pct`/`entropy_end_pct`
(percentiles). A range selects only when its start is above 0 or its end below 1; then:

- both ends must lie in [0, 1];
- the position range must have its start below its end;
- a percentile range whose start is above its end selects no token (a warning: the update
  then trains nothing).

## Why is this bad?
At the first training step NexTrainer asserts "start_pct must be in [0, 1]" and
"start_pct (...) must be < end_pct (...)" for the position range, and `torch.quantile` raises
"quantile() q values must be in the range [0, 1]" for a percentile outside it.

## Example
```yaml
trainer:
  type: self_hosted_opd
service:
  train_service:
    student:
      role: actor
      actor:
        train_token_start_pct: 0.8
        train_token_end_pct: 0.5
```

## Use instead
The start below the end:
```yaml
# service.train_service.student.actor
train_token_start_pct: 0.5
train_token_end_pct: 0.8
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ..layout import TRAINER
from ..nexrl import SELF_HOSTED_OPD
from ._services import updated_service
from ._values import where

SEVERITY = Severity.ERROR
SUMMARY = "The distillation update's token ranges must be ordered fractions in [0, 1]"
STAGE = "lint"
SINCE = SELF_HOSTED_OPD
NEXRL = (
    "nexrl/train_service_backend/fsdp_worker/fsdp_actor.py:380-389@v1.2.0 (read from the "
    "actor); nexrl/train_service_backend/utils/core_algos.py:448-505,706-708@v1.2.0, "
    "453-505,711-713@v1.4.0 (the asserts and torch.quantile)"
)

# (name, whether start must stay below end: the position range asserts it)
RANGES = (("train_token", True), ("advantage", False), ("entropy", False))


def check(cfg: Config) -> Iterator[Report]:
    if cfg.get(f"{TRAINER}.type", None) != "self_hosted_opd":
        return
    service = updated_service(cfg)
    if service is None:
        return
    for name, ordered in RANGES:
        yield from _range(cfg, f"{service}.actor.{name}", ordered)


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _range(cfg: Config, prefix: str, ordered: bool) -> Iterator[Report]:
    keys = (f"{prefix}_start_pct", f"{prefix}_end_pct")
    start, end = (cfg.get(k, d) for k, d in zip(keys, (0.0, 1.0), strict=True))
    if not (_number(start) and _number(end)) or not (start > 0 or end < 1):
        return  # unknown, a type problem, or a range that selects nothing
    outside = [(k, v) for k, v in zip(keys, (start, end), strict=True) if not 0 <= v <= 1]
    for key, _ in outside:
        yield cfg.report(
            f"{key.rsplit('.', 1)[-1]} is {cfg.show(key)}, outside [0, 1]: the distillation "
            "update fails on it at the first training step",
            key,
            "Use a fraction from 0 to 1.",
        )
    if outside or start < end or (start == end and not ordered):
        return
    short = [k.rsplit(".", 1)[-1] for k in keys]
    if ordered:
        yield cfg.report(
            f"{short[0]} {cfg.show(keys[0])} is not below {short[1]} {cfg.show(keys[1])} "
            f"({where(cfg, keys[1])}): NexTrainer asserts start < end at the first training step",
            keys[0],
            f"Make {short[0]} smaller than {short[1]}.",
        )
    elif start > end:
        yield cfg.report(
            f"{short[0]} {cfg.show(keys[0])} is above {short[1]} {cfg.show(keys[1])} "
            f"({where(cfg, keys[1])}): the percentile range selects no token, and the "
            "distillation update trains nothing",
            keys[0],
            f"Make {short[0]} smaller than {short[1]}.",
            severity=Severity.WARNING,
        )
