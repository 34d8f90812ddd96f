"""Standard input and output files under `--fix` and `--diff`, and arguments that are never
options: `--fix -` prints the fixed text and writes no file, `-o` never names a file the run
reads (however spelt), `--diff` exits 1 when there is something to fix and honours `-o`,
standard input is bounded as files are, and a file name never sets an option."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import SAMPLES
from helpers import cli

BASE = (SAMPLES / "valid" / "self_hosted_dev.yaml").read_text(encoding="utf-8")
V = "1.0"
TYPO, RIGHT = "    backend: sglnag\n", "    backend: sglang\n"
BROKEN = BASE.replace(RIGHT, TYPO, 1)


def check(*args: str | Path, cwd: Path | None = None, stdin: str | bytes | None = None):  # type: ignore[no-untyped-def]
    return cli(["check", "--nexrl-version", V, *map(str, args)], cwd=cwd, stdin=stdin)


def test_fix_of_stdin_prints_the_fixed_text_and_writes_no_file(tmp_path: Path) -> None:
    named = tmp_path / "run.yaml"
    named.write_text(BROKEN, encoding="utf-8")
    ran = check("--fix", "--stdin-filename", named, "-", stdin=BROKEN)
    assert named.read_text(encoding="utf-8") == BROKEN
    assert ran.out == BASE  # the fixed text, and nothing else, on stdout
    assert ran.returncode == 0


def test_fix_of_clean_stdin_prints_it_unchanged(tmp_path: Path) -> None:
    ran = check("--fix", "-", stdin=BASE)
    assert ran.out == BASE and ran.returncode == 0


def test_fix_of_stdin_with_a_literal_key_is_refused(tmp_path: Path) -> None:
    text = BROKEN.replace("model_tag:", "api_key: sk-abcdefghijklmnop\n    model_tag:", 1)
    ran = check("--fix", "-", stdin=text)
    assert ran.returncode == 2 and "sk-abcdefghijklmnop" not in ran.text
    assert ran.out == ""


def test_fix_of_stdin_with_other_paths_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "run.yaml"
    other.write_text(BROKEN, encoding="utf-8")
    ran = check("--fix", "-", other, stdin=BROKEN)
    assert ran.returncode == 2 and other.read_text(encoding="utf-8") == BROKEN


def test_stdin_is_bounded_like_a_file() -> None:
    ran = check("-", stdin=b"a: " + b"x" * (3 * 1024 * 1024))
    assert ran.returncode == 1 and "larger than 2 MB" in ran.out


@pytest.mark.parametrize("spelling", ["same", "dot", "symlink", "hardlink", "composed"])
@pytest.mark.parametrize("mode", [[], ["--fix"], ["--diff"], ["--format", "sarif"]])
def test_output_naming_a_file_the_run_reads_is_refused(
    tmp_path: Path, spelling: str, mode: list[str]
) -> None:
    run = tmp_path / "run.yaml"
    run.write_text("defaults:\n  - common\n  - _self_\n", encoding="utf-8")
    common = tmp_path / "common.yaml"
    common.write_text(BROKEN, encoding="utf-8")
    target = {"same": "run.yaml", "dot": "./run.yaml", "composed": "common.yaml"}.get(spelling)
    if spelling == "symlink":
        (tmp_path / "out").mkdir()
        (tmp_path / "out" / "report.json").symlink_to(run)
        target = "out/report.json"
    if spelling == "hardlink":
        (tmp_path / "out").mkdir()
        os.link(run, tmp_path / "out" / "report.json")
        target = "out/report.json"
    assert target is not None
    before = {p: p.read_bytes() for p in (run, common)}
    ran = check(*mode, "-o", target, "run.yaml", cwd=tmp_path)
    assert ran.returncode == 2, ran.text
    assert ran.err.count("\n") == 1
    assert {p: p.read_bytes() for p in (run, common)} == before


def test_diff_exits_1_and_honours_the_output_file(tmp_path: Path) -> None:
    path = tmp_path / "run.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    out = tmp_path / "fixes.diff"
    ran = check("--diff", "-o", out, path)
    assert ran.returncode == 1 and ran.out == ""
    assert "-    backend: sglnag\n+    backend: sglang\n" in out.read_text(encoding="utf-8")
    path.write_text(BASE, encoding="utf-8")
    assert check("--diff", path).returncode == 0


@pytest.mark.parametrize("fmt", ["json", "sarif", "github"])
def test_diff_in_another_format_is_refused_on_one_line(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "run.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    ran = check("--diff", "--format", fmt, path)
    assert ran.returncode == 2 and ran.err.count("\n") == 1 and "--diff" in ran.err


# -- arguments are never options ----------------------------------------------------------------
@pytest.mark.parametrize(
    "name", ["--output-file=x.yaml", "-ox.yaml", "--config=x.toml.yaml", "-x.yaml", "--fix.yaml"]
)
def test_a_file_named_like_an_option_is_a_path(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text(BROKEN, encoding="utf-8")
    ran = check(name, cwd=tmp_path)
    assert ran.returncode == 1, ran.text
    assert not (tmp_path / "x.yaml").exists()
    assert (tmp_path / name).read_text(encoding="utf-8") == BROKEN
    assert "invalid-choice" in ran.out


@pytest.mark.parametrize("name", ["--fix", "-o", "--output-file=x.yaml", "--diff"])
def test_after_double_dash_every_word_is_a_path(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text(BROKEN, encoding="utf-8")
    ran = check("--", name, cwd=tmp_path)
    assert ran.returncode == 1, ran.text
    assert (tmp_path / name).read_text(encoding="utf-8") == BROKEN
    assert not (tmp_path / "x.yaml").exists()


def test_an_existing_file_named_as_an_option_does_not_change_it(tmp_path: Path) -> None:
    (tmp_path / "--fix").write_text("", encoding="utf-8")
    path = tmp_path / "run.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    ran = check("--fix", "run.yaml", cwd=tmp_path)
    assert ran.returncode == 0, ran.text
    assert path.read_text(encoding="utf-8") == BASE


def test_the_hook_ends_the_options_before_the_file_names() -> None:
    import yaml
    from conftest import ROOT

    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["args"][-1] == "--"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "args: [--]" in readme and "args: [--quiet, --]" in readme
    action = (ROOT / "action.yml").read_text(encoding="utf-8")
    assert action.count('-- "${paths[@]}"') == 2
