"""The catalogue of trainer, rollout_worker, the top level and resource, version by version:
a misspelt key, a wrong type, a name outside NexRL's registry and a missing requirement are
each reported where NexRL reads them, and not where it does not."""

from __future__ import annotations

from pathlib import Path

import pytest
from configs import BASE, edit, run

from nexrl_cfg.catalogue import VERSIONS

Row = tuple[str, str, str]  # rule, severity, key

# BASE is written for NexRL 1.0, with the legacy `resource` section its launcher reads.
LEGACY_RESOURCE = BASE[BASE.index("resource:\n") : BASE.index("rollout_worker:\n")]
NO_RESOURCE = edit(BASE, LEGACY_RESOURCE, "")


def findings(tmp_path: Path, text: str, version: str) -> set[Row]:
    return {(f.rule, f.severity.value, f.key) for f in run(tmp_path, text, nexrl_version=version)}


def about(rows: set[Row], key: str) -> set[tuple[str, str]]:
    return {(rule, severity) for rule, severity, at in rows if at == key}


def hints(tmp_path: Path, text: str, version: str, key: str) -> list[str]:
    return [f.hint for f in run(tmp_path, text, nexrl_version=version) if f.key == key]


def whole(version: str) -> str:
    """BASE, a whole self-hosted run, as `version` needs it."""
    if version != "1.4":
        return BASE
    return edit(
        BASE,
        "  need_llm_inference: true\n  temperature: 1.0\n",
        "  need_llm_inference: true\n  temperature: 1.0\n  max_sequence_length: 4096\n",
    )


NEW = whole("1.4")


# -- trainer ------------------------------------------------------------------------------
@pytest.mark.parametrize("version", VERSIONS)
def test_base_is_clean_at_every_version_in_these_sections(tmp_path: Path, version: str) -> None:
    mine = ("trainer", "rollout_worker", "resource", "project_name", "launch_mode")
    errors = {r for r in findings(tmp_path, whole(version), version) if r[1] == "error"}
    assert not {r for r in errors if r[2].startswith(mine)}


@pytest.mark.parametrize("version", VERSIONS)
def test_misspelt_trainer_key_gets_did_you_mean(tmp_path: Path, version: str) -> None:
    text = edit(whole(version), "total_train_steps: 10", "total_train_step: 10")
    rows = findings(tmp_path, text, version)
    # The typo leaves a required key missing: one error, at the typo.
    assert ("unknown-key", "error") in about(rows, "trainer.total_train_step")
    assert about(rows, "trainer.total_train_steps") == set()
    assert "Did you mean 'total_train_steps'?" in hints(
        tmp_path, text, version, "trainer.total_train_step"
    )


def test_wrong_type_of_a_trainer_key(tmp_path: Path) -> None:
    text = edit(NEW, "total_train_steps: 10", 'total_train_steps: "ten"')
    assert about(findings(tmp_path, text, "1.4"), "trainer.total_train_steps") == {
        ("invalid-type", "error")
    }


@pytest.mark.parametrize(
    ("kind", "allowed"),
    [
        ("self_hosted_grpo", VERSIONS),
        ("self_hosted_opd", ("1.2", "1.3", "1.4")),
        ("remote_api_opd", ("1.4",)),
        ("self_hosted_cross_entropy", ()),
        ("self_hosted_grpo_kl", ()),
    ],
)
def test_trainer_types_follow_each_release_registry(
    tmp_path: Path, kind: str, allowed: tuple[str, ...]
) -> None:
    for version in VERSIONS:
        text = edit(whole(version), 'type: "self_hosted_grpo"', f'type: "{kind}"')
        # (An OPD trainer also needs its teachers, a remote trainer a Tinker or Weaver run: the
        # opd-teacher and trainer-backend rules' business, not this.)
        others = {("opd-teacher", "error"), ("trainer-backend", "error")}
        rows = about(findings(tmp_path, text, version), "trainer.type") - others
        expected = set() if version in allowed else {("invalid-choice", "error")}
        assert rows == expected, (kind, version)


def test_a_custom_trainer_module_takes_any_type(tmp_path: Path) -> None:
    text = edit(
        NEW,
        'type: "self_hosted_grpo"',
        'type: "my_trainer"\n  custom_trainer_module_path: "my_trainer.py"',
    )
    assert not about(findings(tmp_path, text, "1.4"), "trainer.type")
    # Without a type, a custom module still names the trainer.
    text = edit(NEW, '  type: "self_hosted_grpo"\n', '  custom_trainer_module_path: "t.py"\n')
    assert not about(findings(tmp_path, text, "1.4"), "trainer.type")
    text = edit(NEW, '  type: "self_hosted_grpo"\n', "")
    assert about(findings(tmp_path, text, "1.4"), "trainer.type") == {("missing-required", "error")}


def test_an_unknown_kl_penalty_is_a_warning_as_nexrl_never_acts_on_it(tmp_path: Path) -> None:
    # Read only with use_kl_in_reward, and passed to the estimator only when the batch holds
    # ref_log_prob, which no NexRL version computes
    # (nexrl/trainer/self_hosted_grpo_trainer.py@v1.4.0:185,416).
    unused = edit(NEW, "use_kl_in_reward: false", "use_kl_in_reward: false\n    kl_penalty: kll")
    key = "trainer.algorithm.kl_penalty"
    assert about(findings(tmp_path, unused, "1.4"), key) == {("invalid-choice", "warning")}
    used = edit(unused, "use_kl_in_reward: false", "use_kl_in_reward: true")
    assert about(findings(tmp_path, used, "1.4"), key) == {("invalid-choice", "warning")}


def test_kl_controller_is_read_under_critic_and_ignored_beside_it(tmp_path: Path) -> None:
    beside = edit(
        BASE, "use_kl_in_reward: false", "use_kl_in_reward: true\n    kl_ctrl:\n      type: fixed"
    )
    rows = findings(tmp_path, beside, "1.4")
    # Documented by the reference, read by no version: accepted, and checked only as advice.
    assert not about(rows, "trainer.algorithm.kl_ctrl")
    rows = findings(tmp_path, edit(beside, "type: fixed", "type: fixd"), "1.4")
    assert about(rows, "trainer.algorithm.kl_ctrl.type") == {("invalid-choice", "warning")}
    under = edit(
        NEW,
        "use_kl_in_reward: false",
        "use_kl_in_reward: true\n    critic:\n      kl_ctrl:\n        type: adaptive",
    )
    rows = findings(tmp_path, under, "1.4")
    ctrl = "trainer.algorithm.critic.kl_ctrl"
    assert about(rows, f"{ctrl}.kl_reward_coef") == {("missing-required", "error")}
    assert about(rows, f"{ctrl}.target_kl") == {("missing-required", "error")}
    fixed = edit(under, "type: adaptive", "type: fixed\n        kl_reward_coef: 0.001")
    assert not {r for r in findings(tmp_path, fixed, "1.4") if r[2].startswith(ctrl)}


def test_self_hosted_trainers_need_algorithm_and_remote_ones_take_it_null(tmp_path: Path) -> None:
    text = edit(NEW, "  algorithm:\n    use_kl_in_reward: false\n", "  algorithm: null\n")
    assert about(findings(tmp_path, text, "1.4"), "trainer.algorithm") == {
        ("invalid-type", "error")
    }
    remote = edit(text, 'type: "self_hosted_grpo"', 'type: "remote_api_grpo"')
    assert not about(findings(tmp_path, remote, "1.4"), "trainer.algorithm")
    gone = edit(NEW, "  algorithm:\n    use_kl_in_reward: false\n", "")
    assert about(findings(tmp_path, gone, "1.4"), "trainer.algorithm") == {
        ("missing-required", "error")
    }


@pytest.mark.parametrize("version", VERSIONS)
def test_trainer_lengths_are_read_until_1_4(tmp_path: Path, version: str) -> None:
    text = edit(
        whole(version), "total_train_steps: 10", "total_train_steps: 10\n  max_prompt_length: 512"
    )
    rows = about(findings(tmp_path, text, version), "trainer.max_prompt_length")
    assert rows == ({("unknown-key", "warning")} if version == "1.4" else set())


def test_remote_opd_needs_teachers_with_a_base_model(tmp_path: Path) -> None:
    opd = edit(NEW, 'type: "self_hosted_grpo"', 'type: "remote_api_opd"')
    assert about(findings(tmp_path, opd, "1.4"), "trainer.teachers") == {
        ("missing-required", "error")
    }
    teachers = edit(
        opd,
        "total_train_steps: 10",
        "total_train_steps: 10\n  teachers:\n    - checkpoint: null\n      backend: weavr",
    )
    rows = findings(tmp_path, teachers, "1.4")
    assert ("missing-required", "error") in about(rows, "trainer.teachers.0.base_model")
    assert about(rows, "trainer.teachers.0.backend") == {("invalid-choice", "error")}
    # 1.3 knows no teachers: NexRL ignores the key.
    assert about(findings(tmp_path, teachers, "1.3"), "trainer.teachers") == {
        ("unknown-key", "warning")
    }


# -- rollout_worker -----------------------------------------------------------------------
def test_misspelt_rollout_key_gets_did_you_mean(tmp_path: Path) -> None:
    text = edit(NEW, "  num_workers: 4\n", "  num_worker: 4\n")
    rows = findings(tmp_path, text, "1.4")
    assert about(rows, "rollout_worker.num_worker") == {("unknown-key", "error")}
    assert about(rows, "rollout_worker.num_workers") == set()
    assert "Did you mean 'num_workers'?" in hints(
        tmp_path, text, "1.4", "rollout_worker.num_worker"
    )


def test_wrong_type_of_a_rollout_key(tmp_path: Path) -> None:
    text = edit(NEW, "  num_workers: 4\n", '  num_workers: "four"\n')
    assert about(findings(tmp_path, text, "1.4"), "rollout_worker.num_workers") == {
        ("invalid-type", "error")
    }


def test_rollout_worker_type_registry_and_custom_workers(tmp_path: Path) -> None:
    text = edit(NEW, 'type: "simple"', 'type: "simpel"')
    assert about(findings(tmp_path, text, "1.0"), "rollout_worker.type") == {
        ("invalid-choice", "error")
    }
    assert "Did you mean 'simple'?" in hints(tmp_path, text, "1.4", "rollout_worker.type")
    custom = edit(
        text,
        "  num_workers: 4\n",
        '  num_workers: 4\n  custom_rollout_worker_module_path: "w.py"\n',
    )
    assert not about(findings(tmp_path, custom, "1.4"), "rollout_worker.type")


def test_mock_trajectory_format_is_a_warning_from_1_2(tmp_path: Path) -> None:
    text = edit(NEW, 'type: "simple"', 'type: "mock"\n  trajectory_format: "csv"')
    key = "rollout_worker.trajectory_format"
    assert about(findings(tmp_path, text, "1.2"), key) == {("invalid-choice", "warning")}
    assert about(findings(tmp_path, text, "1.1"), key) == {("unknown-key", "warning")}


def test_agent_worker_needs_its_math_judge(tmp_path: Path) -> None:
    text = edit(NEW, 'type: "simple"', 'type: "agent"')
    rows = findings(tmp_path, text, "1.4")
    assert about(rows, "rollout_worker.agent") == {("missing-required", "error")}
    assert about(rows, "rollout_worker.max_prompt_length") == {("missing-required", "error")}
    judged = edit(
        text,
        "  num_workers: 4\n",
        "  num_workers: 4\n  max_prompt_length: 1024\n"
        "  agent:\n    math:\n      judge_mode: rules\n",
    )
    rows = findings(tmp_path, judged, "1.4")
    assert about(rows, "rollout_worker.agent.math.judge_mode") == {("invalid-choice", "error")}


@pytest.mark.parametrize("version", VERSIONS)
def test_max_sequence_length_is_required_from_1_4(tmp_path: Path, version: str) -> None:
    key = "rollout_worker.max_sequence_length"
    rows = about(findings(tmp_path, BASE, version), key)
    assert rows == ({("missing-required", "error")} if version == "1.4" else set())
    rows = about(findings(tmp_path, NEW, version), key)
    assert rows == (set() if version == "1.4" else {("unknown-key", "warning")})


# -- the top level --------------------------------------------------------------------------
@pytest.mark.parametrize("version", VERSIONS)
def test_launch_mode_is_required_and_named(tmp_path: Path, version: str) -> None:
    gone = edit(whole(version), 'launch_mode: "local"\n', "")
    assert about(findings(tmp_path, gone, version), "launch_mode") == {
        ("missing-required", "error")
    }
    wrong = edit(whole(version), 'launch_mode: "local"', 'launch_mode: "remote"')
    assert about(findings(tmp_path, wrong, version), "launch_mode") == {("invalid-choice", "error")}


def test_misspelt_top_level_key_and_documented_unread_ones(tmp_path: Path) -> None:
    text = edit(NEW, 'launch_mode: "local"\n', 'launch_mode: "local"\nproject_nme: "x"\n')
    assert about(findings(tmp_path, text, "1.4"), "project_nme") == {("unknown-key", "warning")}
    assert "Did you mean 'project_name'?" in hints(tmp_path, text, "1.4", "project_nme")
    documented = NEW + 'multi_model: "false"\nhydra:\n  searchpath: [pkg://x]\n'
    rows = findings(tmp_path, documented, "1.4")
    assert not about(rows, "multi_model") and not about(rows, "hydra.searchpath")


# -- resource (legacy) -----------------------------------------------------------------------
@pytest.mark.parametrize("version", ("1.0", "1.1"))
def test_launcher_needs_resource_for_self_hosted_runs_before_1_2(
    tmp_path: Path, version: str
) -> None:
    assert about(findings(tmp_path, NO_RESOURCE, version), "resource") == {
        ("missing-required", "error")
    }
    remote = edit(NO_RESOURCE, 'type: "self_hosted_grpo"', 'type: "remote_api_grpo"')
    assert not about(findings(tmp_path, remote, version), "resource")
    no_inference = edit(BASE, LEGACY_RESOURCE[LEGACY_RESOURCE.index("  inference:") :], "")
    assert about(findings(tmp_path, no_inference, version), "resource.inference") == {
        ("missing-required", "error")
    }


def test_resource_keys_are_typed_and_misspellings_named(tmp_path: Path) -> None:
    text = edit(BASE, "world_size: 2\n", 'world_size: "two"\n')
    rows = findings(tmp_path, text, "1.0")
    # (The launcher rejects it as well.)
    assert ("invalid-type", "error") in about(rows, "resource.train.actor.world_size")
    text = edit(whole("1.0"), "    replicas: 1\n", "    replica: 1\n")
    rows = findings(tmp_path, text, "1.0")
    # One finding for the typo and the required key it leaves missing (the launcher's too).
    assert about(rows, "resource.inference.replica") == {("unknown-key", "error")}
    assert about(rows, "resource.inference.replicas") == set()
    assert "Did you mean 'replicas'?" in hints(tmp_path, text, "1.0", "resource.inference.replica")


@pytest.mark.parametrize("version", ("1.2", "1.3", "1.4"))
def test_legacy_resource_is_accepted_once_moved(tmp_path: Path, version: str) -> None:
    rows = findings(tmp_path, whole(version), version)
    assert not {r for r in rows if r[2].startswith("resource") and r[1] == "error"}
    assert not {r for r in rows if r[2].startswith("resource") and r[0] == "unknown-key"}
