"""The catalogue as data: `sections/<name>.yaml` is what a person edits, `compiled.json` what
a run reads.

A section file is a list of entries. Each starts with `option: <path>` or `section: <path>`;
its other keys are the fields of `model.Option` or `model.Section`, a field left out keeps
its default. A condition is a mapping of `Condition`'s fields (`path`, `values`, `absent`,
`also`), `use` and `product` mappings of `Use` and `Product`. A NexRL fact is written by its
name in `nexrl.py`, `added: !fact NAMED_SERVICES`, never as its value; conditions used more
than once are YAML anchors (`&self_hosted`, then `*self_hosted`).

`compile_sections()` turns the YAML files into the JSON text of `compiled.json` (facts
resolved); `python -m pytest --update` writes it, and a test holds it fresh. A run reads the
JSON: a fifth of the time the YAML would take to parse.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from ..record import REQUIRED, fields_of
from .model import Condition, Option, Product, Section, Use

HERE = Path(__file__).parent
SECTIONS = HERE / "sections"
COMPILED = HERE / "compiled.json"

KINDS: dict[str, type[Option] | type[Section]] = {"option": Option, "section": Section}


def _conditions(raw: Iterable[Mapping[str, Any]]) -> tuple[Condition, ...]:
    return tuple(
        Condition(
            c["path"],
            tuple(c["values"]),
            c.get("absent", False),
            _conditions(c.get("also", ())),
        )
        for c in raw
    )


def _with_when(kind: type[Use] | type[Product]) -> Callable[[Mapping[str, Any]], Any]:
    def make(raw: Mapping[str, Any]) -> Any:
        return kind(**{**raw, "when": _conditions(raw.get("when", ()))})

    return make


# How a field's JSON value becomes the model's: conditions, nested tuples, Use and Product.
# A field not named here takes the value as read (a default keeps a list a list).
_FIELDS: dict[str, Callable[[Any], Any]] = {
    "required_if": _conditions,
    "required_unless": _conditions,
    "used_if": _conditions,
    "free_unless": _conditions,
    "null_fails_if": _conditions,
    "choices": tuple,
    "provided_by": tuple,
    "free_if_set": tuple,
    "examples": tuple,
    "inert": tuple,
    "deprecated_choices": lambda pairs: tuple(tuple(pair) for pair in pairs),
    "use": _with_when(Use),
    "product": _with_when(Product),
}


def _values(raw: Mapping[str, Any], kind_name: str) -> dict[str, Any]:
    """An entry's fields as the model holds them, but for its path."""
    return {k: _FIELDS[k](v) if k in _FIELDS else v for k, v in raw.items() if k != kind_name}


def _entry(raw: Mapping[str, Any]) -> Option | Section:
    kind_name, path = next(iter(raw.items()))
    kind = KINDS[kind_name]
    entry = kind.__new__(kind)
    # What __init__ would check was checked when the catalogue was compiled; a field left out
    # is its class's default.
    entry.__dict__.update(_values(raw, kind_name), path=path)
    return entry


def load(text: str | None = None) -> dict[str, tuple[Option | Section, ...]]:
    """The entries of each section, in the order of its file."""
    compiled = json.loads(COMPILED.read_text(encoding="utf-8") if text is None else text)
    return {name: tuple(_entry(raw) for raw in entries) for name, entries in compiled.items()}


class CatalogueError(ValueError):
    """A section file that does not describe entries: which file, which entry, what."""


def _fact(loader: Any, node: Any) -> Any:
    from .. import nexrl

    name = loader.construct_scalar(node)
    if not name.isupper() or not hasattr(nexrl, name):
        raise CatalogueError(f"!fact {name}: nexrl.py has no such fact")
    return getattr(nexrl, name)


def _checked(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict) or not raw or next(iter(raw)) not in KINDS:
        raise CatalogueError(f"{where}: an entry starts with `option:` or `section:`")
    kind = next(iter(raw))
    where = f"{where} ({raw[kind]})"
    known = fields_of(KINDS[kind])
    unknown = sorted(set(raw) - set(known) - {kind, "path"})
    if unknown:
        raise CatalogueError(f"{where}: unknown field(s) {', '.join(unknown)}")
    missing = [
        n for n, default in known.items() if default is REQUIRED and n not in raw and n != "path"
    ]
    if missing:
        raise CatalogueError(f"{where}: missing field(s) {', '.join(missing)}")
    try:
        KINDS[kind](raw[kind], **_values(raw, kind))
    except (TypeError, KeyError, ValueError, AttributeError) as err:
        raise CatalogueError(f"{where}: {err}") from None
    return raw


def read_section(path: Path) -> list[dict[str, Any]]:
    import yaml

    class Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
        pass

    Loader.add_constructor("!fact", _fact)
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
    if not isinstance(raw, list):
        raise CatalogueError(f"{path.name}: a section file is a list of entries")
    return [_checked(item, f"{path.name} entry {i + 1}") for i, item in enumerate(raw)]


def compile_sections(names: Iterable[str]) -> str:
    """The text of `compiled.json` for the section files `names`, in that order."""
    # One entry a line: a change to the catalogue shows as the lines of the entries it changes.
    parts = []
    for name in names:
        section = read_section(SECTIONS / f"{name}.yaml")
        entries = ",\n".join(json.dumps(entry, ensure_ascii=False) for entry in section)
        parts.append(f"{json.dumps(name)}: [\n{entries}\n]")
    return "{\n" + ",\n".join(parts) + "\n}\n"
