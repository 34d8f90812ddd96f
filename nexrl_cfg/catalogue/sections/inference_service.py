"""`service.inference_service`: the LLM inference service used for rollouts."""

from __future__ import annotations

from ..model import Condition, Option, Section

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "service.inference_service",
        description="LLM inference service used for rollout generation.",
        source="spec/service-config.md",
        details=(
            "Backends: sglang, vllm and openai talk to an OpenAI-compatible HTTP "
            "endpoint (base_url); tinker and weaver use the remote training-service "
            "SDK configured in service.tinker_service or service.weaver_service."
        ),
    ),
    Section(
        "service.inference_service.resource",
        description="Inference replicas and GPUs for Kubernetes deployment.",
        source="recipes",
        closed=False,
        details="Newer NexRL versions; replaces the top-level resource.inference section.",
    ),
    Option(
        "service.inference_service.model_tag",
        description="Model identifier for tracking.",
        source="spec/service-config.md",
        type="string",
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
        description=(
            "Model identifier used to coordinate weight synchronisation (replaces model_tag)."
        ),
        source="recipes",
        type="string",
        default="default",
        details=(
            "Newer NexRL versions use `identifier` in place of `model_tag`; it must "
            "match the identifier of the actor training service."
        ),
    ),
    Option(
        "service.inference_service.api_key",
        description="API key for authentication.",
        source="spec/service-config.md",
        type="string",
        default="EMPTY",
        examples=(
            ('# Self-hosted (no auth)\napi_key: "EMPTY"'),
            ('# OpenAI\napi_key: "${oc.env:OPENAI_API_KEY}"'),
            ('# Custom service\napi_key: "${oc.env:MY_API_KEY}"'),
        ),
        secret=True,
    ),
    Option(
        "service.inference_service.base_url",
        description="Base URL for inference service.",
        source="spec/service-config.md",
        type="string",
        required_if=(Condition(path=".backend", values=("sglang", "vllm", "openai")),),
        details=(
            "Required for the sglang, vllm and openai backends. The tinker and weaver "
            "backends take their URL from service.tinker_service / "
            "service.weaver_service."
        ),
        examples=(
            ('# Local service\nbase_url: "http://localhost:8000"'),
            ('# Environment variable\nbase_url: "${oc.env:INFERENCE_BASE_URL}"'),
            ('# Remote service\nbase_url: "https://inference.example.com"'),
        ),
    ),
    Option(
        "service.inference_service.model",
        description="Model name to request from service.",
        source="spec/service-config.md",
        type="string",
        required=True,
        details="For tinker and weaver this is the base model name, e.g. Qwen/Qwen3-8B.",
        examples=(
            ('# SGLang served model\nmodel: "nexrl-rollout"'),
            ('# vLLM model\nmodel: "my-model"'),
            ('# OpenAI model\nmodel: "gpt-4"'),
        ),
    ),
    Option(
        "service.inference_service.model_path",
        description="Path to the model weights served for rollout (nested layout).",
        source="recipes",
        type="string",
        details=(
            "Newer NexRL versions; replaces resource.inference.model_path. Recipes "
            "reuse it for data.tokenizer_path and the actor's model.path."
        ),
    ),
    Option(
        "service.inference_service.max_tokens",
        description="Maximum tokens to generate.",
        source="spec/service-config.md",
        type="int",
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
        description="Tokenizer path for SGLang backend.",
        source="spec/service-config.md",
        type="string",
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
        description="Inference backend type.",
        source="spec/service-config.md",
        type="string",
        default="sglang",
        choices=("sglang", "vllm", "openai", "tinker", "weaver"),
        details=(
            "- sglang: SGLang inference engine\n"
            "- vllm: vLLM inference engine\n"
            "- openai: OpenAI-compatible API\n"
            "- tinker: Tinker sampling service (used by NexRL's recipes, not in the "
            "reference)\n"
            "- weaver: Weaver sampling service (used by NexRL's recipes, not in the "
            "reference)"
        ),
    ),
    Option(
        "service.inference_service.max_retries",
        description="Number of retry attempts for failed requests.",
        source="spec/service-config.md",
        type="int",
        default=3,
        minimum=0,
        examples=(
            ("# No retries\nmax_retries: 0"),
            ("# Standard retries\nmax_retries: 3"),
            ("# High reliability\nmax_retries: 10"),
        ),
    ),
    Option(
        "service.inference_service.freeze_for_weight_sync",
        description="Block inference during weight synchronization.",
        source="spec/service-config.md",
        type="bool",
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
        description="Weight format for synchronization.",
        source="spec/service-config.md",
        type="string",
        choices=("sglang_nckpt", "vllm_ckpt", "vllm_dcp", "vllm_dcp_wp", ""),
        details=(
            "Default: None (backend-specific).\n"
            "- sglang_nckpt: SGLang native checkpoint\n"
            "- vllm_ckpt: vLLM checkpoint\n"
            "- vllm_dcp: vLLM with distributed checkpoint (listed in NexRL's example "
            "config)\n"
            "- vllm_dcp_wp: vLLM distributed checkpoint with weight provider (listed "
            "in NexRL's example config)\n"
            '- "" (empty): no weight files; NexRL\'s Tinker and Weaver recipes use it'
        ),
        examples=('# SGLang\nweight_type: "sglang_nckpt"', '# vLLM\nweight_type: "vllm_ckpt"'),
    ),
    Option(
        "service.inference_service.tool_parser",
        description="Parser that extracts structured tool calls from model responses.",
        source="recipes",
        type="string",
        details=(
            "Documented by newer NexRL versions. Options: qwen25 (Qwen 2.5/3), "
            "qwen3_coder, gpt_oss, deepseekv31, simple_xml; aliases such as xml, qwen, "
            "qwen3, deepseek_v31 and deepseek are also accepted."
        ),
        examples=('tool_parser: "qwen25"',),
    ),
    Option(
        "service.inference_service.reasoning_parser",
        description="Parser that extracts thinking/reasoning content from model responses.",
        source="recipes",
        type="string",
        default="think_tag",
        details=(
            "Documented by newer NexRL versions. Options: think_tag (default), qwen3, "
            "deepseek_r1, kimi, step3, nano_v3, minimax_append_think."
        ),
        examples=('reasoning_parser: "qwen3"',),
    ),
    Option(
        "service.inference_service.parse_tool_call_arguments",
        description=(
            "Parse JSON tool-call arguments into objects before applying the chat template."
        ),
        source="recipes",
        type="bool",
        default=False,
        details="Read by NexRL's OpenAI-compatible inference client.",
    ),
    Option(
        "service.inference_service.resource.replicas",
        description="Number of inference server replicas to launch.",
        source="recipes",
        type="int",
        minimum=1,
    ),
    Option(
        "service.inference_service.resource.gpus_per_replica",
        description="GPUs per inference replica (usually the tensor-parallel size).",
        source="recipes",
        type="int",
        minimum=1,
    ),
    Option(
        "service.inference_service.resource.backend",
        description=(
            "Inference server implementation to deploy (for example sglang or bp-sglang)."
        ),
        source="recipes",
        type="string",
    ),
    Option(
        "service.inference_service.resource.extra_args",
        description="Extra command-line arguments passed to the inference server launcher.",
        source="recipes",
        type="string",
    ),
)
