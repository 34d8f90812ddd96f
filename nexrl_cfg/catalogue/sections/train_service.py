"""`service.train_service`: the training service, flat or as named services
(`service.train_service.<name>`), with its `config` and `resource`."""

from __future__ import annotations

from ..model import Condition, Option, Section

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "service.train_service",
        description="Backend service that trains the model.",
        source="spec/service-config.md",
        details=(
            "Self-hosted runs use the NexTrainer backend (http, direct-zmq) with an "
            "`actor` section; Tinker and Weaver runs set the backend to tinker or "
            "weaver and put the optimiser settings under `config`.\n"
            "Newer NexRL versions nest one or more services under names of the user's "
            "choice (service.train_service.<name>), each with these same keys and a "
            "`role`."
        ),
    ),
    Section(
        "service.train_service.resource",
        description="GPUs for this training service (nested layout, Kubernetes deployment).",
        source="recipes",
        closed=False,
        details="Newer NexRL versions; replaces the top-level resource.train.<id> section.",
    ),
    Section(
        "service.train_service.config",
        description=(
            "Training hyperparameters sent to the Tinker or Weaver service, and client timeouts."
        ),
        source="recipes",
    ),
    Option(
        "service.train_service.model_tag",
        description="Model identifier (matches inference service).",
        source="spec/service-config.md",
        type="string",
        default="default",
        details=(
            "Newer NexRL versions call it `identifier` and accept model_tag with a "
            "deprecation warning."
        ),
    ),
    Option(
        "service.train_service.identifier",
        description="Identifier of this training service (replaces model_tag).",
        source="recipes",
        type="string",
        details=(
            "Newer NexRL versions use `identifier` in place of `model_tag`. The actor "
            "service's identifier must match service.inference_service.identifier. "
            "Early on-policy-distillation recipes used it for the worker group name, "
            "next to model_tag."
        ),
    ),
    Option(
        "service.train_service.role",
        description=("Role of this training service: the trained actor or a distillation teacher."),
        source="recipes",
        type="string",
        details=(
            "- actor: the primary training service (exactly one is required)\n"
            "- teacher: teacher model for on-policy distillation\n"
            "With a single service NexRL assumes actor when the role is missing."
        ),
    ),
    Option(
        "service.train_service.backend",
        description="Training service backend.",
        source="spec/service-config.md",
        type="string",
        default="http",
        choices=("http", "mock", "direct-zmq", "nextrainer", "tinker", "weaver"),
        details=(
            "- http: NexTrainer HTTP API\n"
            "- mock: Mock trainer for testing\n"
            "- direct-zmq: NexTrainer with direct ZMQ data transfer (newer NexRL "
            "versions, which also map http to it)\n"
            "- nextrainer: older name of http (deprecated)\n"
            "- tinker: Tinker training service (used by NexRL's recipes)\n"
            "- weaver: Weaver training service (used by NexRL's recipes)"
        ),
    ),
    Option(
        "service.train_service.world_size",
        description="Number of GPUs for training.",
        source="spec/service-config.md",
        type="int",
        required_if=(Condition(path=".backend", values=("http",)),),
        provided_by=(".resource.world_size",),
        minimum=1,
        details=(
            "In the nested train_service layout this moves to "
            "service.train_service.<name>.resource.world_size."
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
        source="spec/service-config.md",
        type="string",
        required_if=(Condition(path=".backend", values=("http",)),),
        examples=('url: "http://${oc.env:API_SERVER_URL}:8000"',),
    ),
    Option(
        "service.train_service.model_path",
        description=(
            "Path to this service's model weights (nested layout, used for OPD teachers)."
        ),
        source="recipes",
        type="string",
        details="Recipes reference it from actor.model.path.",
    ),
    Option(
        "service.train_service.resource.world_size",
        description="Number of GPU pods for this training service.",
        source="recipes",
        type="int",
        minimum=1,
    ),
    Option(
        "service.train_service.resource.gpus_per_pod",
        description="GPUs per pod.",
        source="recipes",
        type="int",
        minimum=1,
    ),
    Option(
        "service.train_service.resource.memory_per_gpu",
        description="GPU memory per GPU, in GB.",
        source="recipes",
        type="int",
        minimum=1,
    ),
    Option(
        "service.train_service.config.loss_fn",
        description="Loss function the Tinker or Weaver service computes.",
        source="recipes",
        type="string",
        default="importance_sampling",
        details=(
            "NexRL's recipes use importance_sampling for RL (GRPO) and cross_entropy "
            "for supervised training."
        ),
    ),
    Option(
        "service.train_service.config.learning_rate",
        description="Learning rate of the remote Adam optimiser.",
        source="recipes",
        type="number",
        default=2e-06,
        exclusive_minimum=0,
    ),
    Option(
        "service.train_service.config.beta1",
        description="Adam beta1 (first-moment decay).",
        source="recipes",
        type="number",
        default=0.9,
    ),
    Option(
        "service.train_service.config.beta2",
        description="Adam beta2 (second-moment decay).",
        source="recipes",
        type="number",
        default=0.95,
    ),
    Option(
        "service.train_service.config.eps",
        description="Adam epsilon for numerical stability.",
        source="recipes",
        type="number",
        default=1e-08,
    ),
    Option(
        "service.train_service.config.weight_decay",
        description="Weight decay of the remote optimiser.",
        source="recipes",
        type="number",
        default=0.01,
    ),
    Option(
        "service.train_service.config.grad_clip_norm",
        description="Gradient-norm clipping threshold of the remote optimiser.",
        source="recipes",
        type="number",
        default=1.0,
    ),
    Option(
        "service.train_service.config.entropy_coeff",
        description="Entropy regularisation coefficient passed to the remote loss.",
        source="recipes",
        type="number",
        default=0.0001,
    ),
    Option(
        "service.train_service.config.kl_penalty_coef",
        description=(
            "KL penalty coefficient for on-policy distillation (1.0 = full distillation)."
        ),
        source="recipes",
        type="number",
    ),
    Option(
        "service.train_service.config.kl_discount_factor",
        description="Discount factor for future KL in on-policy distillation (0.0 = none).",
        source="recipes",
        type="number",
    ),
    Option(
        "service.train_service.config.zmq_recv_timeout_ms",
        description="Receive timeout of the direct-zmq training client, in milliseconds.",
        source="recipes",
        type="int",
        default=600000,
        details="Read by newer NexRL versions for the direct-zmq backend.",
    ),
    Option(
        "service.train_service.config.zmq_total_timeout_ms",
        description="Total timeout of one direct-zmq training request, in milliseconds.",
        source="recipes",
        type="int",
        default=3600000,
        details="Read by newer NexRL versions for the direct-zmq backend.",
    ),
)
