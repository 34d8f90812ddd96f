"""The `resume` section."""

from __future__ import annotations

from ..model import Option, Section

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "resume",
        description="Whether and from where to resume training from a checkpoint.",
        source="recipes",
        closed=False,
    ),
)
