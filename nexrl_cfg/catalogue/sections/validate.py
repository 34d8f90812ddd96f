"""The `validate` section."""

from __future__ import annotations

from ..model import Option, Section

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "validate",
        description="Periodic validation: its own data loader and evaluation settings.",
        source="recipes",
        closed=False,
    ),
)
