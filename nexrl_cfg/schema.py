"""The JSON Schema of a NexRL config, generated from the catalogue.

Written for editors (yaml-language-server, VS Code): descriptions, defaults, allowed values
and examples for completion and hover. Any value may also be a `${...}` interpolation, as in
NexRL. Requirements that depend on another value become `if`/`then` at the root.

The fragment schema is the same without any requirement, for files that hold part of a config
(a shared `common.yaml`): a section given in part is no error there.
"""

from __future__ import annotations

import json
from typing import Any

from . import catalogue
from .catalogue import NEWEST, NO_DEFAULT, Catalogue, Condition, Option, Section
from .layout import TRAIN as TRAIN_SERVICE

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
    "string-or-list": ["string", "array"],
}


def _markdown(entry: Option | Section) -> str:
    parts = [entry.description]
    details = getattr(entry, "details", "")
    if details:
        parts.append(details)
    for example in getattr(entry, "examples", ()):
        parts.append(f"```yaml\n{example.strip()}\n```")
    return "\n\n".join(parts)


def _example_values(opt: Option) -> list[Any]:
    import yaml

    values = []
    for snippet in opt.examples:
        try:
            data = yaml.safe_load(snippet)
        except yaml.YAMLError:
            continue
        while isinstance(data, dict) and opt.name not in data and len(data) == 1:
            data = next(iter(data.values()))
        if isinstance(data, dict) and opt.name in data:
            values.append(data[opt.name])
    return values


def option_schema(opt: Option) -> dict[str, Any]:
    value: dict[str, Any] = {}
    if opt.type in _JSON_TYPES:
        value["type"] = _JSON_TYPES[opt.type]
    if opt.choices:
        value = {"enum": list(opt.choices)}
    for key, bound in (
        ("minimum", opt.minimum),
        ("maximum", opt.maximum),
        ("exclusiveMinimum", opt.exclusive_minimum),
        ("exclusiveMaximum", opt.exclusive_maximum),
    ):
        if bound is not None:
            value[key] = bound
    alternatives = [value] if value else [{}]
    if opt.nullable:
        alternatives.append({"type": "null"})
    if value and (opt.type != "string" or opt.choices):
        alternatives.append(dict(INTERPOLATION))
    out: dict[str, Any] = alternatives[0] if len(alternatives) == 1 else {"anyOf": alternatives}
    out = {
        "title": opt.path,
        "description": opt.description,
        "markdownDescription": _markdown(opt),
        **out,
    }
    if opt.default is not NO_DEFAULT:
        out["default"] = opt.default
    examples = _example_values(opt)
    if examples:
        out["examples"] = examples
    return out


def section_schema(
    cat: Catalogue, path: str, section: Section | None, fragment: bool = False
) -> dict[str, Any]:
    """The schema of a section; a `fragment` requires nothing."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    alternatives: list[dict[str, Any]] = []  # required, unless given elsewhere
    for name, child in sorted(cat.children(path).items()):
        if child.path == TRAIN_SERVICE:
            properties[name] = _train_service(child)  # type: ignore[arg-type]
        elif isinstance(child, Section):
            properties[name] = section_schema(cat, child.path, child, fragment)
        else:
            assert isinstance(child, Option)
            properties[name] = option_schema(child)
            if child.required and child.provided_by:
                either = [{"required": [name]}, *(_provided(a) for a in child.provided_by)]
                alternatives.append({"anyOf": either})
            elif child.required:
                required.append(name)
    # `*` stands for names the user chooses (`resource.train.<id>`): any key, that schema.
    named = properties.pop("*", None)
    properties.update(_older(cat, path, properties))
    out: dict[str, Any] = {"type": "object", "properties": properties}
    if section is not None:
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
            label = f"{section.path} section"
            out["defaultSnippets"] = [{"label": label, "body": snippet}]
    if fragment:
        return out
    if required:
        out["required"] = required
    local = alternatives + _local_conditionals(cat, path)
    if local:
        out["allOf"] = local
    return out


def _older(cat: Catalogue, path: str, known: dict[str, Any]) -> dict[str, Any]:
    """Keys of `path` that only earlier NexRL versions read: allowed, any value, so that an
    editor does not reject a config written for such a version (the checker warns)."""
    out: dict[str, Any] = {}
    for entry in catalogue.all_entries():
        if entry.parent != path or entry.name in known or entry.exists_in(cat.version):
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
        "not": {"anyOf": [{"required": ["backend"]}, {"required": ["url"]}]},
        "additionalProperties": ref,
    }
    return {
        "description": section.description,
        "markdownDescription": _markdown(section),
        "anyOf": [ref, nested],
    }


def _nest(path: str, leaf: dict[str, Any]) -> dict[str, Any]:
    """A schema that applies `leaf` to the object at dotted `path` (when it is present)."""
    out = leaf
    for part in reversed(path.split(".")) if path else []:
        out = {"properties": {part: out}}
    return out


def _holds(cat: Catalogue, base: str, path: str, condition: Condition) -> dict[str, Any]:
    """A schema, applied at the object at `base`, true when `condition` holds for `path`."""
    relative = path[len(base) + 1 :] if base else path
    parent, _, name = relative.rpartition(".")
    present: dict[str, Any] = {
        "properties": {name: {"enum": list(condition.values)}},
        "required": [name],
    }
    opt = cat.option(path)
    if opt is not None and opt.default in condition.values:
        present = {"anyOf": [present, {"not": {"required": [name]}}]}
    # The condition holds only where its section is present.
    out = present
    exists: dict[str, Any] = {"required": [name]}
    for part in reversed(parent.split(".")) if parent else []:
        out = {"properties": {part: out}, "required": [part]}
        exists = {"properties": {part: exists}, "required": [part]}
    if condition.absent:
        out = {"anyOf": [out, {"not": exists}]}
    return out


def _provided(relative: str) -> dict[str, Any]:
    """A schema requiring the dotted `relative` path (".a.b") to be present."""
    parts = relative.lstrip(".").split(".")
    out: dict[str, Any] = {"required": [parts[-1]]}
    for part in reversed(parts[:-1]):
        out = {"properties": {part: out}, "required": [part]}
    return out


def _is_local(opt: Option) -> bool:
    """Whether every condition of `opt` is about its own section (so it applies wherever the
    section is used, such as each service of a nested train_service)."""
    return all(c.path.startswith(".") for c in (*opt.required_if, *opt.required_unless))


def _requirement(cat: Catalogue, opt: Option, base: str) -> dict[str, Any]:
    def full(c: Condition) -> str:
        return f"{opt.parent}{c.path}" if c.path.startswith(".") else c.path

    conditions = [_holds(cat, base, full(c), c) for c in opt.required_if]
    conditions += [{"not": _holds(cat, base, full(c), c)} for c in opt.required_unless]
    then: dict[str, Any] = {"required": [opt.name]}
    if opt.provided_by:
        then = {"anyOf": [then, *(_provided(alt) for alt in opt.provided_by)]}
    inner = opt.parent[len(base) + 1 :] if base else opt.parent
    return {"if": {"allOf": conditions}, "then": _nest(inner, then)}


def _conditional(opt: Option) -> bool:
    return bool(opt.required_if or opt.required_unless)


def _local_conditionals(cat: Catalogue, path: str) -> list[dict[str, Any]]:
    children = cat.children(path).values()
    return [
        _requirement(cat, o, path)
        for o in children
        if isinstance(o, Option) and _conditional(o) and _is_local(o)
    ]


def _conditionals(cat: Catalogue) -> list[dict[str, Any]]:
    out = []
    for opt in cat.all_options():
        if not _conditional(opt) or _is_local(opt):
            continue
        rule = _requirement(cat, opt, "")
        if opt.path.startswith(f"{TRAIN_SERVICE}."):
            # Judged from the root, so only in the flat layout; a named service of the nested
            # layout cannot be reached from there.
            rule["if"]["allOf"].append(_nest(_SERVICE, _FLAT_TRAIN))
        out.append(rule)
    return out


_SERVICE = TRAIN_SERVICE.rpartition(".")[0]
_FLAT_TRAIN: dict[str, Any] = {
    "properties": {
        TRAIN_SERVICE.rpartition(".")[2]: {
            "anyOf": [{"required": ["backend"]}, {"required": ["url"]}]
        }
    },
    "required": [TRAIN_SERVICE.rpartition(".")[2]],
}


def generate(version: str = NEWEST, fragment: bool = False) -> dict[str, Any]:
    """The schema of a whole config, or with `fragment` of a part of one."""
    cat = catalogue.for_version(version)
    what = "part of a NexRL run configuration" if fragment else "a NexRL run configuration"
    schema: dict[str, Any] = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_BASE + (FRAGMENT_FILE if fragment else SCHEMA_FILE),
        "title": "NexRL configuration" + (" (fragment)" if fragment else ""),
        "description": f"{what.capitalize()} (generated by nexrl-cfg from its options catalogue).",
        **section_schema(cat, "", None, fragment),
        # A misspelt section is reported, as `check` does.
        "additionalProperties": False,
    }
    train = cat.section(TRAIN_SERVICE)
    if train is not None:
        definition = section_schema(cat, TRAIN_SERVICE, train, fragment)
        schema["definitions"] = {TRAIN_DEFINITION: definition}
    conditionals = [] if fragment else _conditionals(cat)
    if conditionals:
        schema["allOf"] = conditionals
    return schema


def dumps(version: str = NEWEST, fragment: bool = False) -> str:
    return json.dumps(generate(version, fragment), indent=2, ensure_ascii=False) + "\n"
