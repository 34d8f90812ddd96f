"""The `rollout_worker` section."""

from __future__ import annotations

from ..model import Option, Section

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "rollout_worker",
        description="Rollout workers that run the agent or task and produce trajectories.",
        source="recipes",
        closed=False,
    ),
)
