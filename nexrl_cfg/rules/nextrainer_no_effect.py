"""Values NexTrainer reads but never acts on.

## What it does
Warns about settings of a training service that NexRL accepts and that change nothing:

- `config.zmq_recv_timeout_ms` and `config.zmq_total_timeout_ms` (NexRL 1.3 on): only the
  client NexRL builds to save the initial checkpoint receives them, and it talks HTTP; the
  trainers build the clients that move the data over ZMQ without them, so the defaults (10
  and 60 minutes) always apply;
- `actor.model.external_lib`: NexTrainer's `import_external_libs` does nothing;
- `actor.optim.lr_warmup_steps_ratio` above 0 without `actor.optim.total_training_steps`:
  the warmup lasts ratio × total_training_steps steps, and total_training_steps defaults to 0
  (no NexRL code sets it), so there is no warmup.

## Why is this bad?
The run goes on as if the value were not there: the timeout, the library or the warmup you
asked for never happens, and nothing says so.

## Example
```yaml
service:
  train_service:
    main_actor:
      config:
        zmq_recv_timeout_ms: 1200000
      actor:
        optim:
          lr_warmup_steps_ratio: 0.1
```

## Use instead
Drop `config` (the defaults apply anyway), and give the warmup its total:
```yaml
# service.train_service.main_actor.actor.optim
lr_warmup_steps_ratio: 0.1
total_training_steps: 200
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ..nexrl import DIRECT_ZMQ, at_least
from ..resolve import Unknown
from ._services import fsdp_services

SEVERITY = Severity.WARNING
SUMMARY = "A training service's value NexTrainer reads but never acts on"
STAGE = "lint"
NEXRL = (
    "nexrl/controller.py:265-282@v1.3.0 and nexrl/trainer/self_hosted_trainer.py:71-75@v1.3.0 "
    "(the ZMQ timeouts); nexrl/train_service_backend/utils/model_utils.py:120-122 "
    "(import_external_libs); nexrl/train_service_backend/fsdp_worker/fsdp_workers.py:343-345"
    "@v1.0.0, :342-344@v1.4.0 (the warmup)"
)

TIMEOUTS = ("zmq_recv_timeout_ms", "zmq_total_timeout_ms")


def check(cfg: Config) -> Iterator[Report]:
    if at_least(cfg.version, DIRECT_ZMQ):
        for service in cfg.layout.train_services:
            yield from _timeouts(cfg, service)
    for service in fsdp_services(cfg):
        yield from _external_lib(cfg, f"{service}.actor.model.external_lib")
        yield from _warmup(cfg, f"{service}.actor.optim")


def _timeouts(cfg: Config, service: str) -> Iterator[Report]:
    for name in TIMEOUTS:
        key = f"{service}.config.{name}"
        if cfg.has(key):
            yield cfg.report(
                f"{name} has no effect: NexRL {cfg.version} hands the service's config only to "
                "the client that saves the initial checkpoint over HTTP; the clients that move "
                "the data over ZMQ are built without it",
                key,
                f"Remove `{name}`; NexRL {cfg.version} always uses its default.",
                at="key",
            )


def _external_lib(cfg: Config, key: str) -> Iterator[Report]:
    value = cfg.get(key, None)
    if value is not None and not isinstance(value, Unknown):
        yield cfg.report(
            "external_lib has no effect: NexTrainer's import_external_libs does nothing, so "
            f"{cfg.show(key)} is never imported",
            key,
            "Remove it; install and register the model's code with transformers instead.",
            at="key",
        )


def _warmup(cfg: Config, optim: str) -> Iterator[Report]:
    ratio, total = (
        cfg.get(f"{optim}.lr_warmup_steps_ratio", 0.0),
        cfg.get(f"{optim}.total_training_steps", 0),
    )
    if not isinstance(ratio, (int, float)) or isinstance(ratio, bool) or not 0 < ratio <= 1:
        return  # nothing to warm up, or out-of-range's
    if isinstance(total, Unknown) or (isinstance(total, int) and total > 0):
        return
    given = (
        f"total_training_steps is {cfg.show(f'{optim}.total_training_steps')}"
        if cfg.has(f"{optim}.total_training_steps")
        else "total_training_steps is not set (0 by default; no NexRL code sets it)"
    )
    yield cfg.report(
        f"lr_warmup_steps_ratio {cfg.show(f'{optim}.lr_warmup_steps_ratio')} has no effect: "
        f"the warmup lasts ratio × total_training_steps steps and {given}",
        f"{optim}.lr_warmup_steps_ratio",
        "Set `total_training_steps` beside it (the run's optimiser steps), or remove the ratio.",
    )
