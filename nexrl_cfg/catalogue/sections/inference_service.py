"""`service.inference_service`: the LLM inference service used for rollouts."""

from __future__ import annotations

from ...nexrl import IDENTIFIERS, NAMED_SERVICES, OPENAI_CLIENT_BACKENDS, REMOTE_BACKENDS
from ..model import Condition, Option, Section

_OPENAI = (Condition(".backend", OPENAI_CLIENT_BACKENDS),)
_REMOTE = (Condition(".backend", REMOTE_BACKENDS),)
# NexRL builds a rollout worker's inference client only with `need_llm_inference: true`
# (base_rollout_worker.py@v1.0.0:106, @v1.4.0:112).
_CLIENT = Condition("rollout_worker.need_llm_inference", (True,))
# ... and calls it only from the workers that generate (not pig_latin, not mock).
_CALLED = Condition("rollout_worker.type", ("simple", "agent", "nexau"))
_CLIENT_SRC = "nexrl/inference_service_client/openai_inference_service_client.py"

# `create_reasoning_parser` lower-cases the name and treats '-' and '_' alike
# (`reasoning_parser/__init__.py@v1.3.0`); both spellings of each name are accepted.
_REASONING_PARSERS = (
    "think_tag",
    "think",
    "default",
    "deepseek_r1",
    "qwen3",
    "kimi",
    "minimax_append_think",
    "step3",
    "step3p5",
    "nano_v3",
    "gpt_oss",
    "glm45",
    "deepseek_v3",
    "kimi_k2",
    "minimax",
    "interns1",
)
_REASONING_CHOICES = tuple(
    dict.fromkeys(s for name in _REASONING_PARSERS for s in (name, name.replace("_", "-")))
)

# SGLang's tool-call parser names as NexRL lists them (`tool_parser/__init__.py@v1.3.0`),
# plus the spellings of NexRL's reference page.
_TOOL_PARSERS = (
    "qwen25",
    "qwen",
    "qwen3_coder",
    "deepseekv3",
    "deepseekv31",
    "deepseekv32",
    "gpt-oss",
    "gpt_oss",
    "llama3",
    "mistral",
    "pythonic",
    "kimi_k2",
    "step3",
    "step3p5",
    "glm",
    "glm45",
    "glm47",
    "hermes",
    "interns1",
    "minimax-m2",
    "trinity",
    "gigachat3",
    "mimo",
    "lfm2",
)

_WEIGHT_TYPE_DETAILS = (
    "NexRL has no list of weight types: it forwards the value verbatim to the inference "
    "engine when it loads new weights. The values its backends load:\n"
    "- sglang_nckpt: SGLang native checkpoint\n"
    "- vllm_ckpt: vLLM checkpoint\n"
    '- "" (empty): no weight files; NexRL\'s Tinker and Weaver recipes use it\n'
    "The reference gives no default (backend-specific); NexRL reads it without one when "
    "it builds the weight-sync controller, so it must be set for every backend."
)

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "service.inference_service",
        description="LLM inference service used for rollout generation.",
        source="spec/service-config.md; nexrl/utils/validate_config.py@v1.0.0:50",
        required=True,
        details=(
            "Backends: sglang, vllm and openai talk to an OpenAI-compatible HTTP "
            "endpoint (base_url); tinker and weaver use the remote training-service "
            "SDK configured in service.tinker_service or service.weaver_service."
        ),
    ),
    Section(
        "service.inference_service.resource",
        description="Inference replicas and GPUs, for the self-hosted launcher.",
        source="cli/common/config_utils.py@v1.2.0:349-363; spec/v1.4/config-migration-guide.md",
        added=NAMED_SERVICES,
        details=(
            "Read by the `nexrl` launcher for self-hosted runs, which stops when it is not a "
            "mapping with positive replicas and gpus_per_replica. Replaces the top-level "
            "resource.inference section; NexRL copies that one here when this is absent."
        ),
    ),
    Option(
        "service.inference_service.model_tag",
        description="Model identifier for tracking; must match the training service's.",
        source=(
            "spec/service-config.md; nexrl/utils/validate_config.py@v1.0.0:53-55; "
            "nexrl/weight_sync/weight_sync_controller.py@v1.0.0:88-89,191-193; "
            "nexrl/trainer/base_trainer.py@v1.0.0:67,155; nexrl/trajectory_pool.py@v1.0.0:435"
        ),
        type="string",
        removed=IDENTIFIERS,
        required=True,
        details=(
            "Use Cases:\n"
            "- Multi-model training\n"
            "- Model version tracking\n"
            "- Weight synchronization coordination\n"
            'The reference gives "default" as its default, but NexRL reads it without one '
            "and asserts it equals service.train_service.model_tag.\n"
            "NexRL 1.0 and 1.1 know no tag but default: the weight-sync controller registers "
            "the inference service under this tag, while the trainer (whose tag is fixed) "
            "and the rollout workers (whose trajectories carry none) report under default. "
            "Any other value stops the run when the first batch is ready ('Rollout service "
            "not found for model tag: default'), before the first training step."
        ),
    ),
    Option(
        "service.inference_service.model_tag",
        description="Older name of `identifier`, still read with a deprecation warning.",
        source=(
            "nexrl/utils/validate_config.py@v1.2.0:58-72; "
            "nexrl/utils/config_utils.py@v1.2.0:209-211"
        ),
        type="string",
        added=IDENTIFIERS,
        deprecated=IDENTIFIERS,
        replaced_by="service.inference_service.identifier",
        details="NexRL copies it to `identifier` when that is not set.",
    ),
    Option(
        "service.inference_service.identifier",
        description="Model identifier used to coordinate weight synchronisation.",
        source=(
            "spec/v1.4/service-config.md; nexrl/utils/validate_config.py@v1.2.0:58-64; "
            "nexrl/controller.py@v1.2.0:148,175"
        ),
        type="string",
        added=IDENTIFIERS,
        details=(
            "Use Cases:\n"
            "- Multi-model training\n"
            "- Model version tracking\n"
            "- Weight synchronization coordination\n"
            'Previously named `model_tag`. The reference gives "default" as its default; '
            "NexRL stops at start-up when neither identifier nor model_tag is set (the "
            "inference-identifier rule). It must match the identifier of the actor training "
            "service."
        ),
    ),
    Option(
        "service.inference_service.api_key",
        description="API key for authentication.",
        source=(
            "spec/service-config.md; "
            "nexrl/inference_service_client/openai_inference_service_client.py@v1.0.0:51; "
            "nexrl/inference_service_client/openai_inference_service_client.py@v1.4.0:114"
        ),
        type="string",
        required_if=_OPENAI,
        required_for="for the sglang, vllm and openai backends",
        details=(
            'The reference gives "EMPTY" as its default; NexRL\'s OpenAI-compatible client '
            "reads it without one. Tinker and Weaver take their key from "
            "service.tinker_service / service.weaver_service."
        ),
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
        source=(
            "spec/service-config.md; "
            "nexrl/inference_service_client/openai_inference_service_client.py@v1.0.0:52; "
            "nexrl/inference_service_client/openai_inference_service_client.py@v1.4.0:110"
        ),
        type="string",
        required_if=_OPENAI,
        required_for="for the sglang, vllm and openai backends",
        details=(
            "The server's root URL, with http:// or https://: NexRL appends /v1 for the "
            "OpenAI-compatible API and /update_weights, /workers for the weight sync. The "
            "reference page's https://api.openai.com/v1 asks for .../v1/v1/completions. Before "
            "1.3 NexRL uses it as written; from 1.3 it adds http:// where no scheme parses "
            "(an IP address, localhost), but host:port parses with the host as its scheme.\n"
            "The tinker and weaver backends take their URL from service.tinker_service / "
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
        source=(
            "spec/service-config.md; nexrl/weight_sync/weight_sync_controller.py@v1.0.0:90; "
            "nexrl/weight_sync/weight_sync_controller.py@v1.4.0:111"
        ),
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
        description="Path to the model weights the inference servers load.",
        source="cli/common/config_utils.py@v1.2.0:342-346; spec/v1.4/config-migration-guide.md",
        type="string",
        added=NAMED_SERVICES,
        details=(
            "Read by the `nexrl` launcher for self-hosted runs, which stops when it is "
            "empty. Replaces resource.inference.model_path, which NexRL copies here. "
            "Recipes reuse it for data.tokenizer_path and the actor's model.path."
        ),
    ),
    Option(
        "service.inference_service.max_tokens",
        description="Maximum tokens to generate.",
        source="spec/service-config.md; nexrl/utils/validate_config.py@v1.0.0:49-51",
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
        source=(
            "spec/service-config.md; "
            "nexrl/inference_service_client/openai_inference_service_client.py@v1.0.0:57"
        ),
        type="string",
        default=None,
        nullable=True,
        details=(
            "Default: None (SGLang backend only); NexRL then loads the tokenizer of `model`.\n"
            "NexRL's Tinker and Weaver recipes set it to null to use the service's own "
            "tokenizer."
        ),
        examples=('tokenizer: "${oc.env:NEXRL_MODEL_PATH}/model"',),
    ),
    Option(
        "service.inference_service.backend",
        description="Inference backend type.",
        source=(
            "spec/service-config.md; nexrl/utils/init_utils.py@v1.0.0:73-98; "
            "nexrl/utils/validate_config.py@v1.0.0:63-90"
        ),
        type="string",
        required=True,
        choices=(*OPENAI_CLIENT_BACKENDS, *REMOTE_BACKENDS),
        details=(
            "- sglang: SGLang inference engine\n"
            "- vllm: vLLM inference engine\n"
            "- openai: OpenAI-compatible API\n"
            "- tinker: Tinker sampling service (NexRL's recipes; not in the reference)\n"
            "- weaver: Weaver sampling service (NexRL's recipes; not in the reference)\n"
            'The reference gives "sglang" as its default; NexRL reads it without one.'
        ),
    ),
    Option(
        "service.inference_service.max_retries",
        description="Number of attempts for each request (despite the name, not retries).",
        source=(
            "spec/service-config.md; "
            f"{_CLIENT_SRC}@v1.0.0:109-131,208-230; {_CLIENT_SRC}@v1.4.0:207-231,311-332"
        ),
        type="int",
        required_if=(*_OPENAI, _CLIENT, _CALLED),
        required_for="for the sglang, vllm and openai backends (at the first request)",
        minimum=1,
        used_if=_OPENAI,
        details=(
            "The reference gives 3 as its default; NexRL's client reads it without one. The "
            "client makes `for _ in range(max_retries)` attempts, so 0 or less makes none and "
            "the first request fails with 'Failed to get completion after all retries'. The "
            "Tinker and Weaver clients do not read it."
        ),
        examples=(
            ("# A single attempt\nmax_retries: 1"),
            ("# Standard\nmax_retries: 3"),
            ("# High reliability\nmax_retries: 10"),
        ),
    ),
    Option(
        "service.inference_service.freeze_for_weight_sync",
        description="Block inference during weight synchronization.",
        source=(
            "spec/service-config.md; "
            "nexrl/inference_service_client/openai_inference_service_client.py@v1.0.0:47"
        ),
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
        source=(
            "spec/service-config.md; nexrl/weight_sync/weight_sync_controller.py@v1.0.0:91,311; "
            "nexrl/weight_sync/weight_sync_controller.py@v1.4.0:112"
        ),
        type="string",
        required=True,
        choices=("sglang_nckpt", "vllm_ckpt", ""),
        loose_choices=True,
        details=_WEIGHT_TYPE_DETAILS,
        examples=('# SGLang\nweight_type: "sglang_nckpt"', '# vLLM\nweight_type: "vllm_ckpt"'),
    ),
    Option(
        "service.inference_service.tool_parser",
        description="Parser that extracts structured tool calls from model responses.",
        source=(
            "spec/v1.4/service-config.md; "
            "nexrl/inference_service_client/remote_api_inference_service_client.py@v1.3.0:78-83"
        ),
        type="string",
        added="1.3",
        default="qwen25",
        choices=_TOOL_PARSERS,
        loose_choices=True,
        used_if=_REMOTE,
        details=(
            "Read by the Tinker and Weaver clients. Options: qwen25 (Qwen 2.5/3, default), "
            "qwen3_coder, gpt_oss, deepseekv31, and the other SGLang tool-call parsers. "
            "NexRL hands the name to SGLang and falls back to qwen25 (or a minimal parser "
            "without SGLang) when SGLang does not know it."
        ),
        examples=('tool_parser: "qwen25"',),
    ),
    Option(
        "service.inference_service.reasoning_parser",
        description="Parser that extracts thinking/reasoning content from model responses.",
        source=(
            "spec/v1.4/service-config.md; "
            "nexrl/inference_service_client/remote_api_inference_service_client.py@v1.3.0:87; "
            "nexrl/utils/reasoning_parser/__init__.py@v1.4.0:207-232"
        ),
        type="string",
        added="1.3",
        default="think_tag",
        choices=_REASONING_CHOICES,
        used_if=_REMOTE,
        details=(
            "Read by the Tinker and Weaver clients. The reference lists think_tag (default), "
            "qwen3, deepseek_r1, kimi, step3, nano_v3, minimax_append_think; NexRL also "
            "knows think, default, step3p5, gpt_oss, glm45, deepseek_v3, kimi_k2, minimax, "
            "interns1, with '-' or '_'. An unknown name stops NexRL at start-up when "
            "SGLang is installed (without it NexRL uses a minimal parser)."
        ),
        examples=('reasoning_parser: "qwen3"',),
    ),
    Option(
        "service.inference_service.parse_tool_call_arguments",
        description=(
            "Parse JSON tool-call arguments into objects before applying the chat template."
        ),
        source="nexrl/inference_service_client/openai_inference_service_client.py@v1.2.0:100",
        type="bool",
        added="1.2",
        default=False,
        details="Read by NexRL's OpenAI-compatible client (sglang, vllm, openai).",
    ),
    Option(
        "service.inference_service.resource.replicas",
        description="Number of inference server replicas to launch.",
        source="cli/common/config_utils.py@v1.2.0:353,358-363",
        type="int",
        added=NAMED_SERVICES,
        minimum=1,
    ),
    Option(
        "service.inference_service.resource.gpus_per_replica",
        description="GPUs per inference replica (usually the tensor-parallel size).",
        source="cli/common/config_utils.py@v1.2.0:354,358-363",
        type="int",
        added=NAMED_SERVICES,
        minimum=1,
    ),
    Option(
        "service.inference_service.resource.backend",
        description=(
            "Inference server implementation to deploy (for example sglang or bp-sglang)."
        ),
        source="cli/common/config_utils.py@v1.2.0:355; spec/v1.4/config-migration-guide.md",
        type="string",
        added=NAMED_SERVICES,
        default="sglang",
    ),
    Option(
        "service.inference_service.resource.extra_args",
        description="Extra command-line arguments passed to the inference server launcher.",
        source="cli/common/config_utils.py@v1.2.0:356",
        type="string",
        added=NAMED_SERVICES,
        default="",
    ),
)
