"""Top-level scalars (launch_mode, project_name, experiment_name) and top-level keys of other tools
and older layouts."""

from __future__ import annotations

from ..model import Option, Section

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "hydra",
        description="Hydra's own settings, such as extra config search paths.",
        source="recipes",
        closed=False,
    ),
    Section(
        "algorithm",
        description="RL algorithm settings (pre-1.0 layout; now trainer.algorithm).",
        source="recipes",
        closed=False,
    ),
    Section(
        "train_batch_pool",
        description="Training batch pool (pre-1.0 layout; no longer used).",
        source="recipes",
        closed=False,
    ),
    Section(
        "train_worker",
        description="Training worker settings (pre-1.0 layout; now the trainer section).",
        source="recipes",
        closed=False,
    ),
    Section(
        "train_parallel",
        description=(
            "Training parallelism for Kubernetes (pre-1.0 layout; now resource settings)."
        ),
        source="recipes",
        closed=False,
    ),
    Section(
        "inference_parallel",
        description=(
            "Inference parallelism for Kubernetes (pre-1.0 layout; now resource settings)."
        ),
        source="recipes",
        closed=False,
    ),
    Option(
        "project_name",
        description="Name of the project, used in logging and experiment tracking.",
        source="recipes",
        type="string",
    ),
    Option(
        "experiment_name",
        description="Name of this experiment, used in logging and checkpoint paths.",
        source="recipes",
        type="string",
    ),
    Option(
        "launch_mode",
        description="How NexRL runs its modules: in one process or as Ray actors.",
        source="recipes",
        type="string",
        choices=("local", "ray"),
        details=("- local: single-process execution\n- ray: distributed execution with Ray"),
    ),
    Option(
        "multi_model",
        description="Train several models on the same trajectories (experimental).",
        source="recipes",
        type="any",
        details='NexRL\'s recipes write it as the string "false" or "true".',
    ),
    Option(
        "defaults",
        description="Hydra defaults list: the base config files this file extends.",
        source="recipes",
        type="list",
        examples=("defaults:\n  - common\n  - _self_",),
    ),
    Option(
        "job_name",
        description="Name of the Kubernetes job (pre-1.0 example configs).",
        source="recipes",
        type="string",
    ),
)
