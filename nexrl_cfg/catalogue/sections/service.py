"""The `service` section: the services a run talks to."""

from __future__ import annotations

from ..model import Option, Section

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "service",
        description="Inference and training services used by the run.",
        source="spec/service-config.md",
        nullable=True,
        details=(
            "Holds inference_service, train_service and, for the Tinker and Weaver "
            "training-service modes, tinker_service or weaver_service.\n"
            "A shared base file (common.yaml) may set `service: null` and leave the "
            "real values to the deployment-specific file that includes it."
        ),
    ),
    Section(
        "service.teacher_service",
        description=(
            "Teacher training service for on-policy distillation (early OPD recipes only)."
        ),
        source="recipes",
        closed=False,
        details=(
            "Has the same keys as a training service (identifier, backend, url, "
            "actor). Later NexRL versions describe the teacher as a nested "
            "service.train_service.<name> entry with `role: teacher` instead."
        ),
    ),
    Option(
        "service.actor_train_service",
        description="Name of the nested training service that trains the main (actor) model.",
        source="recipes",
        type="string",
        details=(
            "Used by some intermediate NexRL versions with the nested train_service "
            "layout; later versions mark the actor with `role: actor` instead."
        ),
    ),
    Option(
        "service.teacher_train_service",
        description="Name of the nested training service that serves the teacher model (OPD).",
        source="recipes",
        type="string",
        details=(
            "Used by some intermediate NexRL versions; later versions mark the teacher "
            "with `role: teacher` instead."
        ),
    ),
)
