"""`service.tinker_service` and `service.weaver_service`: the remote training and sampling
services."""

from __future__ import annotations

from ..model import Condition, Option, Section

# NexRL switches to Tinker or Weaver on the inference backend (1.2 on) and asserts that the
# train backend and weight.sync_method agree with it (1.0, 1.1).
_TINKER = (Condition("service.inference_service.backend", ("tinker",)),)
_WEAVER = (Condition("service.inference_service.backend", ("weaver",)),)

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "service.tinker_service",
        description="Connection to the Tinker training and sampling service.",
        source="nexrl/utils/validate_config.py@v1.0.0:63-68; nexrl/controller.py@v1.0.0:976",
        required_if=_TINKER,
        required_for="for the tinker backend",
        details="Used when the inference and training backends are `tinker`.",
    ),
    Section(
        "service.weaver_service",
        description="Connection to the Weaver training and sampling service.",
        source="nexrl/utils/validate_config.py@v1.0.0:77-83; nexrl/controller.py@v1.0.0:1036",
        details="Used when the inference and training backends are `weaver`.",
    ),
    Option(
        "service.tinker_service.api_key",
        description="Tinker API key; the TINKER_API_KEY environment variable takes precedence.",
        source=(
            "nexrl/utils/validate_config.py@v1.0.0:68; nexrl/controller.py@v1.0.0:983-993; "
            "nexrl/utils/validate_config.py@v1.4.0:208"
        ),
        type="string",
        required_if=_TINKER,
        required_for="for the tinker backend",
        details="NexRL stops at start-up when it is missing or empty and Tinker is used.",
        examples=('api_key: "${oc.env:TINKER_API_KEY}"',),
        secret=True,
    ),
    Option(
        "service.tinker_service.base_url",
        description="Tinker API base URL; null uses the default service or TINKER_BASE_URL.",
        source="nexrl/controller.py@v1.0.0:978-980",
        type="string",
        default=None,
        nullable=True,
    ),
    Option(
        "service.tinker_service.lora_rank",
        description="LoRA rank of the adapter Tinker trains.",
        source="nexrl/controller.py@v1.0.0:999",
        type="int",
        default=32,
        minimum=1,
    ),
    Option(
        "service.weaver_service.api_key",
        description="Weaver API key; the WEAVER_API_KEY environment variable takes precedence.",
        source=(
            "nexrl/utils/validate_config.py@v1.0.0:82-83; nexrl/utils/validate_config.py@v1.4.0:219"
        ),
        type="string",
        required_if=_WEAVER,
        required_for="for the weaver backend",
        details="NexRL stops at start-up when it is missing or empty and Weaver is used.",
        examples=('api_key: "${oc.env:WEAVER_API_KEY}"',),
        secret=True,
    ),
    Option(
        "service.weaver_service.base_url",
        description="Weaver API base URL; null uses the default service or WEAVER_BASE_URL.",
        source="nexrl/controller.py@v1.0.0:1041",
        type="string",
        default=None,
        nullable=True,
    ),
    Option(
        "service.weaver_service.lora_rank",
        description="LoRA rank of the adapter Weaver trains.",
        source="nexrl/controller.py@v1.0.0:1061",
        type="int",
        default=32,
        minimum=1,
    ),
    Option(
        "service.weaver_service.training_mode",
        description="How Weaver trains the model: a LoRA adapter or full fine-tuning.",
        source="nexrl/controller.py@v1.2.0:1107; nexrl/controller.py@v1.4.0:1113",
        type="string",
        added="1.2",
        default="lora",
        details=(
            'Handed to the Weaver SDK unchecked. Values NexRL\'s recipes use: "lora" '
            '(default) and "full_ft" (full fine-tuning).'
        ),
    ),
)
