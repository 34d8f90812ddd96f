"""What kind of YAML file a checked file is: a whole NexRL config ("entry"), a part of one
that other configs include ("part"), another tool's YAML ("skipped"), YAML found by walking a
folder that does not look like NexRL ("unlike"), or unusable ("broken").

A file named on the command line is checked whatever it looks like (unless it is another
tool's well-known YAML). A file found in a folder is checked only when its shape says NexRL:
a section only NexRL has (`service`, `rollout_worker`, ...) and no more sections NexRL does not
know than sections it knows. `data:` or `trainer:` alone are common words in other projects.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from .finding import Finding, Severity, Span
from .read import Document
from .rules.encoding import ID as ENCODING
from .rules.not_a_config import ID as NOT_A_CONFIG
from .rules.too_complex import ID as TOO_COMPLEX
from .rules.yaml_syntax import ID as YAML_SYNTAX

# Signatures of YAML files that are not NexRL configs: top-level keys no NexRL config has.
_FOREIGN = (
    ({"apiVersion", "kind"}, "a Kubernetes manifest"),
    ({"apiVersion"}, "a Kubernetes or Helm file"),
    ({"jobs"}, "a CI workflow"),
    ({"stages"}, "a CI pipeline"),
    ({"runs", "name"}, "a GitHub Action"),
    ({"version", "updates"}, "a Dependabot configuration"),
    ({"openapi"}, "an OpenAPI document"),
    ({"swagger"}, "an OpenAPI document"),
    ({"site_name"}, "a MkDocs configuration"),
    ({"repos"}, "a pre-commit configuration"),
    ({"services"}, "a Compose file"),
    ({"system_prompt"}, "an agent definition"),
    ({"llm_config"}, "an agent definition"),
    ({"input_schema"}, "a tool definition"),
    ({"hooks", "id"}, "a hook definition"),
)


# Top-level sections no other common YAML uses; `data`, `trainer`, `logger` and the like are
# not among them.
DISTINCT = frozenset(
    {
        "service",
        "rollout_worker",
        "trajectory_pool",
        "weight",
        "launch_mode",
        "multi_model",
        "runtime_monitor",
        "train_worker",
        "train_batch_pool",
        "inference_parallel",
        "train_parallel",
    }
)
_DISTINCT_LINE = re.compile(rf"^(?:{'|'.join(sorted(DISTINCT))})\s*:", re.M)
UNLIKE = "no section only NexRL has, such as service or rollout_worker"


def classify(doc: Document, named: bool = True) -> tuple[str, str]:
    """What a file is: "entry", "part" (a fragment), "skipped" (not NexRL), "unlike" (found in
    a folder, not shaped like NexRL) or "broken"."""
    data = doc.data
    syntax = [f for f in doc.findings if f.rule in (YAML_SYNTAX, ENCODING, TOO_COMPLEX)]
    if not named:
        unlike = _unlike(doc, bool(syntax) or not doc.ok)
        if unlike:
            return "unlike", unlike
    if isinstance(data, dict):
        # A defaults list or a service section marks a NexRL config; other YAML may share a
        # name (a GitHub workflow's `defaults:` is a mapping) but not these shapes.
        # A file of nothing but `service: null` is no base file for others to fill: a whole
        # config, with its services missing.
        service = data.get("service", "")
        entry = isinstance(data.get("defaults"), list) or isinstance(service, dict)
        entry = entry or (service is None and len(data) == 1)
        foreign = _foreign(data, doc.path)
        if foreign and not entry:
            return "skipped", foreign
        return ("entry" if entry else "part"), ""
    if syntax or not doc.ok:
        return "broken", ""
    foreign_list = _foreign_list(data)
    if foreign_list:
        return "skipped", foreign_list
    what = "empty" if data is None else f"a {'list' if isinstance(data, list) else 'scalar'}"
    doc.findings.append(
        Finding(
            NOT_A_CONFIG,
            Severity.ERROR,
            f"the config is {what}, not a mapping of sections",
            Span(doc.path),
            hint="A NexRL config starts with sections such as `service:` and `data:`.",
        )
    )
    return "broken", ""


def _unlike(doc: Document, broken: bool) -> str:
    """Why a file found in a folder is not taken for NexRL, or "" when it may be NexRL."""
    data = doc.data
    if broken:
        # Unreadable: its text may still show a NexRL section at the start of a line.
        return "" if _DISTINCT_LINE.search("\n".join(doc.lines)) else "not readable YAML, " + UNLIKE
    if not isinstance(data, dict):
        return "empty" if data is None else f"a {'list' if isinstance(data, list) else 'scalar'}"
    keys = {k for k in data if isinstance(k, str)}
    known = keys & _catalogue_sections()
    if not keys & DISTINCT:
        return UNLIKE
    if len(keys - known) > len(known):
        return "more top-level keys NexRL does not know than it knows"
    return ""


def _foreign(data: dict, path: str) -> str:
    """What kind of other YAML `data` is, or "" when it may be (part of) a NexRL config."""
    # (A workflow's `on:` is read as the key true, YAML 1.1, and dropped: `jobs` tells it.)
    keys = {k for k in data if isinstance(k, str)}
    for signature, what in _FOREIGN:
        if signature <= keys:
            return what
    kind = data.get("type")
    if kind in ("agent", "tool") and "name" in keys:
        return "an agent definition" if kind == "agent" else "a tool definition"
    if "agent_workspace" in _parts(path) and not keys & _catalogue_sections():
        return "a file of an agent workspace"
    return ""


# Lists of mappings that are well-known YAML files: every item carries these keys.
_FOREIGN_LISTS = (
    ({"id", "entry"}, "a pre-commit hook definition"),
    ({"hosts"}, "an Ansible playbook"),
    ({"import_playbook"}, "an Ansible playbook"),
)


def _foreign_list(data: object) -> str:
    """What kind of other YAML a top-level list is (pre-commit hooks, a playbook), or ""."""
    if not isinstance(data, list) or not data or not all(isinstance(i, dict) for i in data):
        return ""
    for signature, what in _FOREIGN_LISTS:
        if all(signature <= set(item) for item in data):
            return what
    return ""


@lru_cache(maxsize=1)
def _catalogue_sections() -> frozenset[str]:
    """Top-level sections of any NexRL version."""
    from . import catalogue

    return frozenset(e.path for e in catalogue.all_entries() if "." not in e.path)


def _parts(path: str) -> list[str]:
    """The names in `path` (without making a Path of it: every file of a run asks)."""
    return (path.replace(os.altsep, os.sep) if os.altsep else path).split(os.sep)
