"""Rollout and inference, as NexRL's workers and clients use each value: the base URL's shape,
the client a worker needs, the tags trajectories carry, the tokenizer the client loads, the
mock worker and the mock data; and the hints of the area, applied to check they fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from configs import base, put, puts
from helpers import check, write

from nexrl_cfg.finding import Applicability, Finding

ENV = {"NEXRL_DATA_PATH": "/data"}
BASE_URL = "service.inference_service.base_url"
Row = tuple[str, str, str]


def run(
    tmp_path: Path, text: str, version: str, env: dict[str, str] | None = None
) -> list[Finding]:
    return check(
        write(tmp_path, "run.yaml", text), ENV if env is None else env, nexrl_version=version
    )


def rows(tmp_path: Path, text: str, version: str, *ids: str) -> list[Row]:
    return [
        (f.rule, f.severity.value, f.key)
        for f in run(tmp_path, text, version)
        if not ids or f.rule in ids
    ]


@pytest.mark.parametrize("version", ["1.0", "1.2", "1.3", "1.4"])
def test_the_bases_pass(tmp_path: Path, version: str) -> None:
    assert run(tmp_path, base(version), version) == []


# -- url-shape ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "versions_failing"),
    [
        ('"http://router:12345/v1"', ("1.0", "1.2", "1.3", "1.4")),
        ('"http://router:12345/v1/"', ("1.0", "1.2", "1.3", "1.4")),
        ('"router:12345"', ("1.0", "1.2", "1.3", "1.4")),  # "router" parses as the scheme
        ('"10.0.0.5:12345"', ("1.0", "1.2")),  # no scheme parses: 1.3 adds http://
        ('"localhost"', ("1.0", "1.2")),
        ('"ftp://router:12345"', ("1.0", "1.2", "1.3", "1.4")),
        ('""', ("1.0", "1.2")),  # from 1.3 empty-url's
    ],
)
def test_inference_base_url_shape(
    tmp_path: Path, url: str, versions_failing: tuple[str, ...]
) -> None:
    for version in ("1.0", "1.2", "1.3", "1.4"):
        text = put(base(version), BASE_URL, url)
        found = rows(tmp_path, text, version, "url-shape")
        expected = [("url-shape", "error", BASE_URL)] if version in versions_failing else []
        assert found == expected, (url, version)


@pytest.mark.parametrize("url", ['"http://router:12345"', '"https://gateway:8080/sglang"'])
def test_a_root_or_a_proxy_prefix_is_fine(tmp_path: Path, url: str) -> None:
    for version in ("1.0", "1.4"):
        assert not rows(tmp_path, put(base(version), BASE_URL, url), version, "url-shape")


def test_a_v1_after_a_variable_is_certain(tmp_path: Path) -> None:
    text = put(base("1.4"), BASE_URL, '"${oc.env:ROUTER}/v1"')
    assert rows(tmp_path, text, "1.4", "url-shape") == [("url-shape", "error", BASE_URL)]
    text = put(base("1.4"), BASE_URL, '"${oc.env:ROUTER}"')
    assert not rows(tmp_path, text, "1.4", "url-shape")


def test_the_url_from_the_environment_is_never_printed(tmp_path: Path) -> None:
    text = put(base("1.0"), BASE_URL, '"${oc.env:ROUTER}"')
    secret = "10.9.8.7:12345"
    found = [
        f for f in run(tmp_path, text, "1.0", {**ENV, "ROUTER": secret}) if f.rule == "url-shape"
    ]
    assert found and all(secret not in f.message + f.hint for f in found)


@pytest.mark.parametrize(
    ("url", "fixed"),
    [
        ('"http://router:12345/v1"', "http://router:12345"),
        ('"router:12345"', "http://router:12345"),
    ],
)
def test_the_fix_writes_what_the_hint_says_and_the_finding_goes(
    tmp_path: Path, url: str, fixed: str
) -> None:
    text = put(base("1.4"), BASE_URL, url)
    path = write(tmp_path, "run.yaml", text)
    (finding,) = [
        f for f in check(path, ENV, nexrl_version="1.4", fixes=True) if f.rule == "url-shape"
    ]
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    (change,) = finding.fix.edits
    assert fixed in change.text
    again = write(tmp_path, "fixed.yaml", put(base("1.4"), BASE_URL, f'"{fixed}"'))
    assert "url-shape" not in [f.rule for f in check(again, ENV, nexrl_version="1.4")]


def test_remote_service_urls_need_a_scheme_before_1_3(tmp_path: Path) -> None:
    text = put(base("1.4"), "service.inference_service.backend", "tinker")
    text = puts(text, {"service.tinker_service.base_url": '"10.0.0.7:443"'})
    assert not rows(tmp_path, text, "1.4", "url-shape")  # 1.3 adds https://
    text = puts(text, {"service.tinker_service.base_url": '"tinker-gateway:443"'})
    assert rows(tmp_path, text, "1.4", "url-shape") == [
        ("url-shape", "error", "service.tinker_service.base_url")
    ]


# -- need-llm-inference ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "need", "severity"),
    [
        ("simple", "false", "error"),
        ("simple", None, "error"),
        ("nexau", "false", "warning"),
        ("pig_latin", "true", "warning"),
    ],
)
def test_the_client_a_worker_needs(
    tmp_path: Path, kind: str, need: str | None, severity: str
) -> None:
    text = puts(
        base("1.4"), {"rollout_worker.type": f'"{kind}"', "rollout_worker.need_llm_inference": need}
    )
    assert rows(tmp_path, text, "1.4", "need-llm-inference") == [
        ("need-llm-inference", severity, "rollout_worker.need_llm_inference")
    ]


@pytest.mark.parametrize("kind", ["[simple]", "{a: 1}"])
def test_a_worker_type_that_is_no_name_is_left_to_invalid_type(tmp_path: Path, kind: str) -> None:
    text = puts(
        base("1.4"), {"rollout_worker.type": kind, "rollout_worker.need_llm_inference": "false"}
    )
    found = rows(tmp_path, text, "1.4")
    assert ("invalid-type", "error", "rollout_worker.type") in found
    assert not [row for row in found if row[0] in ("internal-error", "need-llm-inference")]


# -- tags ------------------------------------------------------------------------------------
def test_untagged_trajectories_need_the_default_tag(tmp_path: Path) -> None:
    text = puts(
        base("1.4"),
        {
            "service.inference_service.identifier": '"news"',
            "service.train_service.main_actor.identifier": '"news"',
        },
    )
    assert not rows(tmp_path, text, "1.4", "model-tag-match")  # the simple worker stamps "news"
    mock = put(text, "rollout_worker.type", '"mock"')
    assert ("model-tag-match", "error", "service.inference_service.identifier") in rows(
        tmp_path, mock, "1.4", "model-tag-match"
    )


def test_model_tag_other_than_default_before_1_2(tmp_path: Path) -> None:
    text = puts(
        base("1.0"),
        {
            "service.inference_service.model_tag": '"qwen"',
            "service.train_service.model_tag": '"qwen"',
        },
    )
    for version in ("1.0", "1.1"):
        assert rows(tmp_path, text, version, "model-tag-match") == [
            ("model-tag-match", "error", "service.inference_service.model_tag")
        ]


def test_an_actor_mismatch_is_an_error_at_every_named_version(tmp_path: Path) -> None:
    for version in ("1.2", "1.3", "1.4"):
        text = put(base(version), "service.train_service.main_actor.identifier", '"actor"')
        found = [f for f in run(tmp_path, text, version) if f.rule == "model-tag-match"]
        assert [f.severity.value for f in found] == ["error"], version
        assert "identifier" in found[0].hint and "model_tag" not in found[0].hint


# -- tokenizer-backend ----------------------------------------------------------------------
@pytest.mark.parametrize("value", ["null", '""'])
def test_a_null_or_empty_tokenizer_of_the_client_is_an_error(tmp_path: Path, value: str) -> None:
    text = put(base("1.4"), "service.inference_service.tokenizer", value)
    assert rows(tmp_path, text, "1.4", "tokenizer-backend") == [
        ("tokenizer-backend", "error", "service.inference_service.tokenizer")
    ]
    # No client is built without need_llm_inference: nothing loads the tokenizer.
    text = puts(
        text, {"rollout_worker.type": '"pig_latin"', "rollout_worker.need_llm_inference": "false"}
    )
    assert not rows(tmp_path, text, "1.4", "tokenizer-backend")


# -- mock-worker, worker-data ---------------------------------------------------------------
def test_the_mock_worker_fails_only_in_1_4(tmp_path: Path) -> None:
    for version in ("1.3", "1.4"):
        text = put(base(version), "rollout_worker.type", '"mock"')
        found = rows(tmp_path, text, version, "mock-worker")
        assert found == (
            [("mock-worker", "error", "rollout_worker.type")] if version == "1.4" else []
        )


def test_the_agent_worker_with_mock_validation_data_only_when_it_validates(tmp_path: Path) -> None:
    agent = puts(
        base("1.4"),
        {
            "rollout_worker.type": '"agent"',
            "rollout_worker.max_prompt_length": "1024",
            "rollout_worker.agent.math.judge_mode": '"rule"',
        },
    )
    assert not rows(tmp_path, agent, "1.4", "worker-data")
    validating = put(agent, "validate.validate_before_train", "true")
    assert rows(tmp_path, validating, "1.4", "worker-data") == [
        ("worker-data", "error", "validate.data.type")
    ]


# -- hints, applied ---------------------------------------------------------------------------
def test_remove_the_quotes_only_where_that_fixes_it(tmp_path: Path) -> None:
    quoted = put(base("1.4"), "service.inference_service.max_retries", '"3"')
    (finding,) = [f for f in run(tmp_path, quoted, "1.4") if f.rule == "invalid-type"]
    assert "Remove the quotes" in finding.hint
    unquoted = put(base("1.4"), "service.inference_service.max_retries", "3")
    assert "invalid-type" not in [f.rule for f in run(tmp_path, unquoted, "1.4")]
    word = put(base("1.4"), "service.inference_service.max_retries", '"three"')
    (finding,) = [f for f in run(tmp_path, word, "1.4") if f.rule == "invalid-type"]
    assert "Remove the quotes" not in finding.hint and "an integer" in finding.hint


def test_an_empty_variable_is_told_to_be_exported(tmp_path: Path) -> None:
    text = put(base("1.4"), BASE_URL, '"${oc.env:INFERENCE_BASE_URL,}"')
    (finding,) = [f for f in run(tmp_path, text, "1.4") if f.rule == "empty-url"]
    assert finding.hint.startswith("Export INFERENCE_BASE_URL") and "${oc.env" not in finding.hint
    remote = puts(
        base("1.4"),
        {
            "service.inference_service.backend": "tinker",
            "weight.sync_method": '"tinker"',
            "service.tinker_service.api_key": '"${oc.env:TINKER_API_KEY,}"',
        },
    )
    found = [f for f in run(tmp_path, remote, "1.4") if f.key == "service.tinker_service.api_key"]
    assert found and all(f.hint.startswith("Export TINKER_API_KEY") for f in found)
