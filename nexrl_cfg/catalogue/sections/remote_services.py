"""`service.tinker_service` and `service.weaver_service`: the remote training and sampling
services."""

from __future__ import annotations

from ..model import Option, Section

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "service.tinker_service",
        description="Connection to the Tinker training and sampling service.",
        source="recipes",
        details="Used when the inference and training backends are `tinker`.",
    ),
    Section(
        "service.weaver_service",
        description="Connection to the Weaver training and sampling service.",
        source="recipes",
        details="Used when the inference and training backends are `weaver`.",
    ),
    Option(
        "service.tinker_service.api_key",
        description="Tinker API key; the TINKER_API_KEY environment variable takes precedence.",
        source="recipes",
        type="string",
        details="NexRL stops at start-up when it is empty and Tinker is used.",
        examples=('api_key: "${oc.env:TINKER_API_KEY}"',),
        secret=True,
    ),
    Option(
        "service.tinker_service.base_url",
        description="Tinker API base URL; null uses the default service or TINKER_BASE_URL.",
        source="recipes",
        type="string",
        default=None,
        nullable=True,
    ),
    Option(
        "service.tinker_service.lora_rank",
        description="LoRA rank of the adapter Tinker trains.",
        source="recipes",
        type="int",
        default=32,
        minimum=1,
    ),
    Option(
        "service.weaver_service.api_key",
        description="Weaver API key; the WEAVER_API_KEY environment variable takes precedence.",
        source="recipes",
        type="string",
        details="NexRL stops at start-up when it is empty and Weaver is used.",
        examples=('api_key: "${oc.env:WEAVER_API_KEY}"',),
        secret=True,
    ),
    Option(
        "service.weaver_service.base_url",
        description="Weaver API base URL; null uses the default service or WEAVER_BASE_URL.",
        source="recipes",
        type="string",
        default=None,
        nullable=True,
    ),
    Option(
        "service.weaver_service.lora_rank",
        description="LoRA rank of the adapter Weaver trains.",
        source="recipes",
        type="int",
        default=32,
        minimum=1,
    ),
    Option(
        "service.weaver_service.training_mode",
        description="How Weaver trains the model: a LoRA adapter or full fine-tuning.",
        source="recipes",
        type="string",
        default="lora",
        details='Values seen in NexRL: "lora" (default) and "full_ft" (full fine-tuning).',
    ),
)
