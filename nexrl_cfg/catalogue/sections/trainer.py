"""The `trainer` section."""

from __future__ import annotations

from ..model import Option, Section

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "trainer",
        description="Trainer module: trainer type, algorithm, step count and checkpoint paths.",
        source="recipes",
        closed=False,
    ),
    Option(
        "trainer.type",
        description="Trainer implementation to use.",
        source="recipes",
        type="string",
        details=(
            "Types seen in NexRL: self_hosted_grpo, self_hosted_grpo_kl, "
            "self_hosted_opd, self_hosted_cross_entropy, remote_api_grpo, "
            "remote_api_grpo_kl, remote_api_cross_entropy, remote_api_opd. A custom "
            "trainer can be loaded with custom_trainer_module_path instead."
        ),
    ),
    Option(
        "trainer.sync_weight_path",
        description="Directory where the trainer saves weights for synchronisation.",
        source="recipes",
        type="string",
        details=(
            "For disk and network sync it must equal weight.sync_weight_path and must "
            "not be empty (checked at start-up)."
        ),
    ),
)
