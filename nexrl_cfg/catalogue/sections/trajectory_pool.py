"""The `trajectory_pool` section."""

from __future__ import annotations

from ..model import Option, Section

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "trajectory_pool",
        description="Pool that collects rollout trajectories into training batches.",
        source="recipes",
        closed=False,
    ),
    Option(
        "trajectory_pool.batch_size",
        description="Number of trajectories that make up a training batch.",
        source="recipes",
        type="int",
        default=32,
        details="Must be at least data.batch_size (checked at start-up).",
    ),
    Option(
        "trajectory_pool.check_batch_ready_function",
        description="When the pool considers a training batch ready.",
        source="recipes",
        type="string",
        default="loaded_batch_finished",
        choices=(
            "batch_size_reached",
            "loaded_batch_finished",
            "batch_size_reached_and_loaded_batch_finished",
        ),
        details=(
            "- batch_size_reached: once batch_size trajectories are collected\n"
            "- loaded_batch_finished: after all rollouts of the loaded data batch "
            "finish\n"
            "- batch_size_reached_and_loaded_batch_finished: both conditions\n"
            "The two loaded_batch_finished variants require data.keep_batch_order: "
            "true."
        ),
    ),
)
