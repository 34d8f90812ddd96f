"""The service sections of the catalogue, version by version, as NexRL's code reads them: the
inference service, the training service in the flat layout (1.0 on) and the nested one (1.2
on), and the NexTrainer actor. A misspelt key, a wrong type, a value outside a registry and a
missing required key, each at the versions it applies to and not at the others."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from configs import BASE, at_version, base, edit, run

from nexrl_cfg.catalogue import VERSIONS
from nexrl_cfg.finding import Finding

INFERENCE = "service.inference_service"
TRAIN = "service.train_service"
ACTOR = f"{TRAIN}.actor"
NAMED = f"{TRAIN}.main_actor"

# NexRL 1.2 on: named training services, each with its role and its own resources; 1.3's
# shape (direct-zmq), which `at_version` completes for 1.4.
NESTED = base("1.3")

NESTED_VERSIONS = ("1.3", "1.4")  # direct-zmq exists from 1.3
BEFORE_NESTED = ("1.0", "1.1")


# The rules that judge a key against the catalogue of the checked version.
CATALOGUE_RULES = {
    "unknown-key",
    "invalid-type",
    "invalid-choice",
    "missing-required",
    "out-of-range",
    "inference-identifier",
}
FLAT_WORLD_SIZE = f"{TRAIN}.world_size"
# From 1.2 the GPUs of a training service are its own resource (BASE is 1.0's shape).
RESOURCE = '    url: "http://localhost:8001"\n'
WITH_RESOURCE = RESOURCE + "    resource:\n      world_size: 1\n      gpus_per_pod: 1\n"


def without_legacy_resource(text: str) -> str:
    """From 1.2 a service's GPUs are its own `resource`; the legacy top-level section (which
    BASE has for NexRL 1.0's launcher) would stand in for it."""
    return text.replace("  train:\n    actor:\n      world_size: 2\n", "", 1)


def flat(version: str) -> str:
    if version in BEFORE_NESTED:
        return BASE
    text = edit(edit(BASE, RESOURCE, WITH_RESOURCE), "    world_size: 1\n    url", "    url")
    return without_legacy_resource(text)


def findings(tmp_path: Path, text: str, version: str) -> list[Finding]:
    found = run(tmp_path, at_version(text, version), nexrl_version=version)
    return [f for f in found if f.rule in CATALOGUE_RULES]


def found(tmp_path: Path, text: str, version: str) -> list[tuple[str, str, str]]:
    return [(f.rule, f.severity.value, f.key) for f in findings(tmp_path, text, version)]


@pytest.mark.parametrize("version", VERSIONS)
def test_the_flat_world_size_is_read_until_1_2(tmp_path: Path, version: str) -> None:
    ignored = [
        f
        for f in run(tmp_path, BASE, nexrl_version=version)
        if (f.rule, f.key) == ("unknown-key", FLAT_WORLD_SIZE)
    ]
    assert len(ignored) == (0 if version in BEFORE_NESTED else 1)
    if ignored:
        assert "no longer read since NexRL 1.2" in ignored[0].message


@pytest.mark.parametrize("version", VERSIONS)
def test_the_flat_base_config_is_clean_at_every_version(tmp_path: Path, version: str) -> None:
    assert found(tmp_path, flat(version), version) == []


@pytest.mark.parametrize("version", ("1.2", *NESTED_VERSIONS))
def test_the_nested_config_is_clean_from_1_2(tmp_path: Path, version: str) -> None:
    assert found(tmp_path, base(version), version) == []


# -- inference service ----------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_inference_misspelt_key(tmp_path: Path, version: str) -> None:
    text = edit(flat(version), "max_retries: 3", "max_retries: 3\n    max_retires: 3")
    result = findings(tmp_path, text, version)
    assert [(f.rule, f.key) for f in result] == [("unknown-key", f"{INFERENCE}.max_retires")]
    assert result[0].hint == "Did you mean 'max_retries'?"


@pytest.mark.parametrize("version", VERSIONS)
def test_inference_wrong_type(tmp_path: Path, version: str) -> None:
    text = edit(flat(version), "max_tokens: ${data.max_response_length}", 'max_tokens: "many"')
    assert ("invalid-type", "error", f"{INFERENCE}.max_tokens") in found(tmp_path, text, version)


@pytest.mark.parametrize("version", VERSIONS)
def test_inference_backend_outside_the_registry(tmp_path: Path, version: str) -> None:
    text = edit(flat(version), "backend: sglang", "backend: triton")
    assert found(tmp_path, text, version) == [("invalid-choice", "error", f"{INFERENCE}.backend")]


@pytest.mark.parametrize("version", VERSIONS)
def test_weight_type_is_required_and_loosely_checked(tmp_path: Path, version: str) -> None:
    missing = edit(flat(version), '    weight_type: "sglang_nckpt"\n', "")
    assert found(tmp_path, missing, version) == [
        ("missing-required", "error", f"{INFERENCE}.weight_type")
    ]
    # NexRL forwards it verbatim: an unknown one is mis-handled, not refused.
    odd = edit(flat(version), 'weight_type: "sglang_nckpt"', 'weight_type: "sglang_ckpt"')
    assert found(tmp_path, odd, version) == [
        ("invalid-choice", "warning", f"{INFERENCE}.weight_type")
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_model_tag_then_identifier(tmp_path: Path, version: str) -> None:
    no_tag = edit(flat(version), '    model_tag: "default"\n    api_key', "    api_key")
    renamed = edit(
        flat(version), 'model_tag: "default"\n    api_key', 'identifier: "default"\n    api_key'
    )
    if version in BEFORE_NESTED:
        assert found(tmp_path, no_tag, version) == [
            ("missing-required", "error", f"{INFERENCE}.model_tag")
        ]
        assert found(tmp_path, renamed, version) == [
            ("missing-required", "error", f"{INFERENCE}.model_tag"),
            ("unknown-key", "warning", f"{INFERENCE}.identifier"),
        ]
    else:
        # from 1.2 one of the two is needed: the inference-identifier rule says so
        assert found(tmp_path, no_tag, version) == [
            ("inference-identifier", "error", f"{INFERENCE}.identifier")
        ]
        assert found(tmp_path, renamed, version) == []


@pytest.mark.parametrize("version", VERSIONS)
def test_reasoning_parser_registry_from_1_3(tmp_path: Path, version: str) -> None:
    for name, choice in (("qwen3", None), ("deepseek-r1", None), ("qwen4", "qwen3")):
        text = edit(
            flat(version), "max_retries: 3", f'max_retries: 3\n    reasoning_parser: "{name}"'
        )
        result = findings(tmp_path, text, version)
        key = f"{INFERENCE}.reasoning_parser"
        if version in ("1.0", "1.1", "1.2"):
            assert [(f.rule, f.key) for f in result] == [("unknown-key", key)]
        elif choice is None:
            assert result == []
        else:
            # read only by the Tinker and Weaver clients: with sglang it has no effect
            assert [(f.rule, f.severity.value) for f in result] == [("invalid-choice", "warning")]
            assert result[0].hint == f"Did you mean '{choice}'?"


# -- the flat training service --------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_flat_train_misspelt_key(tmp_path: Path, version: str) -> None:
    text = edit(flat(version), 'url: "http://localhost:8001"', 'ulr: "http://localhost:8001"')
    result = findings(tmp_path, text, version)
    # The typo leaves the required url missing: one error, at the typo.
    assert [(f.rule, f.severity.value, f.key) for f in result] == [
        ("unknown-key", "error", f"{TRAIN}.ulr")
    ]
    assert result[0].hint == "Did you mean 'url'?"


@pytest.mark.parametrize("version", VERSIONS)
def test_flat_train_wrong_type(tmp_path: Path, version: str) -> None:
    text = edit(flat(version), 'url: "http://localhost:8001"', "url: 8001")
    assert found(tmp_path, text, version) == [("invalid-type", "error", f"{TRAIN}.url")]


@pytest.mark.parametrize("version", VERSIONS)
def test_direct_zmq_exists_from_1_3(tmp_path: Path, version: str) -> None:
    text = edit(flat(version), "backend: http", "backend: direct-zmq")
    expected = (
        [] if version in NESTED_VERSIONS else [("invalid-choice", "error", f"{TRAIN}.backend")]
    )
    assert found(tmp_path, text, version) == expected


@pytest.mark.parametrize("version", VERSIONS)
def test_flat_world_size_then_resources(tmp_path: Path, version: str) -> None:
    if version in BEFORE_NESTED:
        no_world = edit(BASE, "    world_size: 1\n", "")
        assert found(tmp_path, no_world, version) == [
            ("missing-required", "error", f"{TRAIN}.world_size")
        ]
    else:
        # NexRL 1.2 on reads the GPUs from the service's resource (or resource.train)
        no_resources = edit(flat(version), WITH_RESOURCE, RESOURCE)
        assert found(tmp_path, no_resources, version) == [
            ("missing-required", "error", f"{TRAIN}.resource")
        ]


@pytest.mark.parametrize("version", VERSIONS)
def test_url_is_required_for_the_mock_backend_too(tmp_path: Path, version: str) -> None:
    text = edit(flat(version), "backend: http", "backend: mock")
    text = edit(text, '    url: "http://localhost:8001"\n', "")
    assert ("missing-required", "error", f"{TRAIN}.url") in found(tmp_path, text, version)


# -- the nested training service ------------------------------------------------------------


@pytest.mark.parametrize("version", NESTED_VERSIONS)
def test_nested_misspelt_resource_key(tmp_path: Path, version: str) -> None:
    text = edit(NESTED, "gpus_per_pod: 2", "gpus_per_pd: 2")
    result = findings(tmp_path, text, version)
    assert [(f.rule, f.severity.value, f.key) for f in result] == [
        ("unknown-key", "error", f"{NAMED}.resource.gpus_per_pd")
    ]
    assert result[0].hint == "Did you mean 'gpus_per_pod'?"


@pytest.mark.parametrize("version", NESTED_VERSIONS)
def test_nested_wrong_type(tmp_path: Path, version: str) -> None:
    text = edit(NESTED, "        world_size: 1", '        world_size: "one"')
    assert found(tmp_path, text, version) == [
        ("invalid-type", "error", f"{NAMED}.resource.world_size")
    ]


@pytest.mark.parametrize("version", NESTED_VERSIONS)
def test_nested_role_outside_the_registry(tmp_path: Path, version: str) -> None:
    text = edit(NESTED, 'role: "actor"', 'role: "critic"')
    assert ("invalid-choice", "warning", f"{NAMED}.role") in found(tmp_path, text, version)


@pytest.mark.parametrize("version", NESTED_VERSIONS)
def test_each_named_service_needs_its_identifier(tmp_path: Path, version: str) -> None:
    text = edit(NESTED, '      identifier: "default"\n', "")
    assert ("missing-required", "error", f"{NAMED}.identifier") in found(tmp_path, text, version)
    # a teacher without one too, though another service has one (the launcher names each)
    teacher = NESTED.replace(
        "    main_actor:",
        "    teacher:\n      role: teacher\n"
        '      backend: mock\n      url: "http://t:8000"\n'
        "      resource: {world_size: 1, gpus_per_pod: 1}\n    main_actor:",
    )
    assert found(tmp_path, teacher, version) == [
        ("missing-required", "error", f"{TRAIN}.teacher.identifier")
    ]
    deprecated = edit(NESTED, '      identifier: "default"\n', '      model_tag: "default"\n')
    assert found(tmp_path, deprecated, version) == []


@pytest.mark.parametrize("version", BEFORE_NESTED)
def test_role_and_resource_are_unknown_before_1_2(tmp_path: Path, version: str) -> None:
    text = edit(NESTED, "backend: direct-zmq", "backend: http")
    keys = {(rule, key) for rule, _, key in found(tmp_path, text, version)}
    assert ("unknown-key", f"{NAMED}.role") in keys
    assert ("unknown-key", f"{NAMED}.resource") in keys


# -- the NexTrainer actor -------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_actor_misspelt_wrap_policy_key(tmp_path: Path, version: str) -> None:
    known = edit(
        flat(version),
        "        fsdp_size: -1",
        "        fsdp_size: -1\n        wrap_policy:\n"
        "          disable: false\n          transformer_layer_cls_to_wrap: [Block]",
    )
    assert found(tmp_path, known, version) == []
    typo = edit(known, "disable: false", "disabel: false")
    result = findings(tmp_path, typo, version)
    assert [(f.rule, f.key) for f in result] == [
        ("unknown-key", f"{ACTOR}.fsdp_config.wrap_policy.disabel")
    ]
    assert result[0].hint == "Did you mean 'disable'?"


@pytest.mark.parametrize("version", VERSIONS)
def test_actor_wrong_type(tmp_path: Path, version: str) -> None:
    text = edit(flat(version), "use_kl_loss: false", 'use_kl_loss: "no"')
    assert found(tmp_path, text, version) == [("invalid-type", "error", f"{ACTOR}.use_kl_loss")]


@pytest.mark.parametrize("version", VERSIONS)
def test_importance_sampling_loss_from_1_2(tmp_path: Path, version: str) -> None:
    text = edit(flat(version), "loss_func_type: NX_20250515", "loss_func_type: importance_sampling")
    expected = [("invalid-choice", "error", f"{ACTOR}.loss_func_type")]
    assert found(tmp_path, text, version) == (expected if version in BEFORE_NESTED else [])


@pytest.mark.parametrize("version", VERSIONS)
def test_checkpoint_manager_knows_only_dcp(tmp_path: Path, version: str) -> None:
    text = edit(flat(version), "checkpoint_manager: dcp", "checkpoint_manager: torch")
    assert found(tmp_path, text, version) == [
        ("invalid-choice", "error", f"{ACTOR}.checkpoint_manager")
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_kl_loss_type_matters_only_with_use_kl_loss(tmp_path: Path, version: str) -> None:
    off = edit(flat(version), "use_kl_loss: false", "use_kl_loss: false\n      kl_loss_type: full")
    assert found(tmp_path, off, version) == [("invalid-choice", "warning", f"{ACTOR}.kl_loss_type")]
    # use_kl_loss: true stops the first step before kl_loss_type is read (nextrainer-first-step)
    on = edit(flat(version), "use_kl_loss: false", "use_kl_loss: true")
    assert found(tmp_path, on, version) == []
    on = edit(on, "kl_loss_coef: 0.0", "kl_loss_coef: 0.0\n      kl_loss_type: full")
    assert found(tmp_path, on, version) == [("invalid-choice", "error", f"{ACTOR}.kl_loss_type")]


@pytest.mark.parametrize("version", VERSIONS)
def test_actor_missing_required(tmp_path: Path, version: str) -> None:
    text = edit(
        flat(version), "      fsdp_config:\n        fsdp_size: -1\n", "      fsdp_config: {}\n"
    )
    assert found(tmp_path, text, version) == [
        ("missing-required", "error", f"{ACTOR}.fsdp_config.fsdp_size")
    ]
    text = edit(flat(version), "      ppo_epochs: 1\n", "")
    assert found(tmp_path, text, version) == [("missing-required", "error", f"{ACTOR}.ppo_epochs")]


def _distillation(teacher_drops: tuple[str, ...], student_drops: tuple[str, ...] = ()) -> str:
    """NESTED run by self_hosted_opd, with a teacher service beside its student: a copy of
    main_actor without the keys named (and those named dropped from the student)."""
    start = NESTED.index("    main_actor:\n")
    end = NESTED.index("validate:\n")
    student = NESTED[start:end]
    teacher = edit(student, "    main_actor:", "    teacher:")
    teacher = edit(edit(teacher, 'role: "actor"', 'role: "teacher"'), '"default"', '"teacher"')
    for key in teacher_drops:
        teacher = re.sub(rf"\n +{key}: [^\n]*", "", teacher, count=1)
    for key in student_drops:
        student = re.sub(rf"\n +{key}: [^\n]*", "", student, count=1)
    text = NESTED[:start] + student + teacher + NESTED[end:]
    return edit(text, 'type: "self_hosted_grpo"', 'type: "self_hosted_opd"')


# Read only by the updates; a self_hosted_opd teacher only computes log-probabilities.
UPDATE_KEYS = ("ppo_epochs", "grad_clip", "entropy_coeff", "use_kl_loss")


def test_a_distillation_teacher_needs_no_training_settings(tmp_path: Path) -> None:
    assert found(tmp_path, _distillation(UPDATE_KEYS), "1.4") == []


def test_a_distillation_student_needs_what_its_update_reads(tmp_path: Path) -> None:
    # the distillation update reads ppo_epochs (an eager default) and grad_clip, not the
    # GRPO loss's entropy_coeff or use_kl_loss
    text = _distillation((), UPDATE_KEYS)
    assert found(tmp_path, text, "1.4") == [
        ("missing-required", "error", f"{NAMED}.actor.{key}") for key in ("grad_clip", "ppo_epochs")
    ]


def test_every_nextrainer_worker_reads_the_loss_settings(tmp_path: Path) -> None:
    # init_model builds every worker's actor with role "actor", the teacher's too
    text = _distillation(("loss_func_type",))
    teacher = f"{TRAIN}.teacher.actor"
    assert found(tmp_path, text, "1.4") == [
        ("missing-required", "error", f"{teacher}.loss_func_type")
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_keys_nexrl_never_reads(tmp_path: Path, version: str) -> None:
    # documented by the reference, so accepted; a value outside its list is only advice
    assert found(tmp_path, flat(version), version) == []
    text = edit(flat(version), "warmup_style: constant", "warmup_style: polynomial")
    key = f"{ACTOR}.optim.warmup_style"
    assert found(tmp_path, text, version) == [("invalid-choice", "warning", key)]
    # written by NexRL's recipes, read by no version
    text = edit(
        flat(version),
        "        use_weight_provider: false",
        "        use_weight_provider: false\n        dtype: bfloat16",
    )
    assert found(tmp_path, text, version) == [("unknown-key", "info", f"{ACTOR}.rollout.dtype")]
    # ... and its value is still checked, as advice
    text = text.replace("dtype: bfloat16", "dtype: 16")
    assert ("invalid-type", "warning", f"{ACTOR}.rollout.dtype") in found(tmp_path, text, version)
