"""The trainer type must match the run: remote trainers on Tinker or Weaver, self-hosted ones on
NexTrainer.

## What it does
Reads the run's kind as NexRL does (`use_tinker`, `use_weaver`: the training backend until
NexRL 1.1, the inference backend from 1.2) and checks `trainer.type` against it:

- a `remote_api_*` trainer on a self-hosted run (inference backend `sglang`, `vllm` or
  `openai`; training backend `http`, `nextrainer` or `mock` before 1.2);
- a `self_hosted_*` trainer whose actor training service has the backend `tinker` or
  `weaver`.

A trainer class of your own (`custom_trainer_module_path`) runs its declared type's
constructor and is checked by that type; without a type it is not checked. A backend
waiting on an unset variable is not judged.

## Why is this bad?
A remote trainer trains through the Tinker or Weaver service holder, which NexRL builds only
for a Tinker or Weaver run: the first training step asserts "ServiceHolder not set". A
self-hosted trainer builds a NexTrainer client from the actor service's backend and URL at
start-up: "Train service backend tinker not implemented".

## Example
```yaml
trainer:
  type: remote_api_grpo
service:
  inference_service:
    backend: sglang
```

## Use instead
```yaml
trainer:
  type: self_hosted_grpo
service:
  inference_service:
    backend: sglang
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ..layout import TRAINER
from ..nexrl import REMOTE_BACKENDS, REMOTE_TRAINERS, SELF_HOSTED_TRAINERS
from ._services import remote_run, remote_switch
from ._startup import actor, value
from ._values import known, where

SEVERITY = Severity.ERROR
SUMMARY = "The trainer type must match the run: remote_api_* on Tinker/Weaver, self_hosted_* not"
STAGE = "lint"
NEXRL = (
    "nexrl/controller.py@v1.4.0:126-131,888-901; nexrl/trainer/remote_api_trainer.py@v1.4.0:155 "
    "(@v1.0.0:127); nexrl/trainer/self_hosted_trainer.py@v1.4.0:71-75 (@v1.0.0:61-65); "
    "nexrl/utils/config_utils.py (use_tinker, use_weaver)"
)

TYPE = f"{TRAINER}.type"


def check(cfg: Config) -> Iterator[Report]:
    kind = value(cfg, TYPE)
    spec = cfg.catalogue.option(TYPE)
    if spec is None or kind not in spec.choices:
        return  # a type this version does not register: invalid-choice's
    if kind in REMOTE_TRAINERS:
        yield from _remote_trainer(cfg, kind)
    elif kind in SELF_HOSTED_TRAINERS:
        yield from _self_hosted_trainer(cfg, kind)


def _remote_trainer(cfg: Config, kind: str) -> Iterator[Report]:
    backend, switch = remote_run(cfg), remote_switch(cfg)
    if not known(backend) or backend is None or backend in REMOTE_BACKENDS:
        return
    yield cfg.report(
        f"trainer.type {kind} trains through a Tinker or Weaver service, but {switch} is "
        f"{cfg.show(switch)} ({where(cfg, switch)}): NexRL {cfg.version} builds no service "
        "holder for this run and the first training step fails ('ServiceHolder not set')",
        TYPE,
        "Use a self_hosted_* trainer for a self-hosted run, or run on Tinker or Weaver "
        f"(`{switch.rsplit('.', 2)[-2]}.backend: tinker`).",
    )


def _self_hosted_trainer(cfg: Config, kind: str) -> Iterator[Report]:
    service = actor(cfg)
    if service is None:
        return  # which service is the actor is train-service-roles' finding
    key = f"{service}.backend"
    backend = value(cfg, key)
    if backend not in REMOTE_BACKENDS:
        return
    yield cfg.report(
        f"trainer.type {kind} trains on NexRL's own training service, but {key} is "
        f"{cfg.show(key)} ({where(cfg, key)}): NexRL {cfg.version} builds a NexTrainer client "
        f"from it and stops at start-up ('Train service backend {backend} not implemented')",
        TYPE,
        "Use a remote_api_* trainer (remote_api_grpo) for a Tinker or Weaver run.",
    )
