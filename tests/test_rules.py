"""The lint-stage rules of the reference (how options fit together): each finding at its dotted
key, line, column and severity, and nothing else; what passes, passes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from configs import BASE, OPENAI, edit, position, run, summary, value_at
from helpers import rules

from nexrl_cfg.report import render
from nexrl_cfg.report.run import Run
from nexrl_cfg.rules import all_rules

INFERENCE = "service.inference_service"
ACTOR = "service.train_service.actor"
OPENAI_ENV = {"OPENAI_API_KEY": "sk-test-0000000000000000"}
MOCK = ("train-backend", "info", "service.train_service.backend")


def openai(tmp_path: Path, text: str) -> list[tuple[str, str, str, int, int]]:
    """Findings of an OpenAI config, without the mock trainer's note."""
    return [s for s in summary(run(tmp_path, text, OPENAI_ENV)) if s[:3] != MOCK]


def test_openai_base_only_notes_its_mock_trainer(tmp_path: Path) -> None:
    found = run(tmp_path, OPENAI, OPENAI_ENV)
    assert summary(found) == [(*MOCK, *value_at(OPENAI, "backend: mock"))]


# -- max-tokens-match -----------------------------------------------------------------------


def test_max_tokens_differs_from_max_response_length(tmp_path: Path) -> None:
    text = edit(BASE, "max_tokens: ${data.max_response_length}", "max_tokens: 4096")
    found = run(tmp_path, text)
    line, column = value_at(text, "max_tokens: 4096")
    assert summary(found) == [
        ("max-tokens-match", "error", f"{INFERENCE}.max_tokens", line, column)
    ]
    assert "4096" in found[0].message and "2048" in found[0].message
    assert found[0].hint == "Write `max_tokens: ${data.max_response_length}`."


def test_max_tokens_equal_as_literals(tmp_path: Path) -> None:
    assert (
        run(tmp_path, edit(BASE, "max_tokens: ${data.max_response_length}", "max_tokens: 2048"))
        == []
    )


def test_same_unset_expression_compares_equal(tmp_path: Path) -> None:
    text = edit(BASE, "max_response_length: 2048", "max_response_length: ${oc.env:LEN}")
    text = edit(text, "max_tokens: ${data.max_response_length}", "max_tokens: ${oc.env:LEN}")
    assert rules(run(tmp_path, text)) == ["env-unset"]


def test_different_unset_variables_are_not_judged(tmp_path: Path) -> None:
    text = edit(BASE, "max_response_length: 2048", "max_response_length: ${oc.env:LEN_A}")
    text = edit(text, "max_tokens: ${data.max_response_length}", "max_tokens: ${oc.env:LEN_B}")
    assert rules(run(tmp_path, text)) == ["env-unset", "env-unset"]


def test_unset_against_known_is_not_judged(tmp_path: Path) -> None:
    text = edit(BASE, "max_tokens: ${data.max_response_length}", "max_tokens: ${oc.env:LEN}")
    assert rules(run(tmp_path, text)) == ["env-unset"]


# -- model-tag-match ------------------------------------------------------------------------


def test_model_tags_differ(tmp_path: Path) -> None:
    # NexRL 1.0 knows no tag but "default": the trainer and the workers report under it.
    text = edit(
        BASE, '    model_tag: "default"\n    api_key', '    model_tag: "policy"\n    api_key'
    )
    found = run(tmp_path, text)
    line, column = position(text, '"policy"')
    assert summary(found) == [
        ("model-tag-match", "error", "service.inference_service.model_tag", line, column),
    ]


def test_a_missing_model_tag_is_not_compared(tmp_path: Path) -> None:
    # NexRL 1.0 reads both tags by attribute: a missing one is missing-required's finding,
    # never a comparison with "default" (the inference tag is still judged on its own).
    text = edit(
        BASE, '    model_tag: "default"\n    api_key', '    model_tag: "policy"\n    api_key'
    )
    text = edit(text, '    model_tag: "default"\n    backend: http', "    backend: http")
    found = [f for f in run(tmp_path, text) if f.rule == "model-tag-match"]
    assert [f.key for f in found] == ["service.inference_service.model_tag"]
    assert "service.train_service" not in found[0].message


def test_model_tag_left_out_on_one_side_is_missing(tmp_path: Path) -> None:
    # NexRL has no default tag: one left out is missing (1.0: model_tag; 1.2 on: identifier,
    # or the deprecated model_tag), not compared.
    text = edit(BASE, '    model_tag: "default"\n    backend: http', "    backend: http")
    for version, name in (("1.0", "model_tag"), ("1.4", "identifier")):
        found = run(tmp_path, text, nexrl_version=version)
        tags = [(f.rule, f.key) for f in found if f.key.endswith((".model_tag", ".identifier"))]
        assert ("missing-required", f"service.train_service.{name}") in tags
        assert "model-tag-match" not in [rule for rule, _ in tags]


def test_model_tags_from_the_same_unset_variable(tmp_path: Path) -> None:
    text = BASE.replace('model_tag: "default"', "model_tag: ${oc.env:TAG}")
    assert rules(run(tmp_path, text)) == ["env-unset"]


# -- weight-type-backend --------------------------------------------------------------------


def test_weight_type_of_the_other_engine(tmp_path: Path) -> None:
    text = edit(BASE, 'weight_type: "sglang_nckpt"', 'weight_type: "vllm_ckpt"')
    found = run(tmp_path, text)
    line, column = value_at(text, 'weight_type: "vllm_ckpt"')
    assert summary(found) == [
        ("weight-type-backend", "warning", f"{INFERENCE}.weight_type", line, column),
    ]
    assert "sglang_nckpt" in found[0].hint


def test_vllm_takes_vllm_ckpt(tmp_path: Path) -> None:
    text = edit(BASE, "backend: sglang", "backend: vllm")
    text = edit(text, 'sync_method: "disk"', 'sync_method: "mock"')
    assert rules(run(tmp_path, text)) == ["weight-type-backend"]
    assert run(tmp_path, edit(text, '"sglang_nckpt"', '"vllm_ckpt"')) == []


def test_weight_type_on_an_external_api_is_a_warning(tmp_path: Path) -> None:
    text = edit(OPENAI, 'weight_type: ""', 'weight_type: "vllm_ckpt"')
    assert openai(tmp_path, text) == [
        (
            "weight-type-backend",
            "warning",
            f"{INFERENCE}.weight_type",
            *value_at(text, 'weight_type: "vllm_ckpt"'),
        ),
    ]


def test_empty_weight_type_is_fine(tmp_path: Path) -> None:
    assert run(tmp_path, edit(BASE, 'weight_type: "sglang_nckpt"', 'weight_type: ""')) == []


# micro-batch-size and tokenizer-backend: tests/test_backend_rules.py


# -- freeze-weight-sync ---------------------------------------------------------------------


def test_freezing_an_external_api(tmp_path: Path) -> None:
    text = edit(OPENAI, "freeze_for_weight_sync: false", "freeze_for_weight_sync: true")
    assert openai(tmp_path, text) == [
        (
            "freeze-weight-sync",
            "warning",
            f"{INFERENCE}.freeze_for_weight_sync",
            *value_at(text, "freeze_for_weight_sync: true"),
        ),
    ]


def test_freezing_an_external_api_by_default(tmp_path: Path) -> None:
    text = edit(OPENAI, "    freeze_for_weight_sync: false\n", "")
    assert openai(tmp_path, text) == [
        ("freeze-weight-sync", "warning", INFERENCE, *position(text, "inference_service")),
    ]


def test_not_freezing_in_sync_mode(tmp_path: Path) -> None:
    text = edit(BASE, "freeze_for_weight_sync: true", "freeze_for_weight_sync: false")
    found = run(tmp_path, text)
    line, column = value_at(text, "freeze_for_weight_sync: false")
    assert summary(found) == [
        ("freeze-weight-sync", "warning", f"{INFERENCE}.freeze_for_weight_sync", line, column),
    ]
    assert "sync" in found[0].message


# -- train-backend --------------------------------------------------------------------------


def test_mock_trainer_is_a_note(tmp_path: Path) -> None:
    text = edit(BASE, "backend: http", "backend: mock")
    found = run(tmp_path, text)
    assert summary(found) == [(*MOCK, *value_at(text, "backend: mock"))]


# -- api-key-literal ------------------------------------------------------------------------

SECRET = "sk-proj-Zq8rT2vX9mK4pL7nW3bY6cH1dF5gJ0sA"


def test_literal_key_is_a_warning_that_never_shows_the_key(tmp_path: Path) -> None:
    # NexRL runs with a literal key: a leak to fix, not a failure.
    text = edit(OPENAI, 'api_key: "${oc.env:OPENAI_API_KEY}"', f'api_key: "{SECRET}"')
    found = run(tmp_path, text)
    line, column = value_at(text, f'api_key: "{SECRET}"')
    assert [s for s in summary(found) if s[:3] != MOCK] == [
        ("api-key-literal", "warning", f"{INFERENCE}.api_key", line, column),
    ]
    assert "${oc.env:" in found[0].hint
    for fmt in ("text", "json"):
        out = render(fmt, Run(found, 1, lambda file, line: None))
        assert SECRET not in out and SECRET[8:20] not in out, fmt
    document = json.loads(render("json", Run(found, 1)))
    assert document["summary"]["warnings"] >= 1


@pytest.mark.parametrize("value", ['"EMPTY"', '""', '"${oc.env:MY_KEY}"', "null"])
def test_placeholders_and_references_are_not_literal_keys(tmp_path: Path, value: str) -> None:
    text = edit(BASE, 'api_key: "EMPTY"', f"api_key: {value}")
    assert "api-key-literal" not in rules(run(tmp_path, text))


# -- api-key-hosted -------------------------------------------------------------------------


def test_empty_key_against_a_hosted_api(tmp_path: Path) -> None:
    # The simple worker calls the client: every request is refused, the first rollout stops.
    text = edit(OPENAI, 'api_key: "${oc.env:OPENAI_API_KEY}"', 'api_key: "EMPTY"')
    assert openai(tmp_path, text) == [
        ("api-key-hosted", "error", f"{INFERENCE}.api_key", *value_at(text, 'api_key: "EMPTY"')),
    ]
    # A worker that never calls it: a warning.
    text = edit(text, "need_llm_inference: true", "need_llm_inference: false")
    assert ("api-key-hosted", "warning") in [row[:2] for row in openai(tmp_path, text)]


def test_default_key_against_a_hosted_api(tmp_path: Path) -> None:
    text = edit(OPENAI, '    api_key: "${oc.env:OPENAI_API_KEY}"\n', "")
    # NexRL's OpenAI client reads api_key without a default: missing, not "EMPTY".
    assert openai(tmp_path, text) == [
        ("missing-required", "error", f"{INFERENCE}.api_key", *position(text, "inference_service")),
    ]


def test_empty_key_against_a_local_server_is_fine(tmp_path: Path) -> None:
    assert run(tmp_path, BASE) == []


# -- every rule is documented ---------------------------------------------------------------


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_rule_documents_itself(rule: object) -> None:
    doc = rule.doc  # type: ignore[attr-defined]
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert heading in doc, (rule, heading)
