"""The command line: exit codes, the JSON document, explain and schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SAMPLES
from typer.testing import CliRunner

from nexrl_cfg.cli import app
from nexrl_cfg.rules import all_rules
from nexrl_cfg.schema import dumps

VALID = SAMPLES / "valid"
INVALID = SAMPLES / "invalid"
CLEAN = str(VALID / "self_hosted_dev.yaml")


@pytest.fixture(autouse=True)
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_env: None) -> None:
    """Run from a folder with no project settings, with no NexRL variable set."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)


def cli(*args: str) -> Any:
    # The samples and configs here are written in NexRL 1.0's shape.
    if args[:1] == ("check",) and "--nexrl-version" not in args:
        args = ("check", "--nexrl-version", "1.0", *args[1:])
    return CliRunner().invoke(app, list(args))


def report(*args: str) -> dict[str, Any]:
    result = cli("check", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


# -- check: exit codes ----------------------------------------------------------------------


def test_clean_config_exits_0() -> None:
    result = cli("check", CLEAN)
    assert result.exit_code == 0, result.output
    assert "All checks passed (1 file checked)." in result.stdout


def test_errors_exit_1() -> None:
    result = cli("check", str(INVALID / "invalid_choice.yaml"))
    assert result.exit_code == 1
    assert "error [invalid-choice]" in result.stdout


def test_warnings_exit_0_unless_strict() -> None:
    sample = str(INVALID / "unknown_key.yaml")  # written for NexRL 1.4
    assert cli("check", "--nexrl-version", "1.4", sample).exit_code == 0
    assert cli("check", "--nexrl-version", "1.4", "--strict", sample).exit_code == 1


def test_notes_never_fail() -> None:
    assert cli("check", "--strict", str(INVALID / "train_backend.yaml")).exit_code == 0


def test_require_env_turns_an_unset_variable_into_a_failure() -> None:
    sample = str(INVALID / "env_unset.yaml")
    assert cli("check", sample).exit_code == 0
    result = cli("check", "--require-env", "--format", "json", sample)
    assert result.exit_code == 1
    assert [f["severity"] for f in json.loads(result.stdout)["findings"]] == ["error"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("check", "no/such/file.yaml"), "path not found"),
        (("check", "--select", "no-such-rule", CLEAN), "unknown rule"),
        (("check", "--ignore", "max-tokens-match,nope", CLEAN), "nope"),
        (("check", "--format", "xml", CLEAN), "is not one of"),
        (("explain", "no_such_option_anywhere"), "no option or rule"),
    ],
)
def test_a_check_that_cannot_run_exits_2(args: tuple[str, ...], says: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert says in result.stderr
    assert "Traceback" not in result.output


def test_select_and_ignore_choose_rules() -> None:
    sample = str(INVALID / "invalid_type.yaml")
    assert cli("check", "--ignore", "invalid-type", sample).exit_code == 0
    assert cli("check", "--select", "invalid-type", sample).exit_code == 1
    assert cli("check", "--select", "max-tokens-match", sample).exit_code == 0


# -- check: output --------------------------------------------------------------------------


def test_json_document_shape() -> None:
    sample = INVALID / "invalid_choice.yaml"
    document = report("--nexrl-version", "1.4", str(sample))
    assert set(document) == {"findings", "summary"}
    versions = [{"version": "1.4", "source": "--nexrl-version"}]
    assert document["summary"] == {
        "files": 1,
        "checked": 1,
        "skipped": 0,
        "errors": 1,
        "warnings": 0,
        "infos": 0,
        "nexrl_versions": versions,
    }
    (finding,) = document["findings"]
    keys = {"file", "line", "column", "rule", "severity", "message", "key", "hint", "fixes"}
    assert set(finding) == keys
    assert finding["file"].endswith("invalid_choice.yaml")
    lines = sample.read_text(encoding="utf-8").splitlines()
    assert (finding["line"], finding["column"]) == (lines.index("    backend: sglan") + 1, 14)
    assert finding["rule"] == "invalid-choice"
    assert finding["severity"] == "error"
    assert finding["key"] == "service.inference_service.backend"
    assert finding["hint"] == "Did you mean 'sglang'?"
    assert finding["fixes"][0]["text"] == "sglang"


def test_json_positions_are_1_based_and_file_findings_have_no_key() -> None:
    document = report(str(INVALID / "not_a_config.yaml"), str(INVALID / "yaml_syntax.yaml"))
    assert document["summary"]["files"] == 2
    first, second = document["findings"]
    assert (first["line"], first["column"], first["key"]) == (1, 1, "")
    assert first["rule"] == "not-a-config"
    assert (second["line"], second["column"], second["rule"]) == (38, 12, "yaml-syntax")


def test_json_summary_counts_every_severity() -> None:
    document = report(str(INVALID))
    summary = document["summary"]
    assert summary["files"] == len(list(INVALID.glob("*.yaml")))
    for severity, name in (("error", "errors"), ("warning", "warnings"), ("info", "infos")):
        count = sum(1 for f in document["findings"] if f["severity"] == severity)
        assert summary[name] == count > 0


def test_a_folder_of_valid_configs_is_clean() -> None:
    # The samples written for NexRL 1.0 (those written for 1.4 say so at their head).
    names = [p for p in sorted(VALID.glob("*.yaml")) if "nexrl-version: 1.4" not in p.read_text()]
    document = report("--quiet", *map(str, names))
    assert document == {
        "findings": [],
        "summary": {
            "files": len(names),
            "checked": len(names),
            "skipped": 0,
            "errors": 0,
            "warnings": 0,
            "infos": 0,
            "nexrl_versions": [{"version": "1.0", "source": "--nexrl-version"}],
        },
    }


def test_text_output_shows_place_source_marker_and_hint() -> None:
    result = cli("check", "--nexrl-version", "1.4", "--no-color", str(INVALID / "unknown_key.yaml"))
    lines = result.stdout.splitlines()
    head = next(i for i, line in enumerate(lines) if "[unknown-key]" in line)
    sample = (INVALID / "unknown_key.yaml").read_text().splitlines()
    at = next(n for n, line in enumerate(sample, 1) if line.strip().startswith("max_retry:"))
    assert lines[head].endswith(f"unknown_key.yaml:{at}:5: warning [unknown-key]")
    assert lines[head + 1].startswith("  unknown option 'max_retry'")
    assert lines[head + 3] == f"{at} |     max_retry: 3"
    assert lines[head + 4].index("^") == lines[head + 3].index("max_retry")
    assert lines[head + 5] == " " * len(str(at)) + " = hint: Did you mean 'max_retries'?"
    assert lines[-3:] == [
        "Found 1 warning in 1 file (1 checked).",
        "For more on a rule: nexrl-cfg explain unknown-key or",
        "https://github.com/nexrl-cfg/nexrl-cfg/blob/main/docs/rules/unknown-key.md",
    ]


def test_a_literal_api_key_is_never_printed() -> None:
    sample = INVALID / "api_key_literal.yaml"
    secret = "sk-proj-Zq8rT2vX9mK4pL7nW3bY6cH1dF5gJ0sA"
    assert secret in sample.read_text()
    for fmt in ("text", "json"):
        result = cli("check", "--strict", "--format", fmt, str(sample))
        assert result.exit_code == 1  # a warning: NexRL runs with it, --strict fails on it
        assert "api-key-literal" in result.stdout
        assert secret not in result.output and secret[3:] not in result.output, fmt


def test_an_environment_value_is_never_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (VALID / "openai_api.yaml").read_text(encoding="utf-8")
    text = text.replace('"${oc.env:OPENAI_API_KEY}"', '"EMPTY"')
    text = text.replace('"https://api.openai.com"', '"${oc.env:OPENAI_BASE_URL}"')
    config = tmp_path / "hosted.yaml"
    config.write_text(text, encoding="utf-8")
    monkeypatch.setenv("OPENAI_BASE_URL", "https://api.openai.com/?token=s3cr3t-t0ken")
    for fmt in ("text", "json"):
        result = cli("check", "--format", fmt, str(config))
        assert "api-key-hosted" in result.stdout, fmt
        assert "${oc.env:OPENAI_BASE_URL}" in result.stdout, fmt
        assert "s3cr3t" not in result.output, fmt


# -- explain --------------------------------------------------------------------------------


def test_explain_backend_shows_every_backend_option() -> None:
    result = cli("explain", "backend")
    assert result.exit_code == 0
    text = result.stdout
    for path in ("service.inference_service.backend", "service.train_service.backend"):
        assert f"{path}\n{'=' * len(path)}" in text
    for part in (
        '"sglang", "vllm", "openai"',
        '"http", "nextrainer", "mock"',
        '"direct-zmq", "http"',
        'Deprecated:  "http" -> "direct-zmq"',
        "Inference backend type.",
        "Training service backend.",
        "Type:        string",
    ):
        assert part in text, part
    assert text.count("Example") >= 2


def test_explain_a_dotted_path_shows_one_option() -> None:
    result = cli("explain", "service.inference_service.backend")
    assert result.exit_code == 0
    assert result.stdout.startswith("service.inference_service.backend\n")
    assert "service.train_service.backend" not in result.stdout
    result = cli("explain", "service.train_service.backend")
    assert result.exit_code == 0
    # one entry per range of NexRL versions: direct-zmq exists from 1.3
    assert result.stdout.startswith("2 options are called 'service.train_service.backend'")
    assert "\nservice.inference_service.backend\n" not in result.stdout
    assert "backend: " in result.stdout  # an example


def test_explain_an_option_with_its_documented_examples() -> None:
    text = cli("explain", "max_retries").stdout
    for part in ("Range:       >= 1", "# High reliability", "max_retries: 10", "default"):
        assert part in text, part


def test_explain_says_when_an_option_is_required() -> None:
    # a condition on the training service around the section, and branches of several
    text = cli("explain", "service.train_service.actor.grad_clip").stdout
    assert 'Required:    unless the service\'s role is "teacher"' in text
    text = cli("explain", "service.train_service.actor.rollout.temperature").stdout
    assert (
        'unless (trainer.type is "self_hosted_grpo" and '
        "trainer.algorithm.do_old_log_prob_compute is false) or "
        '(trainer.type is "self_hosted_opd" and the service\'s role is "actor" and '
        "trainer.algorithm.do_old_student_log_prob_compute is false (or unset))"
    ) in " ".join(text.split())


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_explain_a_rule_prints_its_documentation(rule: Any) -> None:
    result = cli("explain", rule.id)
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{rule.id} ({rule.severity.value} by default")
    assert rule.doc.splitlines()[0] in result.stdout


def test_explain_list_names_every_rule_and_option() -> None:
    result = cli("explain", "--list")
    assert result.exit_code == 0
    for rule in all_rules():
        assert rule.id in result.stdout
    assert "service.train_service.actor.optim.lr_warmup_steps_ratio" in result.stdout


def test_explain_unknown_topic_suggests() -> None:
    result = cli("explain", "bakend")
    assert result.exit_code == 2
    assert "Did you mean: backend" in result.stderr


# -- schema ---------------------------------------------------------------------------------


def test_schema_prints_the_generated_schema() -> None:
    result = cli("schema")
    assert result.exit_code == 0
    assert result.stdout == dumps()
    assert json.loads(result.stdout)["$schema"].startswith("http://json-schema.org/draft-07")


def test_schema_output_writes_a_file(tmp_path: Path) -> None:
    target = tmp_path / "out.schema.json"
    result = cli("schema", "--output", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == dumps()


# -- as a module ----------------------------------------------------------------------------


def test_python_dash_m_runs_the_cli() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "nexrl_cfg", "check", "--nexrl-version", "1.0", CLEAN],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "All checks passed" in run.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "nexrl_cfg", "check", str(INVALID / "max_tokens_match.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1
    assert "[max-tokens-match]" in bad.stdout


def test_a_run_builds_only_the_command_it_names() -> None:
    from nexrl_cfg import cli

    def names(argv: list[str]) -> list[str]:
        return [c.callback.__name__ for c in cli._app_for(argv).registered_commands]  # type: ignore[union-attr]

    assert names(["check", "-q", "run.yaml"]) == ["check"]
    assert names(["diff", "a.yaml", "b.yaml"]) == ["diff_command"]
    whole = names(["--help"])
    assert len(whole) > 2 and names(["chek", "run.yaml"]) == whole  # an unknown command: all
    assert names(["--version", "check"]) == whole and names([]) == whole
    assert len(cli.app.registered_commands) == len(whole)  # the application is left whole


@pytest.mark.parametrize("words", [["--version"], ["--help"], ["check", "--help"]])
def test_version_and_help_load_no_rule_nor_the_catalogue(words: list[str]) -> None:
    code = (
        "import sys\n"
        "from nexrl_cfg.cli import main\n"
        f"sys.argv = ['nexrl-cfg', *{words!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('nexrl_cfg.rules.', 'nexrl_cfg.catalogue.sections', 'nexrl_cfg.config')\n"
        "print([m for m in sys.modules if m.startswith(heavy)], file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout and done.stderr.strip() == "[]"


def test_the_command_imports_with_the_collector_off_and_runs_with_it_tuned() -> None:
    """`nexrl-cfg` (`nexrl_cfg.__main__:main`) imports the command line with the garbage
    collector off, then runs with it on, what was loaded frozen out of its way."""
    code = (
        "import gc, os, sys\n"
        "import nexrl_cfg.__main__ as entry\n"
        "off = gc.isenabled()\n"
        "class Left(Exception):\n"
        "    pass\n"
        "def left(status):\n"
        "    raise Left(status)\n"
        "os._exit = left\n"
        "sys.argv = ['nexrl-cfg', '--version']\n"
        "try:\n"
        "    entry.main()\n"
        "except Left as exc:\n"
        "    status = exc.args[0]\n"
        "print(off, gc.isenabled(), gc.get_threshold()[0], gc.get_freeze_count() > 0, status)\n"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert shown.stdout.split()[-5:] == ["False", "True", "50000", "True", "0"]


def test_the_command_leaves_at_once_with_its_output_whole(tmp_path: Path) -> None:
    """The command leaves without taking the run apart (`__main__.leave`), once its output is
    flushed: every line and the exit code, on a pipe and in a report file; a message to
    print on exit still leaves the usual way."""
    folder = tmp_path / "configs"
    folder.mkdir()
    text = (SAMPLES / "valid" / "self_hosted_dev.yaml").read_text(encoding="utf-8")
    for index in range(30):
        (folder / f"run{index}.yaml").write_text(text.replace("sglang", "sglnag", 1))
    words = ["check", "--nexrl-version", "1.0", "-j", "2", str(folder)]
    run = [sys.executable, "-m", "nexrl_cfg", *words]
    piped = subprocess.run(run, capture_output=True, text=True)
    inside = CliRunner().invoke(app, words, env={"NO_COLOR": "1"})
    assert (piped.returncode, piped.stdout) == (inside.exit_code, inside.stdout)
    assert piped.returncode == 1 and piped.stdout.count("error [invalid-choice]") == 30
    report = tmp_path / "report.json"
    written = subprocess.run([*run, "--format", "json", "-o", str(report)], capture_output=True)
    assert written.returncode == 1
    assert len(json.loads(report.read_text(encoding="utf-8"))["findings"]) >= 30
    code = "import nexrl_cfg.__main__ as entry\nentry.leave(SystemExit('a message'))\n"
    said = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (said.returncode, said.stderr) == (1, "a message\n")
