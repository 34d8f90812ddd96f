"""`service.tinker_service` and `service.weaver_service`: the remote training and sampling
services."""

from __future__ import annotations

from ..model import Condition, Option, Section

# NexRL switches to Tinker or Weaver on the inference backend (1.2 on) and asserts that the
# train backend and weight.sync_method agree with it (1.0, 1.1).
_TINKER = (Condition("service.inference_service.backend", ("tinker",)),)
_WEAVER = (Condition("service.inference_service.backend", ("weaver",)),)


def _connection(
    name: str, used: tuple[Condition, ...], key_source: str, sources: tuple[str, str]
) -> tuple[Option, ...]:
    """How NexRL connects to Tinker or Weaver (`service.<name>_service`): the API key, needed
    where the product is used; the base URL and the LoRA rank (`sources`: where NexRL reads
    those two)."""
    section, product, variable = f"service.{name}_service", name.title(), name.upper()
    return (
        Option(
            f"{section}.api_key",
            description=(
                f"{product} API key; the {variable}_API_KEY environment variable takes precedence."
            ),
            source=key_source,
            type="string",
            required_if=used,
            required_for=f"for the {name} backend",
            details=f"NexRL stops at start-up when it is missing or empty and {product} is used.",
            examples=(f'api_key: "${{oc.env:{variable}_API_KEY}}"',),
            secret=True,
        ),
        Option(
            f"{section}.base_url",
            description=(
                f"{product} API base URL; null uses the default service or {variable}_BASE_URL."
            ),
            source=sources[0],
            type="string",
            default=None,
            nullable=True,
        ),
        Option(
            f"{section}.lora_rank",
            description=f"LoRA rank of the adapter {product} trains.",
            source=sources[1],
            type="int",
            default=32,
            minimum=1,
        ),
    )


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
    *_connection(
        "tinker",
        _TINKER,
        (
            "nexrl/utils/validate_config.py@v1.0.0:68; nexrl/controller.py@v1.0.0:983-993; "
            "nexrl/utils/validate_config.py@v1.4.0:208"
        ),
        ("nexrl/controller.py@v1.0.0:978-980", "nexrl/controller.py@v1.0.0:999"),
    ),
    *_connection(
        "weaver",
        _WEAVER,
        "nexrl/utils/validate_config.py@v1.0.0:82-83; nexrl/utils/validate_config.py@v1.4.0:219",
        ("nexrl/controller.py@v1.0.0:1041", "nexrl/controller.py@v1.0.0:1061"),
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
