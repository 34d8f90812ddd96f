"""No secret is ever printed: not an `api_key` written in a file (a prefix at most), not any value
read from the environment, in any output format or in `resolve`.

Each config makes secret values flow where messages quote values (a wrong type, a value not
allowed, two values that must match, an error inside an interpolation), and the test checks that
those findings are reported, so that the absence of the secret means something.
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import HARDENING, cli, seed
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from omegaconf import OmegaConf

from nexrl_cfg.check import Checker, Settings
from nexrl_cfg.cli import app
from nexrl_cfg.fix.edits import _redacted_lines
from nexrl_cfg.output import Secrets
from nexrl_cfg.read import _scanned_secrets, may_hold_secret, read_text, secret_key_offsets
from nexrl_cfg.report import names

HANG_GUARD = 20

ENV = {
    "NEXRL_SECRET_LENGTH": "sk-live-LENGTH-7f3a9e",
    "NEXRL_SECRET_RETRIES": "sk-live-RETRIES-1c2d3e",
    "NEXRL_SECRET_BACKEND": "sk-live-BACKEND-99aa0b",
    "NEXRL_SECRET_PORT": "918273645",
    "NEXRL_SECRET_TOKENS": "827364519",
    "NEXRL_SECRET_MODEL": "sk-live-MODEL-d00d11",
    "NEXRL_SECRET_URL": "https://user:sk-live-URLPASS-beef22@host.example",
    "NEXRL_SECRET_API_KEY": "sk-live-APIKEY-c0ffee",
    "NEXRL_SECRET_KEYNAME": "sk-live-KEYNAME-abcd33",
    "NEXRL_SECRET_DECODE": "[sk-live-DECODE-ffff44",
    "NEXRL_SECRET_TAG": "sk-live-TAG-a1b2c3",
    "NEXRL_VLLM": "vllm",
}
LITERALS = (
    "sk-proj-LITERALa1b2c3d4e5f6g7h8",
    "sk-ant-NEXTLINEz9y8x7w6v5u4",
    "sk-BLOCKq1w2e3r4t5y6u7i8",
    "sk-FLOWm1n2b3v4c5x6z7",
)


@dataclass(frozen=True)
class Leaky:
    """A config that quotes secret values if it can, and the rules it must trip."""

    edits: tuple[str, ...]
    rules: frozenset[str]


CONFIGS = {
    # A value from the environment of the wrong type, not allowed, or used by a reference.
    "types": Leaky(
        (
            "max_response_length: 2048",
            "max_response_length: ${oc.env:NEXRL_SECRET_LENGTH}",
            "    max_retries: 1\n",
            "    max_retries: ${oc.env:NEXRL_SECRET_RETRIES}\n",
            "    backend: sglang\n",
            "    backend: ${oc.env:NEXRL_SECRET_BACKEND}\n",
            '    base_url: "${oc.env:INFERENCE_BASE_URL,http://localhost:8000}"',
            "    base_url: ${oc.decode:${oc.env:NEXRL_SECRET_PORT}}",
        ),
        frozenset({"invalid-type", "invalid-choice"}),
    ),
    # Values that must match, one of them from the environment.
    "mismatch": Leaky(
        (
            "    max_tokens: ${data.max_response_length}",
            "    max_tokens: ${oc.decode:${oc.env:NEXRL_SECRET_TOKENS}}",
            '    model: "qwen"',
            '    model: "${oc.env:NEXRL_SECRET_MODEL}"',
            '    base_url: "${oc.env:INFERENCE_BASE_URL,http://localhost:8000}"',
            '    base_url: "${oc.env:NEXRL_SECRET_URL}"',
            '    api_key: "EMPTY"',
            '    api_key: "${oc.env:NEXRL_SECRET_API_KEY}"',
            "    backend: sglang\n",
            "    backend: ${oc.env:NEXRL_VLLM}\n",
        ),
        frozenset({"max-tokens-match", "weight-type-backend", "sync-method-backend"}),
    ),
    # Environment values inside expressions OmegaConf evaluates, and an unknown mixed in.
    "omegaconf": Leaky(
        (
            '    model: "qwen"',
            '    model: "${oc.select:${oc.env:NEXRL_SECRET_KEYNAME}}"',
            "    max_retries: 1\n",
            "    max_retries: ${oc.decode:${oc.env:NEXRL_SECRET_DECODE}}\n",
            '    base_url: "${oc.env:INFERENCE_BASE_URL,http://localhost:8000}"',
            '    base_url: "${oc.env:NEXRL_SECRET_URL}/${oc.env:NEXRL_UNSET_PART}"',
            '  prompt_key: "prompt"\n',
            '  prompt_key: "prompt"\n  other: ${oc.select:data.${oc.env:NEXRL_SECRET_KEYNAME}}\n'
            "  missing: ${data.${oc.env:NEXRL_SECRET_TAG}}\n",
        ),
        frozenset({"interpolation-error", "env-unset", "invalid-type"}),
    ),
    # Keys written in the file: on the key's line, on a line of their own, as a block, in a flow.
    "literal": Leaky(
        (
            '    api_key: "EMPTY"',
            f'    api_key: "{LITERALS[0]}"',
            "  train_service:\n",
            f'  train_service:\n    api_key:\n      "{LITERALS[1]}"\n',
            "rollout_worker:\n",
            f"rollout_worker:\n  api_key: |\n    {LITERALS[2]}\n",
            '    model: "qwen"',
            f"    model: {{api_key: {LITERALS[3]}, backend: sglang}}",
        ),
        frozenset({"api-key-literal", "invalid-type"}),
    ),
}


def secrets() -> list[str]:
    return [v for k, v in ENV.items() if k != "NEXRL_VLLM"] + list(LITERALS)


def leaks(output: str) -> list[str]:
    """Secrets found in `output`: any environment value, any 8 characters of a literal key past
    its first four (`sk-p`, a prefix that tells the kind of key, may be shown)."""
    found = [s for s in secrets() if s in output]
    for key in LITERALS:
        found += [key[i : i + 8] for i in range(4, len(key) - 7) if key[i : i + 8] in output]
    # The one value from the environment that is not secret-looking must not show either.
    found += ["'vllm'"] if "'vllm'" in output else []
    return found


def write(folder: Path, name: str) -> Path:
    (folder / "base.yaml").write_text((HARDENING / "base.yaml").read_text("utf-8"), "utf-8")
    path = folder / f"{name}.yaml"
    path.write_text(seed(*CONFIGS[name].edits), encoding="utf-8")
    return path


def run(args: list[str], cwd: Path, extra: dict[str, str] | None = None) -> tuple[str, str]:
    """(stdout, stderr) of the command line."""
    result = cli(args, cwd, ENV if extra is None else extra, guard=HANG_GUARD)
    assert "Traceback" not in result.err, result.err
    assert result.returncode in (0, 1), result.text
    return result.out, result.err


def commands() -> set[str]:
    return {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}


@pytest.mark.parametrize("fmt", names())
@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_check_never_prints_a_secret(name: str, fmt: str, tmp_path: Path) -> None:
    path = write(tmp_path, name)
    # Every note too: they quote the most.
    output = "".join(run(["check", "--show-notes", "--format", fmt, path.name], tmp_path))
    assert not leaks(output), leaks(output)
    for rule in CONFIGS[name].rules:
        assert rule in output, f"{rule} was not reported, so the test proves nothing"


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_resolve_never_prints_a_secret(name: str, tmp_path: Path) -> None:
    if "resolve" not in commands():
        pytest.skip("no resolve command")
    path = write(tmp_path, name)
    output = "".join(run(["resolve", path.name], tmp_path))
    assert not leaks(output), leaks(output)
    assert "api_key" in output or name == "types"


def test_secrets_from_an_env_file_are_not_printed_either(tmp_path: Path) -> None:
    path = write(tmp_path, "types")
    env_file = tmp_path / "secrets.env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in ENV.items()), encoding="utf-8")
    output = "".join(run(["check", "--env-file", env_file.name, path.name], tmp_path, extra={}))
    assert "invalid-type" in output
    assert not leaks(output), leaks(output)


def test_a_literal_key_shows_at_most_a_prefix(tmp_path: Path) -> None:
    path = write(tmp_path, "literal")
    report = json.loads(run(["check", "--format", "json", path.name], tmp_path)[0])
    messages = [f["message"] for f in report["findings"] if f["rule"] == "api-key-literal"]
    assert messages and all('"sk-…"' in m for m in messages)


@pytest.mark.parametrize("fmt", names())
def test_a_key_half_literal_half_expression_is_not_printed(fmt: str, tmp_path: Path) -> None:
    path = tmp_path / "mixed.yaml"
    path.write_text(
        "service:\n  inference_service:\n"
        '    api_key: "sk-mixedpart0123${oc.env:NXR_KEY_SUFFIX}"\n'
        '    max_tokens: "5"\n',
        encoding="utf-8",
    )
    output = "".join(run(["check", "--format", fmt, path.name], tmp_path, extra={}))
    assert "invalid-type" in output
    assert "mixedpart" not in output
    if "resolve" in commands():
        assert "mixedpart" not in "".join(run(["resolve", path.name], tmp_path, extra={}))


# -- no code of anyone else runs while checking ----------------------------------------------


def test_a_resolver_registered_in_the_process_is_not_called(tmp_path: Path) -> None:
    calls: list[object] = []

    def evil(*args: object) -> str:
        calls.append(args)
        return "qwen"

    with warnings.catch_warnings():  # deprecated in OmegaConf 2.4, still what others call
        warnings.simplefilter("ignore")
        OmegaConf.register_new_resolver("evil", evil, replace=True)
    try:
        path = tmp_path / "config.yaml"
        path.write_text(seed('model: "qwen"', "model: ${evil:x}"), encoding="utf-8")
        (tmp_path / "base.yaml").write_text((HARDENING / "base.yaml").read_text("utf-8"))
        found = Checker(Settings(environ={})).check_file(path).findings
    finally:
        OmegaConf.clear_resolver("evil")
    assert not calls
    (finding,) = [f for f in found if f.rule == "interpolation-error"]
    assert "unknown resolver 'evil'" in finding.message
    assert OmegaConf.has_resolver("oc.env")  # the registry is given back as it was


def test_the_registry_is_restored_after_a_check(tmp_path: Path) -> None:
    from omegaconf.basecontainer import BaseContainer

    saved = dict(BaseContainer._resolvers)
    path = tmp_path / "config.yaml"
    path.write_text(seed('model: "qwen"', 'model: "${oc.select:data.prompt_key}"'), "utf-8")
    (tmp_path / "base.yaml").write_text((HARDENING / "base.yaml").read_text("utf-8"))
    Checker(Settings(environ={})).check_file(path)
    assert BaseContainer._resolvers == saved


# Files where the parser does not take a secret value as the key's: a flow collection left
# open, a tag, a key given twice, a complex key, an escaped key in a broken file, CRLF.
ODD_SECRETS = {
    "open-flow": "rollout_worker: [\n  a: 1\n  api_key: SEKRIT_ONE ]\n",
    "open-flow-to-end": "rollout_worker: [\n  a: 1\n  api_key: SEKRIT_ONE\n",
    "tag": "rollout_worker:\n  api_key: !custom SEKRIT_ONE\n",
    "twice": "rollout_worker:\n  api_key: one\n  api_key: SEKRIT_ONE\n",
    "complex-key": "rollout_worker:\n  ? api_key\n  : SEKRIT_ONE\n",
    "escaped-key": 'rollout_worker: [\n  a: 1\n  "api\\x5fkey": SEKRIT_ONE\n',
    "crlf-tab": "rollout_worker: [\r\n  a: 1\r\n  api_key:\tSEKRIT_ONE\r\n",
}


@pytest.mark.parametrize("fmt", names())
@pytest.mark.parametrize("name", sorted(ODD_SECRETS))
def test_a_secret_the_parser_does_not_see_is_not_printed(
    name: str, fmt: str, tmp_path: Path
) -> None:
    """Every line shown has what follows a secret key redacted, whatever the parser made of
    the value (a line is shown for each finding at it: these files have several)."""
    (tmp_path / "run.yaml").write_bytes(ODD_SECRETS[name].encode("utf-8"))
    result = cli(["check", "--show-notes", "--format", fmt, "run.yaml"], tmp_path, ENV)
    assert "Traceback" not in result.err and result.returncode in (0, 1), result.text
    assert "SEKRIT_ONE" not in result.out + result.err
    diff = cli(["check", "--fix", "--diff", "run.yaml"], tmp_path, ENV)
    assert "SEKRIT_ONE" not in diff.out + diff.err


# A secret key spelt in another case, its value where no line of the key shows it.
_SERVICE = "service:\n  inference_service:\n    model_tag: x\n"
SPELT_SECRETS = {
    "next-line": _SERVICE + "    API_KEY:\n      SEKRIT_ONE\n",
    "complex": _SERVICE + "    ? Api_Key\n    : SEKRIT_ONE\n",
    "block": _SERVICE + "    API_KEY: |\n      SEKRIT_ONE\n",
    "dotted-i": _SERVICE + "    APİ_KEY:\n      SEKRIT_ONE\n",
    "quoted": _SERVICE + '    API_KEY: "a\n      SEKRIT_ONE"\n',
}


@pytest.mark.parametrize("name", sorted(SPELT_SECRETS))
def test_a_secret_key_in_another_case_is_not_printed(name: str, tmp_path: Path) -> None:
    """NexRL reads `api_key` alone, but `API_KEY: ...` is a secret all the same: its value
    is in no diff, report or resolved config, wherever it is written."""
    (tmp_path / "run.yaml").write_bytes(SPELT_SECRETS[name].encode("utf-8"))
    for args in (
        ["check", "--nexrl-version", "1.4", "--diff", "run.yaml"],
        ["check", "--show-notes", "--format", "json", "run.yaml"],
        ["resolve", "run.yaml"],
        ["migrate", "--to", "1.4", "run.yaml"],
    ):
        result = cli(args, tmp_path, ENV)
        assert "Traceback" not in result.err, result.text
        assert "SEKRIT_ONE" not in result.out + result.err, args


def test_a_line_that_only_names_where_a_secret_comes_from_is_shown(tmp_path: Path) -> None:
    """`api_key: ${oc.env:KEY}` says which variable, not its value: the line shows it; a
    default written in the expression is a literal, and is not shown."""
    (tmp_path / "run.yaml").write_text(
        "rollout_worker:\n  api_key: one\n  api_key: ${oc.env:SOME_KEY}\n"
        "trainer:\n  api_key: two\n  api_key: ${oc.env:OTHER,SEKRIT_TWO}\n",
        encoding="utf-8",
    )
    result = cli(["check", "--show-notes", "run.yaml"], tmp_path, ENV)
    assert "api_key: ${oc.env:SOME_KEY}" in result.out
    assert "SEKRIT_TWO" not in result.out + result.err


# Pieces of YAML around secret keys: every spelling, break and indicator a shown line may hold.
_PIECES = st.sampled_from(
    [
        *("api_key", "API_KEY", "Api\\x5fkey", '"api_key"', "'api_key'", "? api_key", "APİ_key"),
        *(": ", ":", " ", "  ", "-", "#", "'", '"', "{", "}", "[", "]", ",", "!tag ", "&a ", "*a"),
        *("\n", "\r\n", "\r", "\x85", "\u2028", "\x0b", "\x0c", "\x1c", "\x00"),
        *("secret", "${oc.env:KEY}", "x", "a", "b: c", "api", "key", "|", ">"),
    ]
)


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(_PIECES, max_size=40))
@example(["? api_key", "\n", ": ", "secret"])  # a complex key: its value is on the next line
@example(["? api_key", "\x0c", "x", "\n", ": ", "secret"])  # a break only Python splits at
@example(["api_key: ", '"', "a", "\n", "  b", "\n", "  c", '"'])  # a value over three lines
@example(["a: [", "api_key: ", "secret"])  # a flow collection left open
@example(["api_key", ": ", "? api_key", "\x0b"])  # read by the scanner: the file is broken
def test_a_diff_redacts_each_line_as_the_line_shown_alone_is_redacted(parts: list[str]) -> None:
    """A diff looks at a line only where a secret may be written; each line it shows is the
    line `Document.redact_line` gives, asked of every line."""
    text = "".join(parts)
    shown = _redacted_lines(text, "f.yaml", Secrets())
    doc = read_text(text, "f.yaml")
    pieces = re.split("\r\n|[\r\n\x85\u2028\u2029]", text)
    if doc.scan_secrets or not doc.ok:  # as a diff does: the scanner, on the text's own lines
        doc.scan_secrets = False
        doc.secret_spans.extend(_scanned_secrets(text, len(pieces)))
    lines = pieces if pieces[-1] else pieces[:-1]
    expected = [doc.redact_line(number, line) for number, line in enumerate(lines, 1)]
    if expected and not text.endswith(tuple("\r\n\x85\u2028\u2029")):
        expected[-1] += "\x00"
    assert shown == expected


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="aApPiI\u0130\u0131_k \n", max_size=30))
def test_the_quick_look_for_a_secret_key_matches_as_the_line_pattern_does(text: str) -> None:
    """Lower-casing an ASCII text finds a key's first part where a case-insensitive
    pattern does (`API`, `Api`); a dotless or dotted I is left to the pattern."""
    pattern = re.compile("api", re.I)
    assert may_hold_secret(text) == (pattern.search(text) is not None)
    assert secret_key_offsets(text) == [m.start() for m in pattern.finditer(text)]
