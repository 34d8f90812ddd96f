"""Hostile inputs through the real command line: every one answered with a finding at the right
line (exit 1) or a clear message (exit 2), never a traceback, never a hang.

Each case runs `nexrl-cfg check` as `python -m nexrl_cfg` would (in this process: see
helpers.cli), as text and as JSON. The guard only stops a hang; how fast the check is, is
measured by the benchmarks.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import omegaconf
import pytest
from helpers import HARDENING, SEED, Ran, cli, seed
from omegaconf import OmegaConf
from typer.testing import CliRunner

from nexrl_cfg.cli import app
from nexrl_cfg.read import read_text

HANG_GUARD = 20  # seconds; a case that takes this long has hung
MARKER = "CODE-RAN"


@dataclass(frozen=True)
class Case:
    """A file (or folder) to check, and the answer expected."""

    build: Callable[[Path], Path]
    code: int
    rules: tuple[str, ...] = ()
    # The line of the finding: a number, the first line holding this text, or None for any.
    at: int | str | None = None
    # For exit 2: words of the message on stderr.
    says: str = ""


def text(content: str, name: str = "config.yaml") -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_text(content, encoding="utf-8")
        return path

    return build


def raw(content: bytes) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / "config.yaml"
        path.write_bytes(content)
        return path

    return build


def seeded(*edits: str) -> Callable[[Path], Path]:
    """The seed config (with its base file) with pieces of text replaced: old, new, ..."""
    content = seed(*edits)

    def build(folder: Path) -> Path:
        (folder / "base.yaml").write_text((HARDENING / "base.yaml").read_text("utf-8"), "utf-8")
        return text(content)(folder)

    return build


def with_seed(content: str) -> Callable[[Path], Path]:
    """The seed config followed by more top-level text."""
    return seeded("project_name:", content + "project_name:")


def directory(folder: Path) -> Path:
    path = folder / "config.yaml"
    path.mkdir()
    return path


def symlink_loop(folder: Path) -> Path:
    (folder / "a.yaml").symlink_to(folder / "b.yaml")
    (folder / "b.yaml").symlink_to(folder / "a.yaml")
    return folder / "a.yaml"


def dangling(folder: Path) -> Path:
    (folder / "config.yaml").symlink_to(folder / "gone.yaml")
    return folder / "config.yaml"


def fifo(folder: Path) -> Path:
    path = folder / "config.yaml"
    os.mkfifo(path)
    return path


def fifo_beside(folder: Path) -> Path:
    # Checking a config looks at the YAML beside it for configs that include it.
    os.mkfifo(folder / "other.yaml")
    return seeded("experiment_name:", "experiment_name:")(folder)


def bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\nservice: {}\n"


def ten_megabytes() -> str:
    return "service:\n  inference_service:\n" + "".join(
        f"    key_{i}: {'x' * 80}\n" for i in range(120_000)
    )


# The seed on its own: what it includes from base.yaml written in its place.
ALONE = SEED.replace(
    "defaults:\n  - base\n  - _self_\n", (HARDENING / "base.yaml").read_text("utf-8")
)
CRLF_SEED = ALONE.replace("\n", "\r\n")
DOUBLING = "x:\n  a0: xxxxxxxxxxxxxxxx\n" + "".join(
    f"  a{i}: ${{x.a{i - 1}}}${{x.a{i - 1}}}\n" for i in range(1, 40)
)
CHAIN = "x:\n" + "".join(f"  a{i}: ${{x.a{i - 1}}}\n" for i in range(3000, 0, -1)) + "  a0: 1\n"
TAGS = (
    "service:\n  inference_service:\n"
    f"    model: !!python/object/apply:os.system ['touch {MARKER}']\n"
    "    backend: !!python/name:os.system\n"
    f"    tokenizer: !!python/object/new:subprocess.call [['touch', '{MARKER}']]\n"
)
LONG_VALUE = "service:\n  inference_service:\n    backend: " + "z" * 1_500_000 + "\n"

CASES: dict[str, Case] = {
    # -- what the file is -----------------------------------------------------------------
    "empty": Case(text(""), 1, ("not-a-config",), 1),
    "comments-only": Case(text("# a comment\n# another\n"), 1, ("not-a-config",), 1),
    "top-level-list": Case(text("- service\n- data\n"), 1, ("not-a-config",), 1),
    "top-level-scalar": Case(text("service\n"), 1, ("not-a-config",), 1),
    "directory-named-as-config": Case(directory, 2, says="no YAML files"),
    "symlink-loop": Case(symlink_loop, 2, says="symbolic link loop"),
    "dangling-symlink": Case(dangling, 2, says="symbolic link to a missing file"),
    "fifo-named-as-config": Case(fifo, 2, says="not a regular file"),
    "fifo-beside-the-config": Case(fifo_beside, 0),
    # -- bytes that are not UTF-8 YAML ----------------------------------------------------
    "binary": Case(raw(bytes(range(256)) * 8), 1, ("encoding",), 1),
    "non-utf8": Case(raw("data:\n  prompt_key: café\n".encode("latin-1")), 1, ("encoding",), 2),
    "nul-bytes": Case(raw(b"service:\n  inference_service:\x00\n"), 1, ("encoding",), 2),
    "utf16-bom": Case(raw(SEED.encode("utf-16")), 1, ("encoding",), 1),
    "utf32-bom": Case(raw(SEED.encode("utf-32")), 1, ("encoding",), 1),
    "utf8-bom-and-crlf": Case(raw(b"\xef\xbb\xbf" + CRLF_SEED.encode()), 0),
    # -- YAML syntax ----------------------------------------------------------------------
    "tab-indentation": Case(text("service:\n\tinference_service: {}\n"), 1, ("yaml-syntax",), 2),
    "unclosed-quote": Case(
        seeded('model: "qwen"', 'model: "qwen'), 1, ("yaml-syntax",), 'model: "qwen'
    ),
    "bad-indentation": Case(
        seeded("    backend: sglang\n", "    backend: sglang\n   stray: x\n"),
        1,
        ("yaml-syntax",),
        "   stray: x",
    ),
    "several-documents": Case(text("service: {}\n---\nservice: {}\n"), 1, ("yaml-syntax",), 2),
    "unquoted-broken-env": Case(
        text("service:\n  inference_service:\n    base_url: ${oc.env:\n"), 1, ("yaml-syntax",), 3
    ),
    # -- size, depth, expansion -----------------------------------------------------------
    "deep-block-nesting": Case(text("a:\n  " + "- " * 3000 + "x\n"), 1, ("yaml-syntax",), 2),
    "deep-flow-mapping": Case(
        text("a: " + "{b: " * 3000 + "1" + "}" * 3000 + "\n"), 1, ("yaml-syntax",), 1
    ),
    "deep-flow-sequence": Case(
        text("a: " + "[" * 50_000 + "]" * 50_000 + "\n"), 1, ("yaml-syntax",), 1
    ),
    "nesting-over-the-cap": Case(
        text("service: {}\na: " + "[" * 150 + "]" * 150 + "\n"), 1, ("too-complex",), 2
    ),
    "alias-bomb": Case(text(bomb()), 1, ("too-complex",), "a4:"),
    "alias-inside-its-anchor": Case(text("service: {}\na: &a [*a]\n"), 1, ("too-complex",), 2),
    "ten-megabytes": Case(text(ten_megabytes()), 1, ("too-complex",), 1),
    "many-small-values": Case(text("service: {}\nx:\n" + "  - 1\n" * 150_000), 1, ("too-complex",)),
    "five-thousand-digits": Case(
        seeded("total_train_steps: 10", "total_train_steps: " + "7" * 5000),
        1,
        ("yaml-syntax",),
        "total_train_steps",
    ),
    "long-value": Case(text(LONG_VALUE), 1, ("invalid-choice",), 3),
    "interpolation-doubling": Case(with_seed(DOUBLING), 1, ("too-complex",), "  a13:"),
    "interpolation-chain": Case(with_seed(CHAIN), 1, ("too-complex",), "  a3000:"),
    "long-expression": Case(
        seeded('model: "qwen"', "model: \"${oc.decode:'" + "[" * 3000 + "]" * 3000 + "'}\""),
        1,
        ("too-complex",),
        "model: ",
    ),
    # -- keys -----------------------------------------------------------------------------
    "keys-not-strings": Case(
        with_seed("1: one\nnull: nothing\n[a, b]: pair\n"), 1, ("invalid-key",), "[a, b]"
    ),
    "key-given-twice": Case(
        seeded("    max_retries: 1\n", "    max_retries: 1\n    max_retries: 2\n"),
        1,
        ("duplicate-key",),
        "max_retries: 2",
    ),
    "valid-merge-keys": Case(
        # `model` is required: only the merge brings it.
        seeded(
            '    model: "qwen"\n',
            "    <<: *inference\n",
            "rollout_worker:\n",
            'rollout_worker:\n  inference: &inference\n    model: "qwen"\n    max_retries: 1\n',
        ),
        0,
    ),
    "merge-key-overridden": Case(
        seeded(
            "    backend: sglang\n",
            "    <<: *inference\n    backend: sglan\n",
            "rollout_worker:\n",
            "rollout_worker:\n  inference: &inference\n    backend: sglang\n",
        ),
        1,
        ("invalid-choice",),
        "backend: sglan\n",
    ),
    "bad-merge-key": Case(
        seeded("    backend: sglang\n", "    <<: 5\n    backend: sglang\n"),
        1,
        ("yaml-syntax",),
        "<<: 5",
    ),
    "merge-of-undefined-alias": Case(
        seeded("    backend: sglang\n", "    <<: *nowhere\n    backend: sglang\n"),
        1,
        ("yaml-syntax",),
        "<<: *nowhere",
    ),
    # -- tags: reported, never run ----------------------------------------------------------
    "python-tags": Case(text(TAGS), 1, ("yaml-tag",), 3),
    "include-tag": Case(text("service: !include other.yaml\n"), 1, ("yaml-tag",), 1),
    # -- interpolations -------------------------------------------------------------------
    "interpolation-cycle": Case(
        seeded(
            "max_response_length: 2048",
            "max_response_length: ${service.inference_service.max_tokens}",
        ),
        1,
        ("interpolation-error",),
        "max_response_length: ${",
    ),
    "missing-key": Case(
        seeded('model: "qwen"', "model: ${data.no_such_key}"),
        1,
        ("interpolation-error",),
        "no_such_key",
    ),
    "unknown-resolver": Case(
        seeded('model: "qwen"', "model: ${evil:rm -rf}"), 1, ("interpolation-error",), "evil"
    ),
    "broken-oc-env": Case(
        seeded('model: "qwen"', 'model: "${oc.env:MODEL"'),
        1,
        ("interpolation-error",),
        "oc.env:MODEL",
    ),
    "relative-key-above-the-top": Case(
        seeded('model: "qwen"', "model: ${.......data}"), 1, ("interpolation-error",), "......."
    ),
    # -- defaults lists -------------------------------------------------------------------
    "defaults-missing-file": Case(
        seeded("  - base\n", "  - nowhere\n"), 1, ("defaults",), "  - nowhere"
    ),
    "defaults-itself": Case(seeded("  - base\n", "  - config\n"), 1, ("defaults",), "  - config"),
    "defaults-outside-the-folder": Case(
        seeded("  - base\n", "  - ../../../etc/passwd\n"), 1, ("defaults",), "passwd"
    ),
    "defaults-not-a-list": Case(
        seeded("defaults:\n  - base\n  - _self_\n", "defaults: base\n"),
        1,
        ("defaults",),
        "defaults: base",
    ),
    # -- service --------------------------------------------------------------------------
    "service-null": Case(text("service:\n"), 1, ("invalid-type",), 1),
    "service-list": Case(text("service:\n  - inference_service\n"), 1, ("invalid-type",), 2),
    "service-scalars-for-sections": Case(
        text("service: {inference_service: 5, train_service: text}\n"), 1, ("invalid-type",), 1
    ),
}

_HEAD = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<severity>\w+) \[(?P<rule>[\w-]+)\]"
)


# The cases' configs are written in NexRL 1.0's shape.
PINNED = ("--nexrl-version", "1.0")


def run_check(target: Path, fmt: str, cwd: Path) -> Ran:
    args = ["check", *PINNED, "--format", fmt, str(target)]
    return cli(args, cwd, drop=("NEXRL_", "EXPERIMENT_"), guard=HANG_GUARD)


def findings(out: str, fmt: str) -> list[tuple[str, str, int]]:
    """(rule, severity, line) of each finding in the output."""
    if fmt == "json":
        return [(f["rule"], f["severity"], f["line"]) for f in json.loads(out)["findings"]]
    heads = (_HEAD.match(line) for line in out.splitlines())
    return [(m["rule"], m["severity"], int(m["line"])) for m in heads if m]


def expected_line(case: Case, target: Path) -> int | None:
    if not isinstance(case.at, str):
        return case.at
    content = target.read_bytes().decode("utf-8", "replace")
    return content[: content.index(case.at)].count("\n") + 1


def needs(case: Case) -> str | None:
    """Why the case cannot run here, or None."""
    name = getattr(case.build, "__name__", "")
    if "fifo" in name and not hasattr(os, "mkfifo"):
        return "no FIFOs on this system"
    if name in ("symlink_loop", "dangling") and sys.platform == "win32":
        return "symbolic links need privileges on this system"
    return None


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input_is_answered(name: str, fmt: str, tmp_path: Path) -> None:
    case = CASES[name]
    reason = needs(case)
    if reason:
        pytest.skip(reason)
    folder = tmp_path / "configs"
    folder.mkdir()
    target = case.build(folder)
    result = run_check(target, fmt, tmp_path)
    output = result.text
    assert "Traceback" not in output, output[-3000:]
    assert result.returncode == case.code, output[-3000:]
    assert len(output) < 100_000, "the output echoes the input"
    assert not (tmp_path / MARKER).exists() and not (folder / MARKER).exists()
    if case.code == 2:
        assert result.out == ""
        assert result.err.startswith("nexrl-cfg: ") and case.says in result.err
        assert len(result.err.strip().splitlines()) == 1
        return
    found = findings(result.out, fmt)
    errors = [(rule, line) for rule, severity, line in found if severity == "error"]
    if case.code == 0:
        assert not errors, output
        return
    line = expected_line(case, target)
    assert any(rule in case.rules and line in (None, at) for rule, at in errors), (
        f"expected {case.rules} at line {line}, got {errors}"
    )


def test_every_case_of_the_issue_is_covered() -> None:
    asked = [
        "empty", "comments-only", "top-level-list", "top-level-scalar", "tab-indentation",
        "unclosed-quote", "bad-indentation", "binary", "non-utf8", "nul-bytes", "utf16-bom",
        "directory-named-as-config", "symlink-loop", "deep-block-nesting", "deep-flow-mapping",
        "deep-flow-sequence", "alias-bomb", "ten-megabytes", "five-thousand-digits",
        "keys-not-strings", "valid-merge-keys", "bad-merge-key", "key-given-twice",
        "python-tags", "include-tag", "interpolation-cycle", "missing-key", "unknown-resolver",
        "broken-oc-env", "defaults-missing-file", "defaults-itself",
        "defaults-outside-the-folder", "defaults-not-a-list", "service-null", "service-list",
        "service-scalars-for-sections",
    ]  # fmt: skip
    assert not set(asked) - set(CASES)


# -- merge keys mean what they mean to OmegaConf ------------------------------------------------

MERGES = [
    "base: &base {a: 1, b: 2}\nx:\n  <<: *base\n  b: 3\n",
    "x: &x {p: 1}\ny: &y {<<: *x, q: 2}\nz: {<<: *y, r: 3}\n",
    "b: &b {k: 1, m: 1}\nc: &c {k: 2, n: 2}\nd: {<<: [*b, *c]}\n",
    "a: &a {k: 1, j: {deep: [1, 2]}}\nb:\n  <<: *a\n  k: 2\n",
    "a: &a {k: 1}\nb: &b {<<: *a, k: 2}\nc: {<<: [*b, *a]}\n",
]


def _pyyaml_merges_differently() -> bool:
    import yaml

    version = tuple(int(p) for p in yaml.__version__.split(".")[:3])
    new_omegaconf = tuple(int(p) for p in omegaconf.__version__.split(".")[:2]) >= (2, 4)
    return version > (6, 0, 2) and not new_omegaconf


@pytest.mark.parametrize("yaml_text", MERGES)
def test_merge_keys_merge_as_omegaconf_does(yaml_text: str) -> None:
    doc = read_text(yaml_text, "merge.yaml")
    assert not doc.findings
    if "<<: [*b, *a]" in yaml_text and _pyyaml_merges_differently():
        pytest.skip(
            "OmegaConf 2.3 merges with PyYAML's merge, which 6.0.3 changed for a merged mapping "
            "that has merges of its own; NexRL pins PyYAML 6.0.2, which this reader follows"
        )
    want = OmegaConf.to_container(OmegaConf.create(yaml_text))
    assert doc.data == want
    # Key order as OmegaConf 2.4 gives it; 2.3.0 (NexRL's pin) keeps a merged key given again
    # where the merge put it. The order means nothing to NexRL.
    if tuple(int(p) for p in omegaconf.__version__.split(".")[:2]) >= (2, 4):
        assert [list(v) for v in doc.data.values()] == [list(v) for v in want.values()]


# -- an internal error: one line, exit 2, the traceback only with --debug ----------------------


def _boom(cfg: object) -> list[object]:
    raise ValueError("sk-live-internal-0123456789 leaked through an exception")


@pytest.fixture
def broken_validate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    import nexrl_cfg.check

    monkeypatch.setattr(nexrl_cfg.check, "run_rules", _boom)
    monkeypatch.chdir(tmp_path)
    return seeded("experiment_name:", "experiment_name:")(tmp_path)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_internal_error_is_one_line_and_exits_2(broken_validate: Path, fmt: str) -> None:
    result = CliRunner().invoke(app, ["check", "--quiet", "--format", fmt, str(broken_validate)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "sk-live-internal" not in result.output
    lines = result.output.splitlines()
    found = [i for i, line in enumerate(lines) if "internal-error" in line]
    if fmt == "text":
        assert len(found) == 3 and lines[found[1]].endswith("explain internal-error or")
        assert lines[found[2]].endswith("/docs/rules/internal-error.md")
        assert lines[found[0]] == f"{broken_validate.name}:1:1: error [internal-error]"
        assert "please report it" in lines[found[0] + 1]
    else:
        (finding,) = json.loads(result.stdout)["findings"]
        assert finding["rule"] == "internal-error" and finding["file"] == str(broken_validate)
        assert "please report it" in finding["message"]


def test_internal_error_is_never_filtered_away(broken_validate: Path) -> None:
    result = CliRunner().invoke(
        app, ["check", "--select", "max-tokens-match", str(broken_validate)]
    )
    assert result.exit_code == 2
    assert "internal-error" in result.output


def test_debug_shows_the_traceback(broken_validate: Path) -> None:
    result = CliRunner().invoke(app, ["check", "--debug", str(broken_validate)])
    assert result.exit_code == 2
    assert "Traceback" in result.output and "_boom" in result.output


def test_terminal_escapes_in_a_config_reach_the_terminal_escaped(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        'service:\n  inference_service:\n    backend: "\\e[2J\\e[31mgone\\x07"\n'
        '    "\\e]0;title\\x07\\u202e": 1\n',
        encoding="utf-8",
    )
    result = run_check(config, "text", tmp_path)
    assert result.returncode == 1
    assert "[invalid-choice]" in result.out and "[unknown-key]" in result.out
    assert not any(ch in result.out for ch in "\x1b\x07\u202e")
    assert "\\u001b[2J" in result.out
