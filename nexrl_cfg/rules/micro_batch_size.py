"""The actor's batch sizes must split into whole micro-batches on every data-parallel rank.

## What it does
Does NexTrainer's arithmetic for the actor (and, for `self_hosted_opd`, the teacher) of a
self-hosted run, in samples per data-parallel rank. With `dp` = the training GPUs //
`ulysses_sequence_parallel_size`:

- `ppo_mini_batch_size` × `rollout.n` // dp must not be 0;
- `ppo_micro_batch_size` // dp must not be 0, and must divide the mini-batch per rank;
- `rollout.log_prob_micro_batch_size` and `ref.log_prob_micro_batch_size` // dp, when set,
  must not be 0.

The training GPUs are `service.train_service.world_size` (NexRL 1.0, 1.1), or the actor
service's `resource.world_size` × `resource.gpus_per_pod` (1.2 on). When the GPU count or a
batch size waits on an unset variable, nothing is judged.

## Why is this bad?
NexTrainer's FSDP workers assert these when they start, before the first training step:
"ppo_mini_batch_size ... is not divisible by ppo_micro_batch_size_per_gpu", "... is zero,
you need increase batch size".

## Example
```yaml
service:
  train_service:
    main_actor:
      role: actor
      resource:
        world_size: 1
        gpus_per_pod: 2
      actor:
        ppo_mini_batch_size: 28
        ppo_micro_batch_size: 12   # 28 × 8 // 2 = 112 per rank, 12 // 2 = 6: 112 % 6 != 0
        rollout:
          n: 8
```

## Use instead
A micro-batch that divides the mini-batch on each rank:
```yaml
# service.train_service.main_actor.actor
ppo_mini_batch_size: 28
ppo_micro_batch_size: 8    # 8 // 2 = 4 divides 112
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ._services import (
    describe_gpus,
    fsdp_services,
    gpus_secret,
    positive_int,
    secret,
    training_gpus,
)

SEVERITY = Severity.ERROR
SUMMARY = "The actor's mini- and micro-batches must split evenly over the data-parallel ranks"
STAGE = "lint"
NEXRL = "nexrl/train_service_backend/fsdp_worker/fsdp_workers.py"

# The ranks, when a number involved was read from the environment and is not printed.
HIDDEN = "the data-parallel ranks (values from the environment not shown)"


def check(cfg: Config) -> Iterator[Report]:
    for service in fsdp_services(cfg):
        dp = data_parallel(cfg, service)
        if dp is not None:
            yield from _check_actor(cfg, service, dp)


def data_parallel(cfg: Config, service: str) -> int | None:
    """The data-parallel ranks of the service's actor, or None when not certain (or when the
    sequence-parallel size does not fit the GPUs, reported by `fsdp-mesh`)."""
    gpus = training_gpus(cfg, service)
    sp = cfg.get(f"{service}.actor.ulysses_sequence_parallel_size", 1)
    if gpus is None or not positive_int(sp) or gpus % sp:
        return None
    return gpus // sp


def _check_actor(cfg: Config, service: str, dp: int) -> Iterator[Report]:
    actor = f"{service}.actor"
    mini_key, micro_key = f"{actor}.ppo_mini_batch_size", f"{actor}.ppo_micro_batch_size"
    n_key = f"{actor}.rollout.n"
    mini, micro, n = cfg.get(mini_key), cfg.get(micro_key), cfg.get(n_key)
    if not (positive_int(mini) and positive_int(n)):
        return
    keys = (mini_key, micro_key, n_key, f"{actor}.ulysses_sequence_parallel_size")
    hide = gpus_secret(cfg, service, *keys)
    ranks = HIDDEN if hide else _ranks(cfg, service, dp)
    per_rank = mini * n // dp
    if per_rank == 0:
        sizes = "" if hide else f" {mini} × rollout.n {n} = {mini * n} samples"
        yield cfg.report(
            f"ppo_mini_batch_size{sizes} over {ranks} is 0 per rank: NexTrainer asserts the "
            "mini-batch is not zero",
            mini_key,
            "Use ppo_mini_batch_size × rollout.n of at least the data-parallel ranks.",
        )
        return
    if positive_int(micro):
        yield from _micro(cfg, micro_key, (mini, micro, n, dp), ranks, hide)
    yield from _log_prob(cfg, service, dp, ranks, hide)


def _micro(
    cfg: Config, key: str, sizes: tuple[int, int, int, int], ranks: str, hide: bool
) -> Iterator[Report]:
    mini, micro, n, dp = sizes
    per_rank, micro_rank = mini * n // dp, micro // dp
    if micro_rank == 0:
        yield cfg.report(
            f"ppo_micro_batch_size{'' if hide else f' {micro}'} over {ranks} is 0 per rank: "
            "NexTrainer asserts the micro-batch is not zero",
            key,
            "Use a micro-batch of at least the data-parallel ranks.",
        )
    elif per_rank % micro_rank and hide:
        yield cfg.report(
            "ppo_micro_batch_size per rank does not divide the mini-batch per rank "
            f"(ppo_mini_batch_size × rollout.n over {ranks}): NexTrainer asserts it divides",
            key,
            "Use a micro-batch of the data-parallel ranks × a divisor of the mini-batch per rank.",
        )
    elif per_rank % micro_rank:
        yield cfg.report(
            f"ppo_micro_batch_size {micro} // {dp} = {micro_rank} per rank does not divide "
            f"the mini-batch per rank, ppo_mini_batch_size {mini} × rollout.n {n} // {dp} = "
            f"{per_rank} ({ranks}): NexTrainer asserts it divides",
            key,
            f"Use a micro-batch of {dp} × a divisor of {per_rank}, "
            f"e.g. {dp * _divisor(per_rank, micro_rank)}.",
        )


def _log_prob(cfg: Config, service: str, dp: int, ranks: str, hide: bool) -> Iterator[Report]:
    for part in ("rollout", "ref"):
        key = f"{service}.actor.{part}.log_prob_micro_batch_size"
        value = cfg.get(key, None)
        if positive_int(value) and value // dp == 0:
            shown = "" if hide or secret(cfg, key) else f" {value}"
            yield cfg.report(
                f"{part}.log_prob_micro_batch_size{shown} over {ranks} is 0 per rank: "
                "NexTrainer asserts it is not zero",
                key,
                "Use a log-prob micro-batch of at least the data-parallel ranks.",
            )


def _ranks(cfg: Config, service: str, dp: int) -> str:
    sp = cfg.get(f"{service}.actor.ulysses_sequence_parallel_size", 1)
    split = f" // ulysses_sequence_parallel_size {sp}" if sp != 1 else ""
    return f"{dp} data-parallel rank{'s' if dp != 1 else ''} ({describe_gpus(cfg, service)}{split})"


def _divisor(total: int, near: int) -> int:
    """The largest divisor of `total` not above `near` (at least 1)."""
    return max(d for d in range(1, max(1, min(total, near)) + 1) if total % d == 0)
