"""`fsdp_size` and `ulysses_sequence_parallel_size` must fit the training GPUs.

## What it does
For the actor (and, for `self_hosted_opd`, the teacher) of a self-hosted run, checks the
device mesh NexTrainer builds from the training GPUs (`service.train_service.world_size` in
NexRL 1.0 and 1.1; the service's `resource.world_size` × `resource.gpus_per_pod` from 1.2):

- `actor.fsdp_config.fsdp_size` must be negative (-1: shard over all GPUs) or at least the
  number of GPUs; a value from 0 up to the GPUs asks for hybrid sharding, which NexTrainer
  refuses. `fsdp_size: 0` is wrong whatever the GPU count.
- `actor.ulysses_sequence_parallel_size` must divide the number of GPUs.

## Why is this bad?
NexTrainer raises "HSDP is not supported yet ... Please set fsdp_size=-1", and the sequence-
parallel mesh (GPUs // size × size) must cover the GPUs exactly, when its workers start.

## Example
```yaml
service:
  train_service:
    main_actor:
      resource:
        world_size: 1
        gpus_per_pod: 8
      actor:
        ulysses_sequence_parallel_size: 3
        fsdp_config:
          fsdp_size: 4
```

## Use instead
Sizes that divide the 8 GPUs (`-1` lets FSDP take what is left):
```yaml
# service.train_service.main_actor.actor
ulysses_sequence_parallel_size: 4
fsdp_config: {fsdp_size: -1}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ._services import describe_gpus, fsdp_services, gpus_secret, positive_int, training_gpus

SEVERITY = Severity.ERROR
SUMMARY = "fsdp_size and ulysses_sequence_parallel_size must fit the training GPUs"
STAGE = "lint"
NEXRL = "nexrl/train_service_backend/fsdp_worker/fsdp_workers.py"


def check(cfg: Config) -> Iterator[Report]:
    for service in fsdp_services(cfg):
        gpus = training_gpus(cfg, service)
        yield from _fsdp_size(cfg, service, gpus)
        yield from _sequence_parallel(cfg, service, gpus)


def _fsdp_size(cfg: Config, service: str, gpus: int | None) -> Iterator[Report]:
    key = f"{service}.actor.fsdp_config.fsdp_size"
    size = cfg.get(key, None)
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        return
    if size == 0 or (gpus is not None and size < gpus):
        hide = gpus_secret(cfg, service, key)
        over = f" ({describe_gpus(cfg, service)})" if gpus is not None and not hide else ""
        yield cfg.report(
            f"fsdp_size {cfg.show(key)} is below the number of training GPUs{over}: NexTrainer "
            "refuses hybrid sharding (HSDP)",
            key,
            "Set `fsdp_size: -1` to shard over all GPUs.",
        )


def _sequence_parallel(cfg: Config, service: str, gpus: int | None) -> Iterator[Report]:
    key = f"{service}.actor.ulysses_sequence_parallel_size"
    size = cfg.get(key, None)
    if gpus is None or not positive_int(size) or gpus % size == 0:
        return
    if gpus_secret(cfg, service, key):
        yield cfg.report(
            "ulysses_sequence_parallel_size does not divide the training GPUs (values from "
            "the environment not shown): the sequence-parallel mesh cannot cover them",
            key,
            "Use a size that divides the number of training GPUs.",
        )
        return
    fits = max(d for d in range(1, size + 1) if gpus % d == 0)
    yield cfg.report(
        f"ulysses_sequence_parallel_size {size} does not divide the training GPUs "
        f"({describe_gpus(cfg, service)}): the sequence-parallel mesh cannot cover them",
        key,
        f"Use a size that divides {gpus}, e.g. {fits}.",
    )
