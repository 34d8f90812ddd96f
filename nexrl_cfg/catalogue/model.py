"""The shape of a catalogue entry: one option or section of a NexRL config, with the NexRL
versions it exists in and where that is known from."""

from __future__ import annotations

from typing import Any

from ..nexrl import OLDEST, VERSIONS, version_key
from ..record import Record


class _NoDefault:
    """Marks an option that has no default value (required, or simply unset)."""

    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT: Any = _NoDefault()

# Value types an option can have. "number" accepts int or float (YAML `1e-4` and `1` alike);
# "string-or-list" is a string or a list of strings (logger.backend).
TYPES = ("string", "int", "number", "bool", "list", "mapping", "string-or-list", "any")


class Condition(Record):
    """`path` holds one of `values`. A path starting with '.' is relative to the section; one
    starting with '^' to the training service the section belongs to (`^role`: the `role` of
    `service.train_service.<name>`, or of the flat `service.train_service`).

    `absent` makes the condition hold also when the path is not set at all; `also` are more
    conditions that must hold with it (one branch of a `required_unless`)."""

    path: str
    values: tuple[Any, ...]
    absent: bool = False
    also: tuple[Condition, ...] = ()


# How NexRL's code uses a number (`Use.kind`), and the values that use takes.
USES = {
    # Divided by, or a modulo taken with it: 0 raises ZeroDivisionError.
    "divisor": "other than 0",
    # A pool size or a loop count that must not come out empty.
    "count": "at least 1",
    # Seconds slept (`time.sleep`): a negative number raises ValueError.
    "seconds": "0 or more",
    # Handed to a library that refuses a negative number (torch's AdamW learning rate).
    "non-negative": "0 or more",
}


class Use(Record):
    """How NexRL's code uses a number, which decides the values it takes (see `USES`): the
    expression it evaluates (`code`), where (`source`, file:line@tag), and what a value it
    cannot take does (`failure`). `caught`: NexRL catches the failure and runs on without the
    feature (a warning, not an error). `when`: NexRL evaluates it only where these conditions
    hold (the torch loader, not the mock one); elsewhere a value it cannot take is a warning."""

    kind: str
    code: str
    source: str
    failure: str
    caught: bool = False
    when: tuple[Condition, ...] = ()

    def takes(self, value: float) -> bool:
        if self.kind == "divisor":
            return value != 0
        if self.kind == "count":
            return value >= 1
        return value >= 0


class Product(Record):
    """NexRL takes `int(this * other)` of the option and another of its section (`other`,
    ".name"): `code` is the expression, `source` where (file:line@tag). Python multiplies a
    string by an integer n into the text repeated n times, so a quoted number is the number
    meant only when the other factor is 1. `when`: NexRL evaluates it only where these
    conditions hold (elsewhere the option's type is checked as usual)."""

    other: str
    code: str
    source: str
    when: tuple[Condition, ...] = ()


class Entry(Record):
    """What options and sections share: where they are, which versions, which source."""

    path: str
    description: str
    # Where the entry is known from: a reference page (`spec/trainer-config.md`) or a NexRL
    # file at a tag (`nexrl/controller.py@v1.4.0:692`).
    source: str
    # First NexRL version that reads it, and the first that no longer does (None: still read).
    added: str = OLDEST
    removed: str | None = None
    # What takes its place: from `removed` on, or from `deprecated` on where NexRL still
    # reads it with a warning.
    replaced_by: str = ""
    deprecated: str | None = None
    # Free text: use cases, guidelines, where the reference and the code disagree.
    details: str = ""
    # Documented in a reference page, but read by no NexRL version: accepted, never an error.
    ignored: bool = False
    # Written by NexRL's own recipes, but read by no NexRL version: a warning says it has no
    # effect, and its value is still checked (as advice, like an ignored option's).
    unread: bool = False
    required: bool = False
    # Required only when every condition holds / unless any condition holds.
    required_if: tuple[Condition, ...] = ()
    required_unless: tuple[Condition, ...] = ()
    # NexRL reads it only when every condition holds: elsewhere a bad value is a warning (it
    # has no effect), and nothing inside a section is required.
    used_if: tuple[Condition, ...] = ()
    # In words, the path of NexRL that needs it ("only for the torch data loader").
    required_for: str = ""

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    @property
    def parent(self) -> str:
        return self.path.rpartition(".")[0]

    def exists_in(self, version: str) -> bool:
        key = version_key(version)
        if key < version_key(self.added):
            return False
        return self.removed is None or key < version_key(self.removed)

    def deprecated_in(self, version: str) -> bool:
        return self.deprecated is not None and version_key(version) >= version_key(self.deprecated)

    @property
    def versions(self) -> tuple[str, ...]:
        return tuple(v for v in VERSIONS if self.exists_in(v))


class Option(Entry):
    """One option. `path` is its full dotted path from the config root; `*` stands for a name
    the user chooses (`resource.train.*.world_size`), `[]` for each item of a list."""

    type: str = "any"
    default: Any = NO_DEFAULT
    # Other places (relative to the section, starting with '.') that satisfy the requirement.
    provided_by: tuple[str, ...] = ()
    choices: tuple[Any, ...] = ()
    # Allowed values NexRL maps to another with a deprecation warning: (value, replacement).
    deprecated_choices: tuple[tuple[Any, Any], ...] = ()
    # NexRL accepts any value but acts only on `choices` (an unknown one is silently
    # mis-handled): a value outside them is a warning, not an error.
    loose_choices: bool = False
    # Keys (relative to the section when they start with ".") that, when set, let any value
    # pass: `type` with a `custom_*_module_path`; except where a `free_unless` condition
    # holds (a code path that looks the value up without the custom module).
    free_if_set: tuple[str, ...] = ()
    free_unless: tuple[Condition, ...] = ()
    nullable: bool = False
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    # What NexRL does with a value outside the range when it runs on regardless ("trains
    # nothing"): out-of-range says so in a warning instead of an error.
    outside_range: str = ""
    # How NexRL's code uses the number, which adds to the range it takes (a divisor: not 0).
    use: Use | None = None
    # NexRL only tests whether the value is true (`if value:`): a value of another type runs,
    # read by Python's truthiness ("false" is true), so it is mis-handled, not a failure.
    truthy: bool = False
    # NexRL multiplies it by another option and takes int() of the product: a value of another
    # type may still give the number meant (`int("8" * 1)`), or another one.
    product: Product | None = None
    # Values that leave things as they are where NexRL does not read the option (`resume.mode:
    # disable`, `save_freq: 0`): writing one there is no mistake. None: the default.
    inert: tuple[Any, ...] | None = None
    # NexRL reads the option but never acts on it (why, with the NexRL line): a value other
    # than an inert one has no effect.
    no_effect: str = ""
    # YAML snippets, each may start with a `# comment` line naming the case.
    examples: tuple[str, ...] = ()
    # Never print the value (api keys and the like).
    secret: bool = False

    def acts(self, value: Any) -> bool:
        """Whether `value` would change what NexRL does where it reads the option: not null,
        not one of its inert values (by default, its default)."""
        inert = self.inert if self.inert is not None else (self.default,)
        return value is not None and not any(type(value) is type(v) and value == v for v in inert)


class Section(Entry):
    """A mapping in the config. In a closed section an unknown key is reported; an open one
    is handed on by NexRL untouched (`open_reason` says so)."""

    closed: bool = True
    nullable: bool = False
    open_reason: str = ""
    # NexRL reads a null here as an empty section (`config.get(k) or {}`, a fallback): null is
    # fine, except where one of `null_fails_if` holds (a code path that reads it without the
    # fallback). A section `nullable` only may be null in a shared file, not in a whole config.
    null_as_empty: bool = False
    null_fails_if: tuple[Condition, ...] = ()
