"""`service.train_service.actor`: what the NexTrainer (FSDP) backend reads for the actor.

NexRL hands this section to each training worker (`worker_process.py`); the workers read most
keys without a default, so a missing one stops the run when the workers start or at the first
training step.
"""

from __future__ import annotations

from ...nexrl import ACTOR, NEXTRAINER_BACKENDS, SELF_HOSTED_OPD, SELF_HOSTED_TRAINERS, TEACHER
from ..model import Condition, Option, Section, Use
from ._copies import distillation_copies

A = "service.train_service.actor"
_FOR = "for the NexTrainer backend"
# Every NexTrainer worker, a self_hosted_opd teacher too, builds its actor with role "actor"
# (fsdp_workers.py init_model) and reads the loss settings then. What a worker reads later
# depends on what the trainer asks of it:
# - the GRPO update (update_policy) reads keys the distillation update does not;
_TRAINED = (Condition("trainer.type", ("self_hosted_opd",)),)
_FOR_TRAINED = "for the actor the self_hosted_grpo trainer updates"
# - a self_hosted_opd teacher is never updated (it only computes log-probabilities);
_TEACHER = Condition("^role", (TEACHER,))
_FOR_UPDATED = "for the NexTrainer actor the trainer updates"
# - log-probabilities are computed by the GRPO actor unless trainer.algorithm's
#   do_old_log_prob_compute is false, by the OPD teacher, and by the OPD student only with
#   do_old_student_log_prob_compute.
_NO_LOG_PROBS = (
    Condition(
        "trainer.type",
        ("self_hosted_grpo",),
        also=(Condition("trainer.algorithm.do_old_log_prob_compute", (False,)),),
    ),
    Condition(
        "trainer.type",
        ("self_hosted_opd",),
        also=(
            Condition("^role", (ACTOR,)),
            Condition("trainer.algorithm.do_old_student_log_prob_compute", (False,), absent=True),
        ),
    ),
)
_FOR_LOG_PROBS = "for the NexTrainer backend when it computes log-probabilities"
_KL = (Condition(".use_kl_loss", (True,)),)

_WORKERS_10 = "nexrl/train_service_backend/fsdp_worker/fsdp_workers.py@v1.0.0"
_ACTOR_10 = "nexrl/train_service_backend/fsdp_worker/fsdp_actor.py@v1.0.0"
_ACTOR_12 = "nexrl/train_service_backend/fsdp_worker/fsdp_actor.py@v1.2.0"
_ALGOS_10 = "nexrl/train_service_backend/utils/core_algos.py@v1.0.0"
_DIST_10 = "nexrl/train_service_backend/utils/dist_utils.py@v1.0.0"
_RECIPE_10 = "recipe/math/self_hosted.yaml@v1.0.0"
_RECIPE_14 = "recipe/math/self_hosted.yaml@v1.4.0"
_DTYPES = ("bf16", "fp16", "fp32", "bfloat16", "float16", "float32")


def _distill(name: str, description: str, type_: str, default: object, line: int) -> Option:
    """A key of the on-policy distillation update (self_hosted_opd, 1.2 on)."""
    return Option(
        f"{A}.{name}",
        description=description,
        source=f"{_ACTOR_12}:{line}",
        type=type_,
        added=SELF_HOSTED_OPD,
        default=default,
        details="Read by the distillation update of the self_hosted_opd trainer.",
    )


ENTRIES: tuple[Option | Section, ...] = (
    Section(
        A,
        description="Actor (policy) model trained by the NexTrainer backend.",
        source=(
            "spec/service-config.md; "
            "nexrl/train_service_backend/distributed/worker_process.py@v1.0.0:607"
        ),
        required_if=(Condition(".backend", NEXTRAINER_BACKENDS),),
        required_for=_FOR,
        # Only a self-hosted trainer starts the NexTrainer workers that read it; with a trainer
        # type no NexRL registers, the controller stops before anything reads the actor. The
        # mock backend starts no workers (mock_train_service_client.py ignores the config),
        # nor does a Tinker or Weaver one: there nothing in the actor is read.
        used_if=(
            Condition("trainer.type", SELF_HOSTED_TRAINERS, absent=True),
            Condition(".backend", NEXTRAINER_BACKENDS, absent=True),
        ),
    ),
    Section(
        f"{A}.model",
        description="The model the actor trains.",
        source=f"spec/service-config.md; {_WORKERS_10}:360-389",
        required=True,
        required_for=_FOR,
    ),
    Section(
        f"{A}.optim",
        description="Actor optimiser and learning-rate schedule.",
        source=f"spec/service-config.md; {_WORKERS_10}:339-344,370",
        required=True,
        required_for=_FOR,
    ),
    Section(
        f"{A}.fsdp_config",
        description="Fully Sharded Data Parallel (FSDP) settings of the actor.",
        source=f"spec/service-config.md; {_WORKERS_10}:112,130-132,371",
        required=True,
        required_for=_FOR,
    ),
    Section(
        f"{A}.fsdp_config.wrap_policy",
        description="Which modules FSDP wraps.",
        source=f"spec/service-config.md; {_WORKERS_10}:308; {_DIST_10}:369-376",
    ),
    Section(
        f"{A}.ref",
        description="Reference model used for the KL penalty.",
        source=f"{_WORKERS_10}:167-175",
        details="NexRL reads only log_prob_micro_batch_size from it.",
    ),
    Section(
        f"{A}.ref.fsdp_config",
        description="FSDP settings of the reference model, as NexRL's recipes write them.",
        source=f"{_RECIPE_10}:126; {_RECIPE_14}:139",
        unread=True,
        details="No NexRL version reads it: the reference model shares the actor's FSDP setup.",
    ),
    Option(
        f"{A}.ref.fsdp_config.param_offload",
        description="Offload the reference model's parameters (read by no NexRL version).",
        source=f"{_RECIPE_10}:127; {_RECIPE_14}:140",
        type="bool",
        unread=True,
    ),
    Section(
        f"{A}.ref.fsdp_config.wrap_policy",
        description="Which modules FSDP wraps in the reference model (read by no NexRL version).",
        source=f"{_RECIPE_10}:128; {_RECIPE_14}:141",
        unread=True,
    ),
    Option(
        f"{A}.ref.fsdp_config.wrap_policy.min_num_params",
        description="Smallest module FSDP wraps in the reference model (read by no version).",
        source=f"{_RECIPE_10}:129; {_RECIPE_14}:142",
        type="int",
        minimum=0,
        unread=True,
    ),
    Option(
        f"{A}.ref.ulysses_sequence_parallel_size",
        description="Sequence parallelism of the reference model (read by no NexRL version).",
        source=f"{_RECIPE_10}:131; {_RECIPE_14}:144",
        type="int",
        minimum=1,
        unread=True,
        details="The reference model runs with the actor's ulysses_sequence_parallel_size.",
    ),
    Option(
        f"{A}.rollout.rollout_standalone",
        description="Run rollout apart from training (read by no NexRL version).",
        source=f"{_RECIPE_10}:134; {_RECIPE_14}:147",
        type="bool",
        unread=True,
    ),
    Option(
        f"{A}.rollout.dtype",
        description="Rollout precision (read by no NexRL version).",
        source=f"{_RECIPE_10}:136; {_RECIPE_14}:149",
        type="string",
        choices=_DTYPES,
        unread=True,
    ),
    Section(
        f"{A}.rollout",
        description=(
            "Rollout-related settings the actor needs (sampling temperature, log-prob batching)."
        ),
        source=f"{_WORKERS_10}:135,154-164,417-418,466",
        required=True,
        required_for=_FOR,
    ),
    Option(
        f"{A}.checkpoint_manager",
        description="Checkpoint format.",
        source=(
            f"spec/service-config.md; {_WORKERS_10}:412; "
            "nexrl/train_service_backend/utils/checkpoint_manager.py@v1.0.0:660-668"
        ),
        type="string",
        required=True,
        required_for=_FOR,
        choices=("dcp",),
        details=(
            "- dcp: Distributed checkpoint\n"
            "The reference also lists torch (PyTorch checkpoint) and gives dcp as the "
            "default, but NexRL knows only dcp and reads the key without a default."
        ),
    ),
    Option(
        f"{A}.ppo_mini_batch_size",
        description="Number of samples per mini-batch.",
        source=f"spec/service-config.md; {_WORKERS_10}:135-141",
        type="int",
        required=True,
        required_for=_FOR,
        minimum=1,
        details=(
            "Guidelines: small model 16, medium model 28, large model 64.\n"
            "NexRL multiplies it by rollout.n and divides it among the data-parallel ranks."
        ),
        examples=(
            ("# Small model\nppo_mini_batch_size: 16"),
            ("# Medium model\nppo_mini_batch_size: 28"),
            ("# Large model\nppo_mini_batch_size: 64"),
        ),
    ),
    Option(
        f"{A}.ppo_micro_batch_size",
        description="Number of samples per micro-batch (gradient accumulation).",
        source=f"spec/service-config.md; {_WORKERS_10}:144-150",
        type="int",
        required=True,
        required_for=_FOR,
        nullable=True,
        minimum=1,
        details=(
            "Guidelines: high memory 8, medium memory 4, low memory 2.\n"
            "NexRL divides it among the data-parallel ranks; unlike ppo_mini_batch_size it is "
            "not multiplied by rollout.n, so both count trajectories. null leaves the update "
            "without a micro-batch: only a worker that is never updated (a self_hosted_opd "
            "teacher) runs with it."
        ),
        examples=(
            ("# High memory\nppo_micro_batch_size: 8"),
            ("# Medium memory\nppo_micro_batch_size: 4"),
            ("# Low memory\nppo_micro_batch_size: 2"),
        ),
    ),
    Option(
        f"{A}.grad_clip",
        description="Gradient clipping threshold.",
        source=f"spec/service-config.md; {_ACTOR_10}:202-208",
        type="number",
        required_unless=(_TEACHER,),
        required_for=_FOR_UPDATED,
        exclusive_minimum=0,
        outside_range="gradients clipped to a norm of 0 or less are zeroed or reversed",
        details=(
            "The reference gives 1.0 as its default; NexRL asserts it is set at the first "
            "optimiser step (the self_hosted_opd student's too). 0 or less trains nothing "
            "useful: the gradients are scaled to 0 or reversed."
        ),
    ),
    Option(
        f"{A}.clip_ratio",
        description="PPO clipping ratio.",
        source=f"spec/service-config.md; {_ACTOR_10}:70",
        type="number",
        required=True,
        required_for=_FOR,
        exclusive_minimum=0,
        exclusive_maximum=1,
        outside_range=(
            "NX_20250515 uses clip_ratio only when clip_ratio_low or clip_ratio_high is 0 or "
            "less; elsewhere the ratio is clipped to a range that no longer bounds the update"
        ),
        details=(
            "Common Values: 0.2 (standard), 0.1 (conservative), 0.3 (aggressive).\n"
            "The reference gives 0.2 as its default; NexRL reads it without one."
        ),
        examples=(
            "clip_ratio: 0.2  # Standard",
            "clip_ratio: 0.1  # Conservative",
            "clip_ratio: 0.3  # Aggressive",
        ),
    ),
    Option(
        f"{A}.clip_ratio_low",
        description="Lower PPO clipping ratio; null uses clip_ratio.",
        source=f"{_ACTOR_10}:71-73",
        type="number",
        required=True,
        required_for=_FOR,
        nullable=True,
    ),
    Option(
        f"{A}.clip_ratio_high",
        description="Upper PPO clipping ratio; null uses clip_ratio.",
        source=f"{_ACTOR_10}:74-78",
        type="number",
        required=True,
        required_for=_FOR,
        nullable=True,
    ),
    Option(
        f"{A}.clip_ratio_c",
        description="Dual-clip constant bounding the loss for negative advantages.",
        source=f"{_ACTOR_10}:79",
        type="number",
        default=3.0,
    ),
    Option(
        f"{A}.entropy_coeff",
        description="Entropy coefficient for exploration.",
        source=f"spec/service-config.md; {_ACTOR_10}:324",
        type="number",
        required_unless=_TRAINED,
        required_for=_FOR_TRAINED,
        details=(
            "The reference gives 1e-4 as its default; NexRL reads it without one. A negative "
            "value penalises entropy instead of rewarding it."
        ),
    ),
    Option(
        f"{A}.ppo_epochs",
        description="Number of PPO epochs per batch.",
        source=f"spec/service-config.md; {_ACTOR_10}:293; {_WORKERS_10}:442",
        type="int",
        required_unless=(_TEACHER,),
        required_for=_FOR_UPDATED,
        minimum=1,
        outside_range="each training step then updates nothing (range(ppo_epochs) is empty)",
        details=(
            "The reference gives 1 as its default; NexRL reads it without one. The "
            "self_hosted_opd student reads it too, even with distillation_epochs set "
            '(`config.get("distillation_epochs", config.ppo_epochs)`). 0 updates nothing.'
        ),
    ),
    Option(
        f"{A}.loss_agg_mode",
        description="How per-token losses are aggregated into one loss.",
        source=f"{_ACTOR_10}:80; {_ALGOS_10}:42-51",
        type="string",
        required=True,
        required_for=_FOR,
        choices=("token-mean", "seq-mean-token-sum", "seq-mean-token-mean"),
        # Every worker reads it; only the GRPO update uses the value (the distillation update
        # takes trainer.algorithm.loss_agg_mode).
        used_if=(Condition("trainer.type", ("self_hosted_grpo",), absent=True),),
        details=(
            "NexRL's recipes use token-mean. Only the self_hosted_grpo update uses it; "
            "self_hosted_opd reads trainer.algorithm.loss_agg_mode instead."
        ),
    ),
    Option(
        f"{A}.loss_func_type",
        description="Policy-loss variant the actor uses.",
        source=f"{_ACTOR_10}:66-67",
        type="string",
        removed="1.2",
        required=True,
        required_for=_FOR,
        choices=("NX_20250515", "NX_20241031"),
        details="NexRL's recipes use NX_20250515.",
    ),
    Option(
        f"{A}.loss_func_type",
        description="Policy-loss variant the actor uses.",
        source=f"{_ACTOR_12}:69-70",
        type="string",
        added="1.2",
        required=True,
        required_for=_FOR,
        choices=("NX_20250515", "NX_20241031", "importance_sampling"),
        details="NexRL's recipes use NX_20250515.",
    ),
    Option(
        f"{A}.use_kl_loss",
        description="Add a KL-divergence loss against the reference model.",
        source=f"{_ACTOR_10}:282,345",
        type="bool",
        required_unless=_TRAINED,
        required_for=_FOR_TRAINED,
        details=(
            "true stops the first training step: the update asks for reference "
            "log-probabilities (ref_log_prob), and NexRL builds no reference model to compute "
            "them."
        ),
    ),
    Option(
        f"{A}.kl_loss_type",
        description="How the KL loss is estimated.",
        source=f"{_ACTOR_10}:351; {_ALGOS_10}:281-307",
        type="string",
        choices=("kl", "abs", "mse", "low_var_kl"),
        used_if=_KL,
        details=(
            "NexRL's recipes use low_var_kl. NexRL also names `full`, but raises "
            "NotImplementedError for it. Read only with use_kl_loss, which stops the first "
            "training step before (see nextrainer-first-step): not required."
        ),
    ),
    Option(
        f"{A}.kl_loss_coef",
        description="Weight of the KL loss term.",
        source=f"{_ACTOR_10}:355-357",
        type="number",
        required_unless=_TRAINED,
        required_for=_FOR_TRAINED,
        details="The GRPO update reads it with use_kl_loss false too, to log it.",
    ),
    Option(
        f"{A}.use_ring_sequence_parallel",
        description="Use ring-style sequence parallelism for very long sequences.",
        source=f"{_WORKERS_10}:117",
        type="bool",
        default=False,
    ),
    Option(
        f"{A}.ulysses_sequence_parallel_size",
        description="Degree of Ulysses sequence parallelism (1 = off).",
        source=f"{_ACTOR_10}:60; {_WORKERS_10}:84,118",
        type="int",
        required=True,
        required_for=_FOR,
        minimum=1,
    ),
    Option(
        f"{A}.use_dynamic_bsz",
        description="Size micro-batches by token count instead of sample count.",
        source=f"{_WORKERS_10}:465; {_ACTOR_10}:297",
        type="bool",
        required=True,
        required_for=_FOR,
        details=(
            "true stops the first update (GRPO or distillation): NexTrainer's token-based "
            "split returns plain dicts, which the update cannot move to the GPU. Computing "
            "log-probabilities alone (a self_hosted_opd teacher) works."
        ),
    ),
    Option(
        f"{A}.ppo_max_token_len_per_gpu",
        description="Maximum tokens per GPU in one micro-batch when use_dynamic_bsz is on.",
        source=f"{_WORKERS_10}:464; {_ACTOR_10}:299",
        type="int",
        required_unless=_NO_LOG_PROBS,
        required_for=_FOR_LOG_PROBS,
    ),
    Option(
        f"{A}.do_old_log_prob_compute",
        description="Recompute log-probabilities with the pre-update policy before training.",
        source=f"{_ACTOR_10}:69,284",
        type="bool",
        required=True,
        required_for=_FOR,
    ),
    _distill(
        "use_distillation_clipping",
        "Use PPO-like clipping in the on-policy distillation loss.",
        "bool",
        False,
        373,
    ),
    _distill(
        "distillation_cliprange",
        "Clipping range of the on-policy distillation loss.",
        "number",
        0.2,
        374,
    ),
    _distill(
        "distillation_cliprange_low",
        "Lower clipping range of the on-policy distillation loss.",
        "number",
        0.2,
        375,
    ),
    _distill(
        "distillation_cliprange_high",
        "Upper clipping range of the on-policy distillation loss.",
        "number",
        0.2,
        376,
    ),
    _distill(
        "do_old_student_log_prob_compute",
        "Compute the student's pre-update log-probabilities for distillation clipping.",
        "bool",
        False,
        377,
    ),
    _distill(
        "train_token_start_pct",
        "Start of the response-token range trained on, as a fraction (distillation).",
        "number",
        0.0,
        380,
    ),
    _distill(
        "train_token_end_pct",
        "End of the response-token range trained on, as a fraction (distillation).",
        "number",
        1.0,
        381,
    ),
    _distill(
        "advantage_start_pct",
        "Start of the advantage-ranked token range trained on, as a fraction (distillation).",
        "number",
        0.0,
        384,
    ),
    _distill(
        "advantage_end_pct",
        "End of the advantage-ranked token range trained on, as a fraction (distillation).",
        "number",
        1.0,
        385,
    ),
    _distill(
        "entropy_start_pct",
        "Start of the entropy-ranked token range trained on, as a fraction (distillation).",
        "number",
        0.0,
        388,
    ),
    _distill(
        "entropy_end_pct",
        "End of the entropy-ranked token range trained on, as a fraction (distillation).",
        "number",
        1.0,
        389,
    ),
    Option(
        f"{A}.distillation_epochs",
        description="Epochs per batch for on-policy distillation; ppo_epochs is used when unset.",
        source=f"{_ACTOR_12}:416",
        type="int",
        added="1.2",
        minimum=1,
    ),
    Option(
        f"{A}.enable_memory_tracing",
        description="Record CUDA memory history for debugging.",
        source=f"{_WORKERS_10}:100",
        type="bool",
        default=False,
    ),
    Option(
        f"{A}.model_path",
        description="Model path as the 1.4 migration guide writes it; NexRL reads model.path.",
        source="spec/v1.4/config-migration-guide.md",
        added="1.2",
        ignored=True,
        details="NexRL never reads actor.model_path: set actor.model.path.",
    ),
    Option(
        f"{A}.model.path",
        description="Model weights path.",
        source=f"spec/service-config.md; {_WORKERS_10}:380",
        type="string",
        required=True,
        required_for=_FOR,
        details="A local path: no trailing '/', no hdfs:// (NexRL asserts both).",
        examples=(('model:\n  path: "${oc.env:NEXRL_MODEL_PATH}/Qwen/Qwen3-8B"'),),
    ),
    Option(
        f"{A}.model.use_remove_padding",
        description="Remove padding tokens for efficiency.",
        source=f"spec/service-config.md; {_WORKERS_10}:368",
        type="bool",
        default=False,
        details="The reference gives true as its default; NexRL uses false when it is unset.",
    ),
    Option(
        f"{A}.model.enable_gradient_checkpointing",
        description="Recompute activations in the backward pass to save GPU memory.",
        source=f"{_WORKERS_10}:385-386",
        type="bool",
        default=False,
    ),
    Option(
        f"{A}.model.trust_remote_code",
        description="Allow the model's own code from its repository to run when loading it.",
        source=f"{_WORKERS_10}:388",
        type="bool",
        default=False,
    ),
    Option(
        f"{A}.model.use_liger",
        description="Apply Liger kernels to the model.",
        source=f"{_WORKERS_10}:389",
        type="bool",
        default=False,
    ),
    Option(
        f"{A}.model.override_config",
        description="Overrides applied to the model's Hugging Face config.",
        source=f"{_WORKERS_10}:365",
        type="mapping",
    ),
    Option(
        f"{A}.model.external_lib",
        description="External library to import before the model is loaded.",
        source=f"{_WORKERS_10}:360",
        type="string",
        nullable=True,
        details="NexTrainer's import_external_libs does nothing with it.",
    ),
    Option(
        f"{A}.optim.lr",
        description="Learning rate.",
        source=f"spec/service-config.md; {_WORKERS_10}:339",
        type="number",
        required=True,
        required_for=_FOR,
        exclusive_minimum=0,
        outside_range="AdamW then leaves the weights as they are: nothing is trained",
        use=Use(
            "non-negative",
            "torch.optim.AdamW(..., lr=optim.lr)",
            f"{_WORKERS_10}:337-342",
            "torch raises ValueError 'Invalid learning rate' when the workers build the "
            "optimiser, at start-up",
        ),
        details=(
            "Guidelines: small model 5e-6, medium model 2e-6, large model 1e-6.\n"
            "NexRL hands it to torch's AdamW, which refuses a negative one; 0 runs and "
            "trains nothing."
        ),
        examples=(
            ("# Small model\nlr: 5e-6"),
            ("# Medium model\nlr: 2e-6"),
            ("# Large model\nlr: 1e-6"),
        ),
    ),
    Option(
        f"{A}.optim.lr_warmup_steps_ratio",
        description="Warmup steps as ratio of total steps.",
        source=f"spec/service-config.md; {_WORKERS_10}:344",
        type="number",
        default=0.0,
        minimum=0,
        maximum=1,
        outside_range="the warmup then never ends, or never starts",
        details=(
            "The warmup lasts ratio × optim.total_training_steps steps; total_training_steps "
            "defaults to 0 and no NexRL code sets it, so without it there is no warmup."
        ),
        examples=(
            ("# No warmup\nlr_warmup_steps_ratio: 0.0"),
            ("# 10% warmup\nlr_warmup_steps_ratio: 0.1"),
        ),
    ),
    Option(
        f"{A}.optim.warmup_style",
        description="Learning rate schedule.",
        source="spec/service-config.md",
        type="string",
        choices=("constant", "linear", "cosine"),
        ignored=True,
        details=(
            "The reference lists constant (default), linear and cosine; NexRL never reads "
            "the key and always uses a constant schedule after the warmup."
        ),
    ),
    Option(
        f"{A}.optim.weight_decay",
        description="AdamW weight decay of the actor optimiser.",
        source=f"{_WORKERS_10}:341",
        type="number",
        default=0.01,
        minimum=0,
        details='torch\'s AdamW raises "Invalid weight_decay value" for a negative one.',
    ),
    Option(
        f"{A}.optim.betas",
        description="AdamW betas of the actor optimiser, as [beta1, beta2].",
        source=f"{_WORKERS_10}:340",
        type="list",
        details="Default [0.9, 0.999].",
    ),
    Option(
        f"{A}.optim.total_training_steps",
        description=(
            "Total optimiser steps, used to turn lr_warmup_steps_ratio into a step count."
        ),
        source=f"{_WORKERS_10}:343",
        type="int",
        default=0,
    ),
    Option(
        f"{A}.fsdp_config.wrap_policy.min_num_params",
        description="Minimum parameters for FSDP wrapping.",
        source=f"spec/service-config.md; {_DIST_10}:376",
        type="int",
        default=0,
        details="0 or less wraps the model's transformer layers one by one.",
    ),
    Option(
        f"{A}.fsdp_config.wrap_policy.disable",
        description="Do not wrap submodules: FSDP shards the model as one unit.",
        source=f"{_DIST_10}:369",
        type="bool",
        default=False,
    ),
    Option(
        f"{A}.fsdp_config.wrap_policy.transformer_layer_cls_to_wrap",
        description="Class names of the transformer layers FSDP wraps one by one.",
        source=f"{_DIST_10}:373-374",
        type="list",
        details="Default: the model's own _no_split_modules.",
    ),
    Option(
        f"{A}.fsdp_config.param_offload",
        description="Offload parameters to CPU.",
        source=f"spec/service-config.md; {_WORKERS_10}:130",
        type="bool",
        default=False,
    ),
    Option(
        f"{A}.fsdp_config.grad_offload",
        description="Offload gradients to CPU.",
        source=f"spec/service-config.md; {_WORKERS_10}:131",
        type="bool",
        default=False,
    ),
    Option(
        f"{A}.fsdp_config.optimizer_offload",
        description="Offload optimiser states to CPU.",
        source=f"{_WORKERS_10}:132",
        type="bool",
        default=False,
    ),
    Option(
        f"{A}.fsdp_config.fsdp_size",
        description="Number of GPUs in one FSDP group; -1 shards across all GPUs.",
        source=f"{_WORKERS_10}:45-51,112",
        type="int",
        required=True,
        required_for=_FOR,
        details=(
            "NexRL stops unless it is negative or at least the world size (NexRL's recipes use -1)."
        ),
    ),
    Option(
        f"{A}.fsdp_config.model_dtype",
        description="Data type the actor model is created in (for example fp32 or bf16).",
        source=(
            f"{_WORKERS_10}:214; nexrl/train_service_backend/utils/model_utils.py@v1.0.0:30-41"
        ),
        type="string",
        choices=_DTYPES,
        loose_choices=True,
        details="NexRL silently uses fp32 for a name it does not know.",
    ),
    Option(
        f"{A}.fsdp_config.mixed_precision",
        description="FSDP mixed-precision dtypes (param_dtype, reduce_dtype, buffer_dtype).",
        source=f"{_WORKERS_10}:289-297",
        type="mapping",
        details="Defaults: param_dtype bf16, reduce_dtype fp32, buffer_dtype fp32.",
    ),
    Option(
        f"{A}.ref.log_prob_micro_batch_size",
        description="Micro-batch size for the reference model's log-probability computation.",
        source=f"{_WORKERS_10}:167-175",
        type="int",
        nullable=True,
        minimum=1,
    ),
    Option(
        f"{A}.rollout.temperature",
        description="Sampling temperature used when recomputing log-probabilities.",
        source=f"{_WORKERS_10}:466",
        type="number",
        required_unless=_NO_LOG_PROBS,
        required_for=_FOR_LOG_PROBS,
        details="Recipes set it to ${rollout_worker.temperature}.",
    ),
    Option(
        f"{A}.rollout.tensor_model_parallel_size",
        description="Tensor-parallel size of the inference engine, used when exporting weights.",
        source=(
            f"{_WORKERS_10}:418; "
            "nexrl/train_service_backend/utils/checkpoint_manager.py@v1.0.0:303,417-423"
        ),
        type="int",
        required=True,
        required_for=_FOR,
        minimum=1,
        # The workers read it at start-up, but only the weight provider uses it (a modulo
        # with it when it exports the weights).
        used_if=(Condition(".use_weight_provider", (True,)),),
        details=(
            "Read by the workers at start-up; only the weight provider (use_weight_provider) "
            "uses it, taking `mesh_size % tp_size` when it exports weights."
        ),
    ),
    Option(
        f"{A}.rollout.log_prob_micro_batch_size",
        description="Micro-batch size for log-probability computation.",
        source=f"{_WORKERS_10}:154-164,463",
        type="int",
        required_unless=_NO_LOG_PROBS,
        required_for=_FOR_LOG_PROBS,
        nullable=True,
        minimum=1,
        details=(
            "Needed, and not null, whenever the backend computes log-probabilities: for the "
            "self_hosted_grpo actor unless trainer.algorithm.do_old_log_prob_compute is false, "
            "for a self_hosted_opd teacher, and for its student with "
            "do_old_student_log_prob_compute."
        ),
    ),
    Option(
        f"{A}.rollout.n",
        description="Number of responses sampled per prompt.",
        source=f"{_WORKERS_10}:135",
        type="int",
        required=True,
        required_for=_FOR,
        minimum=1,
        details="Recipes set it to ${data.rollout_repeat_n}.",
    ),
    Option(
        f"{A}.rollout.use_weight_provider",
        description=(
            "Serve weights to the inference engine over the network (internal-only feature)."
        ),
        source=f"{_WORKERS_10}:417; nexrl/utils/validate_config.py@v1.0.0:100-101",
        type="bool",
        required=True,
        required_for=_FOR,
        default=False,
        details=(
            "Must be true when weight.sync_method is network. NexRL's start-up check treats "
            "it as false when unset; the training workers read it without a default."
        ),
    ),
    *distillation_copies(f"{A}.rollout", 498),
    Option(
        f"{A}.micro_batch_size",
        description="Micro-batch of NexRL's SFT recipe (read by no NexRL version).",
        source="recipe/pig_latin/self_hosted.yaml@v1.4.0:73",
        type="int",
        minimum=1,
        unread=True,
    ),
)
