"""Named training services need exactly one `role: actor` and an identifier (NexRL 1.2+).

## What it does
In the named layout (`service.train_service.<name>: {role, backend, ...}`; NexRL takes the
layout for flat only when `backend` or `url` sits directly under `train_service`), checks
what NexRL checks before it starts:

- several services and none with `role: actor`, some without a role;
- not exactly one service with `role: actor`;
- a single service without `role: actor` that has neither `backend` nor `url` (NexRL
  cannot pick it as the actor);
- no service with a non-empty `identifier` (or `model_tag`).

A role or identifier waiting on an unset variable is not judged.

## Why is this bad?
NexRL raises "Multiple train services found without 'role' field", "Exactly one
train_service must have role='actor', found N", "Train service with role 'actor' not
found" or asserts "At least one train_service group with identifier (or model_tag) is
required" at start-up: it cannot tell which service trains the policy.

## Example
```yaml
service:
  train_service:
    student:
      identifier: "default"
      backend: direct-zmq
    teacher:
      identifier: "teacher"
      backend: direct-zmq
```

## Use instead
```yaml
service:
  train_service:
    student:
      role: actor
      identifier: "default"
      backend: direct-zmq
    teacher:
      role: teacher
      identifier: "teacher"
      backend: direct-zmq
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..config import Config
from ..finding import Report, Severity
from ..layout import TRAIN
from ..nexrl import IDENTIFIERS, is_flat, named_services
from ..resolve import Unknown
from ._startup import tag, train_service
from ._values import where

SEVERITY = Severity.ERROR
SUMMARY = "Named training services need exactly one role: actor and an identifier"
STAGE = "lint"
SINCE = IDENTIFIERS
NEXRL = "nexrl/utils/validate_config.py; nexrl/utils/config_utils.py"


def check(cfg: Config) -> Iterator[Report]:
    train = train_service(cfg)
    if train is None or is_flat(train):
        return
    names = named_services(train)
    roles = {name: train[name].get("role") for name in names}
    if any(isinstance(role, Unknown) for role in roles.values()):
        return
    yield from _roles(cfg, train, roles)
    yield from _identifiers(cfg, names)


def _roles(cfg: Config, train: dict[str, Any], roles: dict[str, Any]) -> Iterator[Report]:
    actors = [name for name, role in roles.items() if role == "actor"]
    without = [name for name, role in roles.items() if not role]
    if not actors and len(roles) == 1:
        (name,) = roles
        if not is_flat(train[name]):
            yield cfg.report(
                f"train service '{name}' has no role: actor and neither backend nor url; NexRL "
                f"{cfg.version} raises \"Train service with role 'actor' not found\"",
                f"{TRAIN}.{name}",
                f"Add `role: actor` and a `backend` under `service.train_service.{name}`.",
                at="key",
            )
        return
    if not actors and without:
        yield cfg.report(
            f"several train services and none with role: actor; {_listed(without)} "
            f"{'has' if len(without) == 1 else 'have'} no role, so NexRL {cfg.version} cannot "
            "tell which one trains the policy and raises at start-up",
            f"{TRAIN}.{without[0]}",
            "Add `role: actor` to the service that trains the policy and `role: teacher` to "
            "the others.",
            at="key",
        )
        return
    if len(actors) != 1:
        yield _actor_count(cfg, actors)


def _actor_count(cfg: Config, actors: list[str]) -> Report:
    if not actors:
        return cfg.report(
            f'no train service has role: actor; NexRL {cfg.version} raises "Exactly one '
            "train_service must have role='actor', found 0\"",
            TRAIN,
            "Give the service that trains the policy `role: actor`.",
            at="key",
        )
    first, second = (f"{TRAIN}.{name}.role" for name in actors[:2])
    return cfg.report(
        f"{len(actors)} train services have role: actor ({_listed(actors)}; the first at "
        f'{where(cfg, first)}); NexRL {cfg.version} raises "Exactly one train_service must '
        f"have role='actor', found {len(actors)}\"",
        second,
        "Keep `role: actor` on one service; give the others `role: teacher`.",
    )


def _identifiers(cfg: Config, names: list[str]) -> Iterator[Report]:
    if not names or any(tag(cfg, f"{TRAIN}.{name}") is not None for name in names):
        return
    yield cfg.report(
        f"no train service has an identifier or model_tag ({_listed(names)}); NexRL "
        f"{cfg.version} asserts at least one train_service group has one",
        f"{TRAIN}.{names[0]}.identifier",
        f'Add `identifier: "default"` under `service.train_service.{names[0]}` (the same '
        "as service.inference_service.identifier).",
        at="key",
    )


def _listed(names: list[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)
