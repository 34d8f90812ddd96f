"""The actor training service and the inference service must carry the same tag.

## What it does
Follows each NexRL version:

- 1.0 and 1.1: compares `service.train_service.model_tag` with
  `service.inference_service.model_tag`. NexRL reads both by attribute, so a missing one
  stops the run too (that is `missing-required`'s finding); `identifier` plays no part.
- 1.2 to 1.4: compares the actor service's `identifier or model_tag` (the flat
  `train_service`, the named service with `role: actor`, or the only named service) with the
  inference service's `identifier or model_tag`, only when both are set (NexRL compares
  only then). NexRL 1.4 asserts it at start-up (error); 1.2 and 1.3 do not check at
  start-up but stop at the first weight update (warning).

A value waiting on an unset variable is compared only where the result is certain.

## Why is this bad?
NexRL pairs the trainer with the inference service by this tag to synchronise weights: the
weight-sync controller registers the inference service under its tag and the trainer
announces new weights under its own. NexRL 1.0 asserts "model_tag must be the same for
inference and train services"; NexRL 1.4 asserts "Actor train service identifier ... must
match inference service identifier"; 1.2 and 1.3 fail with "Rollout service not found for
model tag" after the first training step.

## Example
```yaml
service:
  inference_service:
    identifier: "student"
  train_service:
    main_actor:
      role: actor
      identifier: "default"
```

## Use instead
```yaml
service:
  inference_service:
    identifier: "student"
  train_service:
    main_actor:
      role: actor
      identifier: "student"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import ABSENT, Config
from ..finding import Report, Severity
from ..layout import INFERENCE, TRAIN
from ..nexrl import IDENTIFIERS, IDENTIFIERS_ASSERTED, at_least
from ._startup import actor, tag, train_service, value
from ._values import blame, differ, where

SEVERITY = Severity.ERROR
SUMMARY = "The actor training service and the inference service must carry the same tag"
STAGE = "lint"
NEXRL = "nexrl/utils/validate_config.py"


def check(cfg: Config) -> Iterator[Report]:
    if not isinstance(value(cfg, INFERENCE), dict) or train_service(cfg) is None:
        return
    if at_least(cfg.version, IDENTIFIERS):
        yield from _identifiers(cfg)
    else:
        yield from _model_tags(cfg)


def _model_tags(cfg: Config) -> Iterator[Report]:
    keys = (f"{TRAIN}.model_tag", f"{INFERENCE}.model_tag")
    if all(value(cfg, key) is not ABSENT for key in keys):
        yield from _compare(cfg, *keys, None)


def _identifiers(cfg: Config) -> Iterator[Report]:
    service = actor(cfg)
    if service is None:
        return  # which service is the actor is train-service-roles' finding
    train, infer = tag(cfg, service), tag(cfg, INFERENCE)
    if train is None or infer is None:
        return  # NexRL compares only when both are set
    # Not compared at start-up before 1.4: the run stops at the first weight update.
    severity = None if at_least(cfg.version, IDENTIFIERS_ASSERTED) else Severity.WARNING
    yield from _compare(cfg, train[0], infer[0], severity)


def _compare(cfg: Config, train: str, infer: str, severity: Severity | None) -> Iterator[Report]:
    if not differ(cfg.get(train), cfg.get(infer)):
        return
    at = blame(cfg, train, infer)
    other = infer if at == train else train
    when = (
        "the run stops at the first weight update (Rollout service not found)"
        if severity is not None
        else "NexRL asserts they are equal at start-up"
    )
    yield cfg.report(
        f"{train} ({cfg.show(train)}) differs from {infer} ({cfg.show(infer)}; {other} at "
        f"{where(cfg, other)}); NexRL {cfg.version} pairs the trainer with the inference "
        f"service by this tag: {when}",
        at,
        f"Use the same {at.rsplit('.', 1)[-1]} in both services.",
        severity=severity,
    )
