"""`service.train_service`: the training service, flat or as named services
(`service.train_service.<name>`, NexRL 1.2 on), with its `config` and `resource`."""

from __future__ import annotations

from ...nexrl import (
    ACTOR,
    DIRECT_ZMQ,
    IDENTIFIERS,
    NAMED_SERVICES,
    NEXTRAINER_BACKENDS,
    OLD_NEXTRAINER_BACKENDS,
    OLDEST,
    OPENAI_CLIENT_BACKENDS,
    REMOTE_BACKENDS,
    REMOTE_TRAINERS,
    SELF_HOSTED_TRAINERS,
    TEACHER,
)
from ..model import Condition, Option, Product, Section

# Backends served by NexRL's own training service (its client needs `url`); `mock` skips
# the workers. `direct-zmq` exists from 1.3 (an invalid choice before, reported as such).
SELF_HOSTED = (*NEXTRAINER_BACKENDS, "mock")

_SELF_HOSTED = (Condition(".backend", SELF_HOSTED),)
# From 1.2 NexRL copies the top-level `resource.train.<identifier>` into the service.
_NO_LEGACY_RESOURCE = Condition("resource.train", (None,), absent=True)
# The inference backend decides between self-hosted and Tinker/Weaver training (from 1.2;
# before, NexRL asserts both backends agree).
_SELF_HOSTED_RUN = (Condition("service.inference_service.backend", OPENAI_CLIENT_BACKENDS),)
# A self-hosted trainer takes int(world_size * gpus_per_pod) of its actor's resource (and the
# self_hosted_opd trainer of its teacher's) as the number its batches are padded to.
_TRAINER_SRC = "nexrl/trainer/self_hosted_trainer.py@v1.2.0:84"
_GPUS = (
    "int(world_size * gpus_per_pod)",
    f"{_TRAINER_SRC}; nexrl/trainer/self_hosted_opd_trainer.py@v1.2.0:106",
    (
        Condition("trainer.type", SELF_HOSTED_TRAINERS),
        Condition("^role", (ACTOR, TEACHER), absent=True),
    ),
)
# The training hyperparameters of `config` are read by remote trainers only
# (remote_api_trainer.py@v1.0.0:68-73, @v1.4.0:75-83); self-hosted runs read `zmq_*` there.
_REMOTE_TRAINER = (Condition("trainer.type", REMOTE_TRAINERS),)
_CROSS_ENTROPY = "nexrl/trainer/remote_api_cross_entropy_trainer.py@v1.4.0"
_OPD_TRAINER = (Condition("trainer.type", ("remote_api_opd",)),)
# What the direct-zmq client's timeouts (1.3 on) do.
_ZMQ_TIMEOUT = (
    "Read for the direct-zmq backend (and http/nextrainer, mapped to it), by the client NexRL "
    "builds to save the initial checkpoint, which talks HTTP only: the trainers' own clients "
    "are built without it, so it has no effect."
)

_BACKEND_DETAILS = (
    "- http: NexTrainer HTTP API\n"
    "- nextrainer: older name of http\n"
    "- mock: Mock trainer for testing (no workers)\n"
    "- tinker: Tinker training service (NexRL's recipes; not in the reference)\n"
    "- weaver: Weaver training service (NexRL's recipes; not in the reference)"
)


def _backend(added: str, removed: str | None, **kw: object) -> Option:
    return Option(
        "service.train_service.backend",
        description="Training service backend.",
        type="string",
        added=added,
        removed=removed,
        **kw,  # type: ignore[arg-type]
    )


ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "service.train_service",
        description="Backend service that trains the model.",
        source=(
            "spec/service-config.md; spec/v1.4/service-config.md; "
            "nexrl/utils/validate_config.py@v1.0.0:54; nexrl/utils/validate_config.py@v1.2.0:75"
        ),
        required=True,
        details=(
            "Self-hosted runs use the NexTrainer backend (http; direct-zmq from 1.3) with an "
            "`actor` section; Tinker and Weaver runs set the backend to tinker or "
            "weaver and put the optimiser settings under `config`.\n"
            "From 1.2 NexRL nests one or more services under names of the user's choice "
            "(service.train_service.<name>), each with these same keys and a `role`; the "
            "flat layout is still accepted with a deprecation warning."
        ),
    ),
    Section(
        "service.train_service.resource",
        description="GPUs for this training service.",
        source="nexrl/trainer/self_hosted_trainer.py@v1.2.0:76-84; spec/v1.4/service-config.md",
        added=NAMED_SERVICES,
        required_if=(*_SELF_HOSTED, _NO_LEGACY_RESOURCE),
        required_for="for self-hosted training",
        details=(
            "Replaces the top-level resource.train.<identifier> section, which NexRL copies "
            "here when present."
        ),
    ),
    Section(
        "service.train_service.config",
        description=(
            "Training hyperparameters sent to the Tinker or Weaver service, and client timeouts."
        ),
        source="nexrl/trainer/remote_api_trainer.py@v1.0.0:68; nexrl/controller.py@v1.0.0:249",
    ),
    Option(
        "service.train_service.model_tag",
        description="Model identifier (matches inference service).",
        source=(
            "spec/service-config.md; nexrl/utils/validate_config.py@v1.0.0:53-55; "
            "nexrl/controller.py@v1.0.0:264"
        ),
        type="string",
        removed=IDENTIFIERS,
        required=True,
        details=(
            'The reference gives "default" as its default, but NexRL reads it without one '
            "and asserts it equals service.inference_service.model_tag."
        ),
    ),
    Option(
        "service.train_service.model_tag",
        description="Older name of `identifier`, still read with a deprecation warning.",
        source=(
            "nexrl/utils/validate_config.py@v1.2.0:131-142; "
            "nexrl/utils/config_utils.py@v1.2.0:247-265"
        ),
        type="string",
        added=IDENTIFIERS,
        deprecated=IDENTIFIERS,
        replaced_by="service.train_service.identifier",
        details="NexRL copies it to `identifier` when that is not set.",
    ),
    Option(
        "service.train_service.identifier",
        description="Name of the training worker group.",
        source="nexrl/controller.py@v1.0.0:247; nexrl/trainer/self_hosted_trainer.py@v1.0.0:64",
        type="string",
        removed=IDENTIFIERS,
        details="Optional before 1.2; model_tag is what NexRL matches with the inference service.",
    ),
    Option(
        "service.train_service.identifier",
        description="Identifier of this training service (replaces model_tag).",
        source=(
            "spec/v1.4/service-config.md; nexrl/controller.py@v1.2.0:281; "
            "cli/common/config_utils.py@v1.2.0:306-310"
        ),
        type="string",
        added=IDENTIFIERS,
        required_if=_SELF_HOSTED,
        provided_by=(".model_tag",),
        required_for="for self-hosted training",
        details=(
            "Previously named `model_tag`. The actor service's identifier must match "
            "service.inference_service.identifier; the launcher names the GPU workers by it."
        ),
    ),
    Option(
        "service.train_service.role",
        description="Role of this training service: the trained actor or a distillation teacher.",
        source=(
            "spec/v1.4/service-config.md; nexrl/utils/validate_config.py@v1.2.0:93-125; "
            "nexrl/trainer/self_hosted_trainer.py@v1.3.0:154"
        ),
        type="string",
        added=NAMED_SERVICES,
        choices=("actor", "teacher"),
        loose_choices=True,
        details=(
            "- actor: the primary training service (exactly one is required)\n"
            "- teacher: teacher model for on-policy distillation (self_hosted_opd)\n"
            "With a single service NexRL assumes actor when the role is missing."
        ),
    ),
    Option(
        "service.train_service.model_path",
        description="The teacher's model path, as NexRL's OPD recipe writes it (read by no "
        "NexRL version).",
        source=(
            "recipe/on_policy_distill/self_hosted_opd_qwen2a5_1a5b_from_7b.yaml@v1.2.0:515,536; "
            "recipe/on_policy_distill/self_hosted_opd_qwen2a5_1a5b_from_7b.yaml@v1.4.0:523,544"
        ),
        type="string",
        added="1.2",
        unread=True,
        details=(
            "The recipe's actor.model.path refers to it (${service.train_service.teacher."
            "model_path}); NexRL reads the model from actor.model.path."
        ),
    ),
    _backend(
        "1.0",
        DIRECT_ZMQ,
        source=(
            "spec/service-config.md; nexrl/utils/init_utils.py@v1.0.0:39-55; "
            "nexrl/utils/validate_config.py@v1.0.0:63-90; "
            "nexrl/trainer/self_hosted_trainer.py@v1.2.0:72,122"
        ),
        required_if=_SELF_HOSTED_RUN,
        required_for="for self-hosted training",
        choices=(*OLD_NEXTRAINER_BACKENDS, "mock", *REMOTE_BACKENDS),
        details=(
            f"{_BACKEND_DETAILS}\n"
            "In 1.0 and 1.1 NexRL asserts that a tinker or weaver run sets it to the "
            "inference backend as well. A 1.2 self_hosted_opd teacher with another backend is "
            "skipped at start-up and stops the first training step "
            "(nexrl/trainer/self_hosted_opd_trainer.py@v1.2.0:202-206,359-364)."
        ),
    ),
    _backend(
        DIRECT_ZMQ,
        None,
        source=(
            "spec/v1.4/service-config.md; nexrl/utils/init_utils.py@v1.3.0:53-88; "
            "nexrl/utils/config_utils.py@v1.3.0:318-319"
        ),
        required_if=_SELF_HOSTED_RUN,
        required_for="for self-hosted training",
        choices=("direct-zmq", *OLD_NEXTRAINER_BACKENDS, "mock", *REMOTE_BACKENDS),
        deprecated_choices=(("http", "direct-zmq"), ("nextrainer", "direct-zmq")),
        details=(
            "- direct-zmq: NexTrainer with direct ZMQ data transfer\n"
            f"{_BACKEND_DETAILS}\n"
            "NexRL maps http and nextrainer to direct-zmq with a deprecation warning. The "
            "reference lists http, weaver, tinker and mock.\n"
            'NexRL starts the workers where `backend in ("direct-zmq")`, a substring test '
            "(nexrl/trainer/self_hosted_trainer.py@v1.4.0:120, "
            "nexrl/trainer/self_hosted_opd_trainer.py@v1.4.0:153), but only direct-zmq and mock "
            "have a client (nexrl/utils/init_utils.py@v1.4.0:88): `direct`, `zmq` or an empty "
            "backend stops the run at start-up all the same."
        ),
    ),
    Option(
        "service.train_service.world_size",
        description="Number of GPUs for training.",
        source="spec/service-config.md; nexrl/trainer/self_hosted_trainer.py@v1.0.0:66-68",
        type="int",
        removed=NAMED_SERVICES,
        replaced_by="service.train_service.resource.world_size",
        required_if=_SELF_HOSTED,
        required_for="for self-hosted training",
        minimum=1,
        details=(
            "From 1.2 NexRL no longer reads it (the 1.0-1.3 reference and the 1.4 migration "
            "guide still show it in the old layout): the GPUs come from "
            "service.train_service.<name>.resource.{world_size, gpus_per_pod}, or from the "
            "legacy resource.train.<identifier>, which NexRL copies there."
        ),
        examples=(
            ("# Single GPU\nworld_size: 1"),
            ("# 8 GPUs\nworld_size: 8"),
            ("# Multi-node (32 GPUs)\nworld_size: 32"),
        ),
    ),
    Option(
        "service.train_service.url",
        description="Training service URL.",
        source=(
            "spec/service-config.md; nexrl/controller.py@v1.0.0:246; "
            "nexrl/trainer/self_hosted_trainer.py@v1.0.0:63; "
            "nexrl/trainer/self_hosted_trainer.py@v1.4.0:73"
        ),
        type="string",
        required_if=_SELF_HOSTED,
        required_for="for self-hosted training",
        details=(
            "NexRL reads it for every self-hosted backend, mock included (the 1.4 reference "
            "says: required for http/weaver backends)."
        ),
        examples=('url: "http://${oc.env:API_SERVER_URL}:8000"',),
    ),
    Option(
        "service.train_service.resource.world_size",
        description="Number of pods (nodes) for this training service.",
        source=(
            "spec/v1.4/service-config.md; nexrl/trainer/self_hosted_trainer.py@v1.2.0:76-78; "
            "cli/common/config_utils.py@v1.2.0:316-320"
        ),
        type="int",
        added=NAMED_SERVICES,
        required_if=(_NO_LEGACY_RESOURCE,),
        required_for="for self-hosted training",
        minimum=1,
        product=Product(".gpus_per_pod", *_GPUS),
        details=(
            "NexRL trains on world_size × gpus_per_pod GPUs; the reference calls it the "
            "number of GPUs. The trainer pads each batch to a multiple of "
            "int(world_size * gpus_per_pod): a quoted number is repeated there "
            '(int("2" * 8) is 22222222) and the first training step fails.'
        ),
    ),
    Option(
        "service.train_service.resource.gpus_per_pod",
        description="GPUs per pod.",
        source="spec/v1.4/service-config.md; nexrl/trainer/self_hosted_trainer.py@v1.2.0:79-84",
        type="int",
        added=NAMED_SERVICES,
        required_if=(_NO_LEGACY_RESOURCE,),
        required_for="for self-hosted training",
        minimum=1,
        product=Product(".world_size", *_GPUS),
        details=(
            "The reference says it defaults to world_size; NexRL stops at start-up when it "
            "is missing. A quoted number gives the number meant only with world_size 1 "
            '(int(1 * "8") is 8, int(2 * "8") is 88).'
        ),
    ),
    Option(
        "service.train_service.resource.memory_per_gpu",
        description="Memory per GPU, as NexRL's recipes write it (read by no NexRL version).",
        source="recipe/math/self_hosted.yaml@v1.4.0:96",
        type="int",
        added=NAMED_SERVICES,
        minimum=1,
        unread=True,
    ),
    *(
        Option(
            "service.train_service.config.loss_fn",
            description="Loss function the Tinker or Weaver service computes.",
            source=f"nexrl/trainer/remote_api_trainer.py@v1.0.0:69; {_CROSS_ENTROPY}:52-53",
            type="string",
            added=added,
            removed=removed,
            default="importance_sampling",
            used_if=(Condition("trainer.type", readers),),
            inert=inert,
            details=(
                "Handed to the service unchecked. NexRL's recipes use importance_sampling for "
                "RL (GRPO; the default) and cross_entropy for supervised training (the default "
                "of remote_api_cross_entropy). From 1.2 remote_api_cross_entropy looks for it "
                "in the flat layout, which NexRL has migrated to named services: it always "
                "uses cross_entropy."
            ),
        )
        for added, removed, readers, inert in (
            (OLDEST, NAMED_SERVICES, REMOTE_TRAINERS, None),
            (
                NAMED_SERVICES,
                None,
                tuple(t for t in REMOTE_TRAINERS if t != "remote_api_cross_entropy"),
                ("cross_entropy",),
            ),
        )
    ),
    Option(
        "service.train_service.config.learning_rate",
        description="Learning rate of the remote Adam optimiser.",
        source="nexrl/trainer/remote_api_trainer.py@v1.0.0:70",
        type="number",
        default=2e-06,
        exclusive_minimum=0,
        used_if=_REMOTE_TRAINER,
    ),
    Option(
        "service.train_service.config.beta1",
        description="Adam beta1 (first-moment decay).",
        source="nexrl/trainer/remote_api_trainer.py@v1.0.0:71",
        type="number",
        default=0.9,
        used_if=_REMOTE_TRAINER,
    ),
    Option(
        "service.train_service.config.beta2",
        description="Adam beta2 (second-moment decay).",
        source="nexrl/trainer/remote_api_trainer.py@v1.0.0:72",
        type="number",
        default=0.95,
        used_if=_REMOTE_TRAINER,
    ),
    Option(
        "service.train_service.config.eps",
        description="Adam epsilon for numerical stability.",
        source="nexrl/trainer/remote_api_trainer.py@v1.0.0:73",
        type="number",
        default=1e-08,
        used_if=_REMOTE_TRAINER,
    ),
    Option(
        "service.train_service.config.weight_decay",
        description="Weight decay of the remote optimiser.",
        source="nexrl/trainer/remote_api_trainer.py@v1.2.0:80",
        type="number",
        added="1.2",
        default=0.01,
        used_if=_REMOTE_TRAINER,
    ),
    Option(
        "service.train_service.config.grad_clip_norm",
        description="Gradient-norm clipping threshold of the remote optimiser.",
        source="nexrl/trainer/remote_api_trainer.py@v1.2.0:82",
        type="number",
        added="1.2",
        default=1.0,
        used_if=_REMOTE_TRAINER,
    ),
    Option(
        "service.train_service.config.entropy_coeff",
        description="Entropy regularisation coefficient passed to the remote loss.",
        source="nexrl/trainer/remote_api_trainer.py@v1.2.0:83",
        type="number",
        added="1.2",
        default=0.0001,
        used_if=_REMOTE_TRAINER,
    ),
    Option(
        "service.train_service.config.kl_penalty_coef",
        description=(
            "KL penalty coefficient for on-policy distillation (1.0 = full distillation)."
        ),
        source="nexrl/trainer/remote_api_opd_trainer.py@v1.4.0:92",
        type="number",
        added="1.4",
        default=1.0,
        details="Read by the remote_api_opd trainer.",
        used_if=_OPD_TRAINER,
    ),
    Option(
        "service.train_service.config.kl_discount_factor",
        description="Discount factor for future KL in on-policy distillation (0.0 = none).",
        source="nexrl/trainer/remote_api_opd_trainer.py@v1.4.0:93",
        type="number",
        added="1.4",
        default=0.0,
        details="Read by the remote_api_opd trainer.",
        used_if=_OPD_TRAINER,
    ),
    Option(
        "service.train_service.config.zmq_recv_timeout_ms",
        description="Receive timeout of the direct-zmq training client, in milliseconds.",
        source="nexrl/utils/init_utils.py@v1.3.0:72; nexrl/controller.py@v1.3.0:269",
        type="int",
        added="1.3",
        default=600000,
        details=_ZMQ_TIMEOUT,
    ),
    Option(
        "service.train_service.config.zmq_total_timeout_ms",
        description="Total timeout of one direct-zmq training request, in milliseconds.",
        source="nexrl/utils/init_utils.py@v1.3.0:73; nexrl/controller.py@v1.3.0:269",
        type="int",
        added="1.3",
        default=3600000,
        details=_ZMQ_TIMEOUT,
    ),
)
