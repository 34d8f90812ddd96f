"""Module construction, launcher and training-backend checks: a config NexRL (or its launcher)
rejects and one it accepts for each check, at each version the check applies to, in the flat
(1.0) and the named-service (1.4) layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from configs import base, edit, put, puts
from helpers import check, write

from nexrl_cfg.finding import Finding

ENV = {"NEXRL_DATA_PATH": "/data"}
ACTOR = {"1.0": "service.train_service.actor", "1.4": "service.train_service.main_actor.actor"}


def numbered(version: str) -> str:
    """The base of `version` with the numbers the tests below work NexTrainer's arithmetic
    with: 2 GPUs, a mini-batch of 4 prompts × 8 responses, micro-batches of 8 and 4."""
    actor = ACTOR[version]
    changes: dict[str, str | None] = {
        f"{actor}.ppo_mini_batch_size": "4",
        f"{actor}.ppo_micro_batch_size": "8",
        f"{actor}.rollout.n": "8",
        f"{actor}.rollout.log_prob_micro_batch_size": "4",
    }
    if version == "1.0":
        changes["service.train_service.world_size"] = "2"
    return puts(base(version), changes)


BASES = {version: numbered(version) for version in ACTOR}
FLAT, NESTED = BASES["1.0"], BASES["1.4"]
Row = tuple[str, str, str]


def run(
    tmp_path: Path, text: str, version: str, environ: dict[str, str] | None = None
) -> list[Finding]:
    path = write(tmp_path, "run.yaml", text)
    return check(path, ENV if environ is None else environ, nexrl_version=version)


def found(tmp_path: Path, text: str, version: str, *ids: str) -> list[Row]:
    """(rule, severity, key) of the findings of `ids` (all rules added here by default)."""
    wanted = ids or OWN
    return [
        (f.rule, f.severity.value, f.key) for f in run(tmp_path, text, version) if f.rule in wanted
    ]


def model_path(text: str, new: str) -> str:
    """The actor's model.path replaced."""
    version = "1.4" if "main_actor" in text else "1.0"
    return put(text, f"{ACTOR[version]}.model.path", new)


OWN = (
    "micro-batch-size",
    "fsdp-mesh",
    "model-path",
    "sync-method-backend",
    "data-loader",
    "nexau-worker",
    "opd-teacher",
    "empty-url",
    "resume-path",
    "launcher",
    "weight-type-backend",
    "tokenizer-backend",
    "train-backend",
)


@pytest.mark.parametrize("version", ["1.0", "1.4"])
def test_the_bases_pass(tmp_path: Path, version: str) -> None:
    assert run(tmp_path, BASES[version], version) == []


# -- micro-batch-size: NexTrainer's arithmetic ----------------------------------------------


@pytest.mark.parametrize("version", ["1.0", "1.4"])
def test_micro_larger_than_mini_is_fine_per_rank(tmp_path: Path, version: str) -> None:
    # mini 4 × n 8 // 2 ranks = 16 per rank, micro 8 // 2 = 4: 16 % 4 == 0.
    assert found(tmp_path, BASES[version], version) == []


@pytest.mark.parametrize("version", ["1.0", "1.4"])
def test_micro_that_does_not_divide_per_rank(tmp_path: Path, version: str) -> None:
    text = edit(BASES[version], "ppo_mini_batch_size: 4", "ppo_mini_batch_size: 28")
    text = edit(text, "ppo_micro_batch_size: 8", "ppo_micro_batch_size: 12")
    rows = run(tmp_path, text, version)
    assert [(f.rule, f.severity.value, f.key) for f in rows] == [
        ("micro-batch-size", "error", f"{ACTOR[version]}.ppo_micro_batch_size")
    ]
    assert "112" in rows[0].message and "= 6 per rank" in rows[0].message
    assert "e.g. 8" in rows[0].hint  # 8 // 2 = 4 divides 112


@pytest.mark.parametrize("version", ["1.0", "1.4"])
def test_micro_below_the_ranks(tmp_path: Path, version: str) -> None:
    text = edit(BASES[version], "ppo_micro_batch_size: 8", "ppo_micro_batch_size: 1")
    assert found(tmp_path, text, version) == [
        ("micro-batch-size", "error", f"{ACTOR[version]}.ppo_micro_batch_size")
    ]


@pytest.mark.parametrize("version", ["1.0", "1.4"])
def test_mini_batch_zero_per_rank(tmp_path: Path, version: str) -> None:
    text = edit(BASES[version], "ppo_mini_batch_size: 4", "ppo_mini_batch_size: 1")
    text = edit(text, "  n: 8", "  n: 1")
    assert found(tmp_path, text, version) == [
        ("micro-batch-size", "error", f"{ACTOR[version]}.ppo_mini_batch_size")
    ]


@pytest.mark.parametrize("version", ["1.0", "1.4"])
def test_log_prob_micro_batch_below_the_ranks(tmp_path: Path, version: str) -> None:
    text = edit(BASES[version], "log_prob_micro_batch_size: 4", "log_prob_micro_batch_size: 1")
    assert found(tmp_path, text, version) == [
        ("micro-batch-size", "error", f"{ACTOR[version]}.rollout.log_prob_micro_batch_size")
    ]


def test_ranks_count_sequence_parallel_groups(tmp_path: Path) -> None:
    # 2 GPUs, sequence parallel 2: one rank, micro 1 // 1 = 1 divides anything.
    text = edit(NESTED, "ppo_micro_batch_size: 8", "ppo_micro_batch_size: 1")
    text = edit(text, "ulysses_sequence_parallel_size: 1", "ulysses_sequence_parallel_size: 2")
    assert found(tmp_path, text, "1.4") == []


def test_unknown_gpu_count_is_not_judged(tmp_path: Path) -> None:
    text = edit(NESTED, "gpus_per_pod: 2", "gpus_per_pod: ${oc.decode:${oc.env:GPUS}}")
    text = edit(text, "ppo_micro_batch_size: 8", "ppo_micro_batch_size: 1")
    assert found(tmp_path, text, "1.4", "micro-batch-size", "fsdp-mesh") == []


def test_gpus_from_the_environment_are_not_printed(tmp_path: Path) -> None:
    text = edit(NESTED, "gpus_per_pod: 2", "gpus_per_pod: ${oc.decode:${oc.env:GPUS}}")
    text = edit(text, "ppo_micro_batch_size: 8", "ppo_micro_batch_size: 1")
    rows = [f for f in run(tmp_path, text, "1.4", {**ENV, "GPUS": "8"}) if f.rule in OWN]
    assert rows and {f.rule for f in rows} == {"micro-batch-size"}
    assert all("8" not in f.message and "not shown" in f.message for f in rows)


def test_legacy_resource_train_gives_the_gpus(tmp_path: Path) -> None:
    text = edit(NESTED, "      resource:\n        world_size: 1\n        gpus_per_pod: 2\n", "")
    text += "resource:\n  train:\n    default:\n      world_size: 1\n      gpus_per_pod: 2\n"
    text = edit(text, "ppo_micro_batch_size: 8", "ppo_micro_batch_size: 1")
    assert found(tmp_path, text, "1.4", "micro-batch-size") == [
        ("micro-batch-size", "error", f"{ACTOR['1.4']}.ppo_micro_batch_size")
    ]


def test_mock_training_backend_is_not_judged(tmp_path: Path) -> None:
    text = edit(NESTED, "backend: direct-zmq", "backend: mock")
    text = edit(text, "ppo_micro_batch_size: 8", "ppo_micro_batch_size: 1")
    assert found(tmp_path, text, "1.4", "micro-batch-size") == []


# -- fsdp-mesh, model-path -------------------------------------------------------------------


@pytest.mark.parametrize("version", ["1.0", "1.4"])
def test_fsdp_size_below_the_gpus(tmp_path: Path, version: str) -> None:
    text = edit(BASES[version], "fsdp_size: -1", "fsdp_size: 1")
    assert found(tmp_path, text, version) == [
        ("fsdp-mesh", "error", f"{ACTOR[version]}.fsdp_config.fsdp_size")
    ]
    assert found(tmp_path, edit(BASES[version], "fsdp_size: -1", "fsdp_size: 2"), version) == []


def test_fsdp_size_zero_whatever_the_gpus(tmp_path: Path) -> None:
    text = edit(NESTED, "gpus_per_pod: 2", "gpus_per_pod: ${oc.decode:${oc.env:GPUS}}")
    text = edit(text, "fsdp_size: -1", "fsdp_size: 0")
    assert found(tmp_path, text, "1.4") == [
        ("fsdp-mesh", "error", f"{ACTOR['1.4']}.fsdp_config.fsdp_size")
    ]


@pytest.mark.parametrize("version", ["1.0", "1.4"])
def test_sequence_parallel_must_divide_the_gpus(tmp_path: Path, version: str) -> None:
    text = edit(
        BASES[version], "ulysses_sequence_parallel_size: 1", "ulysses_sequence_parallel_size: 3"
    )
    assert found(tmp_path, text, version) == [
        ("fsdp-mesh", "error", f"{ACTOR[version]}.ulysses_sequence_parallel_size")
    ]


@pytest.mark.parametrize("version", ["1.0", "1.4"])
@pytest.mark.parametrize("path", ['"/models/qwen/"', '"hdfs://models/qwen"', '"${oc.env:M}/"'])
def test_model_path(tmp_path: Path, version: str, path: str) -> None:
    text = model_path(BASES[version], path)
    assert found(tmp_path, text, version) == [
        ("model-path", "error", f"{ACTOR[version]}.model.path")
    ]


def test_model_path_waiting_on_a_variable_at_its_end(tmp_path: Path) -> None:
    text = model_path(NESTED, '"/models/${oc.env:M}"')
    assert found(tmp_path, text, "1.4") == []


# -- sync-method-backend, weight-type-backend, tokenizer-backend ----------------------------


@pytest.mark.parametrize("version", ["1.0", "1.4"])
def test_disk_sync_updates_sglang_only(tmp_path: Path, version: str) -> None:
    text = edit(BASES[version], "backend: sglang", "backend: vllm")
    text = edit(text, '"sglang_nckpt"', '"vllm_ckpt"')
    assert found(tmp_path, text, version) == [
        ("sync-method-backend", "error", "weight.sync_method")
    ]


def test_network_sync_updates_vllm(tmp_path: Path) -> None:
    text = edit(NESTED, "backend: sglang", "backend: vllm")
    text = edit(text, '"sglang_nckpt"', '"vllm_ckpt"')
    text = edit(text, 'sync_method: "disk"', 'sync_method: "network"')
    text = put(text, f"{ACTOR['1.4']}.rollout.use_weight_provider", "true")
    assert found(tmp_path, text, "1.4") == []


def test_network_sync_cannot_update_an_external_api(tmp_path: Path) -> None:
    text = edit(NESTED, "backend: sglang", "backend: openai")
    text = edit(text, '    weight_type: "sglang_nckpt"\n', "")
    assert ("sync-method-backend", "error", "weight.sync_method") in found(tmp_path, text, "1.4")


def test_weight_type_of_the_other_engine_is_a_warning(tmp_path: Path) -> None:
    text = edit(NESTED, '"sglang_nckpt"', '"vllm_ckpt"')
    assert found(tmp_path, text, "1.4") == [
        ("weight-type-backend", "warning", "service.inference_service.weight_type")
    ]


@pytest.mark.parametrize("version", ["1.0", "1.4"])
def test_self_hosted_inference_without_tokenizer(tmp_path: Path, version: str) -> None:
    text = edit(BASES[version], "    tokenizer: ${data.tokenizer_path}\n", "")
    assert found(tmp_path, text, version) == [
        ("tokenizer-backend", "warning", "service.inference_service")
    ]


def test_tokenizer_on_vllm_is_read(tmp_path: Path) -> None:
    text = edit(NESTED, "backend: sglang", "backend: vllm")
    assert "tokenizer-backend" not in [r[0] for r in found(tmp_path, text, "1.4")]


def test_mock_service_of_the_nested_layout_is_a_note(tmp_path: Path) -> None:
    text = edit(NESTED, "backend: direct-zmq", "backend: mock")
    assert found(tmp_path, text, "1.4", "train-backend") == [
        ("train-backend", "info", "service.train_service.main_actor.backend")
    ]


# -- data-loader ----------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["1.0", "1.4"])
@pytest.mark.parametrize(
    "files",
    [
        "[]",
        '["/data/train.json"]',
        '["/data/train"]',
        '["${oc.env:NEXRL_DATA_PATH}/x.JSON"]',
        # One string is iterated character by character ("Unsupported file format: /").
        '"/data/a.jsonl"',
        '"${oc.env:F}"',
    ],
)
def test_data_files_the_torch_loader_cannot_read(tmp_path: Path, version: str, files: str) -> None:
    text = put(BASES[version], "data.data_files", files)
    assert [r[0] for r in found(tmp_path, text, version)] == ["data-loader"]


@pytest.mark.parametrize(
    "files", ['["/data/a.PARQUET", "/data/b.csv"]', '["/data/a.jsonl"]', '["${oc.env:F}"]']
)
def test_data_files_the_torch_loader_reads(tmp_path: Path, files: str) -> None:
    text = put(NESTED, "data.data_files", files)
    assert found(tmp_path, text, "1.4") == []


def test_missing_data_files_and_the_validation_loader(tmp_path: Path) -> None:
    text = puts(
        NESTED,
        {
            "data.data_files": None,
            "validate.data.type": '"torch"',
            "validate.data.data_files": '["/data/val.txt"]',
        },
    )
    # The missing data.data_files is missing-required's (one finding per missing key).
    assert found(tmp_path, text, "1.4") == [
        ("data-loader", "error", "validate.data.data_files.0"),
    ]


@pytest.mark.parametrize("version", ["1.0", "1.4"])
def test_filter_prompts_needs_a_tokenizer(tmp_path: Path, version: str) -> None:
    text = put(BASES[version], "data.filter_prompts", "true")
    assert found(tmp_path, text, version) == []
    text = put(text, "data.tokenizer_path", None)
    text = text.replace("${data.tokenizer_path}", '"models/debug-model"')
    assert found(tmp_path, text, version) == [("data-loader", "error", "data.filter_prompts")]


# -- nexau-worker ---------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["1.0", "1.4"])
def test_nexau_worker(tmp_path: Path, version: str) -> None:
    text = put(BASES[version], "rollout_worker.type", '"nexau"')
    # An absent tokenizer is the catalogue's (missing-required); a null one this rule's.
    assert found(tmp_path, text, version) == []
    null = put(text, "rollout_worker.tokenizer", "null")
    assert found(tmp_path, null, version) == [("nexau-worker", "error", "rollout_worker.tokenizer")]
    good = put(text, "rollout_worker.tokenizer", "/models/qwen")
    assert found(tmp_path, good, version) == []
    bad = edit(good, "\n  tokenizer:", '\n  evaluator_module_path: "evaluator.py"\n  tokenizer:')
    assert found(tmp_path, bad, version) == [
        ("nexau-worker", "error", "rollout_worker.evaluator_module_path")
    ]
    fine = bad.replace('"evaluator.py"', '"evaluator.py:Evaluator"')
    assert found(tmp_path, fine, version) == []


# -- opd-teacher ----------------------------------------------------------------------------

TEACHER = """\
    teacher:
      identifier: "teacher"
      role: "teacher"
      backend: direct-zmq
      url: "http://localhost:8002"
      resource:
        world_size: 1
        gpus_per_pod: 2
      actor:
        model:
          path: "/models/big"
        ppo_mini_batch_size: 4
        ppo_micro_batch_size: 8
        fsdp_config:
          fsdp_size: -1
        rollout:
          n: 8
"""


@pytest.mark.parametrize("version", ["1.2", "1.4"])
def test_self_hosted_opd_needs_a_teacher(tmp_path: Path, version: str) -> None:
    text = edit(NESTED, 'type: "self_hosted_grpo"', 'type: "self_hosted_opd"')
    assert found(tmp_path, text, version, "opd-teacher") == [
        ("opd-teacher", "error", "trainer.type")
    ]
    with_teacher = edit(text, "  train_service:\n", "  train_service:\n" + TEACHER)
    assert found(tmp_path, with_teacher, version, "opd-teacher") == []
    no_gpus = edit(
        with_teacher,
        '      url: "http://localhost:8002"\n      resource:\n        world_size: 1\n'
        "        gpus_per_pod: 2\n",
        '      url: "http://localhost:8002"\n      resource:\n        world_size: 1\n',
    )
    assert found(tmp_path, no_gpus, version, "opd-teacher") == [
        ("opd-teacher", "error", "service.train_service.teacher.resource")
    ]


def test_the_teacher_gets_the_backend_arithmetic(tmp_path: Path) -> None:
    text = edit(NESTED, 'type: "self_hosted_grpo"', 'type: "self_hosted_opd"')
    text = edit(text, "  train_service:\n", "  train_service:\n" + TEACHER)
    bad = text.replace('path: "/models/big"', 'path: "/models/big/"')
    assert found(tmp_path, bad, "1.4") == [
        ("model-path", "error", "service.train_service.teacher.actor.model.path")
    ]


def test_remote_api_opd_needs_teachers(tmp_path: Path) -> None:
    remote = edit(NESTED, 'type: "self_hosted_grpo"', 'type: "remote_api_opd"')
    # The missing teachers are missing-required's (one finding per missing key).
    assert found(tmp_path, remote, "1.4", "opd-teacher") == []
    assert ("missing-required", "error", "trainer.teachers") in found(
        tmp_path, remote, "1.4", "missing-required"
    )
    teachers = edit(
        remote,
        'type: "remote_api_opd"',
        'type: "remote_api_opd"\n  teachers:\n    - checkpoint: "x"',
    )
    assert found(tmp_path, teachers, "1.4", "opd-teacher") == [
        ("opd-teacher", "error", "trainer.teachers.0")
    ]
    fine = teachers.replace('checkpoint: "x"', 'base_model: "Qwen/Qwen3-32B"')
    assert found(tmp_path, fine, "1.4", "opd-teacher") == []


# -- empty-url, resume-path ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "rows"),
    [("1.2", []), ("1.3", [("empty-url", "error", "service.inference_service.base_url")])],
)
def test_empty_base_url_from_1_3(tmp_path: Path, version: str, rows: list[Row]) -> None:
    text = edit(NESTED, 'base_url: "http://localhost:8000"', 'base_url: ""')
    assert found(tmp_path, text, version, "empty-url") == rows


@pytest.mark.parametrize("version", ["1.0", "1.4"])
def test_feishu_url(tmp_path: Path, version: str) -> None:
    on = put(BASES[version], "logger.enable_feishu_logging", "true")
    # Missing, it is missing-required's (one finding per missing key).
    assert found(tmp_path, on, version, "empty-url") == []
    assert found(tmp_path, on, version, "missing-required") == [
        ("missing-required", "error", "logger.feishu_url")
    ]
    unset = put(on, "logger.feishu_url", '"${oc.env:FEISHU_WEBHOOK_URL,}"')
    # Empty: refused at start-up from 1.3; before, NexRL sends nothing.
    severity = "error" if version == "1.4" else "warning"
    assert found(tmp_path, unset, version, "empty-url") == [
        ("empty-url", severity, "logger.feishu_url")
    ]
    off = put(unset, "logger.enable_feishu_logging", "false")
    assert found(tmp_path, off, version, "empty-url") == []


@pytest.mark.parametrize("version", ["1.0", "1.4"])
def test_resume_from_path_needs_a_path(tmp_path: Path, version: str) -> None:
    text = puts(BASES[version], {"resume.mode": '"from_path"', "resume.resume_path": '""'})
    assert found(tmp_path, text, version) == [("resume-path", "error", "resume.resume_path")]
    fine = text.replace('resume_path: ""', 'resume_path: "/exp/ckpt/global_step_10"')
    assert found(tmp_path, fine, version) == []
    auto = text.replace('"from_path"', '"auto"')
    assert found(tmp_path, auto, version) == []


# -- launcher --------------------------------------------------------------------------------


def test_launcher_1_0_agent_and_resources(tmp_path: Path) -> None:
    text = put(FLAT, "resource.agent.agents_per_worker", None)
    # The launcher does not resolve interpolations: a number behind one is text to it.
    text = put(text, "resource.inference.replicas", "${oc.env:REPLICAS,1}")
    # The missing agents_per_worker is missing-required's (one finding per missing key).
    assert found(tmp_path, text, "1.0", "launcher") == [
        ("launcher", "error", "resource.inference.replicas"),
    ]
    assert ("missing-required", "error", "resource.agent.agents_per_worker") in found(
        tmp_path, text, "1.0", "missing-required"
    )


def test_launcher_1_0_train_world_size(tmp_path: Path) -> None:
    text = put(FLAT, "resource.train.actor.world_size", "0")
    assert found(tmp_path, text, "1.0", "launcher") == [
        ("launcher", "error", "resource.train.actor.world_size")
    ]


def test_launcher_1_4_service_and_inference(tmp_path: Path) -> None:
    text = put(NESTED, "service.train_service.main_actor.identifier", None)
    text = put(text, "service.inference_service.resource.gpus_per_replica", None)
    # Each at the missing key; the identifier, which NexRL needs too, is missing-required's.
    assert sorted(found(tmp_path, text, "1.4", "launcher")) == [
        ("launcher", "error", "service.inference_service.resource.gpus_per_replica"),
    ]


def test_launcher_1_4_migrates_the_legacy_section(tmp_path: Path) -> None:
    text = put(NESTED, "rollout_worker.resource", None)
    # One missing section, one finding: missing-required's.
    assert found(tmp_path, text, "1.4", "launcher", "missing-required") == [
        ("missing-required", "error", "rollout_worker.resource")
    ]
    legacy = text + "resource:\n  agent:\n    num_workers: 0\n    agents_per_worker: 32\n"
    assert found(tmp_path, legacy, "1.4", "launcher") == []


@pytest.mark.parametrize("version", ["1.0", "1.4"])
def test_launcher_setup_script(tmp_path: Path, version: str) -> None:
    text = BASES[version] + "environment:\n  require_setup_script: true\n"
    assert found(tmp_path, text, version, "launcher", "missing-required") == [
        ("missing-required", "error", "environment.setup_script")
    ]
    fine = text + '  setup_script: "${oc.env:SETUP}"\n'
    assert found(tmp_path, fine, version, "launcher") == []


def test_a_config_not_written_for_the_launcher_is_left_alone(tmp_path: Path) -> None:
    text = put(FLAT, "resource", None)
    assert found(tmp_path, text, "1.0", "launcher") == []


# -- a cycle through a key NexRL reads -------------------------------------------------------


@pytest.mark.parametrize("version", ["1.0", "1.4"])
def test_a_composed_cycle_through_a_read_key_is_an_error(tmp_path: Path, version: str) -> None:
    # As NexRL's nexau_news recipe does: the entry points data.max_prompt_length at the
    # rollout worker's, which common.yaml points back at it. `unused` NexRL never reads.
    common = puts(
        BASES[version],
        {
            "rollout_worker.max_prompt_length": "${data.max_prompt_length}",
            "rollout_worker.unused": "${data.unused}",
            "data.unused": "1",
        },
    )
    write(tmp_path, "common.yaml", common)
    entry = write(
        tmp_path,
        "entry.yaml",
        "defaults:\n  - common\n  - _self_\ndata:\n"
        "  max_prompt_length: ${rollout_worker.max_prompt_length}\n"
        "  unused: ${rollout_worker.unused}\n",
    )
    rows = [f for f in check(entry, ENV, nexrl_version=version) if f.rule == "interpolation-error"]
    assert sorted((f.severity.value, f.key, f.line) for f in rows) == [
        ("error", "data.max_prompt_length", 5),
        ("warning", "data.unused", 6),
    ]
    read = next(f for f in rows if f.severity.value == "error")
    assert read.file == str(entry) and "NexRL reads data.max_prompt_length" in read.message
