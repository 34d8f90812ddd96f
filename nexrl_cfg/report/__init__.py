"""Stage 6, report: a run's findings as text, JSON, GitHub workflow commands, SARIF, ...

The output formats are the modules of this package named `<name>_format`, found by their names
(none is imported until it is used): a new format is one module (and its test). A format
module declares
- `DESCRIPTION`: a few words for `--help`;
- `FIXES`: whether its report carries the fixes of the findings;
- `STREAMS`: whether it writes a long report a piece at a time, with `write(run, out)`;
  otherwise it has `render(run) -> str`;
- optionally `statistics(run) -> str`, a count per rule for `--statistics`, and
  `FAILURE_REPORT = True` when it writes a report of a run that could not run (exit 2).
The run it is given is a `run.Run`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, TextIO

from ..record import Record

if TYPE_CHECKING:
    from .run import Run

DEFAULT = "text"
_SUFFIX = "_format"


@cache
def names() -> tuple[str, ...]:
    """Every output format, the default first, then by name."""
    found = sorted(
        info.name.removesuffix(_SUFFIX)
        for info in pkgutil.iter_modules(__path__)
        if info.name.endswith(_SUFFIX)
    )
    return tuple(sorted(found, key=lambda name: name != DEFAULT))


class Format(Record, by_value=False):
    """One output format, its module loaded on first use."""

    name: str

    @property
    def module(self) -> ModuleType:
        return importlib.import_module(f"{__name__}.{self.name}{_SUFFIX}")

    @property
    def description(self) -> str:
        return str(self.module.DESCRIPTION)

    @property
    def fixes(self) -> bool:
        return bool(self.module.FIXES)

    @property
    def streams(self) -> bool:
        return bool(self.module.STREAMS)

    @property
    def failure_report(self) -> bool:
        return bool(getattr(self.module, "FAILURE_REPORT", False))

    @property
    def statistics(self) -> Callable[[Run], str] | None:
        return getattr(self.module, "statistics", None)


def get(name: str) -> Format:
    if name not in names():
        raise ValueError(f"unknown format '{name}' (known: {', '.join(names())})")
    return Format(name)


def help_text() -> str:
    """The formats, as `--help` lists them (this imports every format module)."""
    listed = "; ".join(f"{name}: {get(name).description}" for name in names())
    return f"Report format ({listed})."


def write(fmt: str, run: Run, out: TextIO, statistics: bool = False) -> None:
    """Write the report (or, with `statistics`, the format's count per rule) to `out`,
    streaming where the format does."""
    chosen = get(fmt)
    if statistics:
        if chosen.statistics is None:
            raise ValueError(f"the {fmt} format has no statistics")
        _write_text(chosen.statistics(run), out)
    elif chosen.streams:
        chosen.module.write(run, out)
    else:
        _write_text(chosen.module.render(run), out)


def _write_text(text: str, out: TextIO) -> None:
    if text:  # one line per finding: no findings, no output
        out.write(text + "\n")


def render(fmt: str, run: Run) -> str:
    renderer: Callable[[Run], str] = get(fmt).module.render
    return renderer(run)
