"""Nothing leaks, nothing is forged: every line `--fix`, `--diff` and `migrate` print, the
unset-variable summary, `resolve`'s comments and a version read from a `pyproject.toml` are
redacted and escaped as findings are: no literal `api_key`, no control character, no line a
CI system takes as a command; and version detection and settings are bounded."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLES
from helpers import cli

from nexrl_cfg import version
from nexrl_cfg.fix.edits import diff

BASE = (SAMPLES / "valid" / "self_hosted_dev.yaml").read_text(encoding="utf-8")
V = "1.0"
TYPO, RIGHT = "    backend: sglnag\n", "    backend: sglang\n"
SECRET = "sk-live-0123456789abcdef"
KEYS = [
    f"    api_key: {SECRET}\n",
    f'    "api_key": "{SECRET}"\n',
    f"    'api_key': '{SECRET}'\n",
    f'    "api\\x5fkey": "{SECRET}"\n',
    f"    api_key: |\n      {SECRET}\n",
    f"    api_key: &k {SECRET}\n",
]


def forged(line: str) -> bool:
    """Whether a printed line is a CI command (GitHub Actions, Azure Pipelines, TeamCity)."""
    return line.lstrip().startswith("::") or "##vso[" in line or "##[" in line


@pytest.mark.parametrize("key", KEYS)
def test_diff_redacts_a_literal_key_in_its_context(tmp_path: Path, key: str) -> None:
    text = BASE.replace(RIGHT, TYPO, 1).replace('    api_key: "EMPTY"\n', key, 1)
    path = tmp_path / "run.yaml"
    path.write_text(text, encoding="utf-8")
    ran = cli(["check", "--nexrl-version", V, "--diff", str(path)])
    assert "+    backend: sglang" in ran.out
    assert SECRET not in ran.text and "0123456789" not in ran.text


def test_a_diff_of_a_file_that_does_not_parse_redacts_its_key() -> None:
    old = f'a: [1\napi_key: "{SECRET}"\n"api\\x5fkey": {SECRET}\nb: 1\n'
    shown = diff("x.yaml", old, old.replace("b: 1", "b: 2"))
    assert SECRET not in shown and "+b: 2" in shown


@pytest.mark.parametrize(
    "line", ["::error::forged", "  ::set-output name=x::y", "x ##vso[task.complete]", "##[group]"]
)
def test_a_diff_line_is_never_a_ci_command(line: str) -> None:
    old = f"# {line}\n{line}: 1\nz: 1\n"
    shown = diff("x.yaml", old, old.replace("z: 1", "z: 2") + "\u2028\x1b[2J")
    for printed in shown.splitlines():
        assert not forged(printed[1:]) and not forged(printed), printed
        assert "\x1b" not in printed and "\u2028" not in printed


def test_lines_about_files_are_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "::error::x\x1b[31m"
    folder.mkdir()
    path = folder / "run.yaml"
    path.write_text(BASE.replace(RIGHT, TYPO, 1), encoding="utf-8")
    ran = cli(["check", "--nexrl-version", V, "--fix", str(path)])
    assert "fixed" in ran.err and "\x1b" not in ran.err
    assert not any(forged(line) for line in ran.err.splitlines())


def test_migrate_lines_and_diff_hide_the_key(tmp_path: Path) -> None:
    path = tmp_path / "run.yaml"
    path.write_text(
        "service:\n  inference_service:\n    model_tag: m\n"
        f"    api_key: {SECRET}\n# ::error::forged\n",
        encoding="utf-8",
    )
    ran = cli(["migrate", str(path)])
    assert "identifier: m" in ran.out
    assert SECRET not in ran.text
    assert not any(forged(line[1:]) or forged(line) for line in ran.out.splitlines())


def test_resolve_stays_yaml_whatever_a_variable_is_called(tmp_path: Path) -> None:
    path = tmp_path / "run.yaml"
    path.write_text(
        "project_name: \"${oc.env:'A\\nB::error::x'}\"\n"
        'experiment_name: "${oc.env:\\"X\\u001b[31mY\\"}"\n',
        encoding="utf-8",
    )
    ran = cli(["resolve", str(path)])
    loaded = yaml.safe_load(ran.out)
    assert set(loaded) == {"project_name", "experiment_name"}
    assert "\x1b" not in ran.text
    assert not any(forged(line) for line in ran.out.splitlines())


def test_the_unset_variable_line_is_escaped(tmp_path: Path) -> None:
    path = tmp_path / "run.yaml"
    path.write_text(BASE.replace('"debug-run"', '"${oc.env:\\"X\\u001b[2J::error::\\"}"'), "utf-8")
    ran = cli(["check", "--nexrl-version", V, str(path)])
    assert "unset variable: X" in ran.out and "\x1b" not in ran.out


def test_a_version_read_from_a_pyproject_is_never_forged(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "nexrl"\nversion = "1.4\n::error::pwned\x1b[2J"\n', "utf-8"
    )
    path = tmp_path / "run.yaml"
    path.write_text(BASE, encoding="utf-8")
    version.checkout_release.cache_clear()
    ran = cli(["check", str(path)])
    assert "pwned" not in ran.text and "\x1b" not in ran.text
    version.checkout_release.cache_clear()


@pytest.mark.parametrize(
    "text",
    [
        "[project]\n" + "\n" * 1_000_000,
        "[project]\n" + " \n" * 500_000 + "name",
        "[project]\nname = '" + "a" * 1_000_000,
        "[project]\n" + "[project]\n" * 100_000,
        "[project]\n" + "version =" * 100_000,
    ],
)
def test_version_detection_is_linear_on_an_adversarial_pyproject(tmp_path: Path, text: str) -> None:
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    version.checkout_release.cache_clear()
    start = time.monotonic()
    assert version.checkout_release(tmp_path) is None
    assert time.monotonic() - start < 2
    version.checkout_release.cache_clear()


def test_a_dist_info_folder_in_the_working_folder_is_not_an_installation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    meta = tmp_path / "nexrl-1.1.0.dist-info"
    meta.mkdir()
    (meta / "METADATA").write_text("Metadata-Version: 2.1\nName: nexrl\nVersion: 1.1.0\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", ["", ".", str(tmp_path), *sys.path])
    version.installed_release.cache_clear()
    try:
        assert version.installed_release() is None
    finally:
        version.installed_release.cache_clear()


@pytest.mark.parametrize("nest", ["{a = ", "[", "{a = ["])
def test_a_settings_table_nested_5000_deep_is_a_settings_error(tmp_path: Path, nest: str) -> None:
    close = "".join({"{": "}", "[": "]"}[c] for c in nest if c in "{[")[::-1]
    (tmp_path / "pyproject.toml").write_text(
        "[tool.nexrl-cfg]\nx = " + nest * 5000 + "1" * ("{" in nest[-2:]) + close * 5000 + "\n"
    )
    path = tmp_path / "run.yaml"
    path.write_text(BASE, encoding="utf-8")
    ran = cli(["check", str(path)])
    assert ran.returncode == 2 and "pyproject.toml" in ran.err and "failed" not in ran.err
