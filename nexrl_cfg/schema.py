"""The JSON Schema of a NexRL config, generated from the catalogue.

Written for editors (yaml-language-server, VS Code): descriptions, defaults, allowed values
and examples for completion and hover. Any value may also be a `${...}` interpolation, as in
NexRL. The schema has two parts:

- what each value may be (type, range, allowed values, known keys), at its place;
- what a whole run must hold (required options, also those required only when another value
  says so), in one `else` branch at the root that applies only to a file without a Hydra
  `defaults:` list: a file that includes others gets the rest from them, so nothing is
  required of it alone (`nexrl-cfg check` composes it and checks the whole).

The fragment schema is the first part alone, for files that hold part of a config (a shared
`common.yaml`).
"""

from __future__ import annotations

import json
from typing import Any

from . import catalogue
from .catalogue import NEWEST, NO_DEFAULT, Catalogue, Condition, Entry, Option, Section
from .layout import TRAIN as TRAIN_SERVICE
from .nexrl import FLAT_MARKERS

TRAIN_DEFINITION = "train_service"
# The raw address of the committed schema in the project's repository (see pyproject's URLs).
SCHEMA_BASE = "https://raw.githubusercontent.com/nexrl-cfg/nexrl-cfg/main/nexrl_cfg/schemas/"
SCHEMA_FILE = "nexrl-config.schema.json"
FRAGMENT_FILE = "nexrl-config.fragment.schema.json"
SCHEMA_ID = SCHEMA_BASE + SCHEMA_FILE
# Sections offered as a snippet with their required and defaulted options.
SNIPPET_SECTIONS = ("service", "data", "rollout_worker", "trajectory_pool", "trainer", "weight")
SNIPPET_CHILDREN = ("service.inference_service", "service.train_service")
INTERPOLATION = {"type": "string", "pattern": r"\$\{"}
_JSON_TYPES = {
    "string": "string",
    "int": "integer",
    "number": "number",
    "bool": "boolean",
    "list": "array",
    "mapping": "object",
}
# A file whose defaults list names anything besides `_self_` is composed from other files.
COMPOSED: dict[str, Any] = {
    "required": ["defaults"],
    "properties": {"defaults": {"type": "array", "contains": {"not": {"const": "_self_"}}}},
}
_SERVICE, _, _TRAIN_NAME = TRAIN_SERVICE.rpartition(".")


def _markdown(entry: Option | Section) -> str:
    parts = [entry.description]
    details = getattr(entry, "details", "")
    if details:
        parts.append(details)
    for example in getattr(entry, "examples", ()):
        parts.append(f"```yaml\n{example.strip()}\n```")
    return "\n\n".join(parts)


def _example_values(opt: Option) -> list[Any]:
    from .read import read_text  # YAML as NexRL reads it: `1e-4` is a number

    values = []
    for snippet in opt.examples:
        doc = read_text(snippet, "example")
        if not doc.ok:
            continue
        data = doc.data
        while isinstance(data, dict) and opt.name not in data and len(data) == 1:
            data = next(iter(data.values()))
        if isinstance(data, dict) and opt.name in data:
            values.append(data[opt.name])
    return values


def _bounds(opt: Option) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, bound in (
        ("minimum", opt.minimum),
        ("maximum", opt.maximum),
        ("exclusiveMinimum", opt.exclusive_minimum),
        ("exclusiveMaximum", opt.exclusive_maximum),
    ):
        if bound is not None:
            out[key] = bound
    return {**out, **_use_bounds(opt)}


def _use_bounds(opt: Option) -> dict[str, Any]:
    """The values NexRL's use of the number takes (`Option.use`), where it always fails on
    the others: a count at least 1, seconds at least 0, a divisor not 0."""
    use = opt.use
    if use is None or use.caught or use.when or opt.used_if:
        return {}
    if use.kind == "count":
        return {"minimum": max(1, opt.minimum or 1)}
    if use.kind in ("seconds", "non-negative"):
        return {"minimum": max(0, opt.minimum or 0)}
    return {"not": {"const": 0}}


def _choices(opt: Option) -> dict[str, Any]:
    """The allowed values of `opt`, or its type where any value of the type is allowed."""
    if opt.choices and not opt.free_if_set:
        return {"enum": list(opt.choices)}
    if opt.type in _JSON_TYPES:
        return {"type": _JSON_TYPES[opt.type], **_bounds(opt)}
    return {}


def _alternatives(opt: Option, items: dict[str, Any] | None) -> list[dict[str, Any]]:
    """What a value of `opt` may be, one schema each (no value matches two of them): its type
    as NexRL reads it, or an interpolation. Empty: any value."""
    if opt.type == "string-or-list":
        # NexRL wraps a single name in a list (logger.backend, data.data_files).
        one = _choices(opt) or {"type": "string"}
        item = {"oneOf": [one, INTERPOLATION]} if "enum" in one else one
        alternatives = [one, {"type": "array", "items": item}]
    else:
        value = _choices(opt)
        if not value:
            return []
        if items is not None and value.get("type") == "array":
            value["items"] = items
        alternatives = [value]
    if opt.nullable:
        alternatives.append({"type": "null"})
    if alternatives[0] != {"type": "string"}:
        alternatives.append(dict(INTERPOLATION))
    return alternatives


def option_schema(opt: Option, items: dict[str, Any] | None = None) -> dict[str, Any]:
    """The schema of one option's value; `items` describes each item of a list of sections.

    Alternatives are a `oneOf`, not an `anyOf`: yaml-language-server's hover replaces an
    `anyOf` schema's own description with its alternatives' (which have none)."""
    alternatives = _alternatives(opt, items)
    out: dict[str, Any] = {
        "title": opt.path,
        "description": opt.description,
        "markdownDescription": _markdown(opt),
    }
    if len(alternatives) == 1:
        out.update(alternatives[0])
    elif alternatives:
        out["oneOf"] = alternatives
    if opt.default is not NO_DEFAULT:
        out["default"] = opt.default
    examples = _example_values(opt)
    if opt.free_if_set:
        examples += [c for c in opt.choices if c not in examples]
    if examples:
        out["examples"] = examples
    return out


def section_schema(cat: Catalogue, path: str, section: Section | None) -> dict[str, Any]:
    """What each value in the section at `path` may be; nothing is required here."""
    properties: dict[str, Any] = {}
    children = cat.children(path)
    for name, child in sorted(children.items()):
        if name.endswith("[]"):
            continue  # the items of the list option of that name
        if child.path == TRAIN_SERVICE:
            properties[name] = _train_service(child)  # type: ignore[arg-type]
        elif isinstance(child, Section):
            properties[name] = section_schema(cat, child.path, child)
        else:
            item = cat.section(f"{child.path}[]")
            items = None if item is None else section_schema(cat, item.path, item)
            properties[name] = option_schema(child, items)
    # `*` stands for names the user chooses (`resource.train.<id>`): any key, that schema.
    named = properties.pop("*", None)
    properties.update(_older(cat, path, properties))
    out: dict[str, Any] = {"type": "object", "properties": properties}
    free = _free_choices(children.values())
    if free:
        out["allOf"] = free
    if section is None:
        return out
    out = {
        "title": section.path,
        "description": section.description,
        "markdownDescription": _markdown(section),
        **out,
    }
    if section.closed:
        out["additionalProperties"] = False if named is None else named
    if section.nullable:
        out["type"] = ["object", "null"]
    snippet = _snippet(cat, section) if section.path in SNIPPET_SECTIONS else None
    if snippet:
        out["defaultSnippets"] = [{"label": f"{section.path} section", "body": snippet}]
    return out


def _free_choices(children: Any) -> list[dict[str, Any]]:
    """An option that takes any name once a custom module is given (`trainer.type` with
    `custom_trainer_module_path`): its allowed values hold only without that module."""
    out = []
    for opt in children:
        if not isinstance(opt, Option) or not opt.free_if_set or not opt.choices:
            continue
        keys = [k.lstrip(".") for k in opt.free_if_set if k.startswith(".")]
        if len(keys) != len(opt.free_if_set):
            continue  # set elsewhere: the schema cannot see it from here, so any name
        allowed = {"oneOf": [{"enum": list(opt.choices)}, INTERPOLATION]}
        out.append(
            {
                "if": {"anyOf": [{"required": [k]} for k in keys]},
                "else": {"properties": {opt.name: allowed}},
            }
        )
    return out


def _older(cat: Catalogue, path: str, known: dict[str, Any]) -> dict[str, Any]:
    """Keys of `path` that only earlier NexRL versions read: allowed, any value, so that an
    editor does not reject a config written for such a version (the checker warns)."""
    out: dict[str, Any] = {}
    for entry in catalogue.all_entries():
        if entry.parent != path or entry.name in known or entry.exists_in(cat.version):
            continue
        if entry.name.endswith("[]") or entry.name == "*":
            continue
        span = f"{entry.versions[0]}-{entry.versions[-1]}" if entry.versions else "none"
        shape = option_schema(entry) if isinstance(entry, Option) else {}
        shape["description"] = (
            f"{entry.description} (read by NexRL {span} only; NexRL {cat.version} ignores it)"
        )
        shape.pop("markdownDescription", None)
        out[entry.name] = shape
    return out


def _snippet(cat: Catalogue, section: Section, depth: int = 0) -> dict[str, Any]:
    """A section's body for completion: the sections a run needs, its required options (a
    placeholder) and those with a plain default, or every option where there is nothing else."""
    children = [(n, c) for n, c in sorted(cat.children(section.path).items()) if not c.deprecated]
    sections: dict[str, Any] = {}
    for name, child in children:
        wanted = child.required or child.path in SNIPPET_CHILDREN
        if isinstance(child, Section) and depth < 2 and wanted:
            sections[name] = _snippet(cat, child, depth + 1)
    options = [(n, c) for n, c in children if isinstance(c, Option) and c.type != "mapping"]
    chosen = [(n, c) for n, c in options if c.required or _plain_default(c)]
    body: dict[str, Any] = {}
    for name, opt in chosen or ([] if sections else options):
        if _plain_default(opt):
            body[name] = opt.default
        else:
            body[name] = opt.choices[0] if opt.choices else f"${{{len(body) + 1}:{name}}}"
    return {**body, **{name: inner for name, inner in sections.items() if inner}}


def _plain_default(opt: Option) -> bool:
    return opt.default is not NO_DEFAULT and isinstance(opt.default, (str, int, float))


def _train_service(section: Section) -> dict[str, Any]:
    """Flat (`train_service: {backend, url, ...}`) or NexRL's nested layout, where each named
    entry is a training service (`train_service: {main_actor: {role, backend, ...}}`)."""
    ref = {"$ref": f"#/definitions/{TRAIN_DEFINITION}"}
    nested = {
        "type": "object",
        "description": "Named training services (NexRL's nested layout), each a train_service.",
        "not": _FLAT,
        "additionalProperties": ref,
    }
    return {
        "title": section.path,
        "description": section.description,
        "markdownDescription": _markdown(section),
        "anyOf": [ref, nested],
    }


# -- what a whole run must hold --------------------------------------------------------------

_FLAT: dict[str, Any] = {"anyOf": [{"required": [key]} for key in FLAT_MARKERS]}


def _nest(path: str, leaf: dict[str, Any]) -> dict[str, Any]:
    """A schema that applies `leaf` to the object at dotted `path` (when it is present); a
    `name[]` part applies it to each item of the list, a `*` part to each value."""
    out = leaf
    for part in reversed(path.split(".")) if path else []:
        if part == "*":
            out = {"additionalProperties": out}
        elif part.endswith("[]"):
            out = {"properties": {part[:-2]: {"items": out}}}
        else:
            out = {"properties": {part: out}}
    return out


def _holds(cat: Catalogue, base: str, path: str, condition: Condition) -> dict[str, Any]:
    """A schema, applied at the object at `base`, true when `condition` holds for `path`."""
    relative = path[len(base) + 1 :] if base else path
    parent, _, name = relative.rpartition(".")
    exists: dict[str, Any] = {"required": [name]}
    present: dict[str, Any] = {"properties": {name: {"enum": list(condition.values)}}, **exists}
    opt = cat.option(path)
    if condition.values and opt is not None and opt.default in condition.values:
        present = {"anyOf": [present, {"not": exists}]}
    # The condition holds only where its section is present.
    out = present if condition.values else {"not": {}}
    for part in reversed(parent.split(".")) if parent else []:
        out = {"properties": {part: out}, "required": [part]}
        exists = {"properties": {part: exists}, "required": [part]}
    if condition.absent:
        out = {"not": exists} if not condition.values else {"anyOf": [out, {"not": exists}]}
    return out


def _provided(relative: str) -> dict[str, Any]:
    """A schema requiring the dotted `relative` path (".a.b") to be present."""
    parts = relative.lstrip(".").split(".")
    out: dict[str, Any] = {"required": [parts[-1]]}
    for part in reversed(parts[:-1]):
        out = {"properties": {part: out}, "required": [part]}
    return out


def _required(entry: Entry) -> bool:
    """Whether the schema demands `entry` somewhere. A requirement with a branch of several
    conditions (`also`) mixes the service's values with the run's, which a schema placed in
    one of them cannot judge: it is left to check."""
    conditions = (*entry.required_if, *entry.required_unless)
    if any(c.also for c in conditions):
        return False
    return bool(entry.required or entry.required_if or entry.required_unless)


def _gates(cat: Catalogue, entry: Entry) -> list[tuple[str, Condition, bool]]:
    """When `entry` is required, as (absolute path, condition, whether it must hold): its
    own conditions, and the `used_if` of the sections around it (a section NexRL does not
    read on the config's path requires nothing)."""
    out = [(_absolute(entry.parent, c), c, True) for c in entry.required_if]
    out += [(_absolute(entry.parent, c), c, False) for c in entry.required_unless]
    parts = entry.parent.split(".") if entry.parent else []
    for end in range(len(parts), 0, -1):
        section = cat.section(".".join(parts[:end]))
        if section is not None:
            out += [(_absolute(section.path, c), c, True) for c in section.used_if]
    return out


def _absolute(section: str, condition: Condition) -> str:
    if condition.path.startswith("^"):  # the training service around the section
        return f"{TRAIN_SERVICE}.{condition.path[1:]}"
    return f"{section}{condition.path}" if condition.path.startswith(".") else condition.path


def _condition(cat: Catalogue, base: str, gates: list[tuple[str, Condition, bool]]) -> Any:
    held = [
        _holds(cat, base, path, c) if must else {"not": _holds(cat, base, path, c)}
        for path, c, must in gates
    ]
    return held[0] if len(held) == 1 else {"allOf": held}


def _when(cat: Catalogue, base: str, gates: list[Any], then: dict[str, Any]) -> dict[str, Any]:
    return {"if": _condition(cat, base, gates), "then": then} if gates else then


def _demand(name: str, entry: Entry) -> dict[str, Any]:
    then: dict[str, Any] = {"required": [name]}
    alternatives = getattr(entry, "provided_by", ())
    if alternatives:
        then = {"anyOf": [then, *(_provided(alt) for alt in alternatives)]}
    return then


def _in_service(path: str) -> bool:
    return path.startswith(f"{TRAIN_SERVICE}.")


def requirements(cat: Catalogue) -> list[dict[str, Any]]:
    """What a whole run must hold, one schema per group of options required together."""
    groups: dict[tuple[str, str], list[Entry]] = {}
    for entry in (*cat.all_sections(), *cat.all_options()):
        if _required(entry) and entry.name != "*":
            key = (entry.parent, repr(_gates(cat, entry)))
            groups.setdefault(key, []).append(entry)
    out: list[dict[str, Any]] = []
    for (parent, _), entries in sorted(groups.items(), key=lambda g: g[0]):
        gates = _gates(cat, entries[0])
        plain = [e.name for e in entries if not getattr(e, "provided_by", ())]
        demands = [{"required": sorted(plain)}] if plain else []
        demands += [_demand(e.name, e) for e in entries if getattr(e, "provided_by", ())]
        then = demands[0] if len(demands) == 1 else {"allOf": demands}
        if _in_service(parent) or parent == TRAIN_SERVICE:
            out += _service_rules(cat, parent, gates, then)
        else:
            out.append(_when(cat, "", gates, _nest(parent, then)))
    return out


def _service_rules(
    cat: Catalogue, parent: str, gates: list[tuple[str, Condition, bool]], then: dict[str, Any]
) -> list[dict[str, Any]]:
    """A requirement inside a training service, in both layouts: the flat one, and each
    named service of the nested one (the conditions on the service's own values are judged
    within that service)."""
    own = [g for g in gates if g[0].startswith(f"{TRAIN_SERVICE}.")]
    rest = [g for g in gates if g not in own]
    inner = _when(cat, TRAIN_SERVICE, own, _nest(parent[len(TRAIN_SERVICE) + 1 :], then))
    nested = _nested(cat)
    layouts = (({"not": nested}, inner), (nested, {"additionalProperties": inner}))
    out = []
    for layout, placed in layouts:
        where = {"properties": {_SERVICE: {"properties": {_TRAIN_NAME: layout}}}}
        rule = {"if": {"allOf": [where, _condition(cat, "", rest)]} if rest else where}
        rule["then"] = _nest(_SERVICE, {"properties": {_TRAIN_NAME: placed}})
        out.append(rule)
    return out


def _nested(cat: Catalogue) -> dict[str, Any]:
    """NexRL's nested layout, as `layout.is_nested_train_service` decides it: no flat marker,
    and a mapping under a name that is not one of train_service's own keys."""
    own = {name: True for name in sorted(cat.children(TRAIN_SERVICE))}
    some_service = {"not": {"properties": own, "additionalProperties": {"not": {"type": "object"}}}}
    return {"type": "object", "not": _FLAT, **some_service}


def generate(version: str = NEWEST, fragment: bool = False) -> dict[str, Any]:
    """The schema of a whole config, or with `fragment` of a part of one."""
    cat = catalogue.for_version(version)
    what = "Part of a NexRL run configuration" if fragment else "A NexRL run configuration"
    schema: dict[str, Any] = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_BASE + (FRAGMENT_FILE if fragment else SCHEMA_FILE),
        "title": "NexRL configuration" + (" (fragment)" if fragment else ""),
        "description": f"{what} (generated by nexrl-cfg from its options catalogue).",
        **section_schema(cat, "", None),
        # A misspelt section is reported, as `check` does.
        "additionalProperties": False,
    }
    train = cat.section(TRAIN_SERVICE)
    if train is not None:
        definition = section_schema(cat, TRAIN_SERVICE, train)
        schema["definitions"] = {TRAIN_DEFINITION: definition}
    if not fragment:
        # A file that includes others is checked as a part: the rest is in its includes.
        schema["if"] = COMPOSED
        schema["else"] = {"allOf": requirements(cat)}
    return schema


def dumps(version: str = NEWEST, fragment: bool = False) -> str:
    return json.dumps(generate(version, fragment), indent=2, ensure_ascii=False) + "\n"
