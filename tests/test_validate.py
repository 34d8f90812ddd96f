"""The validate-stage rules (each value against the catalogue) and unset environment variables:
each finding at its dotted key, line, column and severity, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
from configs import BASE, edit, position, run, summary, value_at
from helpers import VERSION, rules

INFERENCE = "service.inference_service"
ACTOR = "service.train_service.actor"


def test_base_config_passes(tmp_path: Path) -> None:
    assert run(tmp_path, BASE) == []


# -- invalid-type ---------------------------------------------------------------------------


def test_quoted_number_is_a_string(tmp_path: Path) -> None:
    text = edit(BASE, "max_tokens: ${data.max_response_length}", 'max_tokens: "8192"')
    found = run(tmp_path, text)
    line, column = value_at(text, 'max_tokens: "8192"')
    assert summary(found) == [
        ("invalid-type", "error", f"{INFERENCE}.max_tokens", line, column),
    ]
    assert "must be an integer, not a string" in found[0].message
    assert "Remove the quotes" in found[0].hint


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("max_retries: 3", "max_retries: 2.5", f"{INFERENCE}.max_retries"),
        ("freeze_for_weight_sync: true", 'freeze_for_weight_sync: "yes"', None),
        ("lr: 5e-6", 'lr: "fast"', f"{ACTOR}.optim.lr"),
        ('model: "debug-model"', "model: 42", f"{INFERENCE}.model"),
    ],
)
def test_wrong_type(tmp_path: Path, old: str, new: str, key: str | None) -> None:
    text = edit(BASE, old, new)
    key = key or f"{INFERENCE}.freeze_for_weight_sync"
    assert summary(run(tmp_path, text)) == [("invalid-type", "error", key, *value_at(text, new))]


def test_a_number_is_a_float_as_omegaconf_reads_it(tmp_path: Path) -> None:
    # `1e-4` without a dot is a float to OmegaConf (a string to plain YAML 1.1).
    assert run(tmp_path, edit(BASE, "entropy_coeff: 1e-4", "entropy_coeff: 1e-3")) == []


def test_a_section_that_is_not_a_mapping(tmp_path: Path) -> None:
    text = edit(BASE, "    optim:\n        lr: 5e-6\n", "    optim: 5e-6\n")
    text = text.replace("        lr_warmup_steps_ratio: 0.0\n        warmup_style: constant\n", "")
    found = run(tmp_path, text)
    assert summary(found) == [
        ("invalid-type", "error", f"{ACTOR}.optim", *value_at(text, "optim: 5e-6")),
    ]


# -- out-of-range ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "key", "bound"),
    [
        ("max_retries: 3", "max_retries: 0", f"{INFERENCE}.max_retries", ">= 1"),
        ("clip_ratio: 0.2", "clip_ratio: 1.5", f"{ACTOR}.clip_ratio", "in (0, 1)"),
        ("clip_ratio: 0.2", "clip_ratio: 1", f"{ACTOR}.clip_ratio", "in (0, 1)"),
        ("clip_ratio: 0.2", "clip_ratio: 0", f"{ACTOR}.clip_ratio", "in (0, 1)"),
        ("clip_ratio: 0.2", "clip_ratio: -0.2", f"{ACTOR}.clip_ratio", "in (0, 1)"),
        (
            "lr_warmup_steps_ratio: 0.0",
            "lr_warmup_steps_ratio: 1.1",
            f"{ACTOR}.optim.lr_warmup_steps_ratio",
            "in [0, 1]",
        ),
        (
            "lr_warmup_steps_ratio: 0.0",
            "lr_warmup_steps_ratio: -0.1",
            f"{ACTOR}.optim.lr_warmup_steps_ratio",
            "in [0, 1]",
        ),
        ("ppo_epochs: 1", "ppo_epochs: 0", f"{ACTOR}.ppo_epochs", ">= 1"),
        (
            "warmup_style: constant",
            "weight_decay: -0.01",
            f"{ACTOR}.optim.weight_decay",
            ">= 0",
        ),
        ("lr: 5e-6", "lr: 0", f"{ACTOR}.optim.lr", "> 0"),
    ],
)
def test_out_of_range(tmp_path: Path, old: str, new: str, key: str, bound: str) -> None:
    text = edit(BASE, old, new)
    found = run(tmp_path, text)
    # NexRL runs on with these, training wrongly or not at all: a warning that says how
    runs = key.rsplit(".", 1)[-1] in ("clip_ratio", "lr_warmup_steps_ratio", "ppo_epochs", "lr")
    severity = "warning" if runs else "error"
    assert summary(found) == [("out-of-range", severity, key, *value_at(text, new))]
    assert f"must be {bound}" in found[0].message
    assert ("NexRL runs, but" in found[0].message) == runs


def test_a_value_the_code_refuses_is_an_error_beside_a_range_nexrl_runs_outside(
    tmp_path: Path,
) -> None:
    # lr 0 runs (AdamW trains nothing: a warning); a negative lr AdamW refuses at start-up.
    text = edit(BASE, "lr: 5e-6", "lr: -5e-6")
    found = run(tmp_path, text)
    assert summary(found) == [
        ("out-of-range", "error", f"{ACTOR}.optim.lr", *value_at(text, "lr: -5e-6"))
    ]
    assert "Invalid learning rate" in found[0].message
    assert found[0].hint == "Use a value > 0."


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("max_retries: 3", "max_retries: 1"),
        ("clip_ratio: 0.2", "clip_ratio: 0.999"),
        (
            "lr_warmup_steps_ratio: 0.0",
            "lr_warmup_steps_ratio: 1.0\n        total_training_steps: 100",
        ),
        ("entropy_coeff: 1e-4", "entropy_coeff: -1e-4"),
        ("warmup_style: constant", "weight_decay: 0"),
        ("ppo_epochs: 1", "ppo_epochs: 4"),
    ],
)
def test_bounds_themselves_are_allowed(tmp_path: Path, old: str, new: str) -> None:
    assert run(tmp_path, edit(BASE, old, new)) == []


# -- invalid-choice -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "key", "meant"),
    [
        ("backend: sglang", "backend: sglan", f"{INFERENCE}.backend", "sglang"),
        ("backend: http", "backend: htp", "service.train_service.backend", "http"),
        ("loss_agg_mode: token-mean", "loss_agg_mode: token-man", None, "token-mean"),
        ("checkpoint_manager: dcp", "checkpoint_manager: dpc", None, "dcp"),
    ],
)
def test_unknown_value_gets_did_you_mean(
    tmp_path: Path, old: str, new: str, key: str | None, meant: str
) -> None:
    text = edit(BASE, old, new)
    key = key or f"{ACTOR}.{old.split(':')[0]}"
    found = run(tmp_path, text)
    assert summary(found) == [("invalid-choice", "error", key, *value_at(text, new))]
    assert found[0].hint == f"Did you mean '{meant}'?"


def test_value_far_from_every_choice_lists_them(tmp_path: Path) -> None:
    text = edit(BASE, "backend: sglang", "backend: triton")
    found = run(tmp_path, text)
    assert rules(found) == ["invalid-choice"]
    assert "sglang" in found[0].hint and "vllm" in found[0].hint


# -- missing-required -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "section", "name"),
    [
        ('    model: "debug-model"\n', "  inference_service:", "model"),
        ("    max_tokens: ${data.max_response_length}\n", "  inference_service:", "max_tokens"),
        ('    base_url: "http://localhost:8000"\n', "  inference_service:", "base_url"),
        ('    url: "http://localhost:8001"\n', "  train_service:", "url"),
        ("        lr: 5e-6\n", "      optim:", "lr"),
    ],
)
def test_missing_required_option(tmp_path: Path, line: str, section: str, name: str) -> None:
    text = edit(BASE, line, "")
    found = run(tmp_path, text)
    parent = {"  inference_service:": INFERENCE, "  train_service:": "service.train_service"}
    key = f"{parent.get(section, f'{ACTOR}.optim')}.{name}"
    at = position(text, section, len(section) - len(section.lstrip()))
    assert summary(found) == [("missing-required", "error", key, *at)]
    assert f"'{name}'" in found[0].message


def test_requirements_follow_the_backend(tmp_path: Path) -> None:
    # A mock trainer starts no NexTrainer workers: it needs no actor section (but a url).
    start = BASE.index("    actor:\n      model:")
    text = BASE[:start] + BASE[BASE.index("validate:\n") :]
    text = edit(text, "backend: http", "backend: mock")
    assert rules(run(tmp_path, text)) == ["train-backend"]
    text = edit(text, '    url: "http://localhost:8001"\n', "")
    assert rules(run(tmp_path, text)) == ["missing-required", "train-backend"]


def test_values_of_an_actor_no_worker_reads_are_no_errors(tmp_path: Path) -> None:
    # The mock backend starts no NexTrainer workers: a bad value or a missing key of its
    # actor has no effect (a warning at most), where the NexTrainer backend fails on it.
    text = edit(BASE, "lr: 5e-6", "lr: -5e-6")
    text = edit(text, "        path: ", "        paht: ")
    assert len([f for f in run(tmp_path, text) if f.severity.value == "error"]) == 2
    mock = run(tmp_path, edit(text, "backend: http", "backend: mock"))
    assert not [f for f in mock if f.severity.value == "error"]
    assert [f.rule for f in mock if f.key == f"{ACTOR}.optim.lr"] == ["out-of-range"]
    assert "backend is" in next(f.message for f in mock if f.key == f"{ACTOR}.optim.lr")


# -- the flat world_size: read by NexRL 1.0 and 1.1 only --------------------------------------


def test_flat_world_size_is_checked_in_1_0(tmp_path: Path) -> None:
    key = "service.train_service.world_size"
    for new, rule in (("world_size: [1]", "invalid-type"), ("world_size: 0", "out-of-range")):
        text = edit(BASE, "world_size: 1", new)
        found = run(tmp_path, text, nexrl_version="1.0")
        assert summary(found) == [(rule, "error", key, *value_at(text, new))]
        # not read from 1.2 on: an unknown key, whatever its value
        later = run(tmp_path, text, nexrl_version="1.4")
        assert ("unknown-key", key) in [(f.rule, f.key) for f in later]
        assert not [f for f in later if f.rule in ("invalid-type", "out-of-range")]
    text = edit(BASE, "world_size: 1", "world_size: ${oc.env:WORLD_SIZE}")
    found = run(tmp_path, text, nexrl_version="1.0")
    assert [(f.rule, f.key) for f in found] == [("env-unset", key)]


# -- unknown-key ----------------------------------------------------------------------------


def test_unknown_option_gets_did_you_mean(tmp_path: Path) -> None:
    text = edit(BASE, "max_retries: 3", "max_retry: 3")
    found = run(tmp_path, text)
    # NexRL reads max_retries without a default: the typo leaves it missing. One mistake, one
    # finding: an error at the typo, which says so; missing-required stands down.
    assert summary(found) == [
        ("unknown-key", "error", f"{INFERENCE}.max_retry", *position(text, "max_retry")),
    ]
    assert found[0].hint == "Did you mean 'max_retries'?"
    assert f"the required {INFERENCE}.max_retries is missing" in found[0].message


def test_unknown_option_in_a_nested_section(tmp_path: Path) -> None:
    text = edit(BASE, "clip_ratio: 0.2", "clip_ration: 0.2")
    found = run(tmp_path, text)
    assert summary(found) == [
        ("unknown-key", "error", f"{ACTOR}.clip_ration", *position(text, "clip_ration")),
    ]
    assert found[0].hint == "Did you mean 'clip_ratio'?"


def test_misspelt_top_level_section(tmp_path: Path) -> None:
    text = edit(BASE, "trajectory_pool:", "trajectory_pol:")
    found = run(tmp_path, text)
    assert summary(found) == [
        ("unknown-key", "error", "trajectory_pol", *position(text, "trajectory_pol")),
    ]
    assert found[0].hint == "Did you mean 'trajectory_pool'?"


def test_a_misspelt_key_of_a_shared_file_is_one_finding_at_the_typo(tmp_path: Path) -> None:
    """The required key it leaves missing in each config that includes the file, and the
    references to it, are that one finding: no missing-required per includer, no
    interpolation-error at `${...}`."""
    from nexrl_cfg.check import Checker, Settings

    common = (
        edit(BASE, "max_retries: 3", "max_retry: 3")
        + "extra:\n  copy: ${service.inference_service.max_retries}\n"
    )
    (tmp_path / "common.yaml").write_text(common, encoding="utf-8")
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text("defaults:\n  - common\n  - _self_\n", encoding="utf-8")
    checker = Checker(Settings(nexrl_version=VERSION))
    results = list(checker.check_files([(tmp_path / n, True) for n in ("a.yaml", "b.yaml")]))
    found = [(f.rule, f.severity.value, Path(f.file).name) for r in results for f in r.findings]
    assert [f for f in found if f[1] != "info"] == [("unknown-key", "error", "common.yaml")]


def test_misspelt_service_section(tmp_path: Path) -> None:
    text = edit(BASE, "\nservice:\n", "\nsevice:\n")
    found = run(tmp_path, text)
    assert summary(found) == [("unknown-key", "warning", "sevice", *position(text, "sevice"))]
    assert found[0].hint == "Did you mean 'service'?"


def test_free_sections_and_unrelated_top_level_keys_are_fine(tmp_path: Path) -> None:
    text = BASE + "hydra:\n  run:\n    dir: outputs\nmy_notes: anything\n"
    assert run(tmp_path, text) == []


# -- values waiting on an unset environment variable ----------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("max_tokens: ${data.max_response_length}", "max_tokens: ${oc.env:MAX_TOKENS}"),
        ("backend: sglang", "backend: ${oc.env:INFERENCE_BACKEND}"),
        ("clip_ratio: 0.2", "clip_ratio: ${oc.env:CLIP_RATIO}"),
    ],
)
def test_unset_variable_is_a_note_not_an_error(tmp_path: Path, old: str, new: str) -> None:
    text = edit(BASE, old, new)
    found = run(tmp_path, text)
    assert [(f.rule, f.severity.value) for f in found] == [("env-unset", "info")]
    assert found[0].key.endswith(new.split(":")[0])
    assert (found[0].line, found[0].column) == value_at(text, new)


def test_unknown_backend_does_not_make_base_url_required(tmp_path: Path) -> None:
    text = edit(BASE, "backend: sglang", "backend: ${oc.env:INFERENCE_BACKEND}")
    text = edit(text, '    base_url: "http://localhost:8000"\n', "")
    assert rules(run(tmp_path, text)) == ["env-unset"]


def test_require_env_makes_an_unset_variable_an_error(tmp_path: Path) -> None:
    text = edit(BASE, 'base_url: "http://localhost:8000"', 'base_url: "${oc.env:INFERENCE_URL}"')
    found = run(tmp_path, text, require_env=True)
    line, column = value_at(text, 'base_url: "${oc.env:INFERENCE_URL}"')
    assert summary(found) == [("env-unset", "error", f"{INFERENCE}.base_url", line, column)]
    assert "INFERENCE_URL" in found[0].message


def test_a_set_variable_is_checked(tmp_path: Path) -> None:
    text = edit(BASE, "ppo_epochs: 1", "ppo_epochs: ${oc.decode:${oc.env:EPOCHS}}")
    assert run(tmp_path, text, {"EPOCHS": "8"}) == []
    found = run(tmp_path, text, {"EPOCHS": "0"})
    assert rules(found) == ["out-of-range"]


def test_a_variable_is_a_string_and_its_value_is_not_printed(tmp_path: Path) -> None:
    text = edit(BASE, "max_retries: 3", "max_retries: ${oc.env:RETRIES}")
    found = run(tmp_path, text, {"RETRIES": "31337"})
    assert rules(found) == ["invalid-type"]
    assert "31337" not in found[0].message + found[0].hint
    assert "${oc.env:RETRIES}" in found[0].message
    assert "oc.decode" in found[0].hint


def test_a_default_is_used_when_the_variable_is_unset(tmp_path: Path) -> None:
    text = edit(BASE, 'base_url: "http://localhost:8000"', 'base_url: "${oc.env:URL,http://x:1}"')
    assert run(tmp_path, text) == []


def test_broken_reference_is_an_error_at_its_line(tmp_path: Path) -> None:
    text = edit(BASE, "${data.max_response_length}", "${data.nope}")
    found = run(tmp_path, text)
    line, column = value_at(text, "max_tokens: ${data.nope}")
    assert summary(found) == [
        ("interpolation-error", "error", f"{INFERENCE}.max_tokens", line, column),
    ]
