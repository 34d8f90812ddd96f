"""Hostile inputs, second round: secrets reached indirectly, files outside the config folder,
names and values that would reach a terminal raw, explicit tags, settings files that are not
files, products of the per-file limits, suppressions that are not comments.

Everything runs through the real command line, in this process as test_hostile does (a
child process where the process itself is the point: a full disk, a removed working folder):
no traceback, the documented exit code, bounded time and output, and no secret in any format.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import HARDENING, SEED, Ran, cli, seed
from typer.testing import CliRunner

from nexrl_cfg.cli import app
from nexrl_cfg.report import names

BASE = (HARDENING / "base.yaml").read_text(encoding="utf-8")
GUARD = 20  # seconds: every run must end well within this
FORMATS = names()

LITERAL = "sk-proj-HOSTILEliteral93jd8"
ENV_SECRET = "sk-live-HOSTILEenv55aa77"
OUTSIDE = "OUTSIDE-MARKER-4f1e9c"


def project(folder: Path, text: str, name: str = "run.yaml") -> Path:
    (folder / "base.yaml").write_text(BASE, encoding="utf-8")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> Ran:
    started = time.monotonic()
    result = cli(args, cwd, env, drop=("NEXRL_", "NXH_"), guard=GUARD)
    assert time.monotonic() - started < GUARD
    return checked(result.returncode, result.stdout, result.stderr)


def run_process(args: list[str], cwd: Path, stdout: object) -> Ran:
    """`python -m nexrl_cfg ARGS` in a child process, its stdout sent to `stdout`."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("NEXRL_", "NXH_"))}
    environ["NO_COLOR"] = "1"
    result = subprocess.run(
        [sys.executable, "-m", "nexrl_cfg", *args],
        cwd=cwd,
        env=environ,
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=GUARD,
        check=False,
    )
    return checked(result.returncode, result.stdout or b"", result.stderr)


def checked(code: int, stdout: bytes, stderr: bytes) -> Ran:
    """The run, once it is known to have ended as the program ends."""
    output = stdout + stderr
    assert b"Traceback" not in output, output[-3000:]
    assert code in (0, 1, 2), output[-3000:]
    if code == 2:
        assert stderr.startswith(b"nexrl-cfg: "), output[-3000:]
        assert len(stderr.decode("utf-8", "replace").strip().splitlines()) == 1
    return Ran(code, stdout, stderr)


def text_of(result: Ran) -> str:
    return result.text


def every_output(path: Path, env: dict[str, str] | None = None) -> str:
    """What check (every format) and resolve print for `path`."""
    out = [text_of(run(["check", "--format", f, path.name], path.parent, env)) for f in FORMATS]
    out.append(text_of(run(["resolve", path.name], path.parent, env)))
    return "\n".join(out)


# -- secrets ---------------------------------------------------------------------------------

LITERAL_LEAKS = {
    # A reference to the key from a list, through oc.select, and relative to its section.
    "list-reference": seed(
        '    api_key: "EMPTY"',
        f'    api_key: "{LITERAL}"',
        '    - "${oc.env:NEXRL_DATA_PATH,/data}/train.parquet"',
        "    - ${service.inference_service.api_key}",
    ),
    "oc-select": seed(
        '    api_key: "EMPTY"',
        f'    api_key: "{LITERAL}"',
        "    backend: sglang\n",
        "    backend: ${oc.select:service.inference_service.api_key}\n",
    ),
    "relative": seed(
        '    api_key: "EMPTY"',
        f'    api_key: "{LITERAL}"',
        '    model: "qwen"',
        '    model: "${.api_key}"',
    ),
    # The anchor on another key, the alias as the key; and the values of a whole section.
    "anchor-elsewhere": seed(
        'project_name: "nexrl-hardening"',
        f"project_name: &k {LITERAL}",
        '    api_key: "EMPTY"',
        "    api_key: *k",
    ),
    "dict-values": seed(
        '    api_key: "EMPTY"',
        f'    api_key: "{LITERAL}"',
        '    - "${oc.env:NEXRL_DATA_PATH,/data}/train.parquet"',
        '    - "x"\n  extra_values: ${oc.dict.values:service.inference_service}',
    ),
}


@pytest.mark.parametrize("name", sorted(LITERAL_LEAKS))
def test_a_literal_key_is_not_printed_through_references(name: str, tmp_path: Path) -> None:
    output = every_output(project(tmp_path, LITERAL_LEAKS[name]))
    assert "api-key-literal" in output
    assert LITERAL[4:] not in output and LITERAL[8:20] not in output


ENV_LEAKS = {
    # A variable name computed from a secret, directly, with a prefix, or decoded.
    "name-prefixed": (
        '    model: "${oc.env:NXH_PREFIX_${oc.env:NXH_SECRET}}"',
        {"NXH_SECRET": ENV_SECRET},
    ),
    "name-decoded": (
        '    model: "${oc.env:${oc.decode:${oc.env:NXH_QUOTED}}}"',
        {"NXH_QUOTED": f"'{ENV_SECRET}'"},
    ),
    # A mapping key computed from a secret, with a prefix.
    "key-prefixed": (
        "    model: \"${oc.decode:'{k_${oc.env:NXH_SECRET}: 1}'}\"",
        {"NXH_SECRET": ENV_SECRET},
    ),
    # The second line of a multi-line secret quoted by an error; a decoded one in a key path.
    "multi-line": ('    model: "${data.${oc.env:NXH_LINES}}"', {"NXH_LINES": f"x\n{ENV_SECRET}"}),
    "decoded-path": (
        '    model: "${data.${oc.decode:${oc.env:NXH_QUOTED}}}"',
        {"NXH_QUOTED": f'"{ENV_SECRET}"'},
    ),
}


@pytest.mark.parametrize("name", sorted(ENV_LEAKS))
def test_an_environment_value_is_not_printed_as_a_name_or_key(name: str, tmp_path: Path) -> None:
    line, env = ENV_LEAKS[name]
    path = project(tmp_path, seed('    model: "qwen"', line))
    output = every_output(path, env)
    assert ENV_SECRET[8:] not in output
    # The same values from an env file.
    env_file = tmp_path / "ci.env"
    env_file.write_text("".join(f"{k}={json.dumps(v)}\n" for k, v in env.items()), "utf-8")
    for args in (
        ["check", "--env-file", "ci.env", path.name],
        ["resolve", "--env-file", "ci.env", path.name],
    ):
        assert ENV_SECRET[8:] not in text_of(run(args, tmp_path))


SOURCE_LINES = {
    # A key spelt with escapes, a plain value folded over two lines, a quoted one continued.
    "escaped-key": '    "api\\u005fkey": sk-ESCAPEDsource1234 # x\n',
    "folded-plain": "    api_key: sk-FOLDEDone1234\n      sk-FOLDEDtwo5678\n",
    "continued": '    api_key: "sk-CONTINUEDone99\\\n      sk-CONTINUEDtwo88"\n',
    "flow": '    model: {api_key: "sk-FLOWone7777\n      sk-FLOWtwo6666", backend: x}\n',
}


@pytest.mark.parametrize("name", sorted(SOURCE_LINES))
def test_source_lines_never_show_a_literal_key(name: str, tmp_path: Path) -> None:
    text = seed('    api_key: "EMPTY"\n', SOURCE_LINES[name] + "    unknown_option_x: 1\n")
    path = project(tmp_path, text)
    output = text_of(run(["check", path.name], tmp_path))
    assert "api-key-literal" in output or "invalid-type" in output
    for word in ("ESCAPEDsource", "FOLDEDone", "FOLDEDtwo", "CONTINUED", "FLOWone", "FLOWtwo"):
        assert word not in output


# -- the config folder's boundary -----------------------------------------------------------


def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "secret.yaml").write_text(f"data:\n  note: {OUTSIDE}\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "how", ["absolute-option", "absolute-package", "linked-file", "linked-folder"]
)
def test_nothing_outside_the_config_folder_is_composed(how: str, tmp_path: Path) -> None:
    elsewhere = outside(tmp_path)
    configs = tmp_path / "configs"
    configs.mkdir()
    entry = {
        "absolute-option": f"  - leak: {elsewhere}/secret\n",
        "absolute-package": f"  - leak@data.x: {elsewhere}/secret\n",
        "linked-file": "  - leak\n",
        "linked-folder": "  - group: secret\n",
    }[how]
    if how == "linked-file":
        (configs / "leak.yaml").symlink_to(elsewhere / "secret.yaml")
    if how == "linked-folder":
        (configs / "group").symlink_to(elsewhere)
    path = project(configs, seed("  - base\n", "  - base\n" + entry))
    output = every_output(path) + text_of(run(["check", "."], configs))
    assert OUTSIDE not in output
    assert "outside the config folder" in output


# -- names, keys and values that would reach a terminal raw ---------------------------------


def test_odd_names_keys_and_values_are_escaped_everywhere(tmp_path: Path) -> None:
    bad = os.fsdecode(b"odd\xfe\x1b[2J\xe2\x80\xae\nname.yaml")
    (tmp_path / bad).write_text(
        'service:\n  inference_service:\n    backend: "\\x9b31m\\u2066x"\n    "\\x1b]8;;k": 1\n',
        encoding="utf-8",
    )
    for fmt in FORMATS:
        result = run(["check", "--format", fmt, "."], tmp_path)
        out = result.stdout
        out.decode("utf-8")  # valid UTF-8, whatever the file name
        assert not any(
            seq in out for seq in (b"\x1b", b"\xc2\x9b", b"\xe2\x80\xae", b"\xe2\x81\xa6")
        )
        if fmt in ("json", "sarif"):
            json.loads(out)
    resolved = run(["resolve", bad], tmp_path)
    assert b"\x1b" not in resolved.stdout and b"\xc2\x9b" not in resolved.stdout
    missing = run(["check", bad + ".nope"], tmp_path)
    assert missing.returncode == 2 and b"\x1b" not in missing.stderr


TAGGED = ["!!int 0x", "!!int ''", "!!float ''", "!!bool perhaps", "!!int 0b2", "!!binary aGk=",
          "!!timestamp 2001-01-01", "!!int 0x" + "f" * 4100, "!!int " + ":".join(["59"] * 1500),
          "!!float " + ":".join(["1"] * 3000)]  # fmt: skip


@pytest.mark.parametrize("value", TAGGED, ids=range(len(TAGGED)))
def test_explicit_tags_on_odd_values_are_findings(value: str, tmp_path: Path) -> None:
    path = project(tmp_path, seed("    max_retries: 1\n", f"    max_retries: {value}\n"))
    result = run(["check", path.name], tmp_path)
    assert result.returncode == 1
    assert b"internal-error" not in result.stdout


def test_a_huge_package_header_is_a_finding(tmp_path: Path) -> None:
    (tmp_path / "deep.yaml").write_text("# @package " + "b." * 30_000 + "c\nx: 1\n", "utf-8")
    path = project(tmp_path, seed("  - base\n", "  - base\n  - deep\n"))
    result = run(["check", path.name], tmp_path)
    assert result.returncode == 1 and b"nests more than" in result.stdout


# -- settings files and the environment of the process --------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "device", "tool-list", "table-scalar"])
def test_settings_that_are_not_files_or_tables(kind: str, tmp_path: Path) -> None:
    path = project(tmp_path, SEED)
    pyproject = tmp_path / "pyproject.toml"
    if kind == "fifo":
        os.mkfifo(pyproject)
    elif kind == "device":
        pyproject.symlink_to("/dev/zero")
    elif kind == "tool-list":
        pyproject.write_text('tool = ["nexrl-cfg"]\n', encoding="utf-8")
    else:
        pyproject.write_text('[tool]\n"nexrl-cfg" = 3\n', encoding="utf-8")
    code = run(["check", path.name], tmp_path).returncode
    # Passed over (the run checks the config), or, for a table that is not one, exit 2.
    assert (code == 2) == (kind == "table-scalar")


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero", "/dev/urandom"])
def test_an_env_file_that_is_not_a_file(kind: str, tmp_path: Path) -> None:
    path = project(tmp_path, SEED)
    env_file = kind
    if kind == "fifo":
        os.mkfifo(tmp_path / "pipe.env")
        env_file = "pipe.env"
    result = run(["check", "--env-file", env_file, path.name], tmp_path)
    assert result.returncode == 2


def test_a_full_disk_and_a_missing_output_folder(tmp_path: Path) -> None:
    path = project(tmp_path, seed("    backend: sglang\n", "    backend: sglan\n"))
    with open(os.devnull if not os.path.exists("/dev/full") else "/dev/full", "wb") as full:
        for args in (["check", path.name], ["resolve", path.name], ["explain", "--list"]):
            result = run_process(args, tmp_path, stdout=full)
            if os.path.exists("/dev/full"):
                assert result.returncode == 2 and b"cannot write" in result.stderr
    assert run(["schema", "--output", "no/such/folder/s.json"], tmp_path).returncode == 2


def test_a_removed_working_folder(tmp_path: Path) -> None:
    path = project(tmp_path, seed("    backend: sglang\n", "    backend: sglan\n"))
    gone = tmp_path / "gone"
    script = f'cd "{gone}" && rmdir "{gone}" && exec "$0" -m nexrl_cfg "$@"'
    for args in (["check", "--format", "sarif", str(path)], ["resolve", str(path)]):
        gone.mkdir()
        result = subprocess.run(
            ["/bin/sh", "-c", script, sys.executable, *args],
            capture_output=True,
            timeout=GUARD,
            check=False,
        )
        assert b"Traceback" not in result.stdout + result.stderr
        assert result.returncode in (0, 1)


def test_a_very_deep_tree(tmp_path: Path) -> None:
    depth = 1_200
    fd = os.open(tmp_path, os.O_RDONLY)
    for _ in range(depth):
        os.mkdir("d", dir_fd=fd)
        inner = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    made = os.open("run.yaml", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
    os.write(made, b"service:\n  inference_service:\n    backend: sglan\n")
    os.close(made)
    os.close(fd)
    try:
        result = run(["check", "."], tmp_path)
        assert result.returncode in (1, 2)
    finally:  # shutil.rmtree, which pytest cleans up with, recurses: remove it bottom up
        os.unlink(os.path.join(tmp_path, *["d"] * depth, "run.yaml"))
        for level in range(depth, 0, -1):
            os.rmdir(os.path.join(tmp_path, *["d"] * level))


def test_a_folder_that_cannot_be_listed_stops_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, SEED)
    locked = tmp_path / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:
        if Path(str(path)).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["check", "."])
    assert result.exit_code == 2
    assert "cannot read" in result.stderr and "locked" in result.stderr
    assert "All checks passed" not in result.output


def test_a_file_named_like_an_option(tmp_path: Path) -> None:
    project(tmp_path, seed("    backend: sglang\n", "    backend: sglan\n"), name="-q.yaml")
    project(tmp_path, seed("    backend: sglang\n", "    backend: sglan\n"), name="--x.yml")
    for args in (
        ["check", "-q.yaml", "--x.yml"],
        ["check", "--", "-q.yaml"],
    ):
        result = run(args, tmp_path)
        assert result.returncode == 1 and b"sglan" in result.stdout, text_of(result)
    assert b"backend: sglan" in run(["resolve", "--x.yml"], tmp_path).stdout
    for args in (["check", "--nope", "x"], ["check"], ["resolve"], ["explain", "a", "b"], []):
        result = run(args, tmp_path)
        assert result.returncode == 2 and result.stdout == b""


# -- products of the per-file limits --------------------------------------------------------


def levels(count: int, width: int) -> str:
    lines = ["l0:", *(f"  k{i}: v{i}" for i in range(width))]
    for level in range(1, count):
        lines += [f"l{level}:", *(f"  k{i}: ${{l{level - 1}}}" for i in range(width))]
    return "\n".join(lines) + "\n"


UNBOUNDED = {
    "levels": lambda: SEED + levels(7, 12),
    "levels-in-strings": lambda: SEED
    + "a0: " + "y" * 500 + "\n"
    + "".join(f"a{i}: ${{a{i - 1}}}-${{a{i - 1}}}\n" for i in range(1, 12))
    + "".join(f"b{i}: ${{a11}}{i}\n" for i in range(2_000)),
    "selects": lambda: "big:\n" + "".join(f"  k{i}: {i}\n" for i in range(15_000))
    + "".join(f"s{i}: ${{oc.select:big}}\n" for i in range(500)) + "service: {}\n",
    "services": lambda: "svc:\n" + "".join(f"  odd_{i}: 1\n" for i in range(800))
    + "service:\n  train_service:\n" + "".join(f"    s{i}: ${{svc}}\n" for i in range(800)),
    "keys": lambda: "service:\n  inference_service:\n"
    + "".join(f"    unknown_{i}: 1\n" for i in range(30_000)),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(UNBOUNDED))
def test_the_work_of_one_config_is_bounded(name: str, tmp_path: Path) -> None:
    path = project(tmp_path, UNBOUNDED[name]())
    for args in (["check", "--format", "json", path.name], ["resolve", path.name]):
        result = run(args, tmp_path)
        assert len(result.stdout) < 5_000_000
        assert result.returncode in (0, 1)


def test_many_includes_of_a_large_file(tmp_path: Path) -> None:
    (tmp_path / "big.yaml").write_text(
        "big:\n" + "".join(f"  k{i}: {i}\n" for i in range(20_000)), "utf-8"
    )
    path = project(tmp_path, "defaults:\n" + "  - big\n" * 800 + "  - _self_\nservice: {}\n")
    result = run(["check", path.name], tmp_path)
    assert result.returncode == 1 and b"more than 100,000 values" in result.stdout


def test_findings_of_one_file_are_capped(tmp_path: Path) -> None:
    body = "service:\n  inference_service:\n" + "".join(
        f"    unknown_{i}: 1\n" for i in range(3_000)
    )
    path = project(tmp_path, body)
    report = json.loads(run(["check", "--format", "json", path.name], tmp_path).stdout)
    assert len(report["findings"]) <= 1_001
    assert any("more findings" in f["message"] for f in report["findings"])


def test_many_fragments_in_one_folder(tmp_path: Path) -> None:
    for i in range(3_000):
        (tmp_path / f"part_{i}.yaml").write_text(f"data:\n  batch_size: {i + 1}\n", "utf-8")
    (tmp_path / "run.yaml").write_text(seed("  - base\n", "  - base\n  - part_7\n"), "utf-8")
    (tmp_path / "base.yaml").write_text(BASE, "utf-8")
    started = time.monotonic()
    run(["check", "."], tmp_path)
    assert time.monotonic() - started < 15


# -- suppression ------------------------------------------------------------------------------

NOT_SUPPRESSIONS = {
    "unclosed": ("    backend: sglan  # nexrl-cfg: ignore[invalid-choice\n", "closing"),
    "spaced": ("    backend: sglan  # nexrl-cfg: ignore [invalid-choice]\n", "space"),
    "single-quoted": ("    backend: sglan\n    model: 'q # nexrl-cfg: ignore-file'\n", "quoted"),
    "folded": (
        "    backend: sglan\n    model: >\n      # nexrl-cfg: ignore-file\n      q\n",
        "block scalar",
    ),
}


@pytest.mark.parametrize("name", sorted(NOT_SUPPRESSIONS))
def test_only_well_formed_comments_suppress(name: str, tmp_path: Path) -> None:
    line, why = NOT_SUPPRESSIONS[name]
    text = seed("    backend: sglang\n", line)
    if "model:" in line:
        text = text.replace('    model: "qwen"\n', "", 1)
    path = project(tmp_path, text)
    report = json.loads(run(["check", "--format", "json", path.name], tmp_path).stdout)
    rules = {f["rule"]: f["message"] for f in report["findings"]}
    assert "invalid-choice" in rules
    assert why in rules["unused-suppression"]
