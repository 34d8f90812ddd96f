"""The editor schemas as editors and check-jsonschema read them.

- Valid under strict meta-validation: the declared draft's meta-schema with ajv's stricter
  `enum` (at least one value, no repeats), which yaml-language-server applies before it uses a
  schema at all; and coherent (every `required` name is a declared key where keys are closed,
  every `$ref` resolves, every default and example is a value the schema accepts).
- With the README's mapping (`yaml.schemas`), check-jsonschema finds no error in the
  recipe-shaped project under `fixtures/project` (entry configs with and without `defaults:`,
  `common.yaml` fragments, named and flat training services, every recipe family), and finds
  the mistakes put into a copy of it.
- On NexRL's own recipes (beside the project), only the real bug NexRL stops on.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, nexrl_recipes, recipes_at
from jsonschema import Draft7Validator
from jsonschema.validators import validator_for

from nexrl_cfg.catalogue import NEWEST
from nexrl_cfg.schema import FRAGMENT_FILE as FRAGMENT_NAME
from nexrl_cfg.schema import SCHEMA_FILE as SCHEMA_NAME
from nexrl_cfg.schema import dumps

SCHEMAS = ROOT / "nexrl_cfg" / "schemas"
SCHEMA_FILES = sorted(SCHEMAS.glob("*.schema.json"))
PROJECT = ROOT / "tests" / "fixtures" / "project"
# Keywords whose value is a schema (or a list or map of them) at the same instance.
_IN_PLACE = ("allOf", "anyOf", "oneOf")
_SINGLE_IN_PLACE = ("not", "if", "then", "else")


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


# -- strict meta-validation --------------------------------------------------------------------


def strict_meta_errors(schema: dict[str, Any]) -> list[str]:
    """Problems of `schema` under its declared draft's meta-schema, made as strict as ajv's
    (yaml-language-server refuses a schema with an empty `enum`)."""
    cls = validator_for(schema)
    meta = copy.deepcopy(cls.META_SCHEMA)
    meta["properties"]["enum"].update({"minItems": 1, "uniqueItems": True})
    errors = cls(meta).iter_errors(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in errors]


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_passes_strict_meta_validation(path: Path) -> None:
    schema = load(path)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert validator_for(schema) is Draft7Validator
    assert not strict_meta_errors(schema)


def test_strict_meta_validation_refuses_an_empty_enum() -> None:
    schema = {"$schema": "http://json-schema.org/draft-07/schema#", "enum": []}
    Draft7Validator.check_schema(schema)  # the plain meta-schema lets it through
    assert strict_meta_errors(schema)


# -- coherence ------------------------------------------------------------------------------


class Walk:
    """Every subschema of a schema, with the instance location it applies to (`a.b`, `*` for
    any key, `[]` for each item), following `$ref`s."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.root = schema
        self.declared: dict[str, set[str]] = {}
        self.closed: set[str] = set()
        self.required: dict[str, set[str]] = {}
        self.problems: list[str] = []
        self.nodes: list[tuple[str, dict[str, Any]]] = []
        self._seen: set[tuple[int, str]] = set()
        self.visit(schema, "")

    def visit(self, node: Any, at: str) -> None:
        if not isinstance(node, dict) or (id(node), at) in self._seen:
            return
        self._seen.add((id(node), at))
        self.nodes.append((at, node))
        if "$ref" in node:
            self.visit(self.resolve(node["$ref"]), at)
        for name, child in node.get("properties", {}).items():
            self.declared.setdefault(at, set()).add(name)
            self.visit(child, f"{at}.{name}" if at else name)
        extra = node.get("additionalProperties")
        if extra is False:
            self.closed.add(at)
        self.visit(extra, f"{at}.*" if at else "*")
        self.visit(node.get("items"), f"{at}[]")
        self.visit(node.get("contains"), f"{at}[]")
        self.required.setdefault(at, set()).update(node.get("required", ()))
        for key in _IN_PLACE:
            for child in node.get(key, ()):
                self.visit(child, at)
        for key in _SINGLE_IN_PLACE:
            self.visit(node.get(key), at)

    def resolve(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            self.problems.append(f"a $ref outside the schema: {ref}")
            return None
        node: Any = self.root
        for part in ref[2:].split("/"):
            if not isinstance(node, dict) or part not in node:
                self.problems.append(f"a $ref to nothing: {ref}")
                return None
            node = node[part]
        return node


def _closed_at(walk: Walk, at: str) -> bool:
    """Whether the keys at `at` are closed: named keys of a `*` location are the same
    section wherever the schema declares them (a named training service)."""
    return at in walk.closed or re.sub(r"\.[^.*\[\]]+$", ".*", at) in walk.closed


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_required_name_is_a_declared_key(path: Path) -> None:
    walk = Walk(load(path))
    assert not walk.problems
    undeclared = [
        f"{at or '<root>'}: {name}"
        for at, names in walk.required.items()
        if _closed_at(walk, at)
        for name in sorted(names - walk.declared.get(at, set()))
    ]
    assert not undeclared, undeclared


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_defaults_and_examples_are_values_the_schema_accepts(path: Path) -> None:
    schema = load(path)
    wrong = []
    for at, node in Walk(schema).nodes:
        if "title" not in node or at == "":
            continue
        validator = Draft7Validator({**node, "definitions": schema.get("definitions", {})})
        values = [node["default"]] if "default" in node else []
        for value in values + node.get("examples", []):
            if not validator.is_valid(value):
                wrong.append(f"{at}: {value!r}")
    assert not wrong, wrong


def test_a_composed_entry_config_is_not_required_to_hold_its_includes() -> None:
    validator = Draft7Validator(load(SCHEMAS / "nexrl-config.schema.json"))
    partial = {"defaults": ["common", "_self_"], "trainer": {"type": "remote_api_grpo"}}
    assert not list(validator.iter_errors(partial))
    alone = {"defaults": ["_self_"], "trainer": {"type": "remote_api_grpo"}}
    assert {e.validator for e in validator.iter_errors(alone)} == {"required"}
    typo = {"defaults": ["common"], "trainer": {"type": "remote_api_grop"}}
    assert list(validator.iter_errors(typo))  # values are still checked


def _required_at(errors: Any) -> set[tuple[str, str]]:
    return {
        (".".join(map(str, e.absolute_path)), e.message.split("'")[1])
        for e in errors
        if e.validator == "required"
    }


def test_a_named_service_is_judged_by_its_own_values() -> None:
    validator = Draft7Validator(load(SCHEMAS / "nexrl-config.schema.json"))
    services = {
        "student": {"identifier": "s", "role": "actor", "backend": "direct-zmq", "url": "u"},
        "teacher": {"identifier": "t", "role": "teacher", "backend": "tinker"},
    }
    found = _required_at(validator.iter_errors({"service": {"train_service": services}}))
    # The NexTrainer backend needs an actor section and resources; Tinker needs neither.
    assert ("service.train_service.student", "actor") in found
    assert ("service.train_service.student", "resource") in found
    assert not {key for key in found if key[0] == "service.train_service.teacher"}


def test_a_section_nexrl_does_not_read_requires_nothing() -> None:
    validator = Draft7Validator(load(SCHEMAS / "nexrl-config.schema.json"))
    service = {"backend": "direct-zmq", "url": "u", "actor": {"optim": {}}}
    config: dict[str, Any] = {"service": {"train_service": service}}
    for trainer, read in (("self_hosted_grpo", True), ("remote_api_grpo", False)):
        config["trainer"] = {"type": trainer}
        found = _required_at(validator.iter_errors(config))
        assert (("service.train_service.actor.optim", "lr") in found) is read, trainer


NAMES = [
    ("console", True),
    (["console", "wandb"], True),
    (["console", "${oc.env:TRACKER,wandb}"], True),
    ("${oc.env:TRACKER}", True),
    (["console", "wandbb"], False),
    ("wandbb", False),
    ([1], False),
    ({"name": "console"}, False),
]


@pytest.mark.parametrize(("value", "ok"), NAMES)
def test_a_backend_or_a_list_of_backends(value: Any, ok: bool) -> None:
    validator = Draft7Validator(load(SCHEMAS / "nexrl-config.fragment.schema.json"))
    assert validator.is_valid({"logger": {"backend": value}}) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [("a.parquet", True), (["a.parquet", "b.jsonl"], True), ([1], False), ({"a": 1}, False)],
)
def test_a_data_file_or_a_list_of_them(value: Any, ok: bool) -> None:
    validator = Draft7Validator(load(SCHEMAS / "nexrl-config.fragment.schema.json"))
    assert validator.is_valid({"data": {"data_files": value}}) is ok
    assert validator.is_valid({"validate": {"data": {"data_files": value}}}) is ok


# -- check-jsonschema with the README's mapping -----------------------------------------------


def readme_mapping() -> dict[str, list[str]]:
    """The `yaml.schemas` mapping the README shows."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for block in re.findall(r"```json\n(.*?)```", text, re.S):
        if '"yaml.schemas"' in block:
            mapping: dict[str, list[str]] = json.loads(block)["yaml.schemas"]
            return mapping
    raise AssertionError("the README shows no yaml.schemas mapping")


def _glob(pattern: str) -> re.Pattern[str]:
    out = ""
    for token in re.split(r"(\*\*/|\*\*|\*|\?)", pattern):
        out += {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}.get(
            token, re.escape(token)
        )
    return re.compile(out)


def mapped(relative: str, patterns: list[str]) -> bool:
    """Whether yaml-language-server maps the workspace file `relative` by `patterns`: one
    positive pattern matches and no `!` pattern; each is matched anywhere (`**/` before it)."""
    positive = [p for p in patterns if not p.startswith("!")]
    negative = [p[1:] for p in patterns if p.startswith("!")]
    matches = [_glob("**/" + p.lstrip("/")).fullmatch(relative) for p in positive]
    excluded = [_glob("**/" + p.lstrip("/")).fullmatch(relative) for p in negative]
    return any(matches) and not any(excluded)


def schema_runs(folder: Path, schemas: Path = SCHEMAS) -> Iterator[tuple[Path, list[str]]]:
    """(schema file, files it checks) for each schema of the README's mapping, the files
    relative to `folder`, the workspace; the schemas are those in `schemas`."""
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.yaml"))
    for schema, patterns in readme_mapping().items():
        chosen = [f for f in files if mapped(f, patterns)]
        if chosen:
            yield schemas / Path(schema).name, chosen


def check_jsonschema(folder: Path, schemas: Path = SCHEMAS) -> list[tuple[str, str, str]]:
    """(file, path, message) of each error check-jsonschema reports under the mapping: its
    command line (`check-jsonschema -o json --schemafile SCHEMA FILES...`) run in `folder`, in
    this process (click's test runner) rather than a child process for each schema."""
    from check_jsonschema import main
    from click.testing import CliRunner

    found = []
    for schema, files in schema_runs(folder, schemas):
        args = ["-o", "json", "--schemafile", str(schema), *files]
        before = os.getcwd()
        os.chdir(folder)
        try:
            run = CliRunner().invoke(main, args, prog_name="check-jsonschema")
        finally:
            os.chdir(before)
        assert run.exit_code in (0, 1), run.output
        report = json.loads(run.stdout)
        assert not report.get("parse_errors"), report["parse_errors"]
        found += [(e["filename"], e["path"], e["message"]) for e in report["errors"]]
    return found


def test_the_mapping_sends_each_file_to_its_schema() -> None:
    runs = {schema.name: files for schema, files in schema_runs(PROJECT)}
    fragments = runs["nexrl-config.fragment.schema.json"]
    entries = runs["nexrl-config.schema.json"]
    assert fragments and all(f.endswith("/common.yaml") for f in fragments)
    assert "recipe/math/self_hosted.yaml" in entries
    assert "recipe/on_policy_distill/weaver_opd.yaml" in entries
    everything = {p.relative_to(PROJECT).as_posix() for p in PROJECT.rglob("*.yaml")}
    assert everything - set(fragments) - set(entries) == {
        "recipe/nexau_news/agent_workspace/agent_config.yaml"
    }


def test_check_jsonschema_finds_no_error_in_recipe_shaped_configs() -> None:
    assert check_jsonschema(PROJECT) == []


MISTAKES = {
    # A typo in an entry config that includes common.yaml.
    "recipe/math/self_hosted.yaml": ("backend: sglang", "backend: sglan", "service"),
    # A list item that is no backend, in a fragment.
    "recipe/math/common.yaml": ('["console", "wandb"]', '["console", "wandbb"]', "logger"),
    # A stand-alone config without an option a run needs.
    "recipe/on_policy_distill/weaver_opd.yaml": ("    max_tokens:", "    max_tokenz:", "service"),
    # A misspelt key in a named training service.
    "recipe/pig_latin/tinker.yaml": ("      role:", "      rolle:", "service"),
}


def test_check_jsonschema_finds_mistakes_put_into_them(tmp_path: Path) -> None:
    shutil.copytree(PROJECT, tmp_path / "project")
    for name, (before, after, _) in MISTAKES.items():
        path = tmp_path / "project" / name
        text = path.read_text(encoding="utf-8")
        assert before in text, name
        path.write_text(text.replace(before, after, 1), encoding="utf-8")
    found = check_jsonschema(tmp_path / "project")
    assert {file for file, _, _ in found} == set(MISTAKES)
    for file, where, _ in found:
        assert where.startswith(f"$.{MISTAKES[file][2]}"), (file, where)


# NexRL's recipes that NexRL itself stops on, at a value the schema describes.
UPSTREAM = {("recipe/pig_latin/self_hosted.yaml", "$.trainer.type")}


@pytest.mark.parametrize("version", sorted(nexrl_recipes()))
def test_nexrl_recipes_give_only_the_upstream_bug(version: str, tmp_path: Path) -> None:
    # The schemas of the recipes' version, as `nexrl-cfg schema --nexrl-version` writes them.
    schemas = SCHEMAS
    if version != NEWEST:
        schemas = tmp_path
        for fragment, name in ((False, SCHEMA_NAME), (True, FRAGMENT_NAME)):
            (tmp_path / name).write_text(dumps(version, fragment), encoding="utf-8")
    # The workspace is the folder holding recipe/ (NexRL's repository, or the corpus').
    found = check_jsonschema(recipes_at(version).parent, schemas)
    assert {(file, where) for file, where, _ in found} == UPSTREAM
