"""The `resume` section: read by the controller when a self-hosted run starts.

Tinker and Weaver runs never read it. Until 1.1 NexRL tells them apart by the training
service's backend, from 1.2 on by the inference service's (`use_tinker`, `use_weaver`).
"""

from __future__ import annotations

from ...nexrl import (
    NEXTRAINER_BACKENDS,
    OLDEST,
    OPENAI_CLIENT_BACKENDS,
    REMOTE_BACKENDS,
    REMOTE_BY_INFERENCE,
)
from ..model import Condition, Option, Section
from ._shared import CONTROLLER

SWITCH = "nexrl/utils/config_utils.py"

_MODE_READ = f"{CONTROLLER}@v1.0.0:252,269,284,290,307; {CONTROLLER}@v1.4.0:273,291,306,312,329"
# Where each range of versions looks for tinker / weaver, and the backends that key takes for
# a self-hosted run (where NexRL reads `resume`).
SWITCHES = (
    (OLDEST, REMOTE_BY_INFERENCE, "service.train_service.backend", f"{SWITCH}@v1.0.0:61-78"),
    (REMOTE_BY_INFERENCE, None, "service.inference_service.backend", f"{SWITCH}@v1.2.0:162-179"),
)
_SELF_HOSTED_BACKENDS = {
    "service.train_service.backend": (*NEXTRAINER_BACKENDS, "mock"),
    "service.inference_service.backend": OPENAI_CLIENT_BACKENDS,
}
_FOR = "for a self-hosted run, not for a Tinker or Weaver one"


def _self_hosted(
    added: str, removed: str | None, backend: str, switch: str
) -> tuple[Section, Option, Option]:
    """The section and its mode, required unless the run is a Tinker or Weaver one (which
    never reads them: a mode there has no effect)."""
    remote = (Condition(backend, REMOTE_BACKENDS),)
    self_hosted = (Condition(backend, _SELF_HOSTED_BACKENDS[backend]),)
    return (
        Section(
            "resume",
            description="Whether and from where to resume training from a checkpoint.",
            source=f"{_MODE_READ}; {switch}; spec/complete-config.md",
            added=added,
            removed=removed,
            required_unless=remote,
            required_for=_FOR,
        ),
        Option(
            "resume.mode",
            description="Where training starts from.",
            source=f"{_MODE_READ}; {switch}; spec/complete-config.md",
            added=added,
            removed=removed,
            type="string",
            required_unless=remote,
            required_for=_FOR,
            used_if=self_hosted,
            inert=("disable",),
            choices=("disable", "auto", "from_path"),
            details=(
                "- disable: train from scratch\n"
                "- auto: resume from the newest checkpoint under trainer.checkpoint_path, "
                "if any\n"
                "- from_path: resume from resume_path\n"
                "Another value stops a self-hosted run when it starts. Tinker and Weaver "
                "runs return before reading it (nexrl/controller.py@v1.0.0:240-241, "
                "@v1.4.0:259-260)."
            ),
        ),
        Option(
            "resume.resume_path",
            description="Checkpoint folder (global_step_N) to resume from.",
            source=(
                f"{CONTROLLER}@v1.0.0:292-305; {CONTROLLER}@v1.4.0:314-327; {switch}; "
                "spec/complete-config.md"
            ),
            added=added,
            removed=removed,
            type="string",
            required_if=(Condition(".mode", ("from_path",)),),
            required_unless=remote,
            required_for="when a self-hosted run's mode is from_path",
            used_if=self_hosted,
            inert=("",),
            details=(
                "A relative path is taken from the working directory. An empty path or one "
                "that does not exist stops a self-hosted run when it starts; Tinker and "
                "Weaver runs never read it."
            ),
        ),
    )


ENTRIES: tuple[Option | Section, ...] = (
    *(entry for switch in SWITCHES for entry in _self_hosted(*switch)),
    Option(
        "resume.resume_dataloader",
        description="On resume, skip the data batches the checkpoint already consumed.",
        source=f"{CONTROLLER}@v1.1.0:335; {CONTROLLER}@v1.4.0:357; spec/complete-config.md",
        added="1.1",
        type="bool",
        truthy=True,
        default=True,
    ),
)
