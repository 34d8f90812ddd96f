"""NexRL's own v1.0 recipes are the ground truth: every entry config passes with no error."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import check, errors

ENTRIES = ("self_hosted.yaml", "tinker.yaml", "weaver.yaml")
ENV = {
    "NEXRL_DATA_PATH": "/data",
    "NEXRL_MODEL_PATH": "/models",
    "EXPERIMENT_PATH": "/exp",
    "INFERENCE_BASE_URL": "http://inference:8000",
    "API_SERVER_URL": "trainer",
    "TINKER_API_KEY": "tk-test-key-0000000000",
    "WEAVER_API_KEY": "wv-test-key-0000000000",
    "FEISHU_WEBHOOK_URL": "https://hooks.example.com/x",
}


def entry_configs(recipes: Path) -> list[Path]:
    found = sorted(p for name in ENTRIES for p in recipes.glob(f"*/{name}"))
    assert found, "no entry configs found in the corpus"
    return found


@pytest.mark.parametrize("environ", [{}, ENV], ids=["env-unset", "env-set"])
def test_every_entry_config_passes(recipes: Path, environ: dict[str, str]) -> None:
    for path in entry_configs(recipes):
        found = errors(check(path, environ))
        assert not found, f"{path}: {[(f.rule, f.line, f.message) for f in found]}"


def test_common_fragments_pass_through_their_includers(recipes: Path) -> None:
    for common in sorted(recipes.glob("*/common.yaml")):
        assert not errors(check(common)), common


def test_agent_definitions_are_skipped(recipes: Path) -> None:
    for path in sorted(recipes.glob("*/agent_workspace/*.yaml")):
        found = check(path)
        assert [f.rule for f in found] == ["not-nexrl"], path
