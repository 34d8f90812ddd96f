"""The config walked beside the catalogue, once per config: each key present with its catalogue
entry (`entries`, `options`, `sections`), and the words and checks the validate rules share.

Not a rule (its name starts with `_`): the validate rules share it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any, NamedTuple

from ..catalogue import Condition, Option, Section
from ..config import Config, show_value
from ..finding import Severity
from ..layout import TRAIN
from ..resolve import Unknown


class Entry(NamedTuple):
    """A key present in the config, with its catalogue entry (None when unknown)."""

    path: str
    value: Any
    spec: Option | Section | None
    parent: Section | None


# tuple.__new__ directly: a NamedTuple's own constructor is a Python function, and a config
# has a few hundred keys.
_entry = tuple.__new__


def entries(cfg: Config) -> list[Entry]:
    cached = getattr(cfg, "_entries", None)
    if cached is None:
        cached = []
        if isinstance(cfg.data, dict):
            _walk(cfg, cfg.data, "", "", None, cached)
        cfg._entries = cached  # type: ignore[attr-defined]
    return cached


def _walk(
    cfg: Config,
    tree: dict[str, Any],
    prefix: str,
    spec_prefix: str,
    parent: Section | None,
    out: list[Entry],
) -> None:
    """Every key under `tree`, added to `out`; `spec_prefix` is where its options live in
    the catalogue."""
    known = cfg.catalogue.children(spec_prefix)
    chosen = known.get("*")  # a name the user chooses (`resource.train.<id>`)
    nested = cfg.layout.nested
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        # `type() is`: the config's keys and values are the resolver's plain ones.
        spec = (known.get(key) or chosen) if type(key) is str else None
        out.append(_entry(Entry, (path, value, spec, parent)))
        if spec is None:
            continue
        if nested and spec.path == TRAIN:
            _walk_services(cfg, value, path, spec, out)  # type: ignore[arg-type]
        elif type(value) is dict and type(spec) is Section:
            _walk(cfg, value, path, spec.path, spec, out)
        elif type(value) is list and type(spec) is Option:
            _walk_items(cfg, value, path, spec, out)


def _walk_services(
    cfg: Config, tree: dict[str, Any], prefix: str, section: Section, out: list[Entry]
) -> None:
    """Each named service of a nested train_service is checked as a train_service."""
    for name, value in tree.items():
        path = f"{prefix}.{name}"
        if isinstance(value, dict):
            out.append(Entry(path, value, section, section))
            _walk(cfg, value, path, TRAIN, section, out)
        else:
            out.append(Entry(path, value, None, section))


def _walk_items(cfg: Config, items: list[Any], prefix: str, spec: Option, out: list[Entry]) -> None:
    """The items of a list whose items are sections of their own (`trainer.teachers[]`)."""
    item_spec = cfg.catalogue.section(f"{spec.path}[]")
    if item_spec is None:
        return
    for index, value in enumerate(items):
        path = f"{prefix}.{index}"
        out.append(Entry(path, value, item_spec, None))
        if isinstance(value, dict):
            _walk(cfg, value, path, item_spec.path, item_spec, out)


def options(cfg: Config) -> list[tuple[Option, Entry]]:
    """Present options whose value is known (not waiting on an unset variable)."""
    cached = getattr(cfg, "_options", None)
    if cached is None:
        cached = [
            (entry.spec, entry)
            for entry in entries(cfg)
            if isinstance(entry.spec, Option) and not isinstance(entry.value, Unknown)
        ]
        cfg._options = cached  # type: ignore[attr-defined]
    return cached


def null_allowed(cfg: Config, opt: Option, entry: Entry) -> bool:
    """Whether the entry is a null that is no wrong value: the option takes null, or the
    value could not be read at all (reported where it is)."""
    return entry.value is None and (opt.nullable or cfg.unreadable(entry.path))


def sections(cfg: Config) -> Iterator[tuple[Section, Entry]]:
    for entry in entries(cfg):
        if isinstance(entry.spec, Section):
            yield entry.spec, entry


IGNORED_NOTE = " (no NexRL version reads this option: it has no effect)"


def ignored_severity(opt: Option) -> Severity | None:
    """A problem with an option NexRL never reads is a warning, never an error."""
    return Severity.WARNING if opt.ignored or opt.unread else None


def unread_because(cfg: Config, path: str) -> str | None:
    """Why NexRL does not act on the key at `path` on this config's path, in words ("NexRL
    uses it only where debug.enable_data_dump is true"); None when it may. A `used_if`
    condition of its entry or of a section around it certainly fails (one whose value is not
    known counts as holding); a relative condition is read from the entry's own section."""
    memo: dict[str, str | None] | None = getattr(cfg, "_unread_because", None)
    if memo is None:
        memo = cfg._unread_because = {}  # type: ignore[attr-defined]
    if path in memo:
        return memo[path]
    # A section's answer is its own condition's, else the answer of the section around it
    # (kept: every key under a section asks about it).
    section = path.rpartition(".")[0]
    why = None
    spec = cfg.catalogue.entry(cfg.layout.spec_path(path))
    for condition in spec.used_if if spec is not None else ():
        if cfg.holds(condition, section) is False:
            why = f"NexRL uses it only where {condition_words(condition, section)}"
            break
    if why is None and section:
        why = unread_because(cfg, section)
    memo[path] = why
    return why


def read_here(cfg: Config, path: str) -> bool:
    """Whether NexRL may read the key at `path` on this config's path (see `unread_because`)."""
    return unread_because(cfg, path) is None


def condition_words(condition: Condition, section: str) -> str:
    """A catalogue condition in words: `trainer.type is "self_hosted_grpo"`."""
    path = f"{section}{condition.path}" if condition.path.startswith(".") else condition.path
    values = " or ".join(show_value(v) for v in condition.values)
    unset = " or unset" if condition.absent else ""
    return f"{path} is {values}{unset}" if values else f"{path} is unset"


def weaker(cfg: Config, opt: Option, path: str) -> tuple[Severity | None, str]:
    """(severity, note) of a bad value of `opt` at `path`: a warning with a note saying why
    when NexRL never reads the option, or does not read it on this config's path; (None, "")
    where the rule's own severity applies."""
    if opt.ignored or opt.unread:
        return Severity.WARNING, IGNORED_NOTE
    why = unread_because(cfg, path)
    if why is not None:
        return Severity.WARNING, f" ({why})"
    return None, ""


def freed(cfg: Config, opt: Option, section: str) -> bool:
    """Whether a key of `opt.free_if_set` is set beside it (a custom module: any value goes),
    and no `free_unless` condition holds (a code path that looks the value up anyway)."""
    return _free_key(cfg, opt, section) is not None and not _unfreeing(cfg, opt, section)


def not_freed_because(cfg: Config, opt: Option, section: str) -> str | None:
    """Why a set key of `opt.free_if_set` does not free the value here, in words; None when
    none is set, or it does free it."""
    key = _free_key(cfg, opt, section)
    unfreeing = _unfreeing(cfg, opt, section)
    if key is None or not unfreeing:
        return None
    return f"{key} does not stand in for it where {condition_words(unfreeing[0], section)}"


def _free_key(cfg: Config, opt: Option, section: str) -> str | None:
    at = [f"{section}{key}" if key.startswith(".") else key for key in opt.free_if_set]
    return next((key for key in at if cfg.has(key)), None)


def _unfreeing(cfg: Config, opt: Option, section: str) -> list[Condition]:
    return [c for c in opt.free_unless if cfg.holds(c, section) is True]


def lacks(cfg: Config, spec: Option | Section, section: str) -> bool:
    """Whether the section at `section` (present) lacks `spec`, which the catalogue requires
    there (no key that provides it is set either)."""
    if not (spec.required or spec.required_if or spec.required_unless):
        return False  # what `cfg.required` would say, without looking the key up first
    if spec.name == "*" or cfg.has(f"{section}.{spec.name}" if section else spec.name):
        return False
    if isinstance(spec, Option) and any(cfg.has(f"{section}{alt}") for alt in spec.provided_by):
        return False
    return cfg.required(spec, section)


def missing_required(cfg: Config, section: str, name: str) -> Option | Section | None:
    """The entry `name` of the section at `section` when `missing-required` reports it
    missing: a whole config, the section read on the config's path, the entry required there
    and not set."""
    if cfg.mode != "entry" or (section and not read_here(cfg, section)):
        return None
    if section == TRAIN and cfg.layout.nested:
        return None  # each named service is checked on its own
    spec = cfg.catalogue.children(cfg.layout.spec_path(section)).get(name)
    return spec if spec is not None and lacks(cfg, spec, section) else None


def need_words(spec: Option | Section) -> str:
    """ "; NexRL needs it at start-up", from the entry's `required_for`."""
    return f"; NexRL needs it {spec.required_for}" if spec.required_for else ""


def suggest(word: str, candidates: list[str], cutoff: float = 0.6) -> str | None:
    matches = difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: list[str], cutoff: float = 0.6) -> str:
    match = suggest(word, candidates, cutoff)
    return f"Did you mean '{match}'?" if match else ""


TYPE_WORDS = {
    "string": "a string",
    "string-or-list": "a string or a list of strings",
    "int": "an integer",
    "number": "a number",
    "bool": "true or false",
    "list": "a list",
    "mapping": "a mapping",
    "any": "any value",
}


def in_bounds(opt: Option, value: float) -> bool:
    """Whether a number is within the option's documented bounds."""
    low, high = opt.minimum, opt.maximum
    xlow, xhigh = opt.exclusive_minimum, opt.exclusive_maximum
    return not (
        (low is not None and value < low)
        or (high is not None and value > high)
        or (xlow is not None and value <= xlow)
        or (xhigh is not None and value >= xhigh)
    )


def acceptable(opt: Option, value: Any) -> bool:
    """Whether a value passes the option's own checks (type, choices, loose ones too, range,
    use): one that does not is reported by invalid-type, invalid-choice or out-of-range."""
    if not type_matches(opt.type, value):
        return False
    if opt.choices and not isinstance(value, list) and value not in opt.choices:
        return False
    if type_matches("number", value):
        return in_bounds(opt, value) and (opt.use is None or opt.use.takes(value))
    return True


def type_matches(kind: str, value: Any) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "list":
        return isinstance(value, list)
    if kind == "mapping":
        return isinstance(value, dict)
    if kind == "string-or-list":
        return isinstance(value, str) or (
            # An item waiting on an unset variable will be a string (environment values are).
            isinstance(value, list) and all(isinstance(v, (str, Unknown)) for v in value)
        )
    return True
