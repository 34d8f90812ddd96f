"""A value has the wrong type for its option.

## What it does
Checks every documented option against its type: `max_tokens` is an integer, `lr` a number,
`freeze_for_weight_sync` true or false, a section such as `inference_service` a mapping.

A wrong type is a warning where NexRL runs on it: an option it does not read on the config's
path, and a switch it only tests for truth (`validate_before_train: "false"` runs validation:
the string is true). A null is not judged where NexRL reads the option only when required
and it is not (`trainer.checkpoint_path` with no resume and no saves), nor a null section
NexRL reads as empty (`debug`).

## Why is this bad?
NexRL reads configs untyped: `max_tokens: "8192"` is loaded as the string "8192" and fails
(or silently compares unequal to `data.max_response_length`) only when the run reaches it.

## Example
```yaml
service:
  inference_service:
    max_tokens: "8192"
```

## Use instead
```yaml
service:
  inference_service:
    max_tokens: 8192
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..catalogue import NO_DEFAULT, Option, Section
from ..config import Config, show_value, split
from ..finding import Report, Severity
from ._entries import TYPE_WORDS, entries, null_allowed, options, type_matches, weaker
from ._services import secret

SEVERITY = Severity.ERROR
SUMMARY = "A value has the wrong type for its option"
STAGE = "validate"


def check(cfg: Config) -> Iterator[Report]:
    for opt, entry in options(cfg):
        value = entry.value
        if null_allowed(cfg, opt, entry):
            continue
        if value is None and _unread_null(cfg, opt, entry.path):
            continue
        if type_matches(opt.type, value):
            continue
        hint = _hint(cfg, opt.type, entry.path)
        severity, note = weaker(cfg, opt, entry.path)
        if severity is None and opt.truthy:
            # NexRL runs on it, reading it as true or false: mis-handled, not a failure.
            read = "" if cfg.is_secret(split(entry.path)) else f" as {str(bool(value)).lower()}"
            note = f"; NexRL only tests whether it is true: it reads it{read}"
            severity = Severity.WARNING
        elif severity is None and opt.product is not None:
            severity, note = _product(cfg, opt, entry.path)
        yield cfg.report(
            f"'{opt.name}' must be {TYPE_WORDS[opt.type]}, not {_kind(value)} "
            f"({cfg.show(entry.path)}){note}",
            entry.path,
            hint,
            severity=severity,
        )
    for entry in entries(cfg):
        spec = entry.spec
        if not isinstance(spec, Section) or isinstance(entry.value, dict):
            continue
        # A nullable section (`service: null` in a shared base file) is null only until a
        # config that includes the file fills it: in a whole config NexRL reads it.
        if entry.value is None and (cfg.mode == "fragment" or cfg.unreadable(entry.path)):
            continue
        if entry.value is None and _read_as_empty(cfg, spec, entry.path):
            continue
        yield cfg.report(
            f"'{spec.name}' must be a mapping of options, not {_kind(entry.value)}",
            entry.path,
            f"Write `{spec.name}:` followed by its options, indented below it.",
        )


def _unread_null(cfg: Config, opt: Option, path: str) -> bool:
    """Whether a null option is one NexRL reads only where the catalogue requires it (no
    default, a conditional requirement), and it is not required here: NexRL never reads it.
    (An option with a default is read with `.get(key, default)`, which gives the null.)"""
    conditional = bool(opt.required_if or opt.required_unless) and not opt.required
    if opt.default is not NO_DEFAULT or not conditional:
        return False
    return not cfg.required(opt, path.rpartition(".")[0])


def _product(cfg: Config, opt: Option, path: str) -> tuple[Severity | None, str]:
    """What NexRL makes of a value of the wrong type in `int(a * b)` (`Option.product`),
    where it computes that: Python repeats a string n times, which is the number meant only
    when n is 1; a float gives the number when the product is whole; a string times a string
    or a float raises TypeError at start-up."""
    product = opt.product
    assert product is not None
    section = path.rpartition(".")[0]
    other_path = f"{section}{product.other}"
    value, other = cfg.get(path), cfg.get(other_path)
    if not all(cfg.holds(c, section) is True for c in product.when):
        return None, ""
    if secret(cfg, path, other_path) or not _factor(other) or not _factor(value):
        return None, ""
    names = (opt.name, other_path.rsplit(".", 1)[-1])
    swap = product.code.find(names[0]) > product.code.find(names[1])
    a, b = (other, value) if swap else (value, other)
    computes = f"`{product.code}` ({product.source})"
    try:
        got, meant = int(a * b), float(value) * float(other)
    except TypeError:
        kinds = " and ".join(_kind(x) for x in (a, b))
        return None, f": NexRL computes {computes}, which raises TypeError for {kinds} at start-up"
    except ValueError:
        return None, ""  # text that is no number: NexRL's int() raises, as for any option
    shown = " * ".join(show_value(x) for x in (a, b))
    where = f"{computes} as int({shown}) = {got}"
    if got != meant:
        return None, (
            f": NexRL computes {where} where {meant:g} is meant, pads every batch to a "
            "multiple of it and fails at the first training step"
        )
    repeated = isinstance(value, str) or isinstance(other, str)
    why = f" only because {names[1]} is {other}" if repeated else ""
    return Severity.WARNING, f": NexRL computes {where}, the number meant{why}"


def _factor(value: object) -> bool:
    """A value `int(a * b)` may be computed with here: a number, or text repeated by a small
    integer (a string times a large one is not built)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, (int, float, str)) and not (isinstance(value, int) and value > 64)


def _read_as_empty(cfg: Config, spec: Section, path: str) -> bool:
    """Whether NexRL reads this null section as an empty one (`get(k) or {}`) on the config's
    path: no `null_fails_if` condition holds (`trainer.algorithm`, which self-hosted trainers
    read by attribute)."""
    parent = path.rpartition(".")[0]
    return spec.null_as_empty and not any(cfg.holds(c, parent) for c in spec.null_fails_if)


# What a value is, in words; bool before int (a bool is an int to Python).
_KINDS = (
    (type(None), "null"),
    (bool, "a boolean"),
    (int, "an integer"),
    (float, "a float"),
    (str, "a string"),
    (list, "a list"),
    (dict, "a mapping"),
)


def _kind(value: object) -> str:
    return next((words for kind, words in _KINDS if isinstance(value, kind)), type(value).__name__)


def _hint(cfg: Config, kind: str, path: str) -> str:
    """A hint that fixes the value when applied as written: remove the quotes only when the
    text unquoted is a value of the type (`"8192"`, not `"three"`); decode a value read from
    the environment, naming the expression written."""
    value = cfg.get(path)
    if isinstance(value, str) and kind in ("int", "number", "bool"):
        if cfg.is_secret(split(path)):
            shown = cfg.show(path)  # the expression, never the value
            if _ENV_ONLY.fullmatch(shown):
                return f"Environment variables are strings; decode it: `${{oc.decode:{shown}}}`."
            return "Environment variables are strings; decode it with ${oc.decode:...}."
        if type_matches(kind, _unquoted(value)):
            return "Remove the quotes so YAML reads it as a number or boolean."
        return f"Write {TYPE_WORDS[kind]}, without quotes."
    if kind == "string" and isinstance(value, (int, float, bool)):
        return "Quote the value if it is meant as text."
    return ""


# A value that is one environment variable and nothing else: `${oc.env:VAR}` (with a default).
_ENV_ONLY = re.compile(r"\$\{oc\.env:[^${}]*\}")


def _unquoted(text: str) -> object:
    """What NexRL's YAML reads `text` as, written without quotes (`1e-4` is a number there);
    None when it is not one value."""
    from ..read import read_text

    doc = read_text(f"value: {text}", "hint") if "\n" not in text else None
    if doc is None or not doc.ok or not isinstance(doc.data, dict):
        return None
    return doc.data.get("value")
