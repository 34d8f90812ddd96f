"""The `runtime_monitor` section."""

from __future__ import annotations

from ..model import Option, Section

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "runtime_monitor",
        description="Run-time health checks and exception-handling policy.",
        source="recipes",
        closed=False,
    ),
)
