"""The inference service, the actor training service and the rollout workers' trajectories
must carry the same tag.

## What it does
The weight-sync controller registers the inference service under its tag; the trajectory
pool reports every ready batch under the tag the rollout workers stamp on their
trajectories, and the trainer reports every weight update under the actor's tag. Follows
each NexRL version:

- 1.0 and 1.1: `service.inference_service.model_tag` must be `"default"`: the trainer's
  tag is fixed to it and the workers stamp none (so "default"). Otherwise compares
  `service.train_service.model_tag` with it, as NexRL asserts at start-up (a missing one is
  `missing-required`'s finding); `identifier` plays no part.
- 1.2 to 1.4: the actor service's `identifier or model_tag` ("default" when it has neither,
  as NexRL's trainer takes it) must equal the inference service's. The trajectories must
  carry it too: the `simple` and `agent` workers stamp the inference identifier, the `pig_latin`
  worker `rollout_worker.identifier` ("default" when not set), the `nexau` worker (a worker
  class of your own declared `nexau` included) and the `mock` worker none, so "default".

A value waiting on an unset variable is compared only where the result is certain.

## Why is this bad?
A tag the weight-sync controller does not know stops the run: "Rollout service not found for
model tag" when the first batch is ready (a trajectory tag), at the initial weight sync of a
self-hosted run or at the first weight update (the actor's tag). NexRL 1.0 also asserts
"model_tag must be the same for inference and train services" and NexRL 1.4 "Actor train
service identifier ... must match inference service identifier" at start-up.

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
The actor service carries the inference service's identifier:
```yaml
# service.train_service.main_actor
role: actor
identifier: "student"
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..config import ABSENT, Config
from ..finding import Report, Severity
from ..layout import INFERENCE, ROLLOUT, TRAIN, WEIGHT
from ..nexrl import IDENTIFIERS, IDENTIFIERS_ASSERTED, at_least
from ._services import uses_remote
from ._startup import actor, tag, value
from ._values import at_tag, blame, differ, known, where

SEVERITY = Severity.ERROR
SUMMARY = "The inference service, the actor service and the trajectories must carry one tag"
STAGE = "lint"
NEXRL = (
    "nexrl/utils/validate_config.py@v1.0.0:53-55, @v1.4.0:178-195; "
    "nexrl/weight_sync/weight_sync_controller.py@v1.0.0:88-89,191-193,238-240, "
    "@v1.2.0:208-210,255-257, @v1.4.0:92-106,212-214,259-261; "
    "nexrl/trajectory_pool.py@v1.0.0:435,347, @v1.4.0:449,347; "
    "nexrl/trainer/base_trainer.py@v1.0.0:67,155, @v1.4.0:68-99,188; "
    "nexrl/controller.py@v1.0.0:263-264, @v1.2.0:280-281, @v1.3.0:284-285, @v1.4.0:285-286"
)

DEFAULT = "default"
# NexRL's lines, by version: the pool's tag of a trajectory, the batch-ready assert, the
# weight-update assert and the initial weight sync of a self-hosted run, for each of VERSIONS.
_POOL = ("435", "435", "449", "449", "449")
_READY = ("193", "193", "210", "214", "214")
_UPDATE = ("240", "240", "257", "261", "261")
_INITIAL = ("263-264", "263-264", "280-281", "284-285", "285-286")
# Workers that stamp no tag on their trajectories (the pool reads "default").
_UNTAGGED = ("nexau", "mock")
# Sync methods whose initial weight sync looks the actor's tag up at start-up.
_LOOKED_UP = ("disk", "network")


def check(cfg: Config) -> Iterator[Report]:
    if not isinstance(value(cfg, INFERENCE), dict):
        return
    if at_least(cfg.version, IDENTIFIERS):
        yield from _identifiers(cfg)
    else:
        yield from _model_tags(cfg)


# -- 1.0, 1.1 ---------------------------------------------------------------------------------
def _model_tags(cfg: Config) -> Iterator[Report]:
    infer, train = f"{INFERENCE}.model_tag", f"{TRAIN}.model_tag"
    tag_ = value(cfg, infer)
    if tag_ is not ABSENT and differ(tag_, DEFAULT):
        yield cfg.report(
            f"{infer} is {cfg.show(infer)}: NexRL {cfg.version} registers the inference service "
            f"under it, but its trainer (nexrl/trainer/base_trainer.py:67,155@v{cfg.version}.0) "
            f"and its rollout workers (whose trajectories carry no tag, "
            f"nexrl/trajectory_pool.py:{at_tag(cfg.version, _POOL)}) report as 'default': "
            "the run stops when the first batch is ready ('Rollout service not found for "
            "model tag: default', "
            f"nexrl/weight_sync/weight_sync_controller.py:{at_tag(cfg.version, _READY)})",
            infer,
            'Use `model_tag: "default"` in the inference and the training service.',
        )
        return
    if isinstance(value(cfg, TRAIN), dict) and value(cfg, train) is not ABSENT:
        yield from _pair(cfg, train, infer, "NexRL asserts they are equal at start-up")


# -- 1.2 to 1.4 -------------------------------------------------------------------------------
def _identifiers(cfg: Config) -> Iterator[Report]:
    infer = tag(cfg, INFERENCE)
    if infer is None:
        return  # inference-identifier's finding
    service = actor(cfg) if isinstance(value(cfg, TRAIN), dict) else None
    if service is not None:
        yield from _actor(cfg, service, infer)
    yield from _trajectories(cfg, infer)


def _actor(cfg: Config, service: str, infer: tuple[str, Any]) -> Iterator[Report]:
    train = tag(cfg, service)
    if train is not None:
        if at_least(cfg.version, IDENTIFIERS_ASSERTED):
            when = "NexRL asserts they are equal at start-up"
        else:
            when = _when_updated(cfg)
        yield from _pair(cfg, train[0], infer[0], when)
        return
    # No tag on the actor: the trainer takes "default" (base_trainer.py:89-98).
    if not differ(infer[1], DEFAULT):
        return
    yield cfg.report(
        f"{infer[0]} is {cfg.show(infer[0])} but the actor service ({service}) has no "
        f'identifier, so NexRL\'s trainer reports its weight updates as "default": '
        f"{_when_updated(cfg)}",
        infer[0],
        f"Give {service} the same identifier.",
    )


def _when_updated(cfg: Config) -> str:
    """When NexRL meets an actor tag the weight-sync controller does not know."""
    v = cfg.version
    if not uses_remote(cfg) and cfg.get(f"{WEIGHT}.sync_method", None) in _LOOKED_UP:
        return (
            "the initial weight sync fails at start-up (KeyError, "
            f"nexrl/controller.py:{at_tag(v, _INITIAL)})"
        )
    return (
        "the run stops at the first weight update ('Rollout service not found for model tag', "
        f"nexrl/weight_sync/weight_sync_controller.py:{at_tag(v, _UPDATE)})"
    )


def _trajectories(cfg: Config, infer: tuple[str, Any]) -> Iterator[Report]:
    kind = cfg.get(f"{ROLLOUT}.type", None)
    own = f"{ROLLOUT}.identifier"
    if kind in _UNTAGGED:
        stamped, written = DEFAULT, False
        how = f'the {kind} worker stamps no tag on its trajectories, so the pool reads "default"'
        hint = 'Use `identifier: "default"` in the inference and the actor service.'
    elif kind == "pig_latin":
        found = value(cfg, own)
        written = found is not ABSENT
        stamped = found if written else DEFAULT
        shown = cfg.show(own) if written else 'not set, so "default"'
        how = f"the pig_latin worker stamps rollout_worker.identifier ({shown}) on its trajectories"
        hint = f"Set rollout_worker.identifier to {cfg.show(infer[0])}."
    else:
        return  # simple and agent stamp the inference identifier itself
    if not known(stamped) or not differ(stamped, infer[1]):
        return
    v = cfg.version
    key = blame(cfg, own, infer[0]) if written else infer[0]
    yield cfg.report(
        f"{how}, but the weight-sync controller knows only {infer[0]} ({cfg.show(infer[0])}): "
        "the run stops when the first batch is ready ('Rollout service not found for model "
        f"tag', nexrl/trajectory_pool.py:{at_tag(v, _POOL)}, "
        f"nexrl/weight_sync/weight_sync_controller.py:{at_tag(v, _READY)})",
        key,
        hint,
    )


def _pair(cfg: Config, train: str, infer: str, when: str) -> Iterator[Report]:
    if not differ(cfg.get(train), cfg.get(infer)):
        return
    at = blame(cfg, train, infer)
    other = infer if at == train else train
    name = "identifier" if at_least(cfg.version, IDENTIFIERS) else "model_tag"
    yield cfg.report(
        f"{train} ({cfg.show(train)}) differs from {infer} ({cfg.show(infer)}; {other} at "
        f"{where(cfg, other)}); NexRL {cfg.version} pairs the trainer with the inference "
        f"service by this tag: {when}",
        at,
        f"Use the same {name} in both services.",
    )
