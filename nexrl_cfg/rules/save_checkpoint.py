"""A self-hosted trainer that saves checkpoints needs `checkpoint_path` and
`remove_previous_ckpt`.

## What it does
For a self-hosted trainer (`self_hosted_grpo`, `self_hosted_opd`, or a trainer class of your
own declared as one) with `trainer.save_freq` above 0, reports a missing or null
`trainer.checkpoint_path` and a missing `trainer.remove_previous_ckpt`. Remote trainers never
save full checkpoints and are not checked; a `save_freq` waiting on an unset variable is not
judged.

## Why is this bad?
The trainer saves a full checkpoint at every step whose number is a multiple of `save_freq`,
and the first step is step 0: it joins `checkpoint_path` with the step folder and reads
`remove_previous_ckpt` by attribute. A missing one stops the run at the end of the first
training step (ConfigAttributeError, or TypeError for a null path), after the rollout and the
update have run.

## Example
```yaml
trainer:
  type: self_hosted_grpo
  save_freq: 10
```

## Use instead
```yaml
trainer:
  type: self_hosted_grpo
  save_freq: 10
  checkpoint_path: "${oc.env:EXPERIMENT_PATH}/ckpt"
  remove_previous_ckpt: false
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import ABSENT, Config
from ..finding import Report, Severity
from ..layout import TRAINER
from ..nexrl import SELF_HOSTED_TRAINERS
from ._services import positive_int
from ._startup import value
from ._values import where

SEVERITY = Severity.ERROR
SUMMARY = "save_freq > 0 on a self-hosted trainer needs checkpoint_path and remove_previous_ckpt"
STAGE = "lint"
NEXRL = (
    "nexrl/trainer/self_hosted_trainer.py@v1.4.0:304-315 (@v1.0.0:232-243); "
    "nexrl/trainer/self_hosted_opd_trainer.py@v1.4.0:669-680"
)

FREQ = f"{TRAINER}.save_freq"
# What the save reads, and whether a null passes (`remove_previous_ckpt=None` is falsy).
NEEDED = ((f"{TRAINER}.checkpoint_path", False), (f"{TRAINER}.remove_previous_ckpt", True))


def check(cfg: Config) -> Iterator[Report]:
    freq = value(cfg, FREQ)
    if value(cfg, f"{TRAINER}.type") not in SELF_HOSTED_TRAINERS or not positive_int(freq):
        return
    for key, null_ok in NEEDED:
        found = value(cfg, key)
        if found is not ABSENT and (found is not None or null_ok):
            continue
        state = "not set" if found is ABSENT else "null"
        yield cfg.report(
            f"{key} is {state}, but trainer.save_freq is {cfg.show(FREQ)} ({where(cfg, FREQ)}): "
            f"the first training step (step 0) saves a full checkpoint and reads it, so NexRL "
            f"{cfg.version} stops at the end of that step",
            key,
            f"Set `{key.rsplit('.', 1)[-1]}:` under `trainer`, or `save_freq: 0` to save no "
            "full checkpoints.",
            at="value" if found is not ABSENT else "key",
        )
