"""The `debug` section."""

from __future__ import annotations

from ..model import Option, Section

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "debug",
        description=("Debug data dumps (trajectories, log-probs, losses) written during training."),
        source="recipes",
        closed=False,
    ),
)
