"""The output formats are found by module name: each declares what it is, the command line
offers exactly them, and a new one is its module (and its test), nothing else."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from configs import BASE, edit
from helpers import write
from typer.testing import CliRunner

from nexrl_cfg import report
from nexrl_cfg.cli import app
from nexrl_cfg.finding import Edit, Finding, Fix, Severity, Span
from nexrl_cfg.report.run import Run

FIXABLE = Finding(
    "unknown-key",
    Severity.WARNING,
    "'max_retrys' is not a key",
    Span("run.yaml", 3, 5),
    hint="Did you mean `max_retries`?",
    fix=Fix((Edit("run.yaml", 3, 5, 3, 15, "FIXED-TEXT"),)),
)


def test_the_formats_are_the_modules_the_default_first() -> None:
    modules = sorted(p.stem for p in Path(report.__file__).parent.glob("*_format.py"))
    assert sorted(report.names()) == sorted(m.removesuffix("_format") for m in modules)
    assert report.names()[0] == report.DEFAULT


@pytest.mark.parametrize("name", report.names())
def test_each_format_declares_what_it_is(name: str) -> None:
    fmt = report.get(name)
    assert fmt.description and "\n" not in fmt.description
    module = fmt.module
    assert callable(module.write) if fmt.streams else callable(module.render)
    text = report.render(name, Run([FIXABLE], 1)) if hasattr(module, "render") else ""
    if not text:
        from io import StringIO

        out = StringIO()
        report.write(name, Run([FIXABLE], 1), out)
        text = out.getvalue()
    assert ("FIXED-TEXT" in text) is fmt.fixes


def test_the_command_line_offers_every_format_and_describes_it() -> None:
    result = CliRunner().invoke(app, ["check", "--help"], env={"COLUMNS": "200"})
    assert f"<{'|'.join(report.names())}>" in result.stdout
    for name in report.names():
        assert f"{name}: {report.get(name).description}" in " ".join(result.stdout.split())
    bad = CliRunner().invoke(app, ["check", "--format", "nope", "x.yaml"])
    assert bad.exit_code == 2


def test_statistics_where_a_format_has_them(tmp_path: Path) -> None:
    path = write(tmp_path, "run.yaml", edit(BASE, "    max_retries: 3\n", "    max_retry: 3\n"))
    able = [n for n in report.names() if report.get(n).statistics is not None]
    assert set(able) >= {"text", "json"}
    for name in report.names():
        result = CliRunner().invoke(
            app, ["check", "--statistics", "-f", name, "--nexrl-version", "1.0", str(path)]
        )
        if name in able:
            assert result.exit_code == 1 and "unknown-key" in result.stdout
        else:
            assert result.exit_code == 2 and "--statistics works with --format" in result.output


def test_a_new_format_is_one_module(tmp_path: Path) -> None:
    """A module dropped beside the others is found, offered by --format and written."""
    (tmp_path / "lines_format.py").write_text(
        textwrap.dedent(
            '''
            """One line per finding: rule and file."""
            DESCRIPTION = "a line per finding"
            FIXES = False
            STREAMS = False

            def render(run):
                return "\\n".join(f"{f.rule} {f.file}" for f in run.findings)
            '''
        ),
        encoding="utf-8",
    )
    config = write(tmp_path, "run.yaml", edit(BASE, "    max_retries: 3\n", "    max_retry: 3\n"))
    script = (
        "import sys, nexrl_cfg.report as r; r.__path__.append(sys.argv[1]); "
        "from nexrl_cfg.cli import main; sys.argv = ['nexrl-cfg', *sys.argv[2:]]; main()"
    )
    args = ["check", "-f", "lines", "--nexrl-version", "1.0", str(config)]
    run = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    assert f"unknown-key {config}" in run.stdout.splitlines()


def test_a_failed_run_is_reported_where_the_format_says_so(tmp_path: Path) -> None:
    for name in report.names():
        result = CliRunner().invoke(app, ["check", "-f", name, str(tmp_path / "nowhere.yaml")])
        assert result.exit_code == 2
        if report.get(name).failure_report:
            assert json.loads(result.stdout)["runs"][0]["invocations"][0]["exitCode"] == 2
        else:
            assert result.stdout == ""
