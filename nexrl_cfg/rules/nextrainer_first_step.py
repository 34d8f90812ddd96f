"""NexTrainer's first training step must find what it reads in the actor section.

## What it does
For the services NexTrainer's workers run (`backend` http, nextrainer or direct-zmq, under
`self_hosted_grpo` or `self_hosted_opd`), checks what the first training step reads and no
start-up check looks at:

- the service the trainer updates (the actor; under `self_hosted_opd` the student):
  `actor.use_dynamic_bsz` must be false and `actor.ppo_micro_batch_size` not null;
- under `self_hosted_grpo`, `actor.use_kl_loss` must be false;
- a service that computes log-probabilities (the GRPO actor unless
  `trainer.algorithm.do_old_log_prob_compute` is false, the `self_hosted_opd` teacher, its
  student with `do_old_student_log_prob_compute`): `actor.rollout.log_prob_micro_batch_size`
  not null.

A value waiting on an unset variable is not judged. A missing key is `missing-required`'s.

## Why is this bad?
The run starts, generates a batch, and stops at its first training step:

- `use_kl_loss: true`: the GRPO update selects `ref_log_prob`, which nothing computes (NexRL
  builds no reference model): KeyError;
- `use_dynamic_bsz: true`: NexTrainer's token-based split returns plain dicts, which the update
  cannot move to the GPU: AttributeError (computing log-probabilities alone works);
- `ppo_micro_batch_size: null`: NexTrainer never sets `ppo_micro_batch_size_per_gpu`, which the
  update reads: "Key 'ppo_micro_batch_size_per_gpu' is not in struct";
- `rollout.log_prob_micro_batch_size: null`: likewise `log_prob_micro_batch_size_per_gpu`,
  read by every log-probability computation.

## Example
```yaml
trainer:
  type: self_hosted_grpo
service:
  train_service:
    main_actor:
      backend: direct-zmq
      actor:
        use_kl_loss: true
        use_dynamic_bsz: true
        ppo_micro_batch_size: null
        rollout:
          log_prob_micro_batch_size: null
```

## Use instead
Switch the features off, or give the micro-batch sizes:
```yaml
# service.train_service.main_actor.actor
use_kl_loss: false
use_dynamic_bsz: false
ppo_micro_batch_size: 4
rollout: {log_prob_micro_batch_size: 4}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ._services import fsdp_services, log_prob_reason, updated_service

SEVERITY = Severity.ERROR
SUMMARY = "NexTrainer's first training step must find what it reads in the actor section"
STAGE = "lint"
NEXRL = (
    "nexrl/train_service_backend/fsdp_worker/fsdp_actor.py:282-286,306-314@v1.0.0, "
    "416-445,654-693@v1.2.0, 420-445,665-707@v1.4.0 (ref_log_prob, ppo_micro_batch_size_per_gpu, "
    "micro_batch_data.cuda()); nexrl/train_service_backend/utils/core_utils.py:332-353 "
    "(rearrange_micro_batches returns dicts); "
    "nexrl/train_service_backend/fsdp_worker/fsdp_workers.py:144-164,463@v1.0.0, "
    "141-163,464@v1.4.0 (the *_per_gpu keys and compute_log_prob)"
)


def check(cfg: Config) -> Iterator[Report]:
    service = updated_service(cfg)
    if service is not None:
        yield from _updated(cfg, f"{service}.actor")
    for service in fsdp_services(cfg):
        reason = log_prob_reason(cfg, service)
        key = f"{service}.actor.rollout.log_prob_micro_batch_size"
        if reason is not None and cfg.has(key) and cfg.get(key) is None:
            yield cfg.report(
                f"rollout.log_prob_micro_batch_size is null, but {reason}: NexTrainer never "
                "sets log_prob_micro_batch_size_per_gpu, and computing them fails at the first "
                "training step",
                key,
                "Set it to a number of trajectories of at least the data-parallel ranks.",
            )


def _updated(cfg: Config, actor: str) -> Iterator[Report]:
    grpo = cfg.get("trainer.type", None) == "self_hosted_grpo"
    update = "GRPO update" if grpo else "distillation update"
    if grpo and cfg.get(f"{actor}.use_kl_loss", None) is True:
        yield cfg.report(
            "use_kl_loss is true, but NexRL builds no reference model and no trainer computes "
            "reference log-probabilities: the GRPO update asks for ref_log_prob and fails at "
            "the first training step",
            f"{actor}.use_kl_loss",
            "Set `use_kl_loss: false`; NexRL has no KL loss against a reference policy.",
        )
    if cfg.get(f"{actor}.use_dynamic_bsz", None) is True:
        yield cfg.report(
            "use_dynamic_bsz is true: NexTrainer's token-based split gives the "
            f"{update} plain dicts, which it cannot move to the GPU; it fails at the first "
            "training step",
            f"{actor}.use_dynamic_bsz",
            "Set `use_dynamic_bsz: false` and size the micro-batches with ppo_micro_batch_size.",
        )
    micro = f"{actor}.ppo_micro_batch_size"
    if cfg.has(micro) and cfg.get(micro) is None:
        yield cfg.report(
            "ppo_micro_batch_size is null: NexTrainer then never sets "
            f"ppo_micro_batch_size_per_gpu, which the {update} reads at the first training "
            "step",
            micro,
            "Set it to a number of trajectories that splits the mini-batch evenly over the "
            "data-parallel ranks (see micro-batch-size).",
        )
