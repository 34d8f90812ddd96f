"""Every documented NexRL option and section: the single source of truth of the catalogue.

Entries with `source="spec"` come from NexRL's service configuration reference; entries with
`source="recipes"` are used by NexRL's own recipes (all published versions) or read by NexRL's
start-up checks and training backend, but are not in the reference.

`service.train_service.*` describes one training service. Older recipes write it flat
(`service.train_service.backend`); newer ones nest it under a name of the user's choosing
(`service.train_service.<name>.backend`), with the same keys plus `role`, `resource` and
`model_path`.
"""

from __future__ import annotations

from .model import Condition, Option, Section

# Trainer types that train with a cross-entropy (supervised) loss instead of PPO/GRPO.
_CROSS_ENTROPY_TRAINERS = ("self_hosted_cross_entropy", "remote_api_cross_entropy")

SECTIONS: tuple[Section, ...] = (
    # ------------------------------------------------------------------ top level
    Section(
        "service",
        "Inference and training services used by the run.",
        nullable=True,
        details=(
            "Holds inference_service, train_service and, for the Tinker and Weaver "
            "training-service modes, tinker_service or weaver_service.\n"
            "A shared base file (common.yaml) may set `service: null` and leave the real "
            "values to the deployment-specific file that includes it."
        ),
    ),
    Section(
        "data",
        "Training data loader: files, batch size, prompt key and length limits.",
        closed=False,
        source="recipes",
    ),
    Section(
        "trainer",
        "Trainer module: trainer type, algorithm, step count and checkpoint paths.",
        closed=False,
        source="recipes",
    ),
    Section(
        "weight",
        "Weight synchronisation between the trainer and the inference service.",
        closed=False,
        source="recipes",
    ),
    Section(
        "trajectory_pool",
        "Pool that collects rollout trajectories into training batches.",
        closed=False,
        source="recipes",
    ),
    Section(
        "rollout_worker",
        "Rollout workers that run the agent or task and produce trajectories.",
        closed=False,
        source="recipes",
    ),
    Section(
        "validate",
        "Periodic validation: its own data loader and evaluation settings.",
        closed=False,
        source="recipes",
    ),
    Section(
        "logger",
        "Experiment logging backends (console, wandb, ...) and Feishu notifications.",
        closed=False,
        source="recipes",
    ),
    Section(
        "environment",
        "Environment set-up script run before launch.",
        closed=False,
        source="recipes",
    ),
    Section(
        "resume",
        "Whether and from where to resume training from a checkpoint.",
        closed=False,
        source="recipes",
    ),
    Section(
        "runtime_monitor",
        "Run-time health checks and exception-handling policy.",
        closed=False,
        source="recipes",
    ),
    Section(
        "resource",
        "Compute resources for Kubernetes deployment (legacy location).",
        closed=False,
        source="recipes",
        details=(
            "Older recipes put train, inference and agent resources here. Newer NexRL "
            "versions read them from service.train_service.<name>.resource, "
            "service.inference_service.resource and rollout_worker.resource instead, and "
            "still accept this section with a deprecation warning."
        ),
    ),
    Section(
        "debug",
        "Debug data dumps (trajectories, log-probs, losses) written during training.",
        closed=False,
        source="recipes",
    ),
    Section(
        "hydra",
        "Hydra's own settings, such as extra config search paths.",
        closed=False,
        source="recipes",
    ),
    Section(
        "algorithm",
        "RL algorithm settings (pre-1.0 layout; now trainer.algorithm).",
        closed=False,
        source="recipes",
    ),
    Section(
        "train_batch_pool",
        "Training batch pool (pre-1.0 layout; no longer used).",
        closed=False,
        source="recipes",
    ),
    Section(
        "train_worker",
        "Training worker settings (pre-1.0 layout; now the trainer section).",
        closed=False,
        source="recipes",
    ),
    Section(
        "train_parallel",
        "Training parallelism for Kubernetes (pre-1.0 layout; now resource settings).",
        closed=False,
        source="recipes",
    ),
    Section(
        "inference_parallel",
        "Inference parallelism for Kubernetes (pre-1.0 layout; now resource settings).",
        closed=False,
        source="recipes",
    ),
    # ------------------------------------------------------------------ service
    Section(
        "service.inference_service",
        "LLM inference service used for rollout generation.",
        details=(
            "Backends: sglang, vllm and openai talk to an OpenAI-compatible HTTP endpoint "
            "(base_url); tinker and weaver use the remote training-service SDK configured in "
            "service.tinker_service or service.weaver_service."
        ),
    ),
    Section(
        "service.inference_service.resource",
        "Inference replicas and GPUs for Kubernetes deployment.",
        closed=False,
        source="recipes",
        details="Newer NexRL versions; replaces the top-level resource.inference section.",
    ),
    Section(
        "service.tinker_service",
        "Connection to the Tinker training and sampling service.",
        source="recipes",
        details="Used when the inference and training backends are `tinker`.",
    ),
    Section(
        "service.weaver_service",
        "Connection to the Weaver training and sampling service.",
        source="recipes",
        details="Used when the inference and training backends are `weaver`.",
    ),
    Section(
        "service.teacher_service",
        "Teacher training service for on-policy distillation (early OPD recipes only).",
        closed=False,
        source="recipes",
        details=(
            "Has the same keys as a training service (identifier, backend, url, actor). "
            "Later NexRL versions describe the teacher as a nested "
            "service.train_service.<name> entry with `role: teacher` instead."
        ),
    ),
    Section(
        "service.train_service",
        "Backend service that trains the model.",
        details=(
            "Self-hosted runs use the NexTrainer backend (http, direct-zmq) with an `actor` "
            "section; Tinker and Weaver runs set the backend to tinker or weaver and put the "
            "optimiser settings under `config`.\n"
            "Newer NexRL versions nest one or more services under names of the user's choice "
            "(service.train_service.<name>), each with these same keys and a `role`."
        ),
    ),
    Section(
        "service.train_service.resource",
        "GPUs for this training service (nested layout, Kubernetes deployment).",
        closed=False,
        source="recipes",
        details="Newer NexRL versions; replaces the top-level resource.train.<id> section.",
    ),
    Section(
        "service.train_service.config",
        "Training hyperparameters sent to the Tinker or Weaver service, and client timeouts.",
        source="recipes",
    ),
    Section(
        "service.train_service.actor",
        "Actor (policy) model trained by the NexTrainer backend.",
    ),
    Section(
        "service.train_service.actor.model",
        "The model the actor trains.",
    ),
    Section(
        "service.train_service.actor.optim",
        "Actor optimiser and learning-rate schedule.",
    ),
    Section(
        "service.train_service.actor.fsdp_config",
        "Fully Sharded Data Parallel (FSDP) settings of the actor.",
    ),
    Section(
        "service.train_service.actor.fsdp_config.wrap_policy",
        "Which modules FSDP wraps.",
    ),
    Section(
        "service.train_service.actor.ref",
        "Reference model used for the KL penalty.",
        source="recipes",
    ),
    Section(
        "service.train_service.actor.ref.fsdp_config",
        "FSDP settings of the reference model.",
        closed=False,
        source="recipes",
    ),
    Section(
        "service.train_service.actor.ref.fsdp_config.wrap_policy",
        "Which modules FSDP wraps in the reference model.",
        closed=False,
        source="recipes",
    ),
    Section(
        "service.train_service.actor.rollout",
        "Rollout-related settings the actor needs (sampling temperature, log-prob batching).",
        closed=False,
        source="recipes",
    ),
)

OPTIONS: tuple[Option, ...] = (
    # ------------------------------------------------------------------ top level scalars
    Option(
        "project_name",
        "string",
        "Name of the project, used in logging and experiment tracking.",
        source="recipes",
    ),
    Option(
        "experiment_name",
        "string",
        "Name of this experiment, used in logging and checkpoint paths.",
        source="recipes",
    ),
    Option(
        "launch_mode",
        "string",
        "How NexRL runs its modules: in one process or as Ray actors.",
        choices=("local", "ray"),
        source="recipes",
        details="- local: single-process execution\n- ray: distributed execution with Ray",
    ),
    Option(
        "multi_model",
        "any",
        "Train several models on the same trajectories (experimental).",
        source="recipes",
        details='NexRL\'s recipes write it as the string "false" or "true".',
    ),
    Option(
        "defaults",
        "list",
        "Hydra defaults list: the base config files this file extends.",
        source="recipes",
        examples=("defaults:\n  - common\n  - _self_",),
    ),
    Option(
        "job_name",
        "string",
        "Name of the Kubernetes job (pre-1.0 example configs).",
        source="recipes",
    ),
    # ------------------------------------------------------------------ service
    Option(
        "service.actor_train_service",
        "string",
        "Name of the nested training service that trains the main (actor) model.",
        source="recipes",
        details=(
            "Used by some intermediate NexRL versions with the nested train_service layout; "
            "later versions mark the actor with `role: actor` instead."
        ),
    ),
    Option(
        "service.teacher_train_service",
        "string",
        "Name of the nested training service that serves the teacher model (OPD).",
        source="recipes",
        details=(
            "Used by some intermediate NexRL versions; later versions mark the teacher with "
            "`role: teacher` instead."
        ),
    ),
    # ------------------------------------------------------------------ inference service
    Option(
        "service.inference_service.model_tag",
        "string",
        "Model identifier for tracking.",
        default="default",
        details=(
            "Use Cases:\n"
            "- Multi-model training\n"
            "- Model version tracking\n"
            "- Weight synchronization coordination\n"
            "Newer NexRL versions call it `identifier` and accept model_tag with a "
            "deprecation warning. It must match the training service's model_tag."
        ),
    ),
    Option(
        "service.inference_service.identifier",
        "string",
        "Model identifier used to coordinate weight synchronisation (replaces model_tag).",
        default="default",
        source="recipes",
        details=(
            "Newer NexRL versions use `identifier` in place of `model_tag`; it must match the "
            "identifier of the actor training service."
        ),
    ),
    Option(
        "service.inference_service.api_key",
        "string",
        "API key for authentication.",
        default="EMPTY",
        secret=True,
        examples=(
            '# Self-hosted (no auth)\napi_key: "EMPTY"',
            '# OpenAI\napi_key: "${oc.env:OPENAI_API_KEY}"',
            '# Custom service\napi_key: "${oc.env:MY_API_KEY}"',
        ),
    ),
    Option(
        "service.inference_service.base_url",
        "string",
        "Base URL for inference service.",
        required_if=(Condition(".backend", ("sglang", "vllm", "openai")),),
        details=(
            "Required for the sglang, vllm and openai backends. The tinker and weaver "
            "backends take their URL from service.tinker_service / service.weaver_service."
        ),
        examples=(
            '# Local service\nbase_url: "http://localhost:8000"',
            '# Environment variable\nbase_url: "${oc.env:INFERENCE_BASE_URL}"',
            '# Remote service\nbase_url: "https://inference.example.com"',
        ),
    ),
    Option(
        "service.inference_service.model",
        "string",
        "Model name to request from service.",
        required=True,
        details="For tinker and weaver this is the base model name, e.g. Qwen/Qwen3-8B.",
        examples=(
            '# SGLang served model\nmodel: "nexrl-rollout"',
            '# vLLM model\nmodel: "my-model"',
            '# OpenAI model\nmodel: "gpt-4"',
        ),
    ),
    Option(
        "service.inference_service.model_path",
        "string",
        "Path to the model weights served for rollout (nested layout).",
        source="recipes",
        details=(
            "Newer NexRL versions; replaces resource.inference.model_path. Recipes reuse it "
            "for data.tokenizer_path and the actor's model.path."
        ),
    ),
    Option(
        "service.inference_service.max_tokens",
        "int",
        "Maximum tokens to generate.",
        required=True,
        minimum=1,
        details=(
            "Should Match:\n"
            "max_tokens: ${data.max_response_length}\n"
            "NexRL checks at start-up that it equals data.max_response_length."
        ),
        examples=("max_tokens: ${data.max_response_length}",),
    ),
    Option(
        "service.inference_service.tokenizer",
        "string",
        "Tokenizer path for SGLang backend.",
        default=None,
        nullable=True,
        details=(
            "Default: None (SGLang backend only).\n"
            "NexRL's Tinker and Weaver recipes set it to null to use the service's own "
            "tokenizer."
        ),
        examples=('tokenizer: "${oc.env:NEXRL_MODEL_PATH}/model"',),
    ),
    Option(
        "service.inference_service.backend",
        "string",
        "Inference backend type.",
        default="sglang",
        choices=("sglang", "vllm", "openai", "tinker", "weaver"),
        details=(
            "- sglang: SGLang inference engine\n"
            "- vllm: vLLM inference engine\n"
            "- openai: OpenAI-compatible API\n"
            "- tinker: Tinker sampling service (used by NexRL's recipes, not in the "
            "reference)\n"
            "- weaver: Weaver sampling service (used by NexRL's recipes, not in the reference)"
        ),
    ),
    Option(
        "service.inference_service.max_retries",
        "int",
        "Number of retry attempts for failed requests.",
        default=3,
        minimum=0,
        examples=(
            "# No retries\nmax_retries: 0",
            "# Standard retries\nmax_retries: 3",
            "# High reliability\nmax_retries: 10",
        ),
    ),
    Option(
        "service.inference_service.freeze_for_weight_sync",
        "bool",
        "Block inference during weight synchronization.",
        default=True,
        details=(
            "When true:\n"
            "- Ensures consistent model weights across rollouts\n"
            "- Prevents mixed-version trajectories\n"
            "- Required for sync weight mode\n"
            "When false:\n"
            "- Allows inference during sync\n"
            "- May use stale weights\n"
            "- Suitable for external services"
        ),
    ),
    Option(
        "service.inference_service.weight_type",
        "string",
        "Weight format for synchronization.",
        choices=("sglang_nckpt", "vllm_ckpt", "vllm_dcp", "vllm_dcp_wp", ""),
        details=(
            "Default: None (backend-specific).\n"
            "- sglang_nckpt: SGLang native checkpoint\n"
            "- vllm_ckpt: vLLM checkpoint\n"
            "- vllm_dcp: vLLM with distributed checkpoint (listed in NexRL's example config)\n"
            "- vllm_dcp_wp: vLLM distributed checkpoint with weight provider (listed in "
            "NexRL's example config)\n"
            '- "" (empty): no weight files; NexRL\'s Tinker and Weaver recipes use it'
        ),
        examples=(
            '# SGLang\nweight_type: "sglang_nckpt"',
            '# vLLM\nweight_type: "vllm_ckpt"',
        ),
    ),
    Option(
        "service.inference_service.tool_parser",
        "string",
        "Parser that extracts structured tool calls from model responses.",
        source="recipes",
        details=(
            "Documented by newer NexRL versions. Options: qwen25 (Qwen 2.5/3), qwen3_coder, "
            "gpt_oss, deepseekv31, simple_xml; aliases such as xml, qwen, qwen3, "
            "deepseek_v31 and deepseek are also accepted."
        ),
        examples=('tool_parser: "qwen25"',),
    ),
    Option(
        "service.inference_service.reasoning_parser",
        "string",
        "Parser that extracts thinking/reasoning content from model responses.",
        default="think_tag",
        source="recipes",
        details=(
            "Documented by newer NexRL versions. Options: think_tag (default), qwen3, "
            "deepseek_r1, kimi, step3, nano_v3, minimax_append_think."
        ),
        examples=('reasoning_parser: "qwen3"',),
    ),
    Option(
        "service.inference_service.parse_tool_call_arguments",
        "bool",
        "Parse JSON tool-call arguments into objects before applying the chat template.",
        default=False,
        source="recipes",
        details="Read by NexRL's OpenAI-compatible inference client.",
    ),
    # ------------------------------------------------------------------ inference resources
    Option(
        "service.inference_service.resource.replicas",
        "int",
        "Number of inference server replicas to launch.",
        minimum=1,
        source="recipes",
    ),
    Option(
        "service.inference_service.resource.gpus_per_replica",
        "int",
        "GPUs per inference replica (usually the tensor-parallel size).",
        minimum=1,
        source="recipes",
    ),
    Option(
        "service.inference_service.resource.backend",
        "string",
        "Inference server implementation to deploy (for example sglang or bp-sglang).",
        source="recipes",
    ),
    Option(
        "service.inference_service.resource.extra_args",
        "string",
        "Extra command-line arguments passed to the inference server launcher.",
        source="recipes",
    ),
    # ------------------------------------------------------------------ tinker service
    Option(
        "service.tinker_service.api_key",
        "string",
        "Tinker API key; the TINKER_API_KEY environment variable takes precedence.",
        secret=True,
        source="recipes",
        details="NexRL stops at start-up when it is empty and Tinker is used.",
        examples=('api_key: "${oc.env:TINKER_API_KEY}"',),
    ),
    Option(
        "service.tinker_service.base_url",
        "string",
        "Tinker API base URL; null uses the default service or TINKER_BASE_URL.",
        default=None,
        nullable=True,
        source="recipes",
    ),
    Option(
        "service.tinker_service.lora_rank",
        "int",
        "LoRA rank of the adapter Tinker trains.",
        default=32,
        minimum=1,
        source="recipes",
    ),
    # ------------------------------------------------------------------ weaver service
    Option(
        "service.weaver_service.api_key",
        "string",
        "Weaver API key; the WEAVER_API_KEY environment variable takes precedence.",
        secret=True,
        source="recipes",
        details="NexRL stops at start-up when it is empty and Weaver is used.",
        examples=('api_key: "${oc.env:WEAVER_API_KEY}"',),
    ),
    Option(
        "service.weaver_service.base_url",
        "string",
        "Weaver API base URL; null uses the default service or WEAVER_BASE_URL.",
        default=None,
        nullable=True,
        source="recipes",
    ),
    Option(
        "service.weaver_service.lora_rank",
        "int",
        "LoRA rank of the adapter Weaver trains.",
        default=32,
        minimum=1,
        source="recipes",
    ),
    Option(
        "service.weaver_service.training_mode",
        "string",
        "How Weaver trains the model: a LoRA adapter or full fine-tuning.",
        default="lora",
        source="recipes",
        details='Values seen in NexRL: "lora" (default) and "full_ft" (full fine-tuning).',
    ),
    # ------------------------------------------------------------------ training service
    Option(
        "service.train_service.model_tag",
        "string",
        "Model identifier (matches inference service).",
        default="default",
        details=(
            "Newer NexRL versions call it `identifier` and accept model_tag with a "
            "deprecation warning."
        ),
    ),
    Option(
        "service.train_service.identifier",
        "string",
        "Identifier of this training service (replaces model_tag).",
        source="recipes",
        details=(
            "Newer NexRL versions use `identifier` in place of `model_tag`. The actor "
            "service's identifier must match service.inference_service.identifier. Early "
            "on-policy-distillation recipes used it for the worker group name, next to "
            "model_tag."
        ),
    ),
    Option(
        "service.train_service.role",
        "string",
        "Role of this training service: the trained actor or a distillation teacher.",
        source="recipes",
        details=(
            "- actor: the primary training service (exactly one is required)\n"
            "- teacher: teacher model for on-policy distillation\n"
            "With a single service NexRL assumes actor when the role is missing."
        ),
    ),
    Option(
        "service.train_service.backend",
        "string",
        "Training service backend.",
        default="http",
        choices=("http", "mock", "direct-zmq", "nextrainer", "tinker", "weaver"),
        details=(
            "- http: NexTrainer HTTP API\n"
            "- mock: Mock trainer for testing\n"
            "- direct-zmq: NexTrainer with direct ZMQ data transfer (newer NexRL versions, "
            "which also map http to it)\n"
            "- nextrainer: older name of http (deprecated)\n"
            "- tinker: Tinker training service (used by NexRL's recipes)\n"
            "- weaver: Weaver training service (used by NexRL's recipes)"
        ),
    ),
    Option(
        "service.train_service.world_size",
        "int",
        "Number of GPUs for training.",
        required_if=(Condition(".backend", ("http",)),),
        provided_by=(".resource.world_size",),
        minimum=1,
        details=(
            "In the nested train_service layout this moves to "
            "service.train_service.<name>.resource.world_size."
        ),
        examples=(
            "# Single GPU\nworld_size: 1",
            "# 8 GPUs\nworld_size: 8",
            "# Multi-node (32 GPUs)\nworld_size: 32",
        ),
    ),
    Option(
        "service.train_service.url",
        "string",
        "Training service URL.",
        required_if=(Condition(".backend", ("http",)),),
        examples=('url: "http://${oc.env:API_SERVER_URL}:8000"',),
    ),
    Option(
        "service.train_service.model_path",
        "string",
        "Path to this service's model weights (nested layout, used for OPD teachers).",
        source="recipes",
        details="Recipes reference it from actor.model.path.",
    ),
    # ------------------------------------------------------------------ training resources
    Option(
        "service.train_service.resource.world_size",
        "int",
        "Number of GPU pods for this training service.",
        minimum=1,
        source="recipes",
    ),
    Option(
        "service.train_service.resource.gpus_per_pod",
        "int",
        "GPUs per pod.",
        minimum=1,
        source="recipes",
    ),
    Option(
        "service.train_service.resource.memory_per_gpu",
        "int",
        "GPU memory per GPU, in GB.",
        minimum=1,
        source="recipes",
    ),
    # ------------------------------------------------------------------ tinker/weaver config
    Option(
        "service.train_service.config.loss_fn",
        "string",
        "Loss function the Tinker or Weaver service computes.",
        default="importance_sampling",
        source="recipes",
        details=(
            "NexRL's recipes use importance_sampling for RL (GRPO) and cross_entropy for "
            "supervised training."
        ),
    ),
    Option(
        "service.train_service.config.learning_rate",
        "number",
        "Learning rate of the remote Adam optimiser.",
        default=2e-6,
        exclusive_minimum=0,
        source="recipes",
    ),
    Option(
        "service.train_service.config.beta1",
        "number",
        "Adam beta1 (first-moment decay).",
        default=0.9,
        source="recipes",
    ),
    Option(
        "service.train_service.config.beta2",
        "number",
        "Adam beta2 (second-moment decay).",
        default=0.95,
        source="recipes",
    ),
    Option(
        "service.train_service.config.eps",
        "number",
        "Adam epsilon for numerical stability.",
        default=1e-8,
        source="recipes",
    ),
    Option(
        "service.train_service.config.weight_decay",
        "number",
        "Weight decay of the remote optimiser.",
        default=1e-2,
        source="recipes",
    ),
    Option(
        "service.train_service.config.grad_clip_norm",
        "number",
        "Gradient-norm clipping threshold of the remote optimiser.",
        default=1.0,
        source="recipes",
    ),
    Option(
        "service.train_service.config.entropy_coeff",
        "number",
        "Entropy regularisation coefficient passed to the remote loss.",
        default=1e-4,
        source="recipes",
    ),
    Option(
        "service.train_service.config.kl_penalty_coef",
        "number",
        "KL penalty coefficient for on-policy distillation (1.0 = full distillation).",
        source="recipes",
    ),
    Option(
        "service.train_service.config.kl_discount_factor",
        "number",
        "Discount factor for future KL in on-policy distillation (0.0 = none).",
        source="recipes",
    ),
    Option(
        "service.train_service.config.zmq_recv_timeout_ms",
        "int",
        "Receive timeout of the direct-zmq training client, in milliseconds.",
        default=600000,
        source="recipes",
        details="Read by newer NexRL versions for the direct-zmq backend.",
    ),
    Option(
        "service.train_service.config.zmq_total_timeout_ms",
        "int",
        "Total timeout of one direct-zmq training request, in milliseconds.",
        default=3600000,
        source="recipes",
        details="Read by newer NexRL versions for the direct-zmq backend.",
    ),
    # ------------------------------------------------------------------ actor
    Option(
        "service.train_service.actor.checkpoint_manager",
        "string",
        "Checkpoint format.",
        default="dcp",
        choices=("dcp", "torch"),
        details="- dcp: Distributed checkpoint (recommended)\n- torch: PyTorch checkpoint",
    ),
    Option(
        "service.train_service.actor.ppo_mini_batch_size",
        "int",
        "Number of samples per mini-batch.",
        required_unless=(Condition("trainer.type", _CROSS_ENTROPY_TRAINERS),),
        minimum=1,
        details=(
            "Guidelines: small model 16, medium model 28, large model 64.\n"
            "Not used by cross-entropy (supervised) trainers, which use micro_batch_size."
        ),
        examples=(
            "# Small model\nppo_mini_batch_size: 16",
            "# Medium model\nppo_mini_batch_size: 28",
            "# Large model\nppo_mini_batch_size: 64",
        ),
    ),
    Option(
        "service.train_service.actor.ppo_micro_batch_size",
        "int",
        "Number of samples per micro-batch (gradient accumulation).",
        required_unless=(Condition("trainer.type", _CROSS_ENTROPY_TRAINERS),),
        minimum=1,
        details=(
            "Guidelines: high memory 8, medium memory 4, low memory 2.\n"
            "Not used by cross-entropy (supervised) trainers, which use micro_batch_size."
        ),
        examples=(
            "# High memory\nppo_micro_batch_size: 8",
            "# Medium memory\nppo_micro_batch_size: 4",
            "# Low memory\nppo_micro_batch_size: 2",
        ),
    ),
    Option(
        "service.train_service.actor.micro_batch_size",
        "int",
        "Samples per micro-batch for cross-entropy (supervised) training.",
        required_if=(Condition("trainer.type", _CROSS_ENTROPY_TRAINERS),),
        minimum=1,
        source="recipes",
    ),
    Option(
        "service.train_service.actor.grad_clip",
        "number",
        "Gradient clipping threshold.",
        default=1.0,
        exclusive_minimum=0,
    ),
    Option(
        "service.train_service.actor.clip_ratio",
        "number",
        "PPO clipping ratio.",
        default=0.2,
        exclusive_minimum=0,
        exclusive_maximum=1,
        details="Common Values: 0.2 (standard), 0.1 (conservative), 0.3 (aggressive).",
        examples=(
            "clip_ratio: 0.2  # Standard",
            "clip_ratio: 0.1  # Conservative",
            "clip_ratio: 0.3  # Aggressive",
        ),
    ),
    Option(
        "service.train_service.actor.clip_ratio_low",
        "number",
        "Lower PPO clipping ratio; clip_ratio is used when it is not set.",
        source="recipes",
    ),
    Option(
        "service.train_service.actor.clip_ratio_high",
        "number",
        "Upper PPO clipping ratio; clip_ratio is used when it is not set.",
        source="recipes",
    ),
    Option(
        "service.train_service.actor.clip_ratio_c",
        "number",
        "Dual-clip constant bounding the loss for negative advantages.",
        default=3.0,
        source="recipes",
    ),
    Option(
        "service.train_service.actor.entropy_coeff",
        "number",
        "Entropy coefficient for exploration.",
        default=1e-4,
        minimum=0,
    ),
    Option(
        "service.train_service.actor.ppo_epochs",
        "int",
        "Number of PPO epochs per batch.",
        default=1,
        minimum=1,
    ),
    Option(
        "service.train_service.actor.loss_agg_mode",
        "string",
        "How per-token losses are aggregated into one loss.",
        source="recipes",
        details="NexRL's recipes use token-mean.",
    ),
    Option(
        "service.train_service.actor.loss_func_type",
        "string",
        "Policy-loss variant the actor uses.",
        source="recipes",
        details=(
            "NexRL's recipes use NX_20250515. Newer NexRL versions accept many more "
            "(NX_20241031, importance_sampling, grpo_clip, gspo, sapo, icepop, ...)."
        ),
    ),
    Option(
        "service.train_service.actor.use_kl_loss",
        "bool",
        "Add a KL-divergence loss against the reference model.",
        source="recipes",
    ),
    Option(
        "service.train_service.actor.kl_loss_type",
        "string",
        "How the KL loss is estimated.",
        source="recipes",
        details="NexRL's recipes use low_var_kl.",
    ),
    Option(
        "service.train_service.actor.kl_loss_coef",
        "number",
        "Weight of the KL loss term.",
        source="recipes",
    ),
    Option(
        "service.train_service.actor.use_ring_sequence_parallel",
        "bool",
        "Use ring-style sequence parallelism for very long sequences.",
        default=False,
        source="recipes",
    ),
    Option(
        "service.train_service.actor.ulysses_sequence_parallel_size",
        "int",
        "Degree of Ulysses sequence parallelism (1 = off).",
        default=1,
        minimum=1,
        source="recipes",
    ),
    Option(
        "service.train_service.actor.use_dynamic_bsz",
        "bool",
        "Size micro-batches by token count instead of sample count.",
        source="recipes",
    ),
    Option(
        "service.train_service.actor.ppo_max_token_len_per_gpu",
        "int",
        "Maximum tokens per GPU in one micro-batch when use_dynamic_bsz is on.",
        source="recipes",
    ),
    Option(
        "service.train_service.actor.do_old_log_prob_compute",
        "bool",
        "Recompute log-probabilities with the pre-update policy before training.",
        source="recipes",
    ),
    Option(
        "service.train_service.actor.use_distillation_clipping",
        "bool",
        "Use PPO-like clipping in the on-policy distillation loss.",
        default=False,
        source="recipes",
    ),
    Option(
        "service.train_service.actor.distillation_cliprange",
        "number",
        "Clipping range of the on-policy distillation loss.",
        default=0.2,
        source="recipes",
    ),
    Option(
        "service.train_service.actor.distillation_cliprange_low",
        "number",
        "Lower clipping range of the on-policy distillation loss.",
        default=0.2,
        source="recipes",
    ),
    Option(
        "service.train_service.actor.distillation_cliprange_high",
        "number",
        "Upper clipping range of the on-policy distillation loss.",
        default=0.2,
        source="recipes",
    ),
    Option(
        "service.train_service.actor.do_old_student_log_prob_compute",
        "bool",
        "Compute the student's pre-update log-probabilities for distillation clipping.",
        default=False,
        source="recipes",
    ),
    Option(
        "service.train_service.actor.train_token_start_pct",
        "number",
        "Start of the response-token range trained on, as a fraction (distillation).",
        default=0.0,
        source="recipes",
    ),
    Option(
        "service.train_service.actor.train_token_end_pct",
        "number",
        "End of the response-token range trained on, as a fraction (distillation).",
        default=1.0,
        source="recipes",
    ),
    Option(
        "service.train_service.actor.advantage_start_pct",
        "number",
        "Start of the advantage-ranked token range trained on, as a fraction (distillation).",
        default=0.0,
        source="recipes",
    ),
    Option(
        "service.train_service.actor.advantage_end_pct",
        "number",
        "End of the advantage-ranked token range trained on, as a fraction (distillation).",
        default=1.0,
        source="recipes",
    ),
    Option(
        "service.train_service.actor.entropy_start_pct",
        "number",
        "Start of the entropy-ranked token range trained on, as a fraction (distillation).",
        default=0.0,
        source="recipes",
        details="Read by NexRL's training backend; not in the shipped recipes.",
    ),
    Option(
        "service.train_service.actor.entropy_end_pct",
        "number",
        "End of the entropy-ranked token range trained on, as a fraction (distillation).",
        default=1.0,
        source="recipes",
        details="Read by NexRL's training backend; not in the shipped recipes.",
    ),
    Option(
        "service.train_service.actor.distillation_epochs",
        "int",
        "Epochs per batch for on-policy distillation; ppo_epochs is used when unset.",
        minimum=1,
        source="recipes",
        details="Read by NexRL's training backend; not in the shipped recipes.",
    ),
    Option(
        "service.train_service.actor.enable_memory_tracing",
        "bool",
        "Record CUDA memory history for debugging.",
        default=False,
        source="recipes",
        details="Read by NexRL's training backend; not in the shipped recipes.",
    ),
    Option(
        "service.train_service.actor.lbpo_alpha",
        "number",
        "Alpha parameter of the lbpo policy loss.",
        source="recipes",
        details="Read by newer NexRL training backends when loss_func_type is lbpo.",
    ),
    Option(
        "service.train_service.actor.grpo_mask",
        "mapping",
        "Settings of the grpo_mask policy loss (adv_mask_delta).",
        source="recipes",
        details="Read by newer NexRL training backends when loss_func_type is grpo_mask.",
    ),
    Option(
        "service.train_service.actor.ce_gppo",
        "mapping",
        "Settings of the ce-gppo policy loss (beta1, beta2).",
        source="recipes",
        details="Read by newer NexRL training backends when loss_func_type is ce-gppo.",
    ),
    Option(
        "service.train_service.actor.bapo",
        "mapping",
        "Settings of the bapo policy loss.",
        source="recipes",
        details="Read by newer NexRL training backends when loss_func_type is bapo.",
    ),
    Option(
        "service.train_service.actor.icepop",
        "mapping",
        "Settings of the icepop policy loss.",
        source="recipes",
        details="Read by newer NexRL training backends when loss_func_type is icepop.",
    ),
    Option(
        "service.train_service.actor.scgrpo",
        "mapping",
        "Settings of the scgrpo policy loss.",
        source="recipes",
        details="Read by newer NexRL training backends when loss_func_type is scgrpo.",
    ),
    Option(
        "service.train_service.actor.sapo",
        "mapping",
        "Settings of the sapo policy loss.",
        source="recipes",
        details="Read by newer NexRL training backends when loss_func_type is sapo.",
    ),
    # ------------------------------------------------------------------ actor.model
    Option(
        "service.train_service.actor.model.path",
        "string",
        "Model weights path.",
        required=True,
        examples=('model:\n  path: "${oc.env:NEXRL_MODEL_PATH}/Qwen/Qwen3-8B"',),
    ),
    Option(
        "service.train_service.actor.model.use_remove_padding",
        "bool",
        "Remove padding tokens for efficiency.",
        default=True,
    ),
    Option(
        "service.train_service.actor.model.enable_gradient_checkpointing",
        "bool",
        "Recompute activations in the backward pass to save GPU memory.",
        default=False,
        source="recipes",
        details="Read by NexRL's training backend; not in the shipped recipes.",
    ),
    Option(
        "service.train_service.actor.model.trust_remote_code",
        "bool",
        "Allow the model's own code from its repository to run when loading it.",
        default=False,
        source="recipes",
        details="Read by NexRL's training backend; not in the shipped recipes.",
    ),
    Option(
        "service.train_service.actor.model.use_liger",
        "bool",
        "Apply Liger kernels to the model.",
        default=False,
        source="recipes",
        details="Read by NexRL's training backend; not in the shipped recipes.",
    ),
    Option(
        "service.train_service.actor.model.override_config",
        "mapping",
        "Overrides applied to the model's Hugging Face config.",
        source="recipes",
        details="Read by NexRL's training backend; not in the shipped recipes.",
    ),
    Option(
        "service.train_service.actor.model.external_lib",
        "string",
        "External library to import before the model is loaded.",
        nullable=True,
        source="recipes",
        details="Read by NexRL's training backend; not in the shipped recipes.",
    ),
    # ------------------------------------------------------------------ actor.optim
    Option(
        "service.train_service.actor.optim.lr",
        "number",
        "Learning rate.",
        required=True,
        exclusive_minimum=0,
        details="Guidelines: small model 5e-6, medium model 2e-6, large model 1e-6.",
        examples=(
            "# Small model\nlr: 5e-6",
            "# Medium model\nlr: 2e-6",
            "# Large model\nlr: 1e-6",
        ),
    ),
    Option(
        "service.train_service.actor.optim.lr_warmup_steps_ratio",
        "number",
        "Warmup steps as ratio of total steps.",
        default=0.0,
        minimum=0,
        maximum=1,
        examples=(
            "# No warmup\nlr_warmup_steps_ratio: 0.0",
            "# 10% warmup\nlr_warmup_steps_ratio: 0.1",
        ),
    ),
    Option(
        "service.train_service.actor.optim.warmup_style",
        "string",
        "Learning rate schedule.",
        default="constant",
        choices=("constant", "linear", "cosine"),
    ),
    Option(
        "service.train_service.actor.optim.weight_decay",
        "number",
        "AdamW weight decay of the actor optimiser.",
        default=1e-2,
        source="recipes",
        details="Read by NexRL's training backend; not in the shipped recipes.",
    ),
    Option(
        "service.train_service.actor.optim.betas",
        "list",
        "AdamW betas of the actor optimiser, as [beta1, beta2].",
        source="recipes",
        details="Read by NexRL's training backend (default [0.9, 0.999]).",
    ),
    Option(
        "service.train_service.actor.optim.total_training_steps",
        "int",
        "Total optimiser steps, used to turn lr_warmup_steps_ratio into a step count.",
        source="recipes",
        details="Read by NexRL's training backend; not in the shipped recipes.",
    ),
    # ------------------------------------------------------------------ actor.fsdp_config
    Option(
        "service.train_service.actor.fsdp_config.wrap_policy.min_num_params",
        "int",
        "Minimum parameters for FSDP wrapping.",
        default=0,
        minimum=0,
    ),
    Option(
        "service.train_service.actor.fsdp_config.param_offload",
        "bool",
        "Offload parameters to CPU.",
        default=False,
    ),
    Option(
        "service.train_service.actor.fsdp_config.grad_offload",
        "bool",
        "Offload gradients to CPU.",
        default=False,
    ),
    Option(
        "service.train_service.actor.fsdp_config.optimizer_offload",
        "bool",
        "Offload optimiser states to CPU.",
        default=False,
        source="recipes",
    ),
    Option(
        "service.train_service.actor.fsdp_config.fsdp_size",
        "int",
        "Number of GPUs in one FSDP group; -1 shards across all GPUs.",
        default=-1,
        source="recipes",
        details="NexRL currently supports only -1 (or a value of at least the world size).",
    ),
    Option(
        "service.train_service.actor.fsdp_config.model_dtype",
        "string",
        "Data type the actor model is created in (for example fp32 or bf16).",
        source="recipes",
        details="Read by NexRL's training backend (default fp32); not in the shipped recipes.",
    ),
    Option(
        "service.train_service.actor.fsdp_config.mixed_precision",
        "mapping",
        "FSDP mixed-precision dtypes (param_dtype, reduce_dtype, buffer_dtype).",
        source="recipes",
        details="Read by NexRL's training backend; not in the shipped recipes.",
    ),
    # ------------------------------------------------------------------ actor.ref
    Option(
        "service.train_service.actor.ref.log_prob_micro_batch_size",
        "int",
        "Micro-batch size for the reference model's log-probability computation.",
        minimum=1,
        source="recipes",
    ),
    Option(
        "service.train_service.actor.ref.ulysses_sequence_parallel_size",
        "int",
        "Degree of Ulysses sequence parallelism for the reference model.",
        minimum=1,
        source="recipes",
    ),
    Option(
        "service.train_service.actor.ref.fsdp_config.param_offload",
        "bool",
        "Offload the reference model's parameters to CPU.",
        source="recipes",
    ),
    Option(
        "service.train_service.actor.ref.fsdp_config.wrap_policy.min_num_params",
        "int",
        "Minimum parameters for FSDP wrapping of the reference model.",
        minimum=0,
        source="recipes",
    ),
    # ------------------------------------------------------------------ actor.rollout
    Option(
        "service.train_service.actor.rollout.rollout_standalone",
        "bool",
        "Rollout runs in a separate service (always true in NexRL).",
        source="recipes",
    ),
    Option(
        "service.train_service.actor.rollout.temperature",
        "number",
        "Sampling temperature used when recomputing log-probabilities.",
        source="recipes",
        details="Recipes set it to ${rollout_worker.temperature}.",
    ),
    Option(
        "service.train_service.actor.rollout.dtype",
        "string",
        "Data type of the rollout weights (for example bfloat16).",
        source="recipes",
    ),
    Option(
        "service.train_service.actor.rollout.tensor_model_parallel_size",
        "int",
        "Tensor-parallel size of the inference engine, used when exporting weights.",
        minimum=1,
        source="recipes",
    ),
    Option(
        "service.train_service.actor.rollout.log_prob_micro_batch_size",
        "int",
        "Micro-batch size for log-probability computation.",
        minimum=1,
        source="recipes",
    ),
    Option(
        "service.train_service.actor.rollout.n",
        "int",
        "Number of responses sampled per prompt.",
        minimum=1,
        source="recipes",
        details="Recipes set it to ${data.rollout_repeat_n}.",
    ),
    Option(
        "service.train_service.actor.rollout.use_weight_provider",
        "bool",
        "Serve weights to the inference engine over the network (internal-only feature).",
        default=False,
        source="recipes",
        details="Must be true when weight.sync_method is network.",
    ),
    Option(
        "service.train_service.actor.rollout.use_distillation_clipping",
        "bool",
        "Use PPO-like clipping in the on-policy distillation loss (rollout copy).",
        source="recipes",
    ),
    Option(
        "service.train_service.actor.rollout.distillation_cliprange",
        "number",
        "Clipping range of the on-policy distillation loss (rollout copy).",
        source="recipes",
    ),
    Option(
        "service.train_service.actor.rollout.distillation_cliprange_low",
        "number",
        "Lower clipping range of the on-policy distillation loss (rollout copy).",
        source="recipes",
    ),
    Option(
        "service.train_service.actor.rollout.distillation_cliprange_high",
        "number",
        "Upper clipping range of the on-policy distillation loss (rollout copy).",
        source="recipes",
    ),
    Option(
        "service.train_service.actor.rollout.do_old_student_log_prob_compute",
        "bool",
        "Compute the student's pre-update log-probabilities (rollout copy).",
        source="recipes",
    ),
    Option(
        "service.train_service.actor.rollout.train_token_start_pct",
        "number",
        "Start of the response-token range trained on, as a fraction (rollout copy).",
        source="recipes",
    ),
    Option(
        "service.train_service.actor.rollout.train_token_end_pct",
        "number",
        "End of the response-token range trained on, as a fraction (rollout copy).",
        source="recipes",
    ),
    Option(
        "service.train_service.actor.rollout.advantage_start_pct",
        "number",
        "Start of the advantage-ranked token range trained on (rollout copy).",
        source="recipes",
    ),
    Option(
        "service.train_service.actor.rollout.advantage_end_pct",
        "number",
        "End of the advantage-ranked token range trained on (rollout copy).",
        source="recipes",
    ),
    # ------------------------------------------------------------------ start-up checks
    Option(
        "data.batch_size",
        "int",
        "Number of prompts loaded per batch.",
        source="recipes",
        details="Must not exceed trajectory_pool.batch_size (checked at start-up).",
    ),
    Option(
        "data.keep_batch_order",
        "bool",
        "Keep batches in order, finishing one loaded batch before the next.",
        source="recipes",
        details=(
            "Checked at start-up: must be true exactly when weight.sync_mode is sync or "
            "batch-async, and must be true when trajectory_pool.check_batch_ready_function "
            "waits for loaded_batch_finished (and only then)."
        ),
    ),
    Option(
        "data.max_prompt_length",
        "int",
        "Maximum prompt length in tokens.",
        source="recipes",
    ),
    Option(
        "data.max_response_length",
        "int",
        "Maximum response length in tokens.",
        source="recipes",
        details="Must equal service.inference_service.max_tokens (checked at start-up).",
    ),
    Option(
        "trajectory_pool.batch_size",
        "int",
        "Number of trajectories that make up a training batch.",
        default=32,
        source="recipes",
        details="Must be at least data.batch_size (checked at start-up).",
    ),
    Option(
        "trajectory_pool.check_batch_ready_function",
        "string",
        "When the pool considers a training batch ready.",
        default="loaded_batch_finished",
        choices=(
            "batch_size_reached",
            "loaded_batch_finished",
            "batch_size_reached_and_loaded_batch_finished",
        ),
        source="recipes",
        details=(
            "- batch_size_reached: once batch_size trajectories are collected\n"
            "- loaded_batch_finished: after all rollouts of the loaded data batch finish\n"
            "- batch_size_reached_and_loaded_batch_finished: both conditions\n"
            "The two loaded_batch_finished variants require data.keep_batch_order: true."
        ),
    ),
    Option(
        "weight.sync_mode",
        "string",
        "How rollout waits for new weights from the trainer.",
        choices=("sync", "fully-async", "batch-async"),
        source="recipes",
        details=(
            "- sync: wait for training before generating new rollouts\n"
            "- fully-async: no waiting; rollouts may use stale weights\n"
            "- batch-async: wait only when rollouts lag more than staleness_threshold "
            "versions behind"
        ),
    ),
    Option(
        "weight.sync_method",
        "string",
        "How new weights reach the inference service.",
        choices=("disk", "network", "mock", "tinker", "weaver"),
        source="recipes",
        details=(
            "- disk: trainer writes weights to sync_weight_path, the inference servers "
            "reload them\n"
            "- network: weights are served over the network (internal-only; needs "
            "actor.rollout.use_weight_provider: true)\n"
            "- mock: no transfer (testing)\n"
            "- tinker / weaver: the remote service updates its sampler; must match the "
            "inference and training backends"
        ),
    ),
    Option(
        "weight.sync_weight_path",
        "string",
        "Directory where synchronised weights are written.",
        source="recipes",
        details="For disk and network sync it must equal trainer.sync_weight_path.",
    ),
    Option(
        "trainer.type",
        "string",
        "Trainer implementation to use.",
        source="recipes",
        details=(
            "Types seen in NexRL: self_hosted_grpo, self_hosted_grpo_kl, self_hosted_opd, "
            "self_hosted_cross_entropy, remote_api_grpo, remote_api_grpo_kl, "
            "remote_api_cross_entropy, remote_api_opd. A custom trainer can be loaded with "
            "custom_trainer_module_path instead."
        ),
    ),
    Option(
        "trainer.sync_weight_path",
        "string",
        "Directory where the trainer saves weights for synchronisation.",
        source="recipes",
        details=(
            "For disk and network sync it must equal weight.sync_weight_path and must not "
            "be empty (checked at start-up)."
        ),
    ),
)

__all__ = ["OPTIONS", "SECTIONS"]
