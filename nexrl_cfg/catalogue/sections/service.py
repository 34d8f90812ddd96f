"""The `service` section: the services a run talks to."""

from __future__ import annotations

from ..model import Option, Section

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "service",
        description="Inference and training services used by the run.",
        source="spec/service-config.md; nexrl/utils/validate_config.py@v1.0.0:50-54",
        nullable=True,
        required=True,
        details=(
            "Holds inference_service, train_service and, for the Tinker and Weaver "
            "training-service modes, tinker_service or weaver_service.\n"
            "A shared base file (common.yaml) may set `service: null` and leave the "
            "real values to the deployment-specific file that includes it."
        ),
    ),
)
