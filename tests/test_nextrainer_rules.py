"""What NexTrainer's workers do with the actor section after start-up: the first training step,
the first weight sync, the values they read and never act on. A config NexRL stops on and a
near miss it runs, for each check, in the flat (1.0) and the named-service (1.4) layout, and
for a self_hosted_opd run's student and teacher."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from configs import base, put, puts
from helpers import check, write

from nexrl_cfg.finding import Finding

ENV = {"NEXRL_DATA_PATH": "/data"}
ACTOR = {"1.0": "service.train_service.actor", "1.4": "service.train_service.main_actor.actor"}
TEACHER = "service.train_service.teacher.actor"
OWN = ("nextrainer-first-step",)
Row = tuple[str, str, str]


def distillation() -> str:
    """The 1.4 base run by self_hosted_opd: its service is the student, beside a teacher that
    is a copy of it."""
    text = put(base("1.4"), "trainer.type", '"self_hosted_opd"')
    start = text.index("    main_actor:\n")
    end = text.index("validate:\n")
    teacher = text[start:end].replace("    main_actor:", "    teacher:", 1)
    teacher = teacher.replace('role: "actor"', 'role: "teacher"').replace('"default"', '"teacher"')
    return text[:end] + teacher + text[end:]


OPD = distillation()


def run(tmp_path: Path, text: str, version: str) -> list[Finding]:
    return check(write(tmp_path, "run.yaml", text), ENV, nexrl_version=version)


def found(tmp_path: Path, text: str, version: str, *ids: str) -> list[Row]:
    wanted = ids or OWN
    rows = run(tmp_path, text, version)
    return [(f.rule, f.severity.value, f.key) for f in rows if f.rule in wanted]


@pytest.mark.parametrize("version", ["1.0", "1.4"])
def test_the_bases_pass(tmp_path: Path, version: str) -> None:
    assert [f for f in run(tmp_path, base(version), version) if f.severity.value != "info"] == []


def test_the_distillation_base_passes(tmp_path: Path) -> None:
    assert [f for f in run(tmp_path, OPD, "1.4") if f.severity.value != "info"] == []


# -- nextrainer-first-step --------------------------------------------------------------------


@pytest.mark.parametrize("version", ["1.0", "1.4"])
def test_a_kl_loss_needs_a_reference_model_nexrl_never_builds(tmp_path: Path, version: str) -> None:
    key = f"{ACTOR[version]}.use_kl_loss"
    rows = [f for f in run(tmp_path, put(base(version), key, "true"), version) if f.key == key]
    assert [(f.rule, f.severity.value) for f in rows] == [("nextrainer-first-step", "error")]
    assert "ref_log_prob" in rows[0].message and "first training step" in rows[0].message


def test_the_distillation_update_never_reads_use_kl_loss(tmp_path: Path) -> None:
    text = puts(OPD, {f"{ACTOR['1.4']}.use_kl_loss": "true", f"{TEACHER}.use_kl_loss": "true"})
    assert found(tmp_path, text, "1.4") == []


@pytest.mark.parametrize("version", ["1.0", "1.4"])
def test_dynamic_batches_stop_the_update(tmp_path: Path, version: str) -> None:
    key = f"{ACTOR[version]}.use_dynamic_bsz"
    text = put(base(version), key, "true")
    assert found(tmp_path, text, version) == [("nextrainer-first-step", "error", key)]


def test_dynamic_batches_stop_the_distillation_update_not_the_teacher(tmp_path: Path) -> None:
    student, teacher = f"{ACTOR['1.4']}.use_dynamic_bsz", f"{TEACHER}.use_dynamic_bsz"
    text = puts(OPD, {student: "true", teacher: "true"})
    rows = [f for f in run(tmp_path, text, "1.4") if f.rule == "nextrainer-first-step"]
    assert [f.key for f in rows] == [student]
    assert "distillation update" in rows[0].message


@pytest.mark.parametrize("version", ["1.0", "1.4"])
def test_a_null_micro_batch_leaves_the_update_without_one(tmp_path: Path, version: str) -> None:
    key = f"{ACTOR[version]}.ppo_micro_batch_size"
    text = put(base(version), key, "null")
    assert found(tmp_path, text, version) == [("nextrainer-first-step", "error", key)]


def test_a_teacher_needs_no_micro_batch(tmp_path: Path) -> None:
    text = put(OPD, f"{TEACHER}.ppo_micro_batch_size", "null")
    assert found(tmp_path, text, "1.4", *OWN, "micro-batch-size", "invalid-type") == []


@pytest.mark.parametrize("version", ["1.0", "1.4"])
def test_a_null_log_prob_micro_batch_where_log_probs_are_computed(
    tmp_path: Path, version: str
) -> None:
    key = f"{ACTOR[version]}.rollout.log_prob_micro_batch_size"
    text = put(base(version), key, "null")
    rows = [f for f in run(tmp_path, text, version) if f.rule == "nextrainer-first-step"]
    assert [(f.key, f.severity.value) for f in rows] == [(key, "error")]
    assert "do_old_log_prob_compute is unset" in rows[0].message
    # without recomputed log-probabilities, nothing reads it
    off = put(text, "trainer.algorithm.do_old_log_prob_compute", "false")
    assert found(tmp_path, off, version) == []


def test_the_teacher_always_computes_log_probs_the_student_on_request(tmp_path: Path) -> None:
    student = f"{ACTOR['1.4']}.rollout.log_prob_micro_batch_size"
    teacher = f"{TEACHER}.rollout.log_prob_micro_batch_size"
    text = puts(OPD, {student: "null", teacher: "null"})
    assert found(tmp_path, text, "1.4") == [("nextrainer-first-step", "error", teacher)]
    text = put(text, "trainer.algorithm.do_old_student_log_prob_compute", "true")
    assert sorted(found(tmp_path, text, "1.4")) == sorted(
        [("nextrainer-first-step", "error", key) for key in (student, teacher)]
    )


def test_a_mock_backend_runs_no_workers(tmp_path: Path) -> None:
    actor = ACTOR["1.4"]
    text = puts(
        base("1.4"),
        {
            "service.train_service.main_actor.backend": "mock",
            f"{actor}.use_kl_loss": "true",
            f"{actor}.use_dynamic_bsz": "true",
        },
    )
    assert found(tmp_path, text, "1.4") == []


def test_the_message_names_where_log_probs_are_asked_for(tmp_path: Path) -> None:
    key = f"{ACTOR['1.4']}.rollout.log_prob_micro_batch_size"
    text = puts(base("1.4"), {key: "null", "trainer.algorithm.do_old_log_prob_compute": "true"})
    (row,) = [f for f in run(tmp_path, text, "1.4") if f.rule == "nextrainer-first-step"]
    assert re.search(r"do_old_log_prob_compute is true \(run\.yaml:\d+\)", row.message)


# -- train-service-url ------------------------------------------------------------------------

URL = {"1.0": "service.train_service.url", "1.4": "service.train_service.main_actor.url"}


@pytest.mark.parametrize(
    ("version", "url", "bad"),
    [
        ("1.0", "10.0.0.1:8000", True),  # used as written before 1.3
        ("1.4", "10.0.0.1:8000", False),  # 1.3 on: urlparse finds no scheme, http:// is added
        ("1.4", "localhost:8000", True),  # urlparse reads "localhost" as the scheme
        ("1.0", "localhost:8000", True),
        ("1.4", "ftp://trainer:8000", True),
        ("1.4", "http://trainer:8000/v1", True),  # /v1/initialize: 404
        ("1.0", "http://trainer:8000/", False),  # the trailing / is stripped
        ("1.4", "https://trainer:8000", False),
    ],
)
def test_the_url_nexrl_sends_its_first_request_to(
    tmp_path: Path, version: str, url: str, bad: bool
) -> None:
    text = put(base(version), URL[version], f'"{url}"')
    rows = found(tmp_path, text, version, "train-service-url")
    assert rows == ([("train-service-url", "error", URL[version])] if bad else [])


def test_the_message_says_why_no_scheme_is_added(tmp_path: Path) -> None:
    text = put(base("1.4"), URL["1.4"], '"api-server:8000"')
    (row,) = [f for f in run(tmp_path, text, "1.4") if f.rule == "train-service-url"]
    assert '"api-server" before its ":" reads as one, so NexRL adds no http://' in row.message
    assert row.hint == "Write `http://api-server:8000`."


def test_a_url_waiting_on_a_variable_is_judged_by_its_start(tmp_path: Path) -> None:
    unset = put(base("1.0"), URL["1.0"], '"${oc.env:API_SERVER_URL}:8000"')
    assert found(tmp_path, unset, "1.0", "train-service-url") == []
    written = put(base("1.0"), URL["1.0"], '"trainer:${oc.env:API_PORT}"')
    assert found(tmp_path, written, "1.0", "train-service-url") == [
        ("train-service-url", "error", URL["1.0"])
    ]


def test_the_teacher_url_too_and_not_a_mock_service(tmp_path: Path) -> None:
    teacher = "service.train_service.teacher.url"
    assert found(tmp_path, put(OPD, teacher, '"teacher:8000"'), "1.4", "train-service-url") == [
        ("train-service-url", "error", teacher)
    ]
    mock = puts(
        base("1.4"), {"service.train_service.main_actor.backend": "mock", URL["1.4"]: '"x"'}
    )
    assert found(tmp_path, mock, "1.4", "train-service-url") == []


# -- nextrainer-no-effect -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["zmq_recv_timeout_ms", "zmq_total_timeout_ms"])
def test_the_zmq_timeouts_never_reach_the_zmq_clients(tmp_path: Path, name: str) -> None:
    key = f"service.train_service.main_actor.config.{name}"
    rows = found(tmp_path, put(base("1.4"), key, "1000"), "1.4", "nextrainer-no-effect")
    assert rows == [("nextrainer-no-effect", "warning", key)]


def test_an_external_lib_is_never_imported(tmp_path: Path) -> None:
    key = f"{ACTOR['1.0']}.model.external_lib"
    rows = found(tmp_path, put(base("1.0"), key, "my_models"), "1.0", "nextrainer-no-effect")
    assert rows == [("nextrainer-no-effect", "warning", key)]
    assert found(tmp_path, put(base("1.0"), key, "null"), "1.0", "nextrainer-no-effect") == []


@pytest.mark.parametrize("version", ["1.0", "1.4"])
def test_a_warmup_needs_the_total_steps(tmp_path: Path, version: str) -> None:
    optim = f"{ACTOR[version]}.optim"
    text = put(base(version), f"{optim}.lr_warmup_steps_ratio", "0.1")
    rows = [f for f in run(tmp_path, text, version) if f.rule == "nextrainer-no-effect"]
    assert [(f.key, f.severity.value) for f in rows] == [
        (f"{optim}.lr_warmup_steps_ratio", "warning")
    ]
    assert "total_training_steps is not set" in rows[0].message
    total = put(text, f"{optim}.total_training_steps", "200")
    assert found(tmp_path, total, version, "nextrainer-no-effect") == []
    # NexRL's recipes write a ratio of 0.0: nothing to say
    assert found(tmp_path, base(version), version, "nextrainer-no-effect") == []


# -- distillation-range -------------------------------------------------------------------------

STUDENT = ACTOR["1.4"]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"train_token_start_pct": "0.8", "train_token_end_pct": "0.5"}, "train_token_start_pct"),
        ({"train_token_start_pct": "0.5", "train_token_end_pct": "0.5"}, "train_token_start_pct"),
        ({"train_token_start_pct": "0.5", "train_token_end_pct": "1.5"}, "train_token_end_pct"),
        ({"advantage_start_pct": "0.2", "advantage_end_pct": "1.5"}, "advantage_end_pct"),
        ({"entropy_start_pct": "-0.1", "entropy_end_pct": "0.5"}, "entropy_start_pct"),
    ],
)
def test_a_selected_range_nexrl_fails_on(
    tmp_path: Path, changes: dict[str, str], expected: str
) -> None:
    text = puts(OPD, {f"{STUDENT}.{k}": v for k, v in changes.items()})
    assert found(tmp_path, text, "1.4", "distillation-range") == [
        ("distillation-range", "error", f"{STUDENT}.{expected}")
    ]


@pytest.mark.parametrize(
    "changes",
    [
        {"train_token_start_pct": "0.5"},  # the second half of each response
        {"advantage_end_pct": "1.5"},  # start 0 and end >= 1: nothing is selected
        {"entropy_start_pct": "-0.5"},
        {"advantage_start_pct": "0.3", "advantage_end_pct": "0.3"},
    ],
)
def test_a_range_nexrl_runs(tmp_path: Path, changes: dict[str, str]) -> None:
    text = puts(OPD, {f"{STUDENT}.{k}": v for k, v in changes.items()})
    assert found(tmp_path, text, "1.4", "distillation-range") == []


def test_a_reversed_percentile_range_trains_nothing(tmp_path: Path) -> None:
    text = puts(OPD, {f"{STUDENT}.entropy_start_pct": "0.6", f"{STUDENT}.entropy_end_pct": "0.4"})
    assert found(tmp_path, text, "1.4", "distillation-range") == [
        ("distillation-range", "warning", f"{STUDENT}.entropy_start_pct")
    ]


def test_only_the_student_and_only_under_distillation(tmp_path: Path) -> None:
    reversed_ = {"train_token_start_pct": "0.8", "train_token_end_pct": "0.5"}
    teacher = puts(OPD, {f"{TEACHER}.{k}": v for k, v in reversed_.items()})
    assert found(tmp_path, teacher, "1.4", "distillation-range") == []
    grpo = puts(base("1.4"), {f"{STUDENT}.{k}": v for k, v in reversed_.items()})
    assert found(tmp_path, grpo, "1.4", "distillation-range") == []


# -- worker-group -------------------------------------------------------------------------------


@pytest.mark.parametrize(("version", "flagged"), [("1.0", True), ("1.1", True), ("1.4", False)])
def test_the_identifier_must_name_a_launched_worker_group(
    tmp_path: Path, version: str, flagged: bool
) -> None:
    key = "service.train_service.identifier"
    text = put(base("1.0"), key, '"default"')  # base 1.0 launches the group "actor"
    rows = found(tmp_path, text, version, "worker-group")
    assert rows == ([("worker-group", "error", key)] if flagged else [])
    assert found(tmp_path, put(base("1.0"), key, '"actor"'), version, "worker-group") == []


def test_without_the_launcher_any_identifier_goes(tmp_path: Path) -> None:
    text = puts(base("1.0"), {"service.train_service.identifier": '"default"', "resource": None})
    assert found(tmp_path, text, "1.0", "worker-group") == []


# -- weight-provider: the provider with a disk sync --------------------------------------------


@pytest.mark.parametrize("version", ["1.0", "1.4"])
def test_the_weight_provider_writes_nothing_for_a_disk_sync(tmp_path: Path, version: str) -> None:
    key = f"{ACTOR[version]}.rollout.use_weight_provider"
    text = put(base(version), key, "true")
    assert found(tmp_path, text, version, "weight-provider") == [("weight-provider", "error", key)]
    # the teacher never saves the weights the sync loads
    teacher = put(OPD, f"{TEACHER}.rollout.use_weight_provider", "true")
    assert found(tmp_path, teacher, "1.4", "weight-provider") == []


# -- optim-betas --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("betas", "bad"),
    [
        ("[0.9, 0.999]", False),
        ("[0.0, 0.5]", False),
        ("[0.9, 1.0]", True),
        ("[-0.1, 0.9]", True),
        ("[0.9]", True),
        ("[0.9, 0.99, 0.999]", True),
    ],
)
def test_adamw_betas(tmp_path: Path, betas: str, bad: bool) -> None:
    key = f"{ACTOR['1.4']}.optim.betas"
    rows = found(tmp_path, put(base("1.4"), key, betas), "1.4", "optim-betas")
    assert rows == ([("optim-betas", "error", key)] if bad else [])
