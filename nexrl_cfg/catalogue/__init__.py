"""The options catalogue: every documented option and section, looked up by dotted path.

The data lives in `options.py`; the JSON Schema (`schema.py`), the `explain` text and the
validate stage are all derived from it.
"""

from __future__ import annotations

from functools import lru_cache

from .model import NO_DEFAULT, Condition, Option, Section

__all__ = [
    "NO_DEFAULT",
    "Condition",
    "Option",
    "Section",
    "all_options",
    "all_sections",
    "children",
    "option",
    "section",
    "top_level_names",
]


def all_options() -> tuple[Option, ...]:
    from .options import OPTIONS

    return OPTIONS


def all_sections() -> tuple[Section, ...]:
    from .options import SECTIONS

    return SECTIONS


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, Option], dict[str, Section], dict[str, dict[str, object]]]:
    options = {o.path: o for o in all_options()}
    sections = {s.path: s for s in all_sections()}
    kids: dict[str, dict[str, object]] = {}
    for entry in (*all_sections(), *all_options()):
        kids.setdefault(entry.parent, {})[entry.name] = entry
    return options, sections, kids


def option(path: str) -> Option | None:
    return _index()[0].get(path)


def section(path: str) -> Section | None:
    return _index()[1].get(path)


def children(path: str) -> dict[str, object]:
    """Options and sections directly inside the section at `path` ("" for the root)."""
    return _index()[2].get(path, {})


def top_level_names() -> list[str]:
    return sorted(children(""))
