"""The mock rollout worker cannot roll out in NexRL 1.4.

## What it does
Reports `rollout_worker.type: mock` (without a worker class of your own) from NexRL 1.4 on.

## Why is this bad?
NexRL 1.4 sets the sequence budget of every rollout worker in `BaseRolloutWorker.__init__`
and checks each trajectory against it when the worker hands it to the trajectory pool. The
mock worker never runs that `__init__`: its first trajectory fails with "'MockRolloutWorker'
object has no attribute '_max_sequence_length'", at the first rollout.

## Example
```yaml
rollout_worker:
  type: "mock"
```

## Use instead
```yaml
rollout_worker:
  type: "simple"
  need_llm_inference: true
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ..layout import ROLLOUT
from ..nexrl import SEQUENCE_LENGTHS

SEVERITY = Severity.ERROR
SUMMARY = "The mock rollout worker fails on its first trajectory (NexRL 1.4)"
STAGE = "lint"
SINCE = SEQUENCE_LENGTHS
NEXRL = (
    "nexrl/mock/mock_rollout_worker.py@v1.4.0:55-72 (BaseRolloutWorker.__init__ not called); "
    "nexrl/rollout_worker/base_rollout_worker.py@v1.4.0:62,194 (self._max_sequence_length)"
)

TYPE = f"{ROLLOUT}.type"


def check(cfg: Config) -> Iterator[Report]:
    if cfg.get(TYPE, None) != "mock" or cfg.has(f"{ROLLOUT}.custom_rollout_worker_module_path"):
        return
    yield cfg.report(
        f'rollout_worker.type is "mock": NexRL {cfg.version}\'s mock worker skips '
        "BaseRolloutWorker.__init__ (nexrl/mock/mock_rollout_worker.py:55-72), where the "
        "sequence budget is set, and its first trajectory fails on it "
        "(nexrl/rollout_worker/base_rollout_worker.py:194, AttributeError)",
        TYPE,
        "Use another worker type; for a run without a model, a mock data loader and a mock "
        "training backend.",
    )
