"""NexRL's start-up checks (`nexrl/utils/validate_config.py`, the migration in
`nexrl/utils/config_utils.py`) as each version makes them: each check fails and passes at every
version it applies to and stays silent at the others; deprecations and keys of other versions."""

from __future__ import annotations

from pathlib import Path

import pytest
from configs import BASE, add, base, edit, position, put, puts, value_at
from conftest import recipes_at
from helpers import check, write

from nexrl_cfg.finding import Finding

# The 1.4 base, its response length the rollout worker's (which max_sequence_length counts).
NESTED = puts(
    base("1.4"),
    {
        "data.max_response_length": "${rollout_worker.max_response_length}",
        "rollout_worker.max_response_length": "2048",
    },
)

TEACHER = """\
    teacher:
      role: teacher
      identifier: "teacher"
      backend: direct-zmq
      url: "http://localhost:8002"
"""


def with_teacher(text: str, teacher: str = TEACHER) -> str:
    """`text` with a second training service after main_actor."""
    return add(text, "service.train_service", teacher)


OURS = {
    "max-sequence-length",
    "inference-identifier",
    "train-service-roles",
    "train-service-migration",
    "model-tag-match",
    "sync-weight-path",
    "remote-backend",
    "deprecated",
    "unknown-key",
    "missing-required",
}
NAMED = ("1.2", "1.3", "1.4")
MAIN = "service.train_service.main_actor"
OLD = ("1.0", "1.1")


def run(tmp_path: Path, text: str, version: str) -> list[Finding]:
    found = check(write(tmp_path, "run.yaml", text), nexrl_version=version)
    return [f for f in found if f.rule in OURS]


def of(found: list[Finding], rule: str) -> list[tuple[str, str, int, int]]:
    return [(f.severity.value, f.key, f.line, f.column) for f in found if f.rule == rule]


def test_the_named_run_passes_at_every_version_that_has_the_layout(tmp_path: Path) -> None:
    for version in NAMED:
        found = run(tmp_path, NESTED, version)
        assert not [f for f in found if f.severity.value == "error"], version


# -- max_sequence_length (1.4) --------------------------------------------------------------
def test_max_sequence_length_shorter_than_prompt_and_response(tmp_path: Path) -> None:
    text = edit(NESTED, "max_sequence_length: 4096", "max_sequence_length: 3000")
    (finding,) = [f for f in run(tmp_path, text, "1.4") if f.rule == "max-sequence-length"]
    assert (finding.severity.value, finding.key) == ("error", "rollout_worker.max_sequence_length")
    assert (finding.line, finding.column) == value_at(text, "max_sequence_length: 3000")
    prompt = position(text, "max_prompt_length: 1024")[0]
    response = position(text, "max_response_length: 2048")[0]
    for words in ("(3000)", f"(1024, run.yaml:{prompt})", f"(2048, run.yaml:{response})", "= 3072"):
        assert words in finding.message
    # Exactly the sum passes; older versions do not check.
    text = edit(NESTED, "max_sequence_length: 4096", "max_sequence_length: 3072")
    assert not of(run(tmp_path, text, "1.4"), "max-sequence-length")
    text = edit(NESTED, "max_sequence_length: 4096", "max_sequence_length: 3000")
    for version in ("1.0", "1.1", "1.2", "1.3"):
        assert not of(run(tmp_path, text, version), "max-sequence-length"), version


def test_missing_max_sequence_length_is_one_error_at_its_key(tmp_path: Path) -> None:
    text = edit(NESTED, "  max_sequence_length: 4096\n", "")
    found = [f for f in run(tmp_path, text, "1.4") if f.key == "rollout_worker.max_sequence_length"]
    assert [(f.severity.value, f.key) for f in found] == [
        ("error", "rollout_worker.max_sequence_length")
    ]
    for version in ("1.0", "1.2", "1.3"):
        assert not of(run(tmp_path, text, version), "max-sequence-length"), version


def test_absent_lengths_count_as_zero_and_unknown_ones_are_not_judged(tmp_path: Path) -> None:
    text = edit(NESTED, "  max_prompt_length: 1024\n", "")
    text = edit(text, "max_sequence_length: 4096", "max_sequence_length: 2047")
    (finding,) = [f for f in run(tmp_path, text, "1.4") if f.rule == "max-sequence-length"]
    assert "(0, not set)" in finding.message and "= 2048" in finding.message
    text = edit(NESTED, "max_prompt_length: 1024", "max_prompt_length: ${oc.env:PROMPT_LEN}")
    text = edit(text, "max_sequence_length: 4096", "max_sequence_length: 10")
    assert not of(run(tmp_path, text, "1.4"), "max-sequence-length")


# -- identifier of the inference service (1.2+) ---------------------------------------------
@pytest.mark.parametrize("version", NAMED)
def test_inference_service_needs_identifier_or_model_tag(tmp_path: Path, version: str) -> None:
    text = edit(NESTED, '    identifier: "default"\n    api_key', "    api_key")
    found = of(run(tmp_path, text, version), "inference-identifier")
    section = position(text, "inference_service:")
    assert found == [("error", "service.inference_service.identifier", *section)]
    # The older name still counts; an empty one does not.
    text = edit(NESTED, '    identifier: "default"\n    api_key', '    model_tag: "x"\n    api_key')
    assert not of(run(tmp_path, text, version), "inference-identifier")
    text = edit(NESTED, '    identifier: "default"\n    api_key', '    identifier: ""\n    api_key')
    found = of(run(tmp_path, text, version), "inference-identifier")
    assert found == [
        ("error", "service.inference_service.identifier", *value_at(text, 'identifier: ""'))
    ]


@pytest.mark.parametrize("version", OLD)
def test_inference_identifier_is_not_asked_before_1_2(tmp_path: Path, version: str) -> None:
    text = edit(BASE, '    model_tag: "default"\n    api_key', "    api_key")
    assert not of(run(tmp_path, text, version), "inference-identifier")


# -- roles of the named services (1.2+) -----------------------------------------------------
@pytest.mark.parametrize("version", NAMED)
def test_several_services_without_an_actor(tmp_path: Path, version: str) -> None:
    text = with_teacher(NESTED, TEACHER.replace("      role: teacher\n", ""))
    text = edit(text, '      role: "actor"\n', "")
    found = of(run(tmp_path, text, version), "train-service-roles")
    assert found == [("error", "service.train_service.main_actor", *position(text, "main_actor:"))]
    # With roles given, it passes.
    assert not of(run(tmp_path, with_teacher(NESTED), version), "train-service-roles")


@pytest.mark.parametrize("version", NAMED)
def test_exactly_one_actor(tmp_path: Path, version: str) -> None:
    text = with_teacher(NESTED, TEACHER.replace("role: teacher", "role: actor"))
    found = [f for f in run(tmp_path, text, version) if f.rule == "train-service-roles"]
    teacher_role = position(text, "    teacher:")[0] + 1
    assert [(f.key, f.line) for f in found] == [
        ("service.train_service.teacher.role", teacher_role)
    ]
    actor_role = position(NESTED, 'role: "actor"')[0]
    assert "found 2" in found[0].message and f"run.yaml:{actor_role}" in found[0].message
    text = edit(with_teacher(NESTED), 'role: "actor"', "role: teacher")
    found = [f for f in run(tmp_path, text, version) if f.rule == "train-service-roles"]
    line = position(text, "  train_service:")[0]
    assert [(f.key, f.line) for f in found] == [("service.train_service", line)]
    assert "found 0" in found[0].message


@pytest.mark.parametrize("version", NAMED)
def test_at_least_one_service_identifier(tmp_path: Path, version: str) -> None:
    # a remote-backend service, which the catalogue does not require an identifier of
    text = edit(NESTED, '      identifier: "default"\n', "")
    text = edit(text, "backend: direct-zmq", "backend: tinker")
    found = [f for f in run(tmp_path, text, version) if f.rule == "train-service-roles"]
    line = position(text, "main_actor:")[0]
    # At the missing key (placed at its service): the rule that owns it reports it.
    assert [(f.key, f.line) for f in found] == [
        ("service.train_service.main_actor.identifier", line)
    ]
    # A self-hosted service's missing identifier is missing-required's: one finding for it.
    text = edit(NESTED, '      identifier: "default"\n', "")
    found = [f for f in run(tmp_path, text, version) if f.key.endswith("main_actor.identifier")]
    assert [f.rule for f in found] == ["missing-required"]


@pytest.mark.parametrize("version", NAMED)
def test_a_lone_service_needs_a_backend_or_url(tmp_path: Path, version: str) -> None:
    text = edit(NESTED, "      backend: direct-zmq\n", "")
    text = edit(text, '      url: "http://localhost:8001"\n', "")
    text = edit(text, '      role: "actor"\n', "")
    found = of(run(tmp_path, text, version), "train-service-roles")
    assert found == [("error", "service.train_service.main_actor", *position(text, "main_actor:"))]


@pytest.mark.parametrize("version", NAMED)
def test_a_missing_identifier_is_one_finding(tmp_path: Path, version: str) -> None:
    # the self-hosted service requires one: missing-required says so, not this rule again
    text = edit(NESTED, '      identifier: "default"\n', "")
    rules = {f.rule for f in run(tmp_path, text, version) if f.key.startswith(MAIN)}
    assert "missing-required" in rules and "train-service-roles" not in rules


@pytest.mark.parametrize("version", OLD)
def test_roles_are_not_checked_before_1_2(tmp_path: Path, version: str) -> None:
    text = with_teacher(NESTED, TEACHER.replace("role: teacher", "role: actor"))
    assert not of(run(tmp_path, text, version), "train-service-roles")


# -- model_tag / identifier match -----------------------------------------------------------
@pytest.mark.parametrize("version", OLD)
def test_model_tags_compared_before_1_2(tmp_path: Path, version: str) -> None:
    text = edit(
        BASE, '    model_tag: "default"\n    backend: http', '    model_tag: "p"\n    backend: http'
    )
    found = of(run(tmp_path, text, version), "model-tag-match")
    assert found == [
        ("error", "service.train_service.model_tag", *value_at(text, 'model_tag: "p"'))
    ]
    # identifier plays no part before 1.2.
    text = edit(
        BASE,
        '    model_tag: "default"\n    backend: http',
        '    model_tag: "default"\n    identifier: "g"\n    backend: http',
    )
    assert not of(run(tmp_path, text, version), "model-tag-match")


def test_actor_identifier_matches_inference_by_version(tmp_path: Path) -> None:
    text = edit(NESTED, '      identifier: "default"', '      identifier: "student"')
    student = value_at(text, 'identifier: "student"')
    assert of(run(tmp_path, text, "1.4"), "model-tag-match") == [
        ("error", "service.train_service.main_actor.identifier", *student)
    ]
    # 1.2 and 1.3 do not compare at start-up, but stop at the initial weight sync (self-hosted)
    # or the first weight update: an error too.
    for version in ("1.2", "1.3"):
        found = of(run(tmp_path, text, version), "model-tag-match")
        assert found == [("error", "service.train_service.main_actor.identifier", *student)]
    # Compared only when both are set.
    text = edit(NESTED, '      identifier: "default"\n', "")
    assert not of(run(tmp_path, text, "1.4"), "model-tag-match")


def test_flat_identifier_beside_an_equal_model_tag(tmp_path: Path) -> None:
    # 1.4 compares `identifier or model_tag`: the identifier wins.
    text = edit(
        BASE,
        '    model_tag: "default"\n    backend: http',
        '    identifier: "g"\n    model_tag: "default"\n    backend: http',
    )
    assert of(run(tmp_path, text, "1.4"), "model-tag-match") == [
        ("error", "service.train_service.identifier", *value_at(text, 'identifier: "g"'))
    ]
    assert not of(run(tmp_path, text, "1.0"), "model-tag-match")


def test_weaver_opd_recipe_is_rejected_at_1_4() -> None:
    recipe = recipes_at("1.4") / "on_policy_distill" / "weaver_opd.yaml"
    found = [f for f in check(recipe, nexrl_version="1.4") if f.severity.value == "error"]
    assert [(f.rule, f.key, f.line) for f in found] == [
        ("model-tag-match", "service.train_service.main_actor.identifier", 193)
    ]


# -- sync_weight_path -----------------------------------------------------------------------
WEAVER_PATHS = edit(
    edit(BASE, 'sync_method: "disk"', 'sync_method: "weaver"'),
    "sync_weight_path: ${trainer.sync_weight_path}",
    'sync_weight_path: "b"',
)


def test_sync_weight_path_with_a_service_by_version(tmp_path: Path) -> None:
    where = value_at(WEAVER_PATHS, 'sync_weight_path: "b"')
    for version in ("1.0", "1.1", "1.2", "1.3"):
        found = of(run(tmp_path, WEAVER_PATHS, version), "sync-weight-path")
        assert found == [("error", "weight.sync_weight_path", *where)], version
    assert not of(run(tmp_path, WEAVER_PATHS, "1.4"), "sync-weight-path")
    text = edit(WEAVER_PATHS, '"weaver"', '"disk"')
    assert of(run(tmp_path, text, "1.4"), "sync-weight-path") == [
        ("error", "weight.sync_weight_path", *where)
    ]


# -- tinker / weaver ------------------------------------------------------------------------
FLAT_TINKER = """\
weight:
  sync_method: "tinker"
service:
  inference_service:
    model_tag: "default"
    backend: tinker
  tinker_service:
    api_key: "k"
  train_service:
    model_tag: "default"
    backend: http
"""


def test_flat_train_backend_is_asserted_only_before_1_2(tmp_path: Path) -> None:
    for version in OLD:
        found = of(run(tmp_path, FLAT_TINKER, version), "remote-backend")
        assert found == [("error", "service.train_service.backend", 11, 14)], version
    for version in NAMED:
        assert not of(run(tmp_path, FLAT_TINKER, version), "remote-backend"), version


def test_named_train_backends_call_for_the_service_from_1_2(tmp_path: Path) -> None:
    text = edit(NESTED, "      backend: direct-zmq", "      backend: tinker")
    text = put(text, "service.tinker_service.api_key", '"k"')
    for version in NAMED:
        found = [f for f in run(tmp_path, text, version) if f.rule == "remote-backend"]
        assert [f.key for f in found] == ["service.train_service.main_actor.backend"], version
        assert "the inference backend and weight.sync_method are tinker" in found[0].message
    # With every part on the service, it passes.
    text = edit(text, "backend: sglang", "backend: tinker")
    text = edit(text, 'sync_method: "disk"', 'sync_method: "tinker"')
    for version in NAMED:
        assert not of(run(tmp_path, text, version), "remote-backend"), version


# -- migration (1.2+) -----------------------------------------------------------------------
@pytest.mark.parametrize("version", NAMED)
def test_flat_and_named_backends_mixed(tmp_path: Path, version: str) -> None:
    text = edit(NESTED, "    main_actor:\n", "    backend: direct-zmq\n    main_actor:\n")
    found = of(run(tmp_path, text, version), "train-service-migration")
    assert found == [("error", "service.train_service.main_actor", *position(text, "main_actor:"))]
    assert not of(run(tmp_path, text, "1.0"), "train-service-migration")


RESOURCES = """\
resource:
  train:
    student:
      world_size: 1
    other:
      world_size: 1
"""


@pytest.mark.parametrize("version", NAMED)
def test_resource_train_ids_must_match_identifiers(tmp_path: Path, version: str) -> None:
    text = RESOURCES + NESTED
    found = of(run(tmp_path, text, version), "train-service-migration")
    where = value_at(text, '      identifier: "default"')
    assert found == [("error", "service.train_service.main_actor.identifier", *where)]
    text = RESOURCES.replace("student", "default") + NESTED
    assert not of(run(tmp_path, text, version), "train-service-migration")
    # One service and one entry are paired whatever their names.
    text = "resource:\n  train:\n    student:\n      world_size: 1\n" + NESTED
    assert not of(run(tmp_path, text, version), "train-service-migration")


# -- deprecations ---------------------------------------------------------------------------
def test_flat_layout_is_deprecated_from_1_2(tmp_path: Path) -> None:
    for version in NAMED:
        found = of(run(tmp_path, BASE, version), "deprecated")
        assert ("warning", "service.train_service", *position(BASE, "train_service:")) in found
    for version in OLD:
        assert not of(run(tmp_path, BASE, version), "deprecated"), version
    assert not of(run(tmp_path, NESTED, "1.4"), "deprecated")


def test_a_lone_service_without_role(tmp_path: Path) -> None:
    text = edit(NESTED, '      role: "actor"\n', "")
    assert of(run(tmp_path, text, "1.4"), "deprecated") == [
        ("warning", "service.train_service.main_actor", *position(text, "main_actor:"))
    ]


def test_deprecated_keys_and_values_come_from_the_catalogue(tmp_path: Path) -> None:
    found = of(run(tmp_path, BASE, "1.4"), "deprecated")
    tag = position(BASE, '    model_tag: "default"\n    backend', 4)
    assert ("warning", "service.train_service.model_tag", *tag) in found
    assert ("warning", "service.train_service.backend", *value_at(BASE, "backend: http")) in found
    # NexRL 1.2 on warns about the inference service's model_tag as well
    inference = position(BASE, '    model_tag: "default"\n    api_key', 4)
    assert ("warning", "service.inference_service.model_tag", *inference) in found
    assert not [f for f in of(run(tmp_path, BASE, "1.1"), "deprecated") if "model_tag" in f[1]]


def test_unknown_key_names_the_version_that_reads_it(tmp_path: Path) -> None:
    found = [f for f in run(tmp_path, BASE, "1.4") if f.rule == "unknown-key"]
    assert [(f.severity.value, f.key) for f in found] == [
        ("warning", "service.train_service.world_size")
    ]
    assert "no longer read since NexRL 1.2" in found[0].message
    assert "resource.world_size" in found[0].hint
    text = edit(BASE, "    backend: http", "    role: actor\n    backend: http")
    found = [f for f in run(tmp_path, text, "1.1") if f.rule == "unknown-key"]
    assert [f.key for f in found] == ["service.train_service.role"]
    assert "added in NexRL 1.2" in found[0].message


def test_unknown_key_keeps_did_you_mean(tmp_path: Path) -> None:
    text = edit(BASE, "    max_retries: 3", "    max_retry: 3")
    (found,) = [f for f in run(tmp_path, text, "1.0") if f.rule == "unknown-key"]
    assert found.hint == "Did you mean 'max_retries'?"
    text = "sevice: {}\n" + BASE
    (found,) = [
        f for f in run(tmp_path, text, "1.4") if f.rule == "unknown-key" and f.key == "sevice"
    ]
    assert (found.key, found.hint) == ("sevice", "Did you mean 'service'?")
