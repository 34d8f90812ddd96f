"""The shape of a catalogue entry: one documented option or section of a NexRL config."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class _NoDefault:
    """Marks an option that has no default value (required, or simply unset)."""

    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT: Any = _NoDefault()

# Value types an option can have. "number" accepts int or float (YAML `1e-4` and `1` alike).
TYPES = ("string", "int", "number", "bool", "list", "mapping", "any")


@dataclass(frozen=True)
class Condition:
    """`path` holds one of `values`; a path starting with '.' is relative to the section."""

    path: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Option:
    """One documented option. `path` is its full dotted path from the config root."""

    path: str
    type: str
    description: str
    default: Any = NO_DEFAULT
    required: bool = False
    # Required only when every condition holds / unless any condition holds.
    required_if: tuple[Condition, ...] = ()
    required_unless: tuple[Condition, ...] = ()
    # Other places (relative to the section, starting with '.') that satisfy the requirement.
    provided_by: tuple[str, ...] = ()
    choices: tuple[Any, ...] = ()
    nullable: bool = False
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    # Free text: use cases, guidelines, "when true / when false", what it should match.
    details: str = ""
    # YAML snippets, each may start with a `# comment` line naming the case.
    examples: tuple[str, ...] = ()
    # Where the option is documented: "spec" (the service configuration reference)
    # or "recipes" (used by NexRL's own recipes, not in the reference).
    source: str = "spec"
    # Never print the value (api keys and the like).
    secret: bool = False

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    @property
    def parent(self) -> str:
        return self.path.rpartition(".")[0]


@dataclass(frozen=True)
class Section:
    """A mapping in the config. In a closed section an unknown key is reported."""

    path: str
    description: str
    closed: bool = True
    nullable: bool = False
    details: str = ""
    source: str = "spec"

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    @property
    def parent(self) -> str:
        return self.path.rpartition(".")[0]
