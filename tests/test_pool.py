"""Checking on every core (`pool`): the same report as one process, in the same order; a
worker that dies costs its file one internal-error finding and nothing else; a short run and
standard input stay in this process."""

from __future__ import annotations

import json
import os
import time
from collections import deque
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLES
from helpers import CLUSTER, HARDENING, cli, seed

from nexrl_cfg import pool
from nexrl_cfg.check import Checker, FileResult, Settings

# Enough files that the run uses its workers (`pool.MIN_FILES`), in folders of a few each,
# some with mistakes, some sharing their base file.
CONFIGS = pool.MIN_FILES + 16


def project(root: Path) -> Path:
    base = (HARDENING / "base.yaml").read_text(encoding="utf-8")
    for index in range(CONFIGS):
        folder = root / f"group{index % 5}" / f"case{index}"
        folder.mkdir(parents=True)
        (folder / "base.yaml").write_text(base, encoding="utf-8")
        text = seed()
        if index % 3 == 0:
            text = text.replace("max_tokens:", "max_tokenz:", 1)
        if index % 4 == 1:
            text = text.replace("sglang", "sglnag", 1)
        (folder / "run.yaml").write_text(text, encoding="utf-8")
    return root


def report(root: Path, *args: str) -> tuple[int, str]:
    ran = cli(["check", "--format", "json", "--nexrl-version", "1.0", *args, "."], cwd=root)
    return ran.returncode, ran.out


def test_two_workers_report_what_one_process_reports(tmp_path: Path) -> None:
    root = project(tmp_path)
    one = report(root, "--jobs", "1")
    two = report(root, "--jobs", "2")
    assert one == two
    document = json.loads(one[1])
    assert document["summary"]["files"] == 2 * CONFIGS
    assert {f["rule"] for f in document["findings"]} >= {"unknown-key", "invalid-choice"}


def test_the_text_report_and_the_fixes_agree_too(tmp_path: Path) -> None:
    root = project(tmp_path)
    env = {**CLUSTER}
    one = cli(["check", "--nexrl-version", "1.0", "-j", "1", "."], cwd=root, env=env)
    two = cli(["check", "--nexrl-version", "1.0", "-j", "2", "."], cwd=root, env=env)
    assert (one.returncode, one.out) == (two.returncode, two.out)
    diff = cli(["check", "--nexrl-version", "1.0", "-j", "2", "--diff", "."], cwd=root, env=env)
    assert diff.returncode == 1 and "+    backend: sglang" in diff.out


def test_a_short_run_stays_in_this_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*args: object) -> None:
        raise AssertionError("a short run started workers")

    monkeypatch.setattr(pool, "_Pool", no_pool)
    paths = sorted(project(tmp_path).rglob("run.yaml"))[: pool.MIN_FILES - 1]
    here = Checker(Settings(environ={}, nexrl_version="1.0"))
    results = list(pool.check_files(here, [(p, True) for p in paths], 2, _dying, None))
    assert [r.path for r in results] == [str(p) for p in paths]
    assert pool.workers(3) == 3 and pool.workers(None) >= 1


def test_tasks_keep_each_folder_group_together_and_in_order() -> None:
    inputs = [(Path(f"r/g{i % 3}/c{i}/run.yaml"), False) for i in range(60)]
    inputs.sort(key=lambda item: str(item[0]))
    tasks = pool.tasks(inputs, 2)
    assert sorted(i for task in tasks for i in task) == list(range(60))
    assert all(task == sorted(task) for task in tasks)


def test_tasks_shrink_toward_the_end_of_the_run() -> None:
    """The first tasks are large, the last a group of folders each: no worker is left alone
    with a large one at the end."""
    inputs = [(Path(f"r/c{i // 4:03}/f{i % 4}.yaml"), False) for i in range(800)]
    sizes = [len(task) for task in pool.tasks(inputs, 2)]
    assert sum(sizes) == 800 and sizes[0] >= 80
    assert sizes[-4:] == [4, 4, 4, 4]
    assert all(len(task) % 4 == 0 for task in pool.tasks(inputs, 2))  # groups stay whole


def _dying(argument: object) -> Checker:
    """A worker's checker that ends its process on the file named boom."""
    checker = Checker(Settings(environ={}, nexrl_version="1.0"))
    checked = checker.checked

    def checked_or_die(path: Path, named: bool, check: object = None) -> FileResult:
        if "boom" in str(path):
            os._exit(3)
        return checked(path, named)

    checker.checked = checked_or_die  # type: ignore[method-assign]
    return checker


@pytest.mark.skipif(pool._method() != "fork", reason="the dying checker is passed by fork")
def test_a_worker_that_dies_costs_its_file_one_finding(tmp_path: Path) -> None:
    root = project(tmp_path)
    paths = sorted(root.rglob("run.yaml"))
    paths[7] = paths[7].rename(paths[7].with_name("boom.yaml"))
    inputs = [(path, True) for path in paths]
    here = Checker(Settings(environ={}, nexrl_version="1.0"))
    results = list(pool.check_files(here, inputs, 2, _dying, None))
    assert [r.path for r in results] == [str(p) for p in paths]
    died = results[7]
    assert died.kind == "error" and [f.rule for f in died.findings] == ["internal-error"]
    assert "exit code 3" in died.findings[0].message
    alone = list(Checker(Settings(environ={}, nexrl_version="1.0")).check_files(inputs[8:]))
    assert [r.findings for r in results[8:]] == [r.findings for r in alone]


class _Sent:
    """A worker's end of the pipe as the pool sees it: what was sent to it."""

    def __init__(self) -> None:
        self.sent: list[object] = []

    def send(self, message: object) -> None:
        self.sent.append(message)

    def close(self) -> None:
        pass


class _Done:
    """A worker process that has ended."""

    exitcode = -9

    def join(self, timeout: float | None = None) -> None:
        pass

    def is_alive(self) -> bool:
        return False


def _idle_pool(tasks: list[list[int]]) -> tuple[pool._Pool, Any, _Sent]:
    here = Checker(Settings(environ={}, nexrl_version="1.0"))
    inputs = [(Path(f"c{i}.yaml"), True) for i in range(1 + max(max(t) for t in tasks))]
    run = pool._Pool(here, inputs, tasks, 1, _dying, None)
    connection = _Sent()
    worker = pool._Worker(_Done(), connection)  # type: ignore[arg-type]
    run.workers[connection] = worker  # type: ignore[index]
    return run, worker, connection


def test_a_worker_holds_its_next_task_before_it_ends_the_one_it_checks() -> None:
    """A worker never waits for this process between tasks: the next one is in its pipe."""
    run, worker, connection = _idle_pool([[0, 1], [2], [3, 4]])
    run._assign(worker)
    assert connection.sent == [[0, 1], [2]]
    run._take(worker, ("done", [(0, "entry", [], {}), (1, "entry", [], {})], set(), {}))
    assert connection.sent == [[0, 1], [2], [3, 4]] and set(run.results) == {0, 1}
    run._take(worker, ("done", [(2, "entry", [], {})], set(), {}))
    assert connection.sent[-1] == [3, 4] and run.workers  # nothing left, one task held
    run._take(worker, ("done", [(3, "entry", [], {}), (4, "entry", [], {})], set(), {}))
    assert connection.sent[-1] is None and not run.workers


def test_a_lost_worker_has_its_task_checked_again_file_by_file() -> None:
    """The results of a task come when it is done: the files of the task a worker was
    checking are checked again, each on its own (the one that stops a worker again is then
    known); the task sent ahead goes back as it was."""
    run, worker, _ = _idle_pool([[0, 1, 2], [3, 4], [5]])
    run._assign(worker)
    worker.ready = True
    run.jobs = 0  # no other worker is started: the queue shows what went back
    run._lost(worker)
    assert not run.results
    assert list(run.queue) == [[0], [1], [2], [3, 4], [5]]


def test_a_worker_lost_on_one_file_again_costs_that_file_one_finding() -> None:
    """A one-file task is checked once more (the worker may have been killed from outside);
    a file that stops a worker again, on its own, costs one internal-error finding."""
    run, worker, _ = _idle_pool([[1], [3, 4]])
    run._assign(worker)
    worker.ready = True
    run.jobs = 0
    run._lost(worker)
    assert not run.results and list(run.queue) == [[1], [3, 4]]
    run.queue.popleft()
    worker.tasks = deque([[1]])
    run._lost(worker)
    assert run.results[1][0] == "stopped" and "signal 9" in run.results[1][1]
    assert list(run.queue) == [[3, 4]]


def test_a_worker_sends_each_finding_once() -> None:
    """A finding the worker has sent with an earlier file is not sent again: the run reports
    it with the first file that has it in any case."""
    broken = SAMPLES / "invalid" / "deprecated.yaml"
    checker = Checker(Settings(environ={}, nexrl_version="1.0"))
    shown: dict[tuple[str, int, int, str, str], int] = {}
    first = pool._one(checker, 3, broken, True, shown)
    again = pool._one(checker, 4, broken, True, shown)
    assert first[1] == again[1] == "entry" and first[2]
    assert again[2] == [] and again[3] == {}


def test_a_file_before_those_a_worker_has_sent_is_sent_whole() -> None:
    """A task given back by a worker that stopped comes to another after later files: what
    it has is sent again, since the run reports a finding with the first file that has it."""
    broken = SAMPLES / "invalid" / "deprecated.yaml"
    checker = Checker(Settings(environ={}, nexrl_version="1.0"))
    shown: dict[tuple[str, int, int, str, str], int] = {}
    later = pool._one(checker, 7, broken, True, shown)
    earlier = pool._one(checker, 2, broken, True, shown)
    assert earlier[2] == later[2] and earlier[3] == later[3]
    assert pool._one(checker, 5, broken, True, shown)[2] == []


def _square(n: int) -> int:
    return n * n


def test_shared_out_gives_the_results_in_order_from_every_share() -> None:
    items = list(range(23))
    for jobs in (1, 2, 3, 40):
        assert pool.shared_out(_square, items, jobs) == [n * n for n in items]
    assert pool.shared_out(_square, [], 2) == []


def _slow_first(n: int) -> int:
    if n == 0:
        time.sleep(0.5)
    return os.getpid()


@pytest.mark.skipif(pool._method() != "fork", reason="shared out only where workers fork")
def test_shared_out_gives_the_next_item_to_the_process_that_is_free() -> None:
    """A costly item does not hold back the items after it: the other process takes them
    (a fixed share would leave half of them to the process busy with the first)."""
    pids = pool.shared_out(_slow_first, list(range(40)), 2)
    assert len(set(pids)) == 2
    assert pids.count(pids[0]) < 10


def test_a_worker_that_dies_costs_its_share_nothing_but_time() -> None:
    parent = os.getpid()

    def dies_in_a_worker(n: int) -> int:
        if os.getpid() != parent:
            os._exit(3)
        return n + 1

    assert pool.shared_out(dies_in_a_worker, list(range(9)), 3) == list(range(1, 10))


def test_a_run_that_shows_no_notes_keeps_no_line_for_them() -> None:
    sample = SAMPLES / "valid" / "http_nextrainer.yaml"  # unset variables: notes
    settings = Settings(environ={}, nexrl_version="1.0")
    with_notes, without = Checker(settings), Checker(settings, note_lines=False)
    findings = without.check_file(sample).findings
    with_notes.check_file(sample)
    notes = {(f.file, f.line) for f in findings if f.severity.name == "INFO"}
    shown = {(f.file, f.line) for f in findings if f.severity.name != "INFO"}
    assert notes - shown, "the sample has notes on lines of their own"
    assert set(without.lines(findings)) == shown
    assert set(with_notes.lines(findings)) == notes | shown
    assert all(key not in without._shown for key in notes - shown)


def test_findings_from_a_worker_share_their_texts() -> None:
    import pickle

    from nexrl_cfg.finding import Finding, Severity, Span

    made = [
        Finding(
            "env-unset", Severity.INFO, "".join(["${oc.env:X} ", "is not set"]), Span("a", 1, 1)
        )
        for _ in range(2)
    ]
    assert made[0].message is not made[1].message
    sent = pickle.loads(pickle.dumps(made))
    assert sent == made and sent[0].message is sent[1].message


def test_spawned_workers_take_a_request_with_the_default_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where workers are spawned (macOS, Windows), each is sent the run's request: one that
    leaves every setting at its default must pickle, and report what forked workers do."""
    from nexrl_cfg import app

    root = project(tmp_path)
    monkeypatch.chdir(root)
    forked = app.check(app.CheckRequest(["."]))
    monkeypatch.setattr(pool, "_method", lambda: "spawn")
    monkeypatch.setattr(pool, "workers", lambda setting: 2)  # on a machine of one core too
    spawned = app.check(app.CheckRequest(["."]))
    assert spawned.exit_code == forked.exit_code == 1
    assert [(f.file, f.line, f.rule) for f in spawned.findings] == [
        (f.file, f.line, f.rule) for f in forked.findings
    ]


def _spied_fixes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each grouped fixing of the run was merged (False: done again at once)."""
    from nexrl_cfg import app

    merged: list[bool] = []
    real = app._merged_fixes

    def spy(*args: Any) -> Any:
        out = real(*args)
        merged.append(out is not None)
        return out

    monkeypatch.setattr(app, "_merged_fixes", spy)
    return merged


def _diffs(root: Path) -> list[tuple[int, str, str]]:
    runs = [
        cli(["check", "--nexrl-version", "1.0", "-j", jobs, "--diff", "."], cwd=root, env=CLUSTER)
        for jobs in ("1", "2")
    ]
    return [(ran.returncode, ran.out, ran.err) for ran in runs]


def test_fixes_made_on_every_core_are_those_of_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path)
    for run in sorted(root.rglob("run.yaml"))[::6]:  # read once renamed, "maybe": not fixed
        text = run.read_text(encoding="utf-8")
        run.write_text(text.replace("need_llm_inference: true", 'need_llm_infrence: "maybe"', 1))
    monkeypatch.chdir(root)
    merged = _spied_fixes(monkeypatch)
    fixes = app_fix(root, jobs=2)
    assert merged == [True]
    assert fixes.changed() and fixes.dropped
    alone = app_fix(root, jobs=1)
    assert fixes.diff() == alone.diff() and fixes.dropped == alone.dropped
    one, two = _diffs(root)
    assert one == two and one[0] == 1 and "not fixed: " in one[2]


def test_groups_that_read_one_file_are_fixed_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A config group three levels below its config is a group of folders of its own, and the
    # run of each group reads its option: neither may decide a fix of it alone.
    root = project(tmp_path)
    run = sorted(root.rglob("run.yaml"))[0]
    text = run.read_text(encoding="utf-8").replace("  keep_batch_order: true\n", "", 1)
    run.write_text(text.replace("  - base\n", "  - base\n  - deep/a/b/extra\n", 1))
    extra = run.parent / "deep" / "a" / "b"
    extra.mkdir(parents=True)
    # A fragment its own group checks too (its keys are NexRL's): both groups compose it.
    (extra / "extra.yaml").write_text(
        "# @package _global_\nrollout_worker:\n  num_workers: 4\ndata:\n  keep_bacth_order: true\n"
    )
    merged = _spied_fixes(monkeypatch)
    fixes = app_fix(root, jobs=2)
    assert merged == [False]
    assert fixes.changed()
    assert fixes.diff() == app_fix(root, jobs=1).diff()


def app_fix(root: Path, jobs: int) -> Any:
    from nexrl_cfg import app

    request = app.CheckRequest([str(root)], {"nexrl_version": "1.0", "jobs": jobs})
    return app.fix(request)


def test_fixing_by_group_tells_its_progress_in_files(tmp_path: Path) -> None:
    from nexrl_cfg import app

    root = project(tmp_path)
    for jobs in (1, 2):
        told: list[tuple[int, int]] = []
        request = app.CheckRequest(
            [str(root)],
            {"nexrl_version": "1.0", "jobs": jobs},
            progress=lambda done, total, told=told: told.append((done, total)),
        )
        app.fix(request)
        assert told and {total for _, total in told} == {2 * CONFIGS}
        done = [count for count, _ in told]
        assert done == sorted(done) and all(0 < count <= 2 * CONFIGS for count in done)
        if jobs == 1:  # a group at a time, a folder of two files each
            assert done == list(range(2, 2 * CONFIGS + 1, 2))


def test_a_yaml_file_above_the_groups_does_not_make_them_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files only looked at for the configs that include a group's files (a repository's
    `.pre-commit-config.yaml`, another tool's YAML beside the groups) are not files the
    groups share: the run is not fixed a second time at once."""
    text = seed("sglang", "sglnag")
    base = (HARDENING / "base.yaml").read_text(encoding="utf-8")
    recipes = tmp_path / "recipes"
    for index in range(CONFIGS):
        folder = recipes / f"g{index}"
        folder.mkdir(parents=True)
        (folder / "run.yaml").write_text(text, encoding="utf-8")
        (folder / "base.yaml").write_text(base, encoding="utf-8")
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    merged = _spied_fixes(monkeypatch)
    grouped = app_fix(recipes, jobs=2)
    assert merged == [True] and len(grouped.changed()) == CONFIGS


def test_fixes_by_group_come_in_the_order_of_one_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder three levels down is a group of its own, listed after its parent's files;
    the diff, the files written and the fixes not made still come in the order of the
    findings, as when the run is fixed at once."""
    from nexrl_cfg import app

    text = seed("sglang", "sglnag", "need_llm_inference: true", 'need_llm_infrence: "maybe"')
    base = (HARDENING / "base.yaml").read_text(encoding="utf-8")
    for folder in ("a", "a/h", "a/b/c/d"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "run.yaml").write_text(text, encoding="utf-8")
        (tmp_path / folder / "base.yaml").write_text(base, encoding="utf-8")
    merged = _spied_fixes(monkeypatch)
    grouped = app_fix(tmp_path, jobs=1)
    assert merged == [True]
    monkeypatch.setattr(app, "_fixed_by_group", lambda run, boundary: None)
    whole = app_fix(tmp_path, jobs=1)
    names = [c.name for c in grouped.changed().values()]
    assert names == sorted(names) and len(names) == 3
    assert grouped.diff() == whole.diff() and grouped.dropped == whole.dropped
    assert [f.file for f, _ in grouped.dropped] == sorted(f.file for f, _ in grouped.dropped)


def test_shared_out_without_descriptors_left_works_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pipe() -> tuple[int, int]:
        raise OSError(24, "Too many open files")

    monkeypatch.setattr(os, "pipe", no_pipe)
    assert pool.shared_out(_square, list(range(7)), 3) == [n * n for n in range(7)]
