"""What several section modules say alike: the NexRL files they cite most, the ray launch,
and the `type` of a module the controller builds from its registry.

Not a section (its name starts with `_`): the section modules share it.
"""

from __future__ import annotations

from ..model import Condition, Option

CONTROLLER = "nexrl/controller.py"
CHECKS = "nexrl/utils/validate_config.py"

RAY = Condition("launch_mode", ("ray",))


def module_type(path: str, description: str, lines_10: str, lines_14: str) -> Option:
    """The `type` of a module the controller builds by name (the trajectory pool, the weight
    sync, the validator): only "default" exists; ray mode reads it without a default. `lines_10`
    and `lines_14` are the controller's lines at v1.0.0 and v1.4.0."""
    return Option(
        path,
        description=description,
        source=(
            f"{CONTROLLER}@v1.0.0:{lines_10}; {CONTROLLER}@v1.4.0:{lines_14}; "
            "spec/complete-config.md"
        ),
        type="string",
        default="default",
        choices=("default",),
        required_if=(RAY,),
        required_for="in ray mode, which reads it without a default",
    )
