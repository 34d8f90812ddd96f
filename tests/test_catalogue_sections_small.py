"""The catalogue of data, trajectory_pool, weight, validate, logger, environment, resume,
runtime_monitor and debug, through the whole pipeline: a misspelt key, a value of the wrong
type, a name no registry knows and a missing required key, each at the NexRL versions that
read it and not at the others. Every case starts from the whole config in configs.BASE,
which passes at every version."""

from __future__ import annotations

from pathlib import Path

import pytest
from configs import BASE, at_version, edit, run

from nexrl_cfg.catalogue import VERSIONS
from nexrl_cfg.finding import Finding

FROM_1_1 = VERSIONS[1:]
FROM_1_2 = VERSIONS[2:]
BEFORE_1_2 = VERSIONS[:2]

VALIDATE = """validate:
  validate_before_train: false
  data:
    type: "mock"
    batch_size: 4
  eval:
    type: "default"
"""
LOGGER = "logger:\n  backend: console\n"
RESUME = "resume:\n  mode: disable\n"


def add(text: str, after: str, lines: str) -> str:
    """`lines` written right below the line `after`."""
    return edit(text, after, after + lines)


def of(found: list[Finding], rule: str) -> list[tuple[str, str]]:
    return [(f.key, f.severity.value) for f in found if f.rule == rule]


def resume_missing(found: list[Finding]) -> list[tuple[str, str]]:
    return [m for m in of(found, "missing-required") if m[0].startswith("resume")]


def check(tmp_path: Path, text: str, version: str) -> list[Finding]:
    # BASE is written in NexRL 1.0's shape; from 1.2 on its flat train_service and legacy
    # resource section are deprecated, and its services lack what later versions read
    # (test_catalogue_sections_service.py judges them): not what these tests are about.
    # NexRL 1.4 also needs the rollout's longest sequence, which no earlier version reads.
    found = run(tmp_path, at_version(text, version), nexrl_version=version)
    return [f for f in found if f.rule != "deprecated" and not f.key.startswith("service")]


@pytest.mark.parametrize("version", VERSIONS)
def test_the_base_config_passes(tmp_path: Path, version: str) -> None:
    assert check(tmp_path, BASE, version) == []


# -- a misspelt key ---------------------------------------------------------------------------
# (where: a line of BASE, or "" to append a section; what to write; its key; the suggestion)
MISSPELT = [
    ("  batch_size: 8\n", "  drop_lst: true\n", "data.drop_lst", "drop_last"),
    (
        '  check_batch_ready_function: "loaded_batch_finished"\n',
        "  key_lists: []\n",
        "trajectory_pool.key_lists",
        "key_list",
    ),
    (
        "  staleness_threshold: 0\n",
        "  staleness_treshold: 0\n",
        "weight.staleness_treshold",
        "staleness_threshold",
    ),
    (
        "  validate_before_train: false\n",
        "  validate_befor_train: false\n",
        "validate.validate_befor_train",
        "validate_before_train",
    ),
    ("    batch_size: 4\n", "    shufle: true\n", "validate.data.shufle", "shuffle"),
    (
        '    type: "default"\n',
        "    validate_freqs: 0\n",
        "validate.eval.validate_freqs",
        "validate_freq",
    ),
    ("  backend: console\n", "  feishu_ur: x\n", "logger.feishu_ur", "feishu_url"),
    ("  mode: disable\n", "  resume_pth: x\n", "resume.resume_pth", "resume_path"),
    ("", "environment:\n  setup_scrpt: x\n", "environment.setup_scrpt", "setup_script"),
    (
        "",
        "runtime_monitor:\n  health_check:\n    timout: 5.0\n",
        "runtime_monitor.health_check.timout",
        "timeout",
    ),
    (
        "",
        "runtime_monitor:\n  exception_handling:\n    polcy: continue\n",
        "runtime_monitor.exception_handling.polcy",
        "policy",
    ),
]
MISSPELT_FROM_1_2 = [
    (
        "",
        "runtime_monitor:\n  rollout_progress_monitor:\n    log_intervl: 5\n",
        "runtime_monitor.rollout_progress_monitor.log_intervl",
        "log_interval",
    ),
    ("", "debug:\n  dump_formt: pt\n", "debug.dump_formt", "dump_format"),
    (
        "",
        "debug:\n  dump_options:\n    trajectry: true\n",
        "debug.dump_options.trajectry",
        "trajectory",
    ),
]
CASES_MISSPELT = [(*case, v) for case in MISSPELT for v in VERSIONS] + [
    (*case, v) for case in MISSPELT_FROM_1_2 for v in FROM_1_2
]


@pytest.mark.parametrize(("where", "lines", "key", "meant", "version"), CASES_MISSPELT)
def test_misspelt_key_gets_did_you_mean(
    tmp_path: Path, where: str, lines: str, key: str, meant: str, version: str
) -> None:
    text = add(BASE, where, lines) if where else BASE + lines
    found = check(tmp_path, text, version)
    assert [(f.rule, f.key, f.severity.value) for f in found] == [("unknown-key", key, "warning")]
    assert found[0].hint == f"Did you mean '{meant}'?"


@pytest.mark.parametrize("version", VERSIONS)
def test_resume_dataloader_exists_from_1_1(tmp_path: Path, version: str) -> None:
    text = add(BASE, "  mode: disable\n", "  resume_dataloader: false\n")
    unknown = of(check(tmp_path, text, version), "unknown-key")
    assert unknown == ([] if version in FROM_1_1 else [("resume.resume_dataloader", "warning")])


@pytest.mark.parametrize("version", VERSIONS)
def test_rollout_progress_monitor_exists_from_1_2(tmp_path: Path, version: str) -> None:
    text = BASE + "runtime_monitor:\n  rollout_progress_monitor:\n    enabled: false\n"
    unknown = of(check(tmp_path, text, version), "unknown-key")
    expected = [("runtime_monitor.rollout_progress_monitor", "warning")]
    assert unknown == ([] if version in FROM_1_2 else expected)


@pytest.mark.parametrize("version", VERSIONS)
def test_debug_is_read_from_1_2(tmp_path: Path, version: str) -> None:
    text = BASE + "debug:\n  enable_data_dump: true\n  dump_format: csv\n"
    choices = of(check(tmp_path, text, version), "invalid-choice")
    # Before 1.2 no NexRL code reads `debug`: whatever it holds changes nothing.
    assert choices == ([("debug.dump_format", "error")] if version in FROM_1_2 else [])


# -- a value of the wrong type ----------------------------------------------------------------
# (old text of BASE, new text, the key, the versions)
WRONG_TYPE = [
    ("  seed: 42\n", '  seed: "42"\n', "data.seed", VERSIONS),
    ('  data_files: ["data/train.parquet"]\n', "  data_files: 3\n", "data.data_files", VERSIONS),
    (
        "  batch_size: 32\n",
        '  batch_size: 32\n  key_list: "uid"\n',
        "trajectory_pool.key_list",
        VERSIONS,
    ),
    ("  validate_freq: 0\n", '  validate_freq: "0"\n', "weight.validate_freq", VERSIONS),
    ("    batch_size: 4\n", '    batch_size: "4"\n', "validate.data.batch_size", VERSIONS),
    ("  backend: console\n", "  backend: {console: true}\n", "logger.backend", VERSIONS),
]
# Sections BASE does not have: (the section to append, the key, the versions)
WRONG_TYPE_APPENDED = [
    (
        'environment:\n  require_setup_script: "true"\n',
        "environment.require_setup_script",
        VERSIONS,
    ),
    (
        'runtime_monitor:\n  health_check:\n    timeout: "5s"\n',
        "runtime_monitor.health_check.timeout",
        VERSIONS,
    ),
    # Read only with dumps on (off, a bad value is a warning).
    (
        "debug:\n  enable_data_dump: true\n  dump_every_n_steps: 1.5\n",
        "debug.dump_every_n_steps",
        FROM_1_2,
    ),
]
CASES_TYPE = [((old, new), key, v) for old, new, key, versions in WRONG_TYPE for v in versions] + [
    (("", lines), key, v) for lines, key, versions in WRONG_TYPE_APPENDED for v in versions
]


@pytest.mark.parametrize(("change", "key", "version"), CASES_TYPE)
def test_wrong_type(tmp_path: Path, change: tuple[str, str], key: str, version: str) -> None:
    old, new = change
    text = edit(BASE, old, new) if old else BASE + new
    assert of(check(tmp_path, text, version), "invalid-type") == [(key, "error")]


# Options NexRL only tests for truth (`if value:`): another type runs, read by truthiness ("no"
# is true), mis-handled: a warning. (old text of BASE, new text, the key, the versions)
READ_AS_TRUTH = [
    ("  batch_size: 8\n", '  batch_size: 8\n  shuffle: "yes"\n', "data.shuffle", VERSIONS),
    (
        "  validate_before_train: false\n",
        '  validate_before_train: "no"\n',
        "validate.validate_before_train",
        VERSIONS,
    ),
    (
        "  mode: disable\n",
        '  mode: disable\n  resume_dataloader: "yes"\n',
        "resume.resume_dataloader",
        FROM_1_1,
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "key", "version"),
    [(old, new, key, v) for old, new, key, versions in READ_AS_TRUTH for v in versions],
)
def test_a_value_tested_for_truth_is_a_warning(
    tmp_path: Path, old: str, new: str, key: str, version: str
) -> None:
    found = [f for f in check(tmp_path, edit(BASE, old, new), version) if f.rule == "invalid-type"]
    assert [(f.key, f.severity.value) for f in found] == [(key, "warning")]
    assert "reads it as true" in found[0].message


# -- a name no registry knows -----------------------------------------------------------------
# (old, new, the key reported, its severity: error where NexRL stops, warning where it goes on)
WRONG_CHOICE = [
    ('  type: "torch"\n', '  type: "torc"\n', "data.type", "error"),
    ('    type: "mock"\n', '    type: "mok"\n', "validate.data.type", "error"),
    ("  batch_size: 32\n", "  batch_size: 32\n  type: pool\n", "trajectory_pool.type", "error"),
    (
        '  check_batch_ready_function: "loaded_batch_finished"\n',
        "  check_batch_ready_function: batch_size\n",
        "trajectory_pool.check_batch_ready_function",
        "error",
    ),
    # Any other sync_mode behaves as fully-async.
    ('  sync_mode: "sync"\n', '  sync_mode: "async"\n', "weight.sync_mode", "warning"),
    ('  sync_method: "disk"\n', '  sync_method: "api"\n', "weight.sync_method", "error"),
    ('  sync_method: "disk"\n', '  sync_method: "disk"\n  type: x\n', "weight.type", "error"),
    ('    type: "default"\n', '    type: "evaluator"\n', "validate.eval.type", "error"),
    ("  backend: console\n", "  backend: [console, tensorboard]\n", "logger.backend.1", "error"),
    ("  mode: disable\n", "  mode: enable\n", "resume.mode", "error"),
    # The torch loader does not read mock_api_type: a bad one has no effect yet.
    ("  seed: 42\n", "  seed: 42\n  mock_api_type: chat\n", "data.mock_api_type", "warning"),
    (
        '    type: "mock"\n',
        '    type: "mock"\n    mock_api_type: chat\n',
        "validate.data.mock_api_type",
        "error",
    ),
]
WRONG_CHOICE_APPENDED = [
    # An unknown policy is treated as healthy: errors never stop the run.
    (
        "runtime_monitor:\n  exception_handling:\n    policy: stop\n",
        "runtime_monitor.exception_handling.policy",
        "warning",
        VERSIONS,
    ),
    (
        "debug:\n  enable_data_dump: true\n  dump_format: csv\n",
        "debug.dump_format",
        "error",
        FROM_1_2,
    ),
    ("debug:\n  dump_format: csv\n", "debug.dump_format", "warning", FROM_1_2),
]
CASES_CHOICE = [
    ((old, new), key, severity, v) for old, new, key, severity in WRONG_CHOICE for v in VERSIONS
] + [
    (("", lines), key, severity, v)
    for lines, key, severity, versions in WRONG_CHOICE_APPENDED
    for v in versions
]


@pytest.mark.parametrize(("change", "key", "severity", "version"), CASES_CHOICE)
def test_unknown_name(
    tmp_path: Path, change: tuple[str, str], key: str, severity: str, version: str
) -> None:
    old, new = change
    text = edit(BASE, old, new) if old else BASE + new
    assert of(check(tmp_path, text, version), "invalid-choice") == [(key, severity)]


@pytest.mark.parametrize("version", VERSIONS)
def test_known_names_pass(tmp_path: Path, version: str) -> None:
    text = edit(BASE, "  backend: console\n", "  backend: [console, wandb, mlflow, tracking]\n")
    text = edit(text, '  sync_mode: "sync"\n', '  sync_mode: "sync"\n  type: default\n')
    text += "runtime_monitor:\n  exception_handling:\n    policy: continue\n"
    assert check(tmp_path, text, version) == []


def test_did_you_mean_for_a_loader_type(tmp_path: Path) -> None:
    found = check(tmp_path, edit(BASE, '  type: "torch"\n', '  type: "torc"\n'), "1.4")
    (choice,) = [f for f in found if f.rule == "invalid-choice"]
    assert choice.hint == "Did you mean 'torch'?"


# -- a missing required key -------------------------------------------------------------------
# (old, new, the key reported missing, or "" where nothing is missing)
MISSING = [
    ("  seed: 42\n", "", "data.seed"),
    ('  type: "torch"\n', "", "data.type"),
    ('  data_files: ["data/train.parquet"]\n', "", "data.data_files"),
    # The mock loader reads no files.
    (
        '  type: "torch"\n  seed: 42\n  data_files: ["data/train.parquet"]\n',
        '  type: "mock"\n  seed: 42\n',
        "",
    ),
    (
        '  check_batch_ready_function: "loaded_batch_finished"\n',
        "",
        "trajectory_pool.check_batch_ready_function",
    ),
    ("  staleness_threshold: 0\n", "", "weight.staleness_threshold"),
    ("  validate_freq: 0\n", "", "weight.validate_freq"),
    (VALIDATE, "", "validate"),
    ('  eval:\n    type: "default"\n', "", "validate.eval"),
    ("  validate_before_train: false\n", "", "validate.validate_before_train"),
    # The mock loader reads batch_size without a default; the torch loader falls back to 32.
    ("    batch_size: 4\n", "", "validate.data.batch_size"),
    (
        '    type: "mock"\n    batch_size: 4\n',
        '    type: "torch"\n    data_files: ["data/val.parquet"]\n',
        "",
    ),
    (
        '    type: "mock"\n    batch_size: 4\n',
        '    type: "torch"\n    data_files: ["data/val.parquet"]\n    filter_prompts: true\n',
        "validate.data.tokenizer_path",
    ),
    (LOGGER, "", "logger"),
    (
        "  backend: console\n",
        "  backend: console\n  enable_feishu_logging: true\n",
        "logger.feishu_url",
    ),
    (RESUME, "", "resume"),
    ("  mode: disable\n", "  mode: from_path\n", "resume.resume_path"),
]
# Resuming a self-hosted run reads trainer.checkpoint_path first, whatever the mode but
# disable (nexrl/controller.py@v1.0.0:276, @v1.4.0:298); BASE has none.
RESUMING = {"resume.resume_path": ["trainer.checkpoint_path"]}
MISSING_APPENDED = [
    ("environment:\n  require_setup_script: true\n", "environment.setup_script"),
    ("environment:\n  require_setup_script: false\n", ""),
]
CASES_MISSING = [((old, new), key, v) for old, new, key in MISSING for v in VERSIONS] + [
    (("", lines), key, v) for lines, key in MISSING_APPENDED for v in VERSIONS
]


@pytest.mark.parametrize(("change", "key", "version"), CASES_MISSING)
def test_missing_required(tmp_path: Path, change: tuple[str, str], key: str, version: str) -> None:
    old, new = change
    text = edit(BASE, old, new) if old else BASE + new
    missing = of(check(tmp_path, text, version), "missing-required")
    expected = [*RESUMING.get(key, []), key] if key else []
    assert sorted(missing) == sorted((k, "error") for k in expected)


@pytest.mark.parametrize("version", VERSIONS)
def test_module_types_are_required_in_ray_mode_only(tmp_path: Path, version: str) -> None:
    local = check(tmp_path, "launch_mode: local\n" + BASE, version)
    assert of(local, "missing-required") == []
    ray = check(tmp_path, "launch_mode: ray\n" + BASE, version)
    assert sorted(of(ray, "missing-required")) == [
        ("trajectory_pool.type", "error"),
        ("weight.type", "error"),
    ]
    text = edit("launch_mode: ray\n" + BASE, '    type: "default"\n', "    validate_freq: 0\n")
    assert ("validate.eval.type", "error") in of(check(tmp_path, text, version), "missing-required")


# Tinker and Weaver runs never read `resume`: until 1.1 NexRL recognises them by the training
# service's backend, from 1.2 on by the inference service's.
@pytest.mark.parametrize("version", VERSIONS)
def test_resume_is_required_for_self_hosted_runs_only(tmp_path: Path, version: str) -> None:
    no_resume = edit(BASE, RESUME, "")
    train_tinker = edit(no_resume, "backend: http", "backend: tinker")
    inference_tinker = edit(no_resume, "backend: sglang", "backend: tinker")
    needed = [("resume", "error")]
    by_train = resume_missing(check(tmp_path, train_tinker, version))
    by_inference = resume_missing(check(tmp_path, inference_tinker, version))
    if version in BEFORE_1_2:
        assert (by_train, by_inference) == ([], needed)
    else:
        assert (by_train, by_inference) == (needed, [])
