"""The `environment` section, read by the `nexrl` launcher before it submits the job."""

from __future__ import annotations

from ..model import Condition, Option, Section

SELF_HOSTED = "cli/self_hosted/run.py"
SERVICE = "cli/training_service/run.py"

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "environment",
        description="Environment set-up script run on the cluster before NexRL starts.",
        source=(
            f"{SELF_HOSTED}@v1.0.0:252; {SERVICE}@v1.0.0:175; {SELF_HOSTED}@v1.4.0:259; "
            f"{SERVICE}@v1.4.0:180; spec/complete-config.md"
        ),
    ),
    Option(
        "environment.setup_script",
        description="Shell script sourced on each pod before NexRL starts (path or empty).",
        source=(
            f"{SELF_HOSTED}@v1.0.0:253-256; {SERVICE}@v1.0.0:176-179; "
            f"{SELF_HOSTED}@v1.4.0:260-263; {SERVICE}@v1.4.0:181-184; spec/complete-config.md"
        ),
        type="string",
        nullable=True,
        required_if=(Condition(".require_setup_script", (True,)),),
        required_for="for the nexrl launcher when require_setup_script is true",
        details=(
            "A relative path is taken from the config file's folder. Empty or null: no script."
        ),
        examples=('setup_script: "self_hosted.env.sh"',),
    ),
    Option(
        "environment.require_setup_script",
        description="Refuse to launch without a setup_script.",
        source=(
            f"{SELF_HOSTED}@v1.0.0:255-256; {SERVICE}@v1.0.0:178-179; "
            f"{SELF_HOSTED}@v1.4.0:262-263; {SERVICE}@v1.4.0:183-184; spec/complete-config.md"
        ),
        type="bool",
        default=False,
    ),
)
