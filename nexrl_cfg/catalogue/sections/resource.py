"""The `resource` section."""

from __future__ import annotations

from ..model import Option, Section

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "resource",
        description="Compute resources for Kubernetes deployment (legacy location).",
        source="recipes",
        closed=False,
        details=(
            "Older recipes put train, inference and agent resources here. Newer NexRL "
            "versions read them from service.train_service.<name>.resource, "
            "service.inference_service.resource and rollout_worker.resource instead, "
            "and still accept this section with a deprecation warning."
        ),
    ),
)
