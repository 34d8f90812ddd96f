"""The rollout worker must find the fields it reads in the items its data loaders give.

## What it does
The mock data loader gives items with `id`, `prompt`, `mock_generated` and `ground_truth`
only. Reports, for the worker `type` (a worker class of your own declared with it included):

- `agent` with a mock training data loader (`data.type: mock`), or a mock validation data
  loader (`validate.data.type: mock`) when validation runs (`validate.validate_before_train:
  true` or `weight.validate_freq` above 0): an error;
- `pig_latin` with a mock training data loader (an error) or a mock validation data loader
  when validation runs (a warning).

## Why is this bad?
The agent worker reads `task["reward_model"]` from every item: the first rollout (or the first
validation) stops with `KeyError: 'reward_model'`. The pig_latin worker skips every item
without `input` and `output`: no trajectory is ever made, so NexRL never trains (or validates
nothing).

## Example
```yaml
rollout_worker:
  type: "agent"
validate:
  validate_before_train: true
  data:
    type: "mock"
```

## Use instead
```yaml
validate:
  data:
    type: "torch"
    data_files:
      - "${oc.env:NEXRL_DATA_PATH}/math/test.parquet"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ..layout import DATA, ROLLOUT, VALIDATE, WEIGHT

SEVERITY = Severity.ERROR
SUMMARY = "The rollout worker must find its fields in the data loader's items"
STAGE = "lint"
NEXRL = (
    "nexrl/mock/mock_data_loader.py@v1.0.0:136-141, @v1.4.0:136-141 (the items); "
    "nexrl/rollout_worker/agent_rollout_worker.py:124 (task['reward_model'], every tag); "
    "nexrl/rollout_worker/pig_latin_rollout_worker.py:82-84 (every tag)"
)

MOCK = "mock"


def check(cfg: Config) -> Iterator[Report]:
    kind = cfg.get(f"{ROLLOUT}.type", None)
    if kind not in ("agent", "pig_latin"):
        return
    if cfg.get(f"{DATA}.type", None) == MOCK:
        yield _report(cfg, kind, f"{DATA}.type", "the first rollout", None)
        return
    if cfg.get(f"{VALIDATE}.data.type", None) != MOCK or not _validates(cfg):
        return
    severity = Severity.WARNING if kind == "pig_latin" else None
    yield _report(cfg, kind, f"{VALIDATE}.data.type", "the first validation", severity)


def _validates(cfg: Config) -> bool:
    freq = cfg.get(f"{WEIGHT}.validate_freq", 0)
    before = cfg.get(f"{VALIDATE}.validate_before_train", False)
    return before is True or (type(freq) is int and freq > 0)


def _report(cfg: Config, kind: str, key: str, when: str, severity: Severity | None) -> Report:
    if kind == "agent":
        effect = (
            "the agent worker reads task['reward_model'] from each "
            f"(nexrl/rollout_worker/agent_rollout_worker.py:124): {when} stops with KeyError"
        )
    else:
        effect = (
            "the pig_latin worker skips every item without 'input' and 'output', so no "
            "trajectory is ever made"
        )
    return cfg.report(
        f'{key} is "mock": the mock data loader\'s items hold only id, prompt, mock_generated '
        f"and ground_truth, and {effect}",
        key,
        'Use `type: "torch"` with data files holding the fields the worker reads.',
        severity=severity,
    )
