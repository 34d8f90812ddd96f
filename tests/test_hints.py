"""Hints are verified: where a hint says exactly what to write, applying it makes its finding
go away.

Over every invalid sample and every probe (the probe's new findings), each finding whose hint
is mechanical (one of HINTS: a name to use, a value to write, quotes to remove, a command to
run, a variable to export) is applied to a copy of the files as the hint says, the config is
checked again, and no finding of that rule is left at that key. A hint these patterns do not
read (a choice left to the user) is not judged; each pattern is held to read the hint of some
sample (or of a config of EXTRA), so that none of them goes stale unseen.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from configs import base, put
from conftest import nexrl_recipes
from helpers import dump_yaml, load_yaml
from test_probes import Probe, all_probes, apply
from test_samples import ENV, INVALID, names, version_of

from nexrl_cfg.check import Checker, Settings
from nexrl_cfg.finding import Finding

Tree = Any


@dataclass(frozen=True)
class Change:
    """What a hint says to do: `kind` is "set" (the value at `key` becomes the YAML `text`),
    "rename" (the key at `key` is renamed `text`), "unquote" (the string at `key` written
    without quotes), "listed" (the value at `key` made a list of itself), "migrate" (`nexrl-cfg
    migrate --to text --write` on the finding's file) or "export" (the variable `key` set to
    `text`)."""

    kind: str
    key: str
    text: str


# (name, pattern of the hint, what the match says to do)
HINTS: list[tuple[str, re.Pattern[str], Callable[[Finding, re.Match[str]], Change | None]]] = [
    (
        "did-you-mean key",
        re.compile(r"Did you mean '([^']+)'\?"),
        lambda f, m: Change("rename" if f.rule == "unknown-key" else "set", f.key, m.group(1)),
    ),
    (
        "remove the quotes",
        re.compile(r"Remove the quotes so YAML reads it"),
        lambda f, m: Change("unquote", f.key, ""),
    ),
    (
        "a list of one",
        re.compile(r"Write it as a list of one file"),
        lambda f, m: Change("listed", f.key, ""),
    ),
    (
        "write name: value",
        re.compile(r"(?:Write|Set) [^`]*`(\w+): ([^`]+)`"),
        # Only a value for the finding's own key (not `enable_feishu_logging: false` for a URL).
        lambda f, m: Change("set", f.key, m.group(2)) if f.key.endswith(f".{m.group(1)}") else None,
    ),
    (
        "run migrate",
        re.compile(r"`nexrl-cfg migrate --to (\S+) --write [^`]+`"),
        lambda f, m: Change("migrate", f.key, m.group(1)),
    ),
    (
        "decode",
        re.compile(r"decode it: `(\$\{oc\.decode:[^`]+\})`"),
        lambda f, m: Change("set", f.key, f'"{m.group(1)}"'),
    ),
    (
        "export",
        re.compile(r"Export ([A-Za-z_]\w*) with "),
        lambda f, m: Change("export", m.group(1), "value-from-the-hint"),
    ),
    (
        "a value in range",
        re.compile(r"Use a value (>= |> |other than |at least |0 or more|in \[)(-?[\d.]*)"),
        lambda f, m: Change("set", f.key, _in_range(m.group(1), m.group(2))),
    ),
]


def _in_range(how: str, bound: str) -> str:
    if how.startswith("0 or more"):
        return "0"
    number = float(bound) if bound else 0.0
    if how == "> ":
        number += 1
    if how == "other than ":
        number = 1.0 if number == 0 else number + 1
    return str(int(number)) if number.is_integer() else str(number)


def mechanical(finding: Finding) -> tuple[str, Change] | None:
    for name, pattern, build in HINTS:
        match = pattern.search(finding.hint)
        change = build(finding, match) if match and finding.key else None
        if change is not None:
            return name, change
    return None


# -- applying a change ------------------------------------------------------------------------
def _node(tree: Tree, key: str) -> tuple[Any, Any] | None:
    """The container and key of the dotted `key` in `tree` (None when it is not written)."""
    node: Any = tree
    parts = key.split(".")
    for part in parts[:-1]:
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    last: Any = int(parts[-1]) if isinstance(node, list) and parts[-1].isdigit() else parts[-1]
    if (isinstance(node, dict) and last in node) or (isinstance(node, list) and last < len(node)):
        return node, last
    return None


def _made(tree: Tree, key: str) -> tuple[Any, Any]:
    node = tree
    *parents, last = key.split(".")
    for part in parents:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    return node, last


def _file_with(folder: Path, finding: Finding) -> tuple[Path, Tree]:
    """The copied file the finding points into, parsed, where its key is written."""
    path = folder / Path(finding.file).name
    tree = load_yaml(path.read_text(encoding="utf-8"))
    return path, tree


def apply_change(folder: Path, finding: Finding, change: Change, env: dict[str, str]) -> None:
    if change.kind == "export":
        env[change.key] = change.text
        return
    if change.kind == "migrate":
        path = folder / Path(finding.file).name
        from typer.testing import CliRunner

        from nexrl_cfg.cli import app

        result = CliRunner().invoke(app, ["migrate", "--to", change.text, "--write", str(path)])
        assert result.exit_code == 0, result.output
        return
    path, tree = _file_with(folder, finding)
    found = _node(tree, change.key)
    if found is None and change.kind == "set":
        found = _made(tree, change.key)  # a key to add, in the file where its section is
    assert found is not None, f"{change.key} is not written in {path.name}"
    container, last = found
    if change.kind == "rename":
        container[change.text] = container.pop(last)
    elif change.kind == "unquote":
        container[last] = load_yaml(str(container[last]))
    elif change.kind == "listed":
        container[last] = [container[last]]
    else:
        container[last] = load_yaml(change.text)
    path.write_text(dump_yaml(tree), encoding="utf-8")


def findings(entry: Path, version: str, env: dict[str, str]) -> list[Finding]:
    return Checker(Settings(environ=dict(env), nexrl_version=version)).check_file(entry).findings


def still_there(before: Finding, after: list[Finding]) -> list[Finding]:
    return [f for f in after if f.rule == before.rule and f.key == before.key]


# -- the cases --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    """One finding with a mechanical hint, and how to get the files it was found in."""

    id: str
    copy: Callable[[Path], Path]  # fills a folder, returns the entry config
    version: str
    env: dict[str, str]
    found: tuple[str, str]  # the finding's rule and key
    pattern: str  # the name of the HINTS pattern that reads its hint


def _sample_copy(name: str) -> Callable[[Path], Path]:
    def copy(folder: Path) -> Path:
        for shared in INVALID.glob("base_*.yaml"):
            shutil.copy(shared, folder / shared.name)
        shutil.copy(INVALID / name, folder / name)
        return folder / name

    return copy


def _probe_copy(probe: Probe) -> Callable[[Path], Path]:
    return lambda folder: apply(probe, folder)


def _cases_of(
    id: str, copy: Callable[[Path], Path], version: str, env: dict[str, str], new: list[Finding]
) -> list[Case]:
    out = []
    for f in new:
        found = mechanical(f)
        if found is not None:
            name = f"{id}:{f.rule}:{f.key}"
            out.append(Case(name, copy, version, env, (f.rule, f.key), found[0]))
    return out


def sample_cases(tmp: Path) -> list[Case]:
    cases = []
    for name in names(INVALID):
        folder = tmp / name
        folder.mkdir(parents=True)
        copy = _sample_copy(name)
        entry = copy(folder)
        version = version_of(INVALID / name)
        cases += _cases_of(name, copy, version, dict(ENV), findings(entry, version, ENV))
    return cases


MAIN_ACTOR = "service.train_service.main_actor"
# Hints no sample shows, each in a config of its own: (id, NexRL version, the config, env).
EXTRA = [
    # (The GPUs per pod 1.2 multiplies world_size by, which migrate cannot derive, given.)
    ("flat-layout", "1.2", put(base("1.0"), "resource.train.actor.gpus_per_pod", "2"), {}),
    (
        "http-backend",
        "1.3",
        put(base("1.3"), f"{MAIN_ACTOR}.backend", "http"),
        {},
    ),
    ("quoted-number", "1.4", put(base("1.4"), "service.inference_service.max_retries", '"3"'), {}),
    (
        "environment-number",
        "1.4",
        put(base("1.4"), "service.inference_service.max_retries", '"${oc.env:MAX_RETRIES}"'),
        {"MAX_RETRIES": "3"},
    ),
    (
        "empty-variable",
        "1.4",
        put(base("1.4"), "service.inference_service.base_url", '"${oc.env:INFERENCE_BASE_URL}"'),
        {"INFERENCE_BASE_URL": ""},
    ),
    ("one-data-file", "1.4", put(base("1.4"), "data.data_files", '"data/train.parquet"'), {}),
]


def _text_copy(text: str) -> Callable[[Path], Path]:
    def copy(folder: Path) -> Path:
        path = folder / "run.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return copy


def extra_cases(tmp: Path) -> list[Case]:
    cases = []
    for id, version, text, env in EXTRA:
        folder = tmp / id
        folder.mkdir(parents=True)
        copy = _text_copy(text)
        cases += _cases_of(id, copy, version, env, findings(copy(folder), version, env))
    return cases


def probe_cases(tmp: Path, share: tuple[int, int] = (0, 1)) -> list[Case]:
    """The cases of the probes of `share` (part i of n: every n-th probe from the i-th)."""
    cases = []
    part, parts = share
    # What a recipe gives unchanged, worked out once for the probes that change it.
    unchanged: dict[tuple[Path, str, tuple[tuple[str, str], ...]], set[tuple[str, str]]] = {}
    for index, probe in enumerate(all_probes()):
        if index % parts != part or probe.expect == "ok" or not _recipes_there(probe):
            continue
        folder = tmp / f"{probe.area}-{probe.id}"
        folder.mkdir(parents=True)
        entry = apply(probe, folder)
        key = (probe.entry, probe.version, tuple(sorted(probe.env.items())))
        if key not in unchanged:
            unchanged[key] = {
                (f.rule, f.key) for f in findings(probe.entry, probe.version, probe.env)
            }
        before = unchanged[key]
        new = [
            f for f in findings(entry, probe.version, probe.env) if (f.rule, f.key) not in before
        ]
        cases += _cases_of(probe.id, _probe_copy(probe), probe.version, dict(probe.env), new)
    return cases


def _recipes_there(probe: Probe) -> bool:
    folder = nexrl_recipes().get(probe.recipe.partition("/")[0].removeprefix("v"))
    return folder is not None and folder.is_dir()


def _verify(case: Case, folder: Path) -> str | None:
    """Why applying the case's hint leaves its finding (None when it goes away)."""
    entry = case.copy(folder)
    env = dict(case.env)
    again = [f for f in findings(entry, case.version, env) if (f.rule, f.key) == case.found]
    found = mechanical(again[0]) if again else None
    assert found is not None, f"{case.id}: not found again in a fresh copy"
    apply_change(folder, again[0], found[1], env)
    left = still_there(again[0], findings(entry, case.version, env))
    if not left:
        return None
    return f"{case.id}: hint {again[0].hint!r} applied, and still: {left[0].message}"


def _all_verified(cases: list[Case], tmp: Path) -> list[str]:
    failures = []
    for index, case in enumerate(cases):
        folder = tmp / "apply" / str(index)
        folder.mkdir(parents=True)
        why = _verify(case, folder)
        if why is not None:
            failures.append(why)
    return failures


@pytest.mark.slow
def test_mechanical_hints_of_the_samples_fix_their_findings(tmp_path: Path) -> None:
    cases = sample_cases(tmp_path / "find") + extra_cases(tmp_path / "extra")
    assert {case.pattern for case in cases} == {name for name, _, _ in HINTS}, (
        "a hint pattern reads no hint of a sample: add a sample (or an EXTRA config) that "
        "shows it, or drop the pattern"
    )
    failures = _all_verified(cases, tmp_path)
    assert not failures, "\n".join(failures)


# The probes in this many shares, one test each, for the workers to spread.
SHARES = 4


@pytest.mark.slow
@pytest.mark.parametrize("part", range(SHARES))
def test_mechanical_hints_of_the_probes_fix_their_findings(tmp_path: Path, part: int) -> None:
    cases = probe_cases(tmp_path / "find", (part, SHARES))
    if not cases:
        pytest.skip("NexRL's recipes the probes change are not beside the project")
    failures = _all_verified(cases, tmp_path)
    assert not failures, "\n".join(failures)
