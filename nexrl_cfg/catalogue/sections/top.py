"""Top-level scalars (launch_mode, project_name, experiment_name) and the top-level keys of
Hydra (`defaults`, `hydra`) and of the reference's complete example (`multi_model`)."""

from __future__ import annotations

from ..model import Option, Section

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "hydra",
        description="Hydra's own settings, such as extra config search paths.",
        source="nexrl/main.py@v1.0.0:40; nexrl/main.py@v1.4.0:47",
        closed=False,
        open_reason="read by Hydra, which composes the config, not by NexRL",
    ),
    Option(
        "defaults",
        description="Hydra defaults list: the base config files this file extends.",
        source="nexrl/main.py@v1.0.0:40; nexrl/main.py@v1.4.0:47; spec/complete-config.md",
        type="list",
        examples=("defaults:\n  - common\n  - _self_",),
    ),
    Option(
        "project_name",
        description="Name of the project, used in logging and experiment tracking.",
        source="nexrl/activity_tracker.py@v1.0.0:55; nexrl/activity_tracker.py@v1.4.0:55",
        type="string",
        required=True,
    ),
    Option(
        "experiment_name",
        description="Name of this experiment, used in logging and log folders.",
        source=(
            "nexrl/activity_tracker.py@v1.0.0:56; cli/self_hosted/run.py@v1.0.0:246; "
            "nexrl/activity_tracker.py@v1.4.0:56; cli/self_hosted/run.py@v1.4.0:253"
        ),
        type="string",
        required=True,
    ),
    Option(
        "launch_mode",
        description="How NexRL runs its modules: in one process or as Ray actors.",
        source=(
            "nexrl/main.py@v1.0.0:64-81; nexrl/controller.py@v1.0.0:112; "
            "nexrl/main.py@v1.4.0:71-88; nexrl/controller.py@v1.4.0:119"
        ),
        type="string",
        required=True,
        choices=("local", "ray"),
        details="- local: single-process execution\n- ray: distributed execution with Ray",
    ),
    Option(
        "multi_model",
        description="Train several models on the same trajectories (reference example only).",
        source="spec/complete-config.md",
        type="string",
        ignored=True,
        details=(
            'The reference\'s complete example and the recipes write multi_model: "false"; '
            "no NexRL version reads it."
        ),
    ),
)
