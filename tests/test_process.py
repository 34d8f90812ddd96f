"""The program as a process: the installed console script, a reader that goes away, an
interrupt. Everything else runs the command line in the test's own process (helpers.cli)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLES

INVALID = SAMPLES / "invalid"
SCRIPT = Path(sys.executable).with_name("nexrl-cfg")


def env() -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith("NEXRL_")}, "NO_COLOR": "1"}


def test_the_console_script_is_installed_and_runs(tmp_path: Path) -> None:
    if not SCRIPT.is_file():
        pytest.skip(f"no console script beside the interpreter ({SCRIPT}): not installed")
    done = subprocess.run(
        [str(SCRIPT), "check", str(INVALID / "max_tokens_match.yaml")],
        capture_output=True,
        cwd=tmp_path,
        env=env(),
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert b"[max-tokens-match]" in done.stdout and done.stderr == b""
    version = subprocess.run([str(SCRIPT), "--version"], capture_output=True, check=False)
    assert version.returncode == 0 and version.stdout.startswith(b"nexrl-cfg ")


def test_a_reader_that_goes_away_ends_the_run_quietly(tmp_path: Path) -> None:
    # `nexrl-cfg check big/ | head -1`: the pipe closes while the report is written; the run
    # ends as SIGPIPE ends `cat`: status 141, nothing on stderr. The report is many times a
    # pipe's buffer (64 KiB), so that it cannot all be written before the reader goes.
    for copy in range(8):
        shutil.copytree(INVALID, tmp_path / "big" / f"copy{copy}")
    process = subprocess.Popen(
        [sys.executable, "-m", "nexrl_cfg", "check", "big"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=env(),
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(10)
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == 128 + 13
    assert stderr == b""


def _until_asleep(process: subprocess.Popen[bytes], wait: float) -> None:
    """Wait `wait` seconds, and then on Linux until the program sleeps (waits on its input)
    for a few samples in a row, at most 10 seconds: on a busy machine it may still be
    importing after `wait`."""
    time.sleep(wait)
    stat = Path(f"/proc/{process.pid}/stat")
    asleep, deadline = 0, time.monotonic() + 10
    while asleep < 3 and time.monotonic() < deadline:
        try:
            state = stat.read_text().rsplit(")", 1)[-1].split()[0]
        except OSError:  # no /proc, or the program has ended
            return
        asleep = asleep + 1 if state == "S" else 0
        time.sleep(0.05)


@pytest.mark.skipif(sys.platform == "win32", reason="no SIGINT to send on this system")
def test_an_interrupt_exits_130_without_a_traceback(tmp_path: Path) -> None:
    # Waiting on stdin (`check -`), the program is interrupted: the shell's 128 + SIGINT and
    # no traceback. A signal that comes before the interpreter is up kills it instead: the
    # wait before the signal grows until the program is there to receive it.
    for wait in (0.5, 1.5, 4.0):
        process = subprocess.Popen(
            [sys.executable, "-m", "nexrl_cfg", "check", "--stdin-filename", "run.yaml", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
            env=env(),
        )
        _until_asleep(process, wait)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
        if process.returncode != -signal.SIGINT:
            break
    assert process.returncode == 130, stderr
    assert b"Traceback" not in stdout + stderr


def _closed_stdout() -> None:
    os.close(1)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="closes a descriptor by hand")
@pytest.mark.parametrize(
    "args", [["--version"], ["--help"], ["check", str(INVALID / "max_tokens_match.yaml")]]
)
def test_a_closed_or_full_standard_output_is_one_line_and_exit_2(args: list[str]) -> None:
    """Standard output closed before the command starts, or a full disk: the output cannot
    be written, which the command says in one line (no traceback), with status 2."""
    command = [sys.executable, "-m", "nexrl_cfg", *args]
    closed = subprocess.run(
        command, stderr=subprocess.PIPE, env=env(), preexec_fn=_closed_stdout, check=False
    )
    assert closed.returncode == 2
    assert (
        closed.stderr.decode() == "nexrl-cfg: cannot write the output: standard output is closed\n"
    )
    with open("/dev/full", "wb") as full:
        ran = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, env=env(), check=False)
    assert ran.returncode == 2
    assert ran.stderr.decode() == "nexrl-cfg: cannot write the output: No space left on device\n"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="closes a descriptor by hand")
def test_a_report_written_to_a_file_needs_no_standard_output(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    ran = subprocess.run(
        [
            sys.executable,
            "-m",
            "nexrl_cfg",
            "check",
            "-o",
            str(report),
            str(INVALID / "max_tokens_match.yaml"),
        ],
        stderr=subprocess.PIPE,
        env=env(),
        preexec_fn=_closed_stdout,
        check=False,
    )
    assert ran.returncode == 1 and ran.stderr == b""
    assert "max-tokens-match" in report.read_text(encoding="utf-8")


def _closed_stdin() -> None:
    os.close(0)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="closes a descriptor by hand")
def test_standard_input_closed_is_one_line_and_exit_2() -> None:
    ran = subprocess.run(
        [sys.executable, "-m", "nexrl_cfg", "check", "-"],
        capture_output=True,
        env=env(),
        preexec_fn=_closed_stdin,
        check=False,
    )
    assert ran.returncode == 2
    assert ran.stderr.decode() == "nexrl-cfg: cannot read standard input: it is closed\n"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="closes a descriptor by hand")
@pytest.mark.parametrize(
    ("closing", "name"), [(_closed_stdin, "input"), (_closed_stdout, "output")]
)
def test_a_language_server_without_its_streams_is_one_line(closing: Any, name: str) -> None:
    from nexrl_cfg import lsp

    if not lsp.available():
        pytest.skip("the lsp extra is not installed")
    ran = subprocess.run(
        [sys.executable, "-m", "nexrl_cfg", "lsp"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL if name == "input" else None,
        env=env(),
        preexec_fn=closing,
        check=False,
    )
    assert ran.returncode == 2
    said = f"nexrl-cfg: the language server talks on standard {name}, which is closed\n"
    assert ran.stderr.decode() == said


def test_migrate_says_which_file_it_cannot_read(tmp_path: Path) -> None:
    shutil.copy(INVALID / "max_tokens_match.yaml", tmp_path / "run.yaml")
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    ran = subprocess.run(
        [sys.executable, "-m", "nexrl_cfg", "migrate", "--to", "1.4", str(tmp_path)],
        capture_output=True,
        env=env(),
        check=False,
    )
    assert ran.returncode == 2
    said = f"nexrl-cfg: cannot read {tmp_path / 'gone.yaml'}: No such file or directory\n"
    assert ran.stderr.decode() == said
