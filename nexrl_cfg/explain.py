"""Text for `nexrl-cfg explain`: an option (from the catalogue) or a rule (its docstring)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from . import catalogue
from .catalogue import NEWEST, NO_DEFAULT, Option, Section

if TYPE_CHECKING:
    from .rules import Rule


def find_options(topic: str) -> list[Option | Section]:
    """Options and sections named `topic`, or whose dotted path ends with `topic`."""
    entries = list(catalogue.all_entries())
    exact = [e for e in entries if e.path == topic]
    if exact:
        return exact
    return [e for e in entries if e.path == topic or e.path.endswith("." + topic)]


def catalogue_path(dotted: str, version: str = NEWEST) -> str:
    """The catalogue path of a key as a finding prints it: a named training service
    (`service.train_service.main_actor.identifier`), a list item (`trainer.teachers.0.x`), a
    name the user chooses (`resource.train.my_pod.world_size`), an item of a list of names
    (`logger.backend.1`)."""
    import re

    from .layout import Layout

    dotted = re.sub(r"\[(\d+)\]", r".\1", dotted)  # `data_files[0]`: an item, as `.0`
    data: dict[str, object] = {}
    node = data
    for part in dotted.split("."):
        node = node.setdefault(part, {})  # type: ignore[assignment]
    cat = catalogue.for_version(version)
    path = Layout(data, cat).spec_path(dotted)
    while cat.entry(path) is None and path.rpartition(".")[2].isdigit():
        path = path.rpartition(".")[0]
    return path


def _value(value: object) -> str:
    return json.dumps(value) if not isinstance(value, str) else f'"{value}"'


def describe(entry: Option | Section, version: str | None = None) -> str:
    lines = [entry.path, "=" * len(entry.path)]
    lines.append(f"NexRL:       {_versions(entry)}")
    if isinstance(entry, Section):
        lines.append("Type:        section (mapping)")
        closed = "reported" if entry.closed else f"allowed ({entry.open_reason or 'open'})"
        lines.append(f"Unknown keys: {closed}")
    else:
        kind = entry.type + (" or null" if entry.nullable else "")
        lines.append(f"Type:        {kind}")
        if entry.choices:
            lines.append(f"Allowed:     {', '.join(_value(c) for c in entry.choices)}")
        rng = _range(entry)
        if rng:
            lines.append(f"Range:       {rng}")
        if entry.use is not None:
            use = entry.use
            lines.append(
                f"Used as:     {use.kind}, {catalogue.USES[use.kind]}: `{use.code}` ({use.source})"
            )
        if entry.deprecated_choices:
            old = ", ".join(f"{_value(a)} -> {_value(b)}" for a, b in entry.deprecated_choices)
            lines.append(f"Deprecated:  {old}")
        default = "none" if entry.default is NO_DEFAULT else _value(entry.default)
        lines.append(f"Default:     {default}")
        lines.append(f"Required:    {_required(entry)}")
    lines += _sources(entry, version)
    lines += ["", entry.description]
    if entry.ignored:
        lines += [
            "",
            "Documented in NexRL's reference, but no NexRL version reads it: it is accepted "
            "and has no effect.",
        ]
    if entry.details:
        lines += ["", entry.details.strip()]
    examples = getattr(entry, "examples", ()) or _placed(entry)
    if examples:
        lines += ["", "Examples:" if len(examples) > 1 else "Example:"]
        for example in examples:
            lines += ["", *("    " + line for line in example.strip().splitlines())]
    return "\n".join(lines)


def _sources(entry: Option | Section, version: str | None) -> list[str]:
    """Where the entry is known from: NexRL's reference pages (by title and section) and
    NexRL's code and recipes (file@tag:line), those of `version` where it has any."""
    from .references import PREFIX, documented

    lines = [f"NexRL docs:  {ref}" for ref in documented(entry.path, entry.source)]
    code = [s.strip() for s in entry.source.split(";") if not s.strip().startswith(PREFIX)]
    if version is not None:
        code = [ref for ref in code if f"@v{version}." in ref] or code
    if code:
        lines.append(f"NexRL code:  {'; '.join(code)}")
    return lines


def _placed(entry: Option | Section) -> tuple[str, ...]:
    """For an option documented without examples: the option written in place, with its
    default (or first allowed value), so the reader sees where it goes."""
    if not isinstance(entry, Option):
        return ()
    value = entry.default if entry.default is not NO_DEFAULT else None
    if value is None and entry.choices:
        value = entry.choices[0]
    if value is None:
        return ()
    parts = entry.path.split(".")
    lines = [f"{'  ' * depth}{part}:" for depth, part in enumerate(parts[:-1])]
    lines.append(f"{'  ' * (len(parts) - 1)}{parts[-1]}: {json.dumps(value)}")
    return ("\n".join(lines),)


def _versions(entry: Option | Section) -> str:
    versions = entry.versions
    text = f"{versions[0]} to {versions[-1]}" if len(versions) > 1 else versions[0]
    if entry.deprecated:
        replacement = f"; use {entry.replaced_by}" if entry.replaced_by else ""
        text += f" (deprecated from {entry.deprecated}{replacement})"
    elif entry.removed and entry.replaced_by:
        text += f" (replaced by {entry.replaced_by} in {entry.removed})"
    return text


def _range(opt: Option) -> str:
    from .rules.out_of_range import describe_range

    if all(
        b is None for b in (opt.minimum, opt.maximum, opt.exclusive_minimum, opt.exclusive_maximum)
    ):
        return ""
    return describe_range(opt.minimum, opt.maximum, opt.exclusive_minimum, opt.exclusive_maximum)


def _required(opt: Option) -> str:
    def cond(c: catalogue.Condition) -> str:
        path = f"the service's {c.path[1:]}" if c.path.startswith("^") else c.path.lstrip(".")
        unset = " (or unset)" if c.absent else ""
        words = f"{path} is {' or '.join(_value(v) for v in c.values)}{unset}"
        if not c.also:
            return words
        both = " and ".join([words, *(cond(x) for x in c.also)])
        return f"({both})" if len(opt.required_unless) > 1 else both

    path = f" ({opt.required_for})" if opt.required_for else ""
    if opt.required:
        return "yes" + path
    if opt.required_if:
        return "when " + " and ".join(cond(c) for c in opt.required_if) + path
    if opt.required_unless:
        return "unless " + " or ".join(cond(c) for c in opt.required_unless) + path
    return "no"


def topics() -> list[str]:
    from .rules import all_rules

    names = {e.name for e in catalogue.all_entries()}
    return sorted(names) + [rule.id for rule in all_rules()]


def listing() -> str:
    from .rules import all_rules

    lines = ["Rules:"]
    for rule in all_rules():
        lines.append(f"  {rule.id:<28} {rule.severity.value:<8} {rule.summary}")
    lines += ["", "Options:"]
    seen = set()
    for opt in catalogue.all_entries():
        if isinstance(opt, Option) and opt.path not in seen:
            seen.add(opt.path)
            versions = opt.versions
            span = versions[0] if len(versions) == 1 else f"{versions[0]}-{versions[-1]}"
            lines.append(f"  {opt.path:<64} {opt.type:<8} {span}")
    return "\n".join(lines)


def explain(topic: str, version: str | None = None) -> str | None:
    """The explanation of `topic` (a rule, an option's name or a key as a finding prints
    it), for NexRL `version` (every version when None); None when nothing is called so."""
    from .rules import by_id

    rule = by_id().get(topic)
    if rule is not None:
        return _rule(rule, version)
    found = find_options(topic)
    path = topic
    if not found:
        path = catalogue_path(topic, version or NEWEST)
        found = [e for e in catalogue.all_entries() if e.path == path]
    if not found:
        return None
    head = [f"{topic} is the option {path}.", ""] if path != topic else []
    if version is not None:
        current = [e for e in found if e.exists_in(version)]
        if not current:
            head += [f"NexRL {version} does not read {path}; other versions do:", ""]
        found = current or found
    text = "\n\n\n".join(describe(e, version) for e in found)
    if len(found) > 1 and path == topic:
        text = f"{len(found)} options are called '{topic}':\n\n\n" + text
    return "\n".join([*head, text])


def _rule(rule: Rule, version: str | None) -> str:
    from .about import rule_url

    head = f"{rule.id} ({rule.severity.value} by default, {rule.stage} stage)"
    facts = [f"NexRL versions: {', '.join(rule.versions)}"]
    if version is not None and not rule.applies_to(version):
        facts.append(f"Not checked for NexRL {version}.")
    if rule.nexrl:
        facts.append(f"Mirrors NexRL's check in: {rule.nexrl}")
    facts.append(f"Documentation: {rule_url(rule.id)}")
    return f"{head}\n{'=' * len(head)}\n" + "\n".join(facts) + f"\n\n{rule.doc}"


def suggestions(topic: str) -> list[str]:
    import difflib

    return difflib.get_close_matches(topic.rsplit(".", 1)[-1], topics(), n=5, cutoff=0.5)
