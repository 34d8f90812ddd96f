"""The `environment` section."""

from __future__ import annotations

from ..model import Option, Section

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "environment",
        description="Environment set-up script run before launch.",
        source="recipes",
        closed=False,
    ),
)
