"""The tests' configs: one whole base per NexRL version, and a few lines changed over it.

The bases are the invalid samples' (`sample_configs/invalid/base_1_X.yaml`): each a whole
self-hosted run that passes with no finding at its version (tests/test_bases.py). NexRL 1.0 and
1.1 share a shape; 1.2 names the training services; 1.3 adds direct-zmq; 1.4 requires
`rollout_worker.max_sequence_length`. A test takes `base(version)` and changes what it is about:
`edit` one piece of text, `put` values at dotted keys (`puts` several), `add` lines to a section.
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import SAMPLES
from helpers import check, write

from nexrl_cfg.finding import Finding

BASES = SAMPLES / "invalid"
# The base file of each version: 1.1 reads the configs 1.0 does.
BASE_OF = {"1.0": "base_1_0", "1.1": "base_1_0", "1.2": "base_1_2", "1.3": "base_1_3"}
BASE_OF["1.4"] = "base_1_4"


def base(version: str = "1.0") -> str:
    """The whole config NexRL `version` runs with no finding, as text."""
    return (BASES / f"{BASE_OF[version]}.yaml").read_text(encoding="utf-8")


BASE = base("1.0")
NESTED = base("1.4")

# The 1.0 run against the OpenAI API: no weights to synchronise, a mock trainer.
OPENAI_CHANGES = {
    "data.type": '"mock"',
    "data.data_files": None,
    "data.tokenizer_path": None,
    "data.batch_size": "32",
    "data.keep_batch_order": "false",
    "data.max_response_length": "4096",
    "trajectory_pool.batch_size": "128",
    "trajectory_pool.check_batch_ready_function": '"batch_size_reached"',
    "weight.sync_mode": '"fully-async"',
    "weight.sync_method": '"mock"',
    "service.inference_service.api_key": '"${oc.env:OPENAI_API_KEY}"',
    "service.inference_service.base_url": '"https://api.openai.com"',
    "service.inference_service.model": '"gpt-4"',
    "service.inference_service.tokenizer": None,
    "service.inference_service.backend": "openai",
    "service.inference_service.freeze_for_weight_sync": "false",
    "service.inference_service.weight_type": '""',
    "service.train_service.backend": "mock",
    "service.train_service.actor": None,
}


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} is not in the config exactly once"
    return text.replace(old, new)


_KEY = re.compile(r"^(?P<indent> *)(?P<key>[^\s#:'\"-][^:]*?|\"[^\"]*\"|'[^']*'):(?:\s|$)")


def _paths(lines: list[str]) -> list[tuple[str, ...] | None]:
    """The dotted path of the key each line of block YAML starts (None: no key starts there)."""
    stack: list[tuple[int, str]] = []
    out: list[tuple[str, ...] | None] = []
    for line in lines:
        match = _KEY.match(line)
        if match is None:
            out.append(None)
            continue
        indent = len(match["indent"])
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, match["key"].strip("\"'")))
        out.append(tuple(k for _, k in stack))
    return out


def _block_end(lines: list[str], start: int) -> int:
    """The line after the key at `start` and everything nested under it."""
    indent = len(lines[start]) - len(lines[start].lstrip(" "))
    end = start + 1
    while end < len(lines):
        line = lines[end]
        if line.strip() and len(line) - len(line.lstrip(" ")) <= indent:
            break
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return end


def put(text: str, key: str, value: str | None) -> str:
    """`text` with `key` (dotted) set to `value`, YAML as written after `key: `: its line
    rewritten (what was nested under it goes), or added at the end of its section (the
    sections it needs added too); `value` None removes the key and what is under it."""
    lines = text.splitlines(keepends=True)
    wanted = tuple(key.split("."))
    paths = _paths(lines)
    if wanted in paths:
        at = paths.index(wanted)
        end = _block_end(lines, at)
        indent = lines[at][: len(lines[at]) - len(lines[at].lstrip(" "))]
        lines[at:end] = [] if value is None else [f"{indent}{wanted[-1]}: {value}\n"]
        return "".join(lines)
    assert value is not None, f"{key} is not in the config"
    depth = max((n for n in range(len(wanted)) if wanted[:n] in paths), default=0)
    if depth:
        parent = paths.index(wanted[:depth])
        at = _block_end(lines, parent)
        indent = len(lines[parent]) - len(lines[parent].lstrip(" ")) + 2
    else:
        at, indent = len(lines), 0
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
    added = [" " * (indent + 2 * i) + f"{name}:\n" for i, name in enumerate(wanted[depth:-1])]
    added.append(" " * (indent + 2 * (len(wanted) - depth - 1)) + f"{wanted[-1]}: {value}\n")
    lines[at:at] = added
    return "".join(lines)


def add(text: str, key: str, block: str) -> str:
    """`text` with `block` (whole lines, indented as they are to stand) at the end of the
    section `key` (dotted)."""
    lines = text.splitlines(keepends=True)
    paths = _paths(lines)
    at = _block_end(lines, paths.index(tuple(key.split("."))))
    lines[at:at] = [block]
    return "".join(lines)


def split(text: str, keys: tuple[str, ...]) -> tuple[str, str]:
    """(`text` without the dotted `keys`, the lines of `keys` alone with the sections that hold
    them): a config cut in two files, one including the other."""
    wanted = [tuple(key.split(".")) for key in keys]
    rest: list[str] = []
    picked: list[str] = []
    current: tuple[str, ...] = ()
    for line, path in zip(text.splitlines(keepends=True), _paths(text.splitlines()), strict=True):
        current = path or current
        inside = any(current[: len(w)] == w for w in wanted)
        holds = path is not None and any(w[: len(path)] == path for w in wanted)
        (picked if inside else rest).append(line)
        if holds and not inside:
            picked.append(line)
    return "".join(rest), "".join(picked)


def puts(text: str, changes: dict[str, str | None]) -> str:
    for key, value in changes.items():
        text = put(text, key, value)
    return text


OPENAI = puts(BASE, OPENAI_CHANGES)


def position(text: str, needle: str, offset: int = 0) -> tuple[int, int]:
    """1-based line and column of `needle` in `text` (plus `offset` columns)."""
    assert text.count(needle) == 1, f"{needle!r} is not in the config exactly once"
    before = text[: text.index(needle)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1 + offset


def value_at(text: str, pair: str) -> tuple[int, int]:
    """Where the value of `key: value` (written once in `text`) starts."""
    return position(text, pair, pair.index(": ") + 2)


def at_version(text: str, version: str) -> str:
    """A config of BASE's shape as NexRL `version` needs it: 1.4 also reads the rollout's
    longest sequence, which no earlier version knows."""
    if version != "1.4" or "max_sequence_length" in text:
        return text
    return put(text, "rollout_worker.max_sequence_length", "8192")


def run(
    tmp_path: Path, text: str, environ: dict[str, str] | None = None, **settings: object
) -> list[Finding]:
    return check(write(tmp_path, "run.yaml", text), environ, **settings)


def summary(findings: list[Finding]) -> list[tuple[str, str, str, int, int]]:
    return [(f.rule, f.severity.value, f.key, f.line, f.column) for f in findings]
