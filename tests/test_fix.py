"""check --fix: each safe fix, the fixes that must not fire, and how findings carry them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES
from helpers import check
from typer.testing import CliRunner

from nexrl_cfg import app as application
from nexrl_cfg.app import CheckRequest
from nexrl_cfg.cli import app

BASE = SAMPLES / "valid" / "self_hosted_dev.yaml"
V = "1.0"


def config(tmp_path: Path, *changes: tuple[str, str], name: str = "run.yaml") -> Path:
    text = BASE.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def fix(path: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        app, ["check", "--nexrl-version", V, "--fix", *extra, str(path)], env={"NO_COLOR": "1"}
    )
    return result.exit_code, result.output


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.splitlines(), after.splitlines()
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


def test_a_clean_config_has_no_fixes(tmp_path: Path) -> None:
    path = config(tmp_path)
    assert not any(f.fixes for f in check(path, fixes=True, nexrl_version=V))


@pytest.mark.parametrize(
    ("old", "typo", "rule"),
    [
        ("    max_retries: 1", "    max_retires: 1", "unknown-key"),
        ("    backend: sglang", "    backend: sglnag", "invalid-choice"),
        ('  sync_method: "disk"', '  sync_method: "dsik"', "invalid-choice"),
    ],
)
def test_a_typo_is_fixed_and_nothing_else_changes(
    tmp_path: Path, old: str, typo: str, rule: str
) -> None:
    path = config(tmp_path, (old, typo))
    before = path.read_text(encoding="utf-8")
    findings = check(path, fixes=True, nexrl_version=V)
    assert [f.rule for f in findings if f.fixes] == [rule]
    code, _ = fix(path)
    assert code == 0
    after = path.read_text(encoding="utf-8")
    assert changed_lines(before, after) == [(typo, old)]
    assert check(path, fixes=True, nexrl_version=V) == []


def test_a_key_with_two_close_names_is_not_fixed(tmp_path: Path) -> None:
    # `clip_ratio_lo` is a typo away from both clip_ratio_low and clip_ratio (and _c).
    path = config(
        tmp_path,
        (
            "      ppo_micro_batch_size: 2",
            "      ppo_micro_batch_size: 2\n      enable_memory_tracin: true\n"
            "      clip_ratio_lo: 0.2",
        ),
    )
    findings = [f for f in check(path, fixes=True, nexrl_version=V) if f.rule == "unknown-key"]
    by_key = {f.key.rsplit(".", 1)[-1]: f for f in findings}
    assert by_key["enable_memory_tracin"].fixes
    assert not by_key["clip_ratio_lo"].fixes


def test_max_tokens_is_made_the_response_length(tmp_path: Path) -> None:
    path = config(tmp_path, ("max_tokens: ${data.max_response_length}", "max_tokens: 1000"))
    before = path.read_text(encoding="utf-8")
    assert fix(path)[0] == 0
    assert changed_lines(before, path.read_text(encoding="utf-8")) == [
        ("    max_tokens: 1000", "    max_tokens: ${data.max_response_length}")
    ]


def test_sync_weight_path_refers_to_the_trainer_path(tmp_path: Path) -> None:
    path = config(
        tmp_path,
        ("  sync_weight_path: ${trainer.sync_weight_path}", '  sync_weight_path: "/tmp/w"'),
    )
    assert fix(path)[0] == 0
    text = path.read_text(encoding="utf-8")
    assert '  sync_weight_path: "${trainer.sync_weight_path}"' in text
    assert check(path, fixes=True, nexrl_version=V) == []


def test_an_environment_value_or_a_secret_is_never_touched(tmp_path: Path) -> None:
    path = config(
        tmp_path,
        ("max_tokens: ${data.max_response_length}", "max_tokens: ${oc.env:MAX_TOKENS,1000}"),
        (
            '    base_url: "http://localhost:8000"',
            '    base_url: "http://localhost:8000"\n    api_key: "sk-secret-value"',
        ),
        ("    backend: sglang", "    backend: ${oc.env:BACKEND,sglnag}"),
    )
    before = path.read_text(encoding="utf-8")
    findings = check(path, fixes=True, nexrl_version=V)
    assert "invalid-choice" in {f.rule for f in findings}
    assert not any(f.fixes for f in findings)
    fix(path)
    assert path.read_text(encoding="utf-8") == before


def test_a_key_holding_a_secret_is_not_renamed(tmp_path: Path) -> None:
    path = config(
        tmp_path,
        ('    model: "debug-model"', '    model: "debug-model"\n    api_kye: "sk-secret-value"'),
    )
    (finding,) = [f for f in check(path, fixes=True, nexrl_version=V) if f.key.endswith("api_kye")]
    assert finding.rule == "unknown-key" and not finding.fixes


def test_a_fix_goes_into_the_included_file_where_the_value_is_written(tmp_path: Path) -> None:
    common = config(tmp_path, ("    backend: sglang", "    backend: sglnag"), name="common.yaml")
    entry = tmp_path / "entry.yaml"
    entry.write_text("defaults:\n  - common\n  - _self_\n\nexperiment_name: other\n", "utf-8")
    entry_before = entry.read_text(encoding="utf-8")
    fixes = application.fix(CheckRequest([str(entry)], {"nexrl_version": V}))
    assert [Path(c.name) for c in fixes.changed().values()] == []
    # Only the files and folders named are written: common.yaml is named with its folder.
    assert fix(entry)[0] == 1
    assert "    backend: sglnag\n" in common.read_text(encoding="utf-8")
    assert fix(tmp_path)[0] == 0
    assert "    backend: sglang\n" in common.read_text(encoding="utf-8")
    assert entry.read_text(encoding="utf-8") == entry_before


def test_diff_shows_the_fix_and_writes_nothing(tmp_path: Path) -> None:
    path = config(tmp_path, ("    backend: sglang", "    backend: sglnag"))
    before = path.read_text(encoding="utf-8")
    code, out = fix(path, "--diff")
    assert code == 1  # something to fix
    assert "-    backend: sglnag\n+    backend: sglang\n" in out
    assert path.read_text(encoding="utf-8") == before


def test_findings_carry_their_fix_in_the_formats_that_show_fixes(tmp_path: Path) -> None:
    path = config(tmp_path, ("    backend: sglang", "    backend: sglnag"))
    line = 1 + path.read_text(encoding="utf-8").split("\n").index("    backend: sglnag")
    runner = CliRunner()

    def run(fmt: str) -> str:
        args = ["check", "--nexrl-version", V, "-f", fmt, str(path)]
        return runner.invoke(app, args, env={"NO_COLOR": "1"}).output

    # Text shows no fixes, so a text check computes none (`--diff` shows them).
    assert "[invalid-choice]" in run("text") and "(fixable)" not in run("text")
    line = path.read_text(encoding="utf-8").split("\n").index("    backend: sglnag") + 1
    (finding,) = json.loads(run("json"))["findings"]
    assert finding["fixes"] == [
        {
            "file": str(path),
            "line": line,
            "column": 14,
            "end_line": line,
            "end_column": 20,
            "text": "sglang",
        }
    ]
    result = json.loads(run("sarif"))["runs"][0]["results"][0]
    (change,) = result["fixes"][0]["artifactChanges"]
    (replacement,) = change["replacements"]
    assert replacement["deletedRegion"] == {
        "startLine": line,
        "startColumn": 14,
        "endLine": line,
        "endColumn": 20,
    }
    assert replacement["insertedContent"] == {"text": "sglang"}


def test_a_file_changed_while_fixing_is_not_written(tmp_path: Path) -> None:
    path = config(tmp_path, ("    backend: sglang", "    backend: sglnag"))
    fixes = application.fix(CheckRequest([str(path)], {"nexrl_version": V}))
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    with pytest.raises(application.Failed, match="changed while it was being fixed"):
        application.write_fixes(fixes)
    assert "sglnag" in path.read_text(encoding="utf-8")


def test_fix_keeps_the_file_mode(tmp_path: Path) -> None:
    path = config(tmp_path, ("    backend: sglang", "    backend: sglnag"))
    path.chmod(0o640)
    fix(path)
    assert path.stat().st_mode & 0o777 == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    shutil.rmtree(tmp_path / "__pycache__", ignore_errors=True)


def test_fixes_are_computed_only_when_the_run_asks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nexrl_cfg.fix.library import Files

    path = config(tmp_path, ("    backend: sglang", "    backend: sglnag"))
    assert [f.rule for f in check(path, fixes=True, nexrl_version=V) if f.fixes] == [
        "invalid-choice"
    ]

    def unread(self: Files, file: str) -> None:
        raise AssertionError(f"{file} read for a fix nobody asked for")

    monkeypatch.setattr(Files, "tree", unread)
    (finding,) = check(path, nexrl_version=V)
    assert finding.rule == "invalid-choice" and finding.fix is None


@pytest.mark.parametrize("fixes", [False, True])
def test_each_file_is_parsed_once_and_fixes_are_planned_on_that_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixes: bool
) -> None:
    import yaml

    path = config(tmp_path, ("    backend: sglang", "    backend: sglnag"))
    composed: list[str] = []
    compose = yaml.compose

    def counted(stream: str, Loader: type) -> object:
        composed.append(stream)
        return compose(stream, Loader=Loader)

    monkeypatch.setattr(yaml, "compose", counted)
    found = check(path, fixes=fixes, nexrl_version=V)
    assert [f.rule for f in found if f.fixes] == (["invalid-choice"] if fixes else [])
    assert composed == [path.read_text(encoding="utf-8")]


def test_a_text_check_loads_nothing_of_the_fixes(tmp_path: Path) -> None:
    path = config(tmp_path, ("    backend: sglang", "    backend: sglnag"))
    code = (
        "import sys\n"
        "from nexrl_cfg.cli import main\n"
        f"sys.argv = ['nexrl-cfg', 'check', '--nexrl-version', {V!r}, {str(path)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print([m for m in sys.modules if m.startswith('nexrl_cfg.fix')], file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "invalid-choice" in done.stdout
    assert done.stderr.strip() == "[]"


def test_only_a_safe_fix_is_applied_and_reported() -> None:
    from nexrl_cfg.finding import Applicability, Edit, Finding, Fix, Severity, Span

    edit = Edit("run.yaml", 1, 1, 1, 4, "new")
    for applicability, applied in (
        (Applicability.SAFE, (edit,)),
        (Applicability.UNSAFE, ()),
        (Applicability.DISPLAY_ONLY, ()),
    ):
        found = Finding("x", Severity.ERROR, "m", Span("run.yaml"), fix=Fix((edit,), applicability))
        assert found.fixes == applied
        assert found.as_dict()["fixes"] == [e.report() for e in applied]


def test_a_fix_that_meets_a_value_it_does_not_expect_is_no_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nexrl_cfg.rules import invalid_choice

    def odd(*args: object) -> None:
        raise TypeError("a value of another shape")

    monkeypatch.setattr(invalid_choice, "fix", odd)
    from nexrl_cfg.rules import all_rules

    all_rules.cache_clear()
    try:
        path = config(tmp_path, ("    backend: sglang", "    backend: sglnag"))
        (finding,) = check(path, fixes=True, nexrl_version=V)
        assert finding.rule == "invalid-choice" and finding.fix is None
    finally:
        all_rules.cache_clear()
