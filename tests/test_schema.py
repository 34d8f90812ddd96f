"""The committed JSON Schema: current, valid Draft 7, useful to an editor, and in agreement with
`nexrl-cfg check` on the sample configs."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SAMPLES, Recorded
from jsonschema import Draft7Validator
from test_samples import ENV, expected, version_of

from nexrl_cfg.compose import Composer, Reader
from nexrl_cfg.resolve import resolve
from nexrl_cfg.schema import SCHEMA_ID, dumps, generate

SCHEMAS = ROOT / "nexrl_cfg" / "schemas"
SCHEMA_FILE = SCHEMAS / "nexrl-config.schema.json"
FRAGMENT_FILE = SCHEMAS / "nexrl-config.fragment.schema.json"
REGENERATE = "nexrl-cfg schema --output nexrl_cfg/schemas/nexrl-config.schema.json"
REGENERATE_FRAGMENT = (
    "nexrl-cfg schema --fragment --output nexrl_cfg/schemas/nexrl-config.fragment.schema.json"
)
# Rules the schema can express: a finding of one of these at a key, the schema rejects there.
SCHEMA_RULES = {"invalid-type", "out-of-range", "invalid-choice", "missing-required", "unknown-key"}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Draft7Validator:
    return Draft7Validator(schema)


def resolved(path: Path) -> Any:
    composed = Composer(Reader()).compose(path)
    assert composed.ok, path
    return resolve(composed, ENV).data


def deref(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """The object schema behind `node`: follows `$ref`, and the first `anyOf` alternative
    (train_service is `anyOf: [flat, nested]`)."""
    while True:
        if "$ref" in node:
            node = schema["definitions"][node["$ref"].rsplit("/", 1)[-1]]
        elif "properties" not in node and "anyOf" in node and "$ref" in node["anyOf"][0]:
            node = node["anyOf"][0]
        else:
            return node


def property_at(schema: dict[str, Any], dotted: str) -> dict[str, Any]:
    node = schema
    for part in dotted.split("."):
        node = deref(schema, node)["properties"][part]
    return node


def properties(
    schema: dict[str, Any], node: dict[str, Any] | None = None, prefix: str = ""
) -> Iterator[tuple[str, dict[str, Any]]]:
    node = deref(schema, schema if node is None else node)
    for name, child in node.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        yield path, child
        yield from properties(schema, child, path)


def error_paths(errors: Iterable[Any]) -> set[str]:
    """Where jsonschema found problems, looking inside anyOf alternatives too."""
    out: set[str] = set()
    for error in errors:
        out.add(".".join(str(p) for p in error.absolute_path))
        out |= error_paths(error.context or ())
    return out


def enum_of(prop: dict[str, Any]) -> list[Any]:
    for alternative in [prop, *prop.get("oneOf", [])]:
        if "enum" in alternative:
            return alternative["enum"]
    return []


@pytest.fixture(scope="module")
def fragment() -> Draft7Validator:
    return Draft7Validator(json.loads(FRAGMENT_FILE.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("path", "is_fragment", "command"),
    [(SCHEMA_FILE, False, REGENERATE), (FRAGMENT_FILE, True, REGENERATE_FRAGMENT)],
)
def test_committed_schema_is_current(
    path: Path, is_fragment: bool, command: str, recorded: Recorded
) -> None:
    # `command` writes it too.
    recorded(path, dumps(fragment=is_fragment))


def test_schema_id_is_the_address_of_the_committed_file(schema: dict[str, Any]) -> None:
    assert schema["$id"] == SCHEMA_ID
    assert SCHEMA_ID.startswith("https://") and SCHEMA_ID.endswith(
        "/" + SCHEMA_FILE.relative_to(ROOT).as_posix()
    )
    fragment_id = json.loads(FRAGMENT_FILE.read_text(encoding="utf-8"))["$id"]
    assert fragment_id == SCHEMA_ID.replace(SCHEMA_FILE.name, FRAGMENT_FILE.name)


def test_a_misspelt_top_level_key_is_flagged(validator: Draft7Validator) -> None:
    unknown = [
        e for e in validator.iter_errors({"servce": {}}) if e.validator == "additionalProperties"
    ]
    assert unknown and "servce" in unknown[0].message
    known = validator.iter_errors({"project_name": "p"})
    assert not [e for e in known if e.validator == "additionalProperties"]


def test_each_option_and_section_has_its_own_title(schema: dict[str, Any]) -> None:
    for path, prop in properties(schema):
        title = prop.get("title") or deref(schema, prop).get("title")
        assert title and title != schema["title"], path
    assert property_at(schema, "service.inference_service.backend")["title"] == (
        "service.inference_service.backend"
    )


def test_main_sections_offer_a_snippet(validator: Draft7Validator, schema: dict[str, Any]) -> None:
    for name in ("service", "data", "trainer", "weight", "trajectory_pool"):
        (snippet,) = property_at(schema, name)["defaultSnippets"]
        assert snippet["label"] and snippet["body"], name
    body = property_at(schema, "service")["defaultSnippets"][0]["body"]
    assert body["inference_service"]["backend"] == "sglang"
    assert "max_tokens" in body["inference_service"]  # required: a placeholder


def test_a_partial_section_is_no_error_in_the_fragment_schema(
    validator: Draft7Validator, fragment: Draft7Validator
) -> None:
    partial = {"service": {"inference_service": {"backend": "sglang"}}}
    assert list(validator.iter_errors(partial))  # max_tokens, model are required in a config
    assert not list(fragment.iter_errors(partial))
    typo = {"service": {"inference_service": {"backend": "sglan"}}, "servce": {}}
    assert {"", "service.inference_service.backend"} <= error_paths(fragment.iter_errors(typo))


def test_schema_is_valid_draft7(schema: dict[str, Any]) -> None:
    Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"


def test_every_property_is_described(schema: dict[str, Any]) -> None:
    found = list(properties(schema))
    assert len(found) > 100
    missing = [path for path, prop in found if not prop.get("description")]
    assert not missing, missing


def test_schema_has_enums_and_defaults(schema: dict[str, Any]) -> None:
    # The newest NexRL: both backends are read without a default.
    inference = property_at(schema, "service.inference_service.backend")
    assert {"sglang", "vllm", "openai"} <= set(enum_of(inference))
    assert "default" not in inference
    train = property_at(schema, "service.train_service.backend")
    assert {"direct-zmq", "http", "mock"} <= set(enum_of(train))
    loss = property_at(schema, "service.train_service.actor.loss_agg_mode")
    assert enum_of(loss) == ["token-mean", "seq-mean-token-sum", "seq-mean-token-mean"]
    assert property_at(schema, "service.inference_service.freeze_for_weight_sync")["default"]
    clip = property_at(schema, "service.train_service.actor.clip_ratio")
    assert "examples" in clip


@pytest.mark.parametrize("name", sorted(p.name for p in (SAMPLES / "valid").glob("*.yaml")))
def test_valid_sample_satisfies_the_schema(name: str) -> None:
    # The schema of the NexRL version the sample is written for.
    validator = Draft7Validator(generate(version_of(SAMPLES / "valid" / name)))
    data = resolved(SAMPLES / "valid" / name)
    problems = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert not problems, problems


def schema_samples() -> list[str]:
    """Invalid samples whose every finding is one the schema can express, at a nested key."""
    out = []
    for path in sorted((SAMPLES / "invalid").glob("*.yaml")):
        record = expected(path)
        if record and all(r["rule"] in SCHEMA_RULES and "." in str(r["key"]) for r in record):
            out.append(path.name)
    return out


def test_schema_samples_cover_each_kind() -> None:
    rules = {r["rule"] for name in schema_samples() for r in expected(SAMPLES / "invalid" / name)}
    assert rules == SCHEMA_RULES


@pytest.mark.parametrize("name", schema_samples())
def test_schema_rejects_what_the_tool_reports(validator: Draft7Validator, name: str) -> None:
    path = SAMPLES / "invalid" / name
    errors = list(validator.iter_errors(resolved(path)))
    where = error_paths(errors)
    for record in expected(path):
        key = str(record["key"])
        if record["rule"] in ("missing-required", "unknown-key"):
            key = key.rpartition(".")[0]  # reported by the schema on the enclosing object
        assert key in where, (name, key, [e.message for e in errors])


NESTED = {
    "project_name": "p",
    "experiment_name": "e",
    "launch_mode": "local",
    "service": {
        "inference_service": {
            "identifier": "default",
            "backend": "sglang",
            "api_key": "EMPTY",
            "base_url": "http://x",
            "model": "m",
            "max_tokens": 8,
            "max_retries": 3,
            "weight_type": "sglang_nckpt",
        },
        "train_service": {
            "main_actor": {
                "identifier": "default",
                "role": "actor",
                "backend": "mock",
                "url": "http://trainer:8000",
                "resource": {"world_size": 1, "gpus_per_pod": 8},
            },
        },
    },
}


def test_nested_train_service_layout_is_accepted(validator: Draft7Validator) -> None:
    # NESTED holds the service section alone: the sections a run also needs are missing.
    errors = list(validator.iter_errors(NESTED))
    assert all(e.validator == "required" and not e.absolute_path for e in errors), errors
    assert "service" not in {e.message.split("'")[1] for e in errors}


def test_each_nested_service_is_checked_as_a_train_service(validator: Draft7Validator) -> None:
    no_url = json.loads(json.dumps(NESTED))
    del no_url["service"]["train_service"]["main_actor"]["url"]
    assert "service.train_service.main_actor" in error_paths(validator.iter_errors(no_url))
    typo = json.loads(json.dumps(NESTED))
    typo["service"]["train_service"]["main_actor"]["backend"] = "htp"
    where = error_paths(validator.iter_errors(typo))
    assert "service.train_service.main_actor.backend" in where
