"""The `trajectory_pool` section."""

from __future__ import annotations

from ..model import Option, Section
from ._shared import CHECKS, CONTROLLER, module_type

POOL = "nexrl/trajectory_pool.py"

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "trajectory_pool",
        description="Pool that collects rollout trajectories into training batches.",
        source=f"{CONTROLLER}@v1.0.0:712; {CONTROLLER}@v1.4.0:761; {CHECKS}@v1.0.0:27",
        required=True,
        required_for="to build the trajectory pool",
    ),
    module_type(
        "trajectory_pool.type",
        "Trajectory pool implementation.",
        "604-606,644,875",
        "652-654,692,925",
    ),
    Option(
        "trajectory_pool.batch_size",
        description="Number of trajectories that make up a training batch.",
        source=(
            f"{CHECKS}@v1.0.0:42; {CHECKS}@v1.4.0:44; {POOL}@v1.0.0:300,357; {POOL}@v1.4.0:300,357"
        ),
        type="int",
        required=True,
        required_for="at start-up (compared with data.batch_size)",
        details=(
            "Must be at least data.batch_size (checked at start-up). The pool itself falls "
            "back to 32, but the start-up check reads it without a default."
        ),
    ),
    Option(
        "trajectory_pool.check_batch_ready_function",
        description="When the pool considers a training batch ready.",
        source=(
            f"{CHECKS}@v1.0.0:27,36; {CHECKS}@v1.4.0:29,38; {POOL}@v1.0.0:233,298-306; "
            f"{POOL}@v1.4.0:233,298-306; spec/complete-config.md"
        ),
        type="string",
        required=True,
        required_for="at start-up (its consistency checks read it)",
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
            "true. Another name stops the pool at its first readiness check. The "
            "reference page's comment lists 'batch_size', which is not a name NexRL knows."
        ),
    ),
    Option(
        "trajectory_pool.key_list",
        description="Trajectory keys to group by: none, one (grouped) or several (nested).",
        source=f"{POOL}@v1.0.0:164,250; {POOL}@v1.4.0:164,250; spec/complete-config.md",
        type="list",
        default=[],
        details="An empty list collects trajectories ungrouped.",
    ),
    Option(
        "trajectory_pool.group_size",
        description="Trajectories per group before the group counts as finished.",
        source=f"{POOL}@v1.0.0:126,165; {POOL}@v1.4.0:126,165; spec/complete-config.md",
        type="int",
        default=1,
        details="Used only when key_list names at least one key.",
    ),
)
