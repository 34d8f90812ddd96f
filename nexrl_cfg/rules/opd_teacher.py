"""An on-policy distillation trainer needs its teacher.

## What it does
- `trainer.type: self_hosted_opd` (NexRL 1.2 on): a training service with `role: teacher`
  must exist, with `resource.world_size` and `resource.gpus_per_pod` set (or given by the
  legacy `resource.train.<identifier>` entry NexRL copies into it).
- `trainer.type: remote_api_opd` (NexRL 1.4): `trainer.teachers` must be a non-empty list,
  each teacher with a `base_model`.

## Why is this bad?
NexRL builds the trainer at start-up. The self-hosted OPD trainer raises "Train service with
role 'teacher' not found" and "world_size / gpus_per_pod must be specified in teacher
train_service.resource config"; the remote OPD trainer raises "teachers must be specified",
and fails to create a teacher client without `base_model`.

## Example
```yaml
trainer:
  type: "self_hosted_opd"
service:
  train_service:
    student:
      role: actor
    teacher:
      role: teacher
      resource:
        world_size: 1
```

## Use instead
Give the teacher's resource both numbers:
```yaml
# service.train_service.teacher.resource
world_size: 1
gpus_per_pod: 8
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ..layout import TRAIN, TRAINER
from ..nexrl import REMOTE_API_OPD, SELF_HOSTED_OPD, at_least
from ._services import resource_key

SEVERITY = Severity.ERROR
SUMMARY = "An on-policy distillation trainer needs its teacher service or teachers"
STAGE = "lint"
SINCE = SELF_HOSTED_OPD
NEXRL = "nexrl/trainer/self_hosted_opd_trainer.py; nexrl/trainer/remote_api_opd_trainer.py"

TYPE, TEACHERS = f"{TRAINER}.type", f"{TRAINER}.teachers"


def check(cfg: Config) -> Iterator[Report]:
    trainer = cfg.get(TYPE, None)
    if trainer == "self_hosted_opd":
        yield from _teacher_service(cfg)
    elif trainer == "remote_api_opd" and at_least(cfg.version, REMOTE_API_OPD):
        yield from _teachers(cfg)


def _teacher_service(cfg: Config) -> Iterator[Report]:
    teacher = cfg.layout.teacher
    if teacher is None:
        if cfg.has(TRAIN):
            yield cfg.report(
                "trainer.type is self_hosted_opd but no training service has `role: teacher`: "
                "NexRL raises 'Train service with role teacher not found'",
                TYPE,
                "Add a named service under service.train_service with `role: teacher`.",
            )
        return
    for name in ("world_size", "gpus_per_pod"):
        key = resource_key(cfg, teacher, name)
        if cfg.get(key, None) is None:
            where = f"{teacher}.resource" if cfg.has(f"{teacher}.resource") else teacher
            yield cfg.report(
                f"the teacher service needs resource.{name}: NexRL raises '{name} must be "
                "specified in teacher train_service.resource config'",
                where,
                f"Set {teacher}.resource.{name}.",
                at="key",
            )


def _teachers(cfg: Config) -> Iterator[Report]:
    teachers = cfg.get(TEACHERS, None)
    if not teachers:
        state = "empty" if cfg.has(TEACHERS) else "not set"
        yield cfg.report(
            f"trainer.type is remote_api_opd but trainer.teachers is {state}: NexRL raises "
            "'teachers must be specified'",
            TEACHERS,
            "List the teachers, each with a base_model.",
            at="written",
        )
        return
    if not isinstance(teachers, list):
        return  # reported by invalid-type
    for i, item in enumerate(teachers):
        if isinstance(item, dict) and "base_model" not in item:
            yield cfg.report(
                f"teacher {i} has no base_model: NexRL cannot create its teacher client",
                f"{TEACHERS}.{i}",
                "Give each teacher a `base_model`, e.g. `Qwen/Qwen3-32B`.",
                at="value",
            )
