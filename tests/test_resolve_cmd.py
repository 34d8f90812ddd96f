"""`nexrl-cfg resolve`: the composed, interpolated config as YAML, secrets redacted, unset
variables marked, origins on request."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT_RECIPES, nexrl_recipes, recipes_at
from helpers import write
from typer.testing import CliRunner

from nexrl_cfg.cli import app

COMMON = """
data:
  batch_size: 32
  max_prompt_length: 4096
  data_files:
    - "${oc.env:NXR_DATA}/train.parquet"
    - /fixed/valid.parquet
service:
  inference_service:
    base_url: "${oc.env:NXR_URL}"
    model: m
"""
ENTRY = """
defaults:
  - common
  - _self_
data:
  batch_size: 64
rollout_worker:
  max_prompt_length: ${data.max_prompt_length}
  endpoint: ${service.inference_service.base_url}
  items: []
service:
  inference_service:
    api_key: "sk-literal-abcdef0123456789"
    max_tokens: 100
  tinker_service:
    api_key: "${oc.env:NXR_KEY}"
"""


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["resolve", *args])
    return result.exit_code, result.stdout, result.output


@pytest.fixture
def recipe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for var in ("NXR_DATA", "NXR_URL", "NXR_KEY"):
        monkeypatch.delenv(var, raising=False)
    write(tmp_path, "common.yaml", COMMON)
    return write(tmp_path, "run.yaml", ENTRY)


def test_composed_and_interpolated(recipe: Path) -> None:
    code, out, _ = invoke("run.yaml")
    assert code == 0
    data = yaml.safe_load(out)
    assert list(data) == ["data", "service", "rollout_worker"]
    assert data["data"]["batch_size"] == 64  # the entry overrides common
    assert data["data"]["max_prompt_length"] == 4096
    assert data["rollout_worker"]["max_prompt_length"] == 4096  # interpolated
    assert data["rollout_worker"]["items"] == []
    assert data["data"]["data_files"][1] == "/fixed/valid.parquet"
    assert data["service"]["inference_service"]["model"] == "m"
    assert "defaults" not in data


def test_unset_variables_are_marked(recipe: Path) -> None:
    _, out, _ = invoke("run.yaml")
    lines = out.splitlines()
    assert "    - ${oc.env:NXR_DATA}/train.parquet  # unset: NXR_DATA" in lines
    assert "    base_url: ${oc.env:NXR_URL}  # unset: NXR_URL" in lines
    # A reference to an unset value shows the reference, and what is missing.
    assert "  endpoint: ${service.inference_service.base_url}  # unset: NXR_URL" in lines


def test_secrets_are_redacted(recipe: Path) -> None:
    write(
        recipe.parent,
        "ci.env",
        "NXR_DATA=/secret-data-path\nNXR_URL=http://secret-host:9\nNXR_KEY=tk-secret-999\n",
    )
    code, out, output = invoke("run.yaml", "--env-file", "ci.env", "--show-origin")
    assert code == 0
    for secret in ("secret-data-path", "secret-host", "tk-secret-999", "abcdef0123456789"):
        assert secret not in output
    data = yaml.safe_load(out)
    service = data["service"]
    assert service["inference_service"]["api_key"] == "<redacted>"
    assert service["tinker_service"]["api_key"] == "${oc.env:NXR_KEY}"
    assert service["inference_service"]["base_url"] == "${oc.env:NXR_URL}"
    assert data["rollout_worker"]["endpoint"] == "${service.inference_service.base_url}"
    assert data["data"]["data_files"][0] == "${oc.env:NXR_DATA}/train.parquet"
    assert "# unset" not in out  # every variable is set


def test_show_origin(recipe: Path) -> None:
    code, out, _ = invoke("run.yaml", "--show-origin")
    assert code == 0
    lines = out.splitlines()
    assert "  batch_size: 64  # run.yaml:5" in lines
    assert "  max_prompt_length: 4096  # common.yaml:3" in lines
    assert "  max_prompt_length: 4096  # run.yaml:7" in lines
    assert "    - /fixed/valid.parquet  # common.yaml:6" in lines
    assert "    base_url: ${oc.env:NXR_URL}  # unset: NXR_URL  # common.yaml:9" in lines
    # Every value line tells where it came from; the output still parses.
    for line in lines:
        if not line.rstrip().endswith(":"):
            assert re.search(r"# \S+\.yaml:\d+$", line), line
    assert yaml.safe_load(out) == yaml.safe_load(invoke("run.yaml")[1])


def test_missing_file_exits_2(recipe: Path) -> None:
    code, _, output = invoke("nope.yaml")
    assert code == 2
    assert "path not found: nope.yaml" in output


def test_broken_composition_exits_1(recipe: Path) -> None:
    write(recipe.parent, "bad.yaml", "defaults:\n  - missing_one\ndata:\n  batch_size: 1\n")
    result = CliRunner().invoke(app, ["resolve", "bad.yaml"])
    assert result.exit_code == 1
    # What can be composed is shown; what NexRL would stop at is on stderr.
    assert yaml.safe_load(result.stdout) == {"data": {"batch_size": 1}}
    assert "bad.yaml:2:5: error [defaults]" in result.stderr


def test_broken_interpolation_exits_1(recipe: Path) -> None:
    write(recipe.parent, "bad.yaml", "data:\n  batch_size: ${data.nope}\n")
    result = CliRunner().invoke(app, ["resolve", "bad.yaml"])
    assert result.exit_code == 1
    assert "  batch_size: ${data.nope}  # unresolved" in result.stdout
    assert "error [interpolation-error]" in result.stderr


def test_not_a_mapping_exits_1(recipe: Path) -> None:
    write(recipe.parent, "list.yaml", "- a\n- b\n")
    result = CliRunner().invoke(app, ["resolve", "list.yaml"])
    assert result.exit_code == 1
    assert result.stdout == ""


@pytest.mark.parametrize("source", ["project", "nexrl"])
def test_recipes_resolve(source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The project's recipe-shaped configs, and NexRL's own (1.0's, or a checkout's).
    recipes = PROJECT_RECIPES if source == "project" else recipes_at(min(nexrl_recipes()))
    secrets = {"TINKER_API_KEY": "tk-real-secret-000", "WEAVER_API_KEY": "wv-real-secret-000"}
    for name, value in secrets.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(recipes)
    entries = sorted(recipes.glob("*/tinker.yaml")) + sorted(recipes.glob("*/weaver.yaml"))
    assert entries
    for path in entries:
        code, out, output = invoke(str(path.relative_to(recipes)), "--show-origin")
        assert code == 0, output
        data = yaml.safe_load(out)
        assert "service" in data
        for value in secrets.values():
            assert value not in output


def test_an_internal_error_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nexrl_cfg.report.resolved as resolved

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("sk-secret-from-the-config")

    monkeypatch.setattr(resolved, "render_config", broken)
    config = write(tmp_path, "run.yaml", "data:\n  batch_size: 1\n")
    result = CliRunner().invoke(app, ["resolve", str(config)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "sk-secret" not in result.output
    assert "please report it" in result.output
