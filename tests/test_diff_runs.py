"""`nexrl-cfg diff A B`: the configs of two runs compared key by key, after composition,
overrides and resolution; both origins; secrets never shown."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import cli, write

COMMON = """
trainer:
  total_train_steps: 100
  lr: 1.0e-6
service:
  tinker_service:
    api_key: tk-literal-secret-aaaa
"""


def runs(tmp_path: Path) -> Path:
    write(tmp_path, "common.yaml", COMMON)
    write(
        tmp_path,
        "a.yaml",
        """
        defaults:
          - common
          - _self_
        project_name: ${oc.env:PROJECT_NAME}
        data:
          batch_size: 8
        """,
    )
    write(
        tmp_path,
        "b.yaml",
        """
        defaults:
          - common
          - _self_
        project_name: ${oc.env:PROJECT_NAME}
        data:
          batch_size: 16
          shuffle: true
        service:
          tinker_service:
            api_key: tk-other-secret-bbbb
        """,
    )
    return tmp_path


def test_each_difference_has_both_values_and_both_origins(tmp_path: Path) -> None:
    ran = cli(["diff", "a.yaml", "b.yaml"], cwd=runs(tmp_path))
    assert ran.returncode == 1, ran.err
    lines = ran.out.splitlines()
    at = lines.index("~ data.batch_size: 8 -> 16")
    assert lines[at + 1 : at + 3] == ["    a: a.yaml:6", "    b: b.yaml:6"]
    assert "+ data.shuffle: true" in lines
    assert "~ service.tinker_service.api_key: <redacted> -> <redacted>" in lines
    assert "trainer.total_train_steps" not in ran.out  # the same in both (common.yaml)
    assert lines[-1] == "3 differences"


def test_an_override_is_applied_and_named_as_the_command_line(tmp_path: Path) -> None:
    ran = cli(
        ["diff", "a.yaml", "a.yaml", "--override-b", "trainer.total_train_steps=5"],
        cwd=runs(tmp_path),
    )
    assert ran.returncode == 1
    assert ran.out.splitlines()[2:5] == [
        "~ trainer.total_train_steps: 100 -> 5",
        "    a: common.yaml:2",
        "    b: command line",
    ]


def test_the_same_config_twice_is_no_difference(tmp_path: Path) -> None:
    ran = cli(["diff", "a.yaml", "a.yaml"], cwd=runs(tmp_path))
    assert ran.returncode == 0 and ran.out.endswith("The two configs are the same.\n")


def test_no_secret_is_ever_printed(tmp_path: Path) -> None:
    env = {"PROJECT_NAME": "env-secret-value-1234"}
    for fmt in ("text", "json"):
        ran = cli(["diff", "a.yaml", "b.yaml", "-f", fmt], cwd=runs(tmp_path), env=env)
        for secret in ("tk-literal-secret-aaaa", "tk-other-secret-bbbb", "env-secret-value-1234"):
            assert secret not in ran.text, fmt
    changed = cli(
        ["diff", "a.yaml", "a.yaml", "--override-b", "project_name=visible"],
        cwd=runs(tmp_path),
        env=env,
    )
    assert "env-secret-value-1234" not in changed.text and "visible" in changed.out


def test_json_keeps_the_values_typed(tmp_path: Path) -> None:
    ran = cli(["diff", "a.yaml", "b.yaml", "--format", "json"], cwd=runs(tmp_path))
    document = json.loads(ran.out)
    rows = {row["key"]: row for row in document["differences"]}
    assert rows["data.batch_size"]["a"] == {"value": 8, "origin": "a.yaml:6"}
    assert rows["data.batch_size"]["change"] == "changed"
    assert rows["data.shuffle"] == {
        "key": "data.shuffle",
        "change": "added",
        "a": None,
        "b": {"value": True, "origin": "b.yaml:7"},
    }


def test_a_missing_run_is_one_line_and_exit_2(tmp_path: Path) -> None:
    ran = cli(["diff", "a.yaml", "nope.yaml"], cwd=runs(tmp_path))
    assert ran.returncode == 2 and ran.err == "nexrl-cfg: path not found: nope.yaml\n"
    bad = cli(["diff", "a.yaml", "b.yaml", "-f", "sarif"], cwd=runs(tmp_path))
    assert bad.returncode == 2 and bad.out == ""
