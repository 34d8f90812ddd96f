"""What linter users expect: quiet machine formats, safe walks over whole repositories, the
usual flags, help and text that read well, and a package that carries what it declares."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SAMPLES
from helpers import write
from typer.testing import CliRunner

from nexrl_cfg import __version__
from nexrl_cfg.cli import app
from nexrl_cfg.report import names

VALID = SAMPLES / "valid"
INVALID = SAMPLES / "invalid"
CLEAN = (VALID / "self_hosted_dev.yaml").read_text(encoding="utf-8")
WITH_ENV = (VALID / "http_nextrainer.yaml").read_text(encoding="utf-8")
UNSET = ["API_SERVER_URL", "EXPERIMENT_PATH", "INFERENCE_BASE_URL", "NEXRL_DATA_PATH"]
# A vendored verl trainer config: `data:` and `trainer:` like NexRL's, the rest not.
VERL = """
data:
  tokenizer: null
  train_files: ~/data/train.parquet
  max_prompt_length: 512
  batch_size: auto
actor_rollout_ref:
  model: {path: m}
critic: {}
reward_model: {}
trainer: {total_epochs: 30}
"""


@pytest.fixture(autouse=True)
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_env: None) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)


def cli(*args: str, stdin: str | None = None) -> Any:
    """The command line; `check` for NexRL 1.0, the version the sample configs are written for."""
    given = list(args)
    if given[:1] == ["check"]:
        given[1:1] = ["--nexrl-version", "1.0"]
    return CliRunner().invoke(app, given, input=stdin)


def broken(text: str) -> str:
    """A copy of a clean config whose inference backend is misspelt (an error)."""
    out, count = re.subn(r"backend: \"?sglang\"?", 'backend: "sglan"', text, count=1)
    assert count == 1
    return out


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository: NexRL configs, and YAML that is not NexRL's beside them."""
    write(tmp_path, "recipe/run.yaml", WITH_ENV)
    write(tmp_path, "recipe/clean.yaml", CLEAN)
    write(tmp_path, "vendor/verl/ppo_trainer.yaml", VERL)
    write(tmp_path, "loaders/data.yaml", "data:\n  batch_size: auto\n")
    write(tmp_path, "lists/items.yaml", "- a\n- b\n")
    write(tmp_path, "empty/empty.yaml", "")
    write(tmp_path, "helm/templates/x.yaml", "{{- if .Values.on }}\nkey: [\n")
    return tmp_path


def git_init(folder: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "-q"], cwd=folder, check=True)


# -- quiet where machines read ----------------------------------------------------------------
def test_machine_formats_leave_notes_out_unless_asked(repo: Path) -> None:
    for fmt in ("github", "sarif"):
        result = cli("check", "--format", fmt, "recipe", "loaders")
        assert result.exit_code == 0, result.output
        if fmt == "github":
            assert result.stdout == ""
        else:
            assert json.loads(result.stdout)["runs"][0]["results"] == []
    shown = cli("check", "--show-notes", "--format", "github", "recipe", "loaders").stdout
    assert "::notice " in shown and "env-unset" in shown and "not-nexrl" in shown


def test_text_sums_up_unset_variables_in_one_line(repo: Path) -> None:
    result = cli("check", "recipe")
    assert result.exit_code == 0
    assert "[env-unset]" not in result.stdout
    summary = " ".join(result.stdout.split())
    assert f"unset variables: {', '.join(UNSET)}" in summary
    assert "; --show-notes lists them." in summary
    listed = cli("check", "--show-notes", "recipe").stdout
    assert listed.count("[env-unset]") >= len(UNSET)


def test_required_variables_are_errors_one_by_one(repo: Path) -> None:
    result = cli("check", "--require-env", "recipe/run.yaml")
    assert result.exit_code == 1
    assert result.stdout.count("error [env-unset]") >= len(UNSET)


# -- whole repositories -----------------------------------------------------------------------
def test_a_whole_repository_gives_no_false_error(repo: Path) -> None:
    result = cli("check", "--format", "json", "--show-notes", ".")
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)["findings"]
    assert {f["severity"] for f in findings} == {"info"}
    skipped = {Path(f["file"]).as_posix() for f in findings if f["rule"] == "not-nexrl"}
    assert skipped == {
        "vendor/verl/ppo_trainer.yaml",
        "loaders/data.yaml",
        "lists/items.yaml",
        "empty/empty.yaml",
        "helm/templates/x.yaml",
    }
    text = cli("check", ".").stdout
    assert "All checks passed (2 files checked, 5 skipped)." in text
    assert "5 skipped files); --show-notes lists them." in " ".join(text.split())


def test_a_file_named_is_always_checked(repo: Path) -> None:
    result = cli("check", "--format", "json", "loaders/data.yaml", "lists/items.yaml")
    assert result.exit_code == 1
    rules = {f["rule"] for f in json.loads(result.stdout)["findings"]}
    assert {"invalid-type", "not-a-config"} <= rules
    # ... unless the caller asks to treat it as found in a folder (the pre-commit hook).
    only = cli("check", "--only-nexrl", "loaders/data.yaml", "lists/items.yaml", "recipe/run.yaml")
    assert only.exit_code == 0, only.output


def test_a_broken_nexrl_config_in_a_walk_is_still_reported(repo: Path) -> None:
    write(repo, "recipe/typo.yaml", broken(CLEAN))
    write(repo, "recipe/bad_yaml.yaml", CLEAN.replace("data:", "data: [", 1))
    result = cli("check", "--format", "json", ".")
    assert result.exit_code == 1
    errors = {(Path(f["file"]).name, f["rule"]) for f in json.loads(result.stdout)["findings"]}
    assert ("typo.yaml", "invalid-choice") in errors
    assert ("bad_yaml.yaml", "yaml-syntax") in errors


def test_a_small_fragment_is_checked_through_the_config_that_includes_it(tmp_path: Path) -> None:
    write(tmp_path, "r/base.yaml", CLEAN)
    write(tmp_path, "r/run.yaml", "defaults:\n  - base\n  - part\n  - _self_\n")
    write(tmp_path, "r/part.yaml", "data:\n  batch_size: many\n")
    result = cli("check", "--format", "json", "r")
    assert result.exit_code == 1
    found = [(Path(f["file"]).name, f["rule"]) for f in json.loads(result.stdout)["findings"]]
    assert ("part.yaml", "invalid-type") in found


def test_git_ignored_paths_are_left_out(repo: Path) -> None:
    git_init(repo)
    write(repo, ".gitignore", "build/\n*.generated.yaml\n")
    write(repo, "build/out.yaml", broken(CLEAN))
    write(repo, "recipe/x.generated.yaml", broken(CLEAN))
    result = cli("check", "--format", "json", ".")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["files"] == 7
    # Named, an ignored file is checked all the same.
    assert cli("check", "build/out.yaml").exit_code == 1


def test_exclude_flag_and_setting(repo: Path) -> None:
    write(repo, "third_party/run.yaml", broken(CLEAN))
    write(repo, "recipe/old/run.yaml", broken(CLEAN))
    assert cli("check", "recipe", "third_party").exit_code == 1
    assert cli("check", "--exclude", "third_party", "--exclude", "old", ".").exit_code == 0
    write(repo, "pyproject.toml", '[tool.nexrl-cfg]\nexclude = ["third_party", "recipe/old/*"]\n')
    assert cli("check", ".").exit_code == 0
    assert cli("check", "--exclude", "nothing", ".").exit_code == 0  # the flag adds


def test_settings_come_from_the_nearest_table_above_each_file(tmp_path: Path) -> None:
    write(tmp_path, "a/pyproject.toml", '[tool.nexrl-cfg]\nignore = ["invalid-choice"]\n')
    write(tmp_path, "a/run.yaml", broken(CLEAN))
    write(tmp_path, "b/run.yaml", broken(CLEAN))
    result = cli("check", "--format", "json", "a", "b")
    failing = {Path(f["file"]).parent.name for f in json.loads(result.stdout)["findings"]}
    assert failing == {"b"}
    settings = write(tmp_path, "strict.toml", 'ignore = ["invalid-choice"]\n')
    assert cli("check", "--config", str(settings), "a", "b").exit_code == 0
    assert cli("check", "--config", "missing.toml", "a").exit_code == 2


# -- the usual flags --------------------------------------------------------------------------
def test_version() -> None:
    for flag in ("--version", "-V"):
        result = cli(flag)
        assert result.exit_code == 0 and result.stdout == f"nexrl-cfg {__version__}\n"


def test_stdin_is_checked_where_its_filename_says(tmp_path: Path) -> None:
    write(tmp_path, "r/base.yaml", broken(CLEAN))
    text = "defaults:\n  - base\n  - _self_\n"
    result = cli("check", "--format", "json", "-", "--stdin-filename", "r/run.yaml", stdin=text)
    assert result.exit_code == 1
    files = {Path(f["file"]).as_posix() for f in json.loads(result.stdout)["findings"]}
    assert files == {"r/base.yaml"}
    alone = cli("check", "-", stdin=CLEAN)
    assert alone.exit_code == 0, alone.output


def test_exit_zero_statistics_and_output_file(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", broken(CLEAN))
    write(tmp_path, "b.yaml", broken(CLEAN))
    assert cli("check", "--exit-zero", ".").exit_code == 0
    stats = cli("check", "--statistics", ".")
    assert stats.exit_code == 1
    assert re.fullmatch(r"2  invalid-choice  \S.*\n", stats.stdout), stats.stdout
    data = json.loads(cli("check", "--statistics", "--format", "json", ".").stdout)
    assert data == [{"code": "invalid-choice", "count": 2}]
    assert cli("check", "--statistics", "--format", "sarif", ".").exit_code == 2
    result = cli("check", "--format", "sarif", "--output-file", "out.sarif", ".")
    assert result.exit_code == 1 and result.stdout == ""
    assert len(json.loads((tmp_path / "out.sarif").read_text())["runs"][0]["results"]) == 2


def test_color_choice_and_force_color(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "a.yaml", broken(CLEAN))
    assert "\x1b[" not in cli("check", "a.yaml").stdout  # not a terminal
    assert "\x1b[" in cli("check", "--color", "always", "a.yaml").stdout
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in cli("check", "a.yaml").stdout
    assert "\x1b[" not in cli("check", "--color", "never", "a.yaml").stdout
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in cli("check", "a.yaml").stdout
    assert "\x1b[" in cli("check", "--color", "always", "a.yaml").stdout


def test_completion_is_offered() -> None:
    assert "--install-completion" in cli("--help").stdout


def test_help_reads_at_80_columns() -> None:
    commands = ("check", "resolve", "explain", "schema")
    for args in (("--help",), *((name, "--help") for name in commands)):
        result = CliRunner().invoke(app, list(args), env={"COLUMNS": "80"}, terminal_width=80)
        assert result.exit_code == 0
        assert max(len(line) for line in result.stdout.splitlines()) <= 80, args
        assert "<str>" not in result.stdout
    text = cli("check", "--help").stdout
    assert "PATH..." in text and f"<{'|'.join(names())}>" in text
    assert "<auto|always|never>" in text
    listing = cli("--help").stdout
    assert re.search(r"^\s+check\s+Check NexRL configs; exit 1 on errors\.$", listing, re.M)


# -- text layout ------------------------------------------------------------------------------
def test_findings_fit_100_columns_and_break_between_words(tmp_path: Path) -> None:
    long_value = "x" * 30
    write(tmp_path, "r/common.yaml", broken(CLEAN))
    config = "defaults:\n  - common\n  - _self_\nproject_name: " + long_value + "\n"
    write(tmp_path, "r/run.yaml", config)
    shutil.copytree(INVALID, tmp_path / "invalid")
    result = cli("check", "r/run.yaml", "invalid")
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100
    words = set(result.stdout.split())
    assert "'sglang'?" in words
    # The fragment's finding comes through the config that includes it.
    single = cli("check", "r/run.yaml").stdout
    assert "Found 1 error in 1 file (1 checked)." in single
    assert "For more on a rule: nexrl-cfg explain invalid-choice" in single


def test_quiet_keeps_hints_drops_source_and_notes(repo: Path) -> None:
    write(repo, "recipe/typo.yaml", broken(CLEAN))
    result = cli("check", "-q", "recipe")
    assert "= hint: Did you mean 'sglang'?" in result.stdout
    assert " | " not in result.stdout
    assert "note" not in result.stdout.split("Checked for")[-1].lower()


# -- GitHub and SARIF details -----------------------------------------------------------------
def test_github_title_and_end_column(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", broken(CLEAN))
    (line,) = cli("check", "--format", "github", "a.yaml").stdout.splitlines()
    props = dict(p.split("=", 1) for p in line.split(" ", 1)[1].split("::", 1)[0].split(","))
    assert props["title"] == "nexrl-cfg (invalid-choice)"
    source = (tmp_path / "a.yaml").read_text().splitlines()[int(props["line"]) - 1]
    start, end = int(props["col"]), int(props["endColumn"])
    assert source[start - 1 : end] == '"sglan"'


def test_sarif_information_uri_and_invocation_on_exit_2(tmp_path: Path) -> None:
    result = cli("check", "--format", "sarif", "nowhere.yaml")
    assert result.exit_code == 2
    run = json.loads(result.stdout)["runs"][0]
    assert run["tool"]["driver"]["informationUri"].startswith("https://github.com/")
    (invocation,) = run["invocations"]
    assert invocation["exitCode"] == 2 and not invocation["executionSuccessful"]
    assert "path not found: nowhere.yaml" in invocation["exitCodeDescription"]
    assert "properties" in run and "nexrlVersions" in run["properties"]


# -- packaging --------------------------------------------------------------------------------
def test_package_declares_and_carries_its_license_and_data() -> None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "Apache-2.0" and project["license-files"] == ["LICENSE"]
    license_text = (ROOT / "LICENSE").read_text()
    assert "Apache License" in license_text and "Version 2.0, January 2004" in license_text
    assert "END OF TERMS AND CONDITIONS" in license_text
    assert project["urls"]["Repository"].startswith("https://github.com/")
    assert any(c == "Typing :: Typed" for c in project["classifiers"])
    assert (ROOT / "nexrl_cfg" / "py.typed").is_file()
    manifest = (ROOT / "MANIFEST.in").read_text()
    for part in ("graft tests", "graft sample_configs", "include LICENSE"):
        assert part in manifest


def test_the_hook_checks_only_what_looks_like_nexrl() -> None:
    import yaml

    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert "--only-nexrl" in hook["entry"].split()
