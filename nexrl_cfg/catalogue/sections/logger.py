"""The `logger` section."""

from __future__ import annotations

from ..model import Option, Section

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "logger",
        description=("Experiment logging backends (console, wandb, ...) and Feishu notifications."),
        source="recipes",
        closed=False,
    ),
)
