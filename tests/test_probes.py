"""Probes: one change each to one of NexRL's own recipes, with what NexRL does with the changed
config (it fails before its first training step, it mis-handles the value, or it runs).

Each `tests/probes/<area>.yaml` holds a list of probes. A probe copies its recipe's folder to a
temp folder, writes `set` into the entry file, removes `delete` from the file that writes it,
and checks the entry at `version`. The verdict compares the changed recipe with the unchanged
one, so the recipes' own upstream bugs do not count:

- `error`: at least one new error;
- `warning`: at least one new warning or error;
- `ok`: no new error (a warning is allowed).

With `key`, a new finding of the expected severity must name that key. A probe marked
`status: pending` is one the tool does not get right yet: it runs as a strict xfail.
`pytest tests/test_probes.py -s` prints one line of accuracy per area (conftest.py).
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import PROBE_PROPERTY, recipes_at
from helpers import dump_yaml, load_yaml

from nexrl_cfg.check import Checker, Settings
from nexrl_cfg.finding import Finding, Severity, Span

PROBES = Path(__file__).parent / "probes"
FIELDS = {"id", "class", "version", "recipe", "set", "delete", "expect", "key", "when"}
FIELDS |= {"evidence", "status", "env", "note"}
EXPECT = ("error", "warning", "ok")
WHEN = (
    "start-up",
    "first-rollout",
    "first-training-step",
    "first-weight-sync",
    "first-validation",
    "runs",
)
VERSIONS = ("1.0", "1.1", "1.2", "1.3", "1.4")


@dataclass(frozen=True)
class Probe:
    area: str
    id: str
    version: str
    recipe: str
    expect: str
    set: dict[str, Any] = field(default_factory=dict)
    delete: tuple[str, ...] = ()
    key: str = ""
    env: dict[str, str] = field(default_factory=dict)
    pending: bool = False
    evidence: str = ""

    @property
    def entry(self) -> Path:
        """The recipe changed: `v1.4/math/self_hosted.yaml` is NexRL 1.4's (the test is
        skipped when NexRL's 1.4 recipes are not there)."""
        release, _, rest = self.recipe.partition("/")
        return recipes_at(release.removeprefix("v")) / rest


def _load(path: Path) -> list[Probe]:
    raw = load_yaml(path.read_text(encoding="utf-8")) or []
    assert isinstance(raw, list), f"{path.name}: a list of probes"
    probes = []
    for item in raw:
        assert isinstance(item, dict) and "id" in item, f"{path.name}: {item!r}"
        unknown = set(item) - FIELDS
        assert not unknown, f"{path.name}: {item['id']}: unknown fields {sorted(unknown)}"
        probes.append(
            Probe(
                area=path.stem,
                id=str(item["id"]),
                version=str(item["version"]),
                recipe=str(item["recipe"]),
                expect=str(item["expect"]),
                set=dict(item.get("set") or {}),
                delete=tuple(item.get("delete") or ()),
                key=str(item.get("key") or ""),
                env={str(k): str(v) for k, v in (item.get("env") or {}).items()},
                pending=item.get("status") == "pending",
                evidence=str(item.get("evidence") or ""),
            )
        )
    return probes


def all_probes() -> list[Probe]:
    return [p for path in sorted(PROBES.glob("*.yaml")) for p in _load(path)]


# -- applying a probe --------------------------------------------------------------------------
def _step(node: Any, part: str) -> tuple[Any, Any]:
    """The container and key `part` names in `node` (an index for a list)."""
    if isinstance(node, list):
        return node, int(part)
    return node, part


def _set(tree: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    node: Any = tree
    for part in parts[:-1]:
        container, key = _step(node, part)
        if isinstance(container, list):
            node = container[key]
            continue
        if not isinstance(container.get(key), (dict, list)):
            container[key] = {}  # absent or null in this file: written here
        node = container[key]
    container, key = _step(node, parts[-1])
    container[key] = value


def _delete(tree: Any, dotted: str) -> bool:
    """Remove `dotted` from `tree`; whether it was there."""
    node = tree
    parts = dotted.split(".")
    for part in parts[:-1]:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    last = parts[-1]
    if isinstance(node, dict) and last in node:
        del node[last]
        return True
    if isinstance(node, list) and last.isdigit() and int(last) < len(node):
        del node[int(last)]
        return True
    return False


def _includes(entry: Path, data: Any) -> list[Path]:
    """The files of the entry's folder its `defaults` list names, followed recursively."""
    found: list[Path] = []
    items = data.get("defaults") if isinstance(data, dict) else None
    for item in items or ():
        if isinstance(item, str) and item != "_self_":
            name = item
        elif isinstance(item, dict) and len(item) == 1:
            group, option = next(iter(item.items()))
            name = f"{str(group).removeprefix('override ')}/{option}"
        else:
            continue
        path = entry.parent / f"{name}.yaml"
        if path.is_file() and path not in found:
            found.append(path)
            found += [p for p in _includes(path, _read(path)) if p not in found]
    return found


def _read(path: Path) -> Any:
    return load_yaml(path.read_text(encoding="utf-8"))


def _write(path: Path, data: Any) -> None:
    path.write_text(dump_yaml(data), encoding="utf-8")


def apply(probe: Probe, folder: Path) -> Path:
    """Copy the recipe's folder into `folder` with the probe's change; the changed entry."""
    source = probe.entry
    shutil.copytree(source.parent, folder, dirs_exist_ok=True)
    entry = folder / source.name
    data = _read(entry)
    files = {entry: data, **{p: _read(p) for p in _includes(entry, data)}}
    for dotted in probe.delete:
        hits = [path for path, tree in files.items() if _delete(tree, dotted)]
        assert hits, f"{probe.id}: nothing to delete at {dotted}"
    for dotted, value in probe.set.items():
        _set(data, dotted, value)
    for path, tree in files.items():
        _write(path, tree)
    return entry


# -- verdicts ---------------------------------------------------------------------------------
def _findings(entry: Path, version: str, env: dict[str, str]) -> list[Finding]:
    settings = Settings(environ=dict(env), nexrl_version=version)
    return Checker(settings).check_file(entry).findings


@cache
def _baseline(recipe: str, version: str, env: tuple[tuple[str, str], ...]) -> list[Finding]:
    probe = Probe(area="", id="baseline", version=version, recipe=recipe, expect="ok")
    return _findings(probe.entry, version, dict(env))


def _new(before: list[Finding], after: list[Finding], severities: set[str]) -> list[Finding]:
    """Findings of `after` (of the given severities) beyond those of `before`, by rule and key."""
    seen = Counter((f.rule, f.key) for f in before if f.severity.value in severities)
    new = []
    for f in after:
        if f.severity.value not in severities:
            continue
        if seen[(f.rule, f.key)]:
            seen[(f.rule, f.key)] -= 1
        else:
            new.append(f)
    return new


@dataclass(frozen=True)
class Verdict:
    right: bool  # the tool decides as NexRL does
    false_error: bool  # a new error for a config NexRL runs
    shown: str  # what the tool found beyond the unchanged recipe


def verdict(probe: Probe, tmp: Path) -> Verdict:
    entry = apply(probe, tmp)
    before = _baseline(probe.recipe, probe.version, tuple(sorted(probe.env.items())))
    after = _findings(entry, probe.version, probe.env)
    new_errors = _new(before, after, {"error"})
    new_any = _new(before, after, {"error", "warning"})
    shown = "; ".join(f"{f.severity.value} [{f.rule}] {f.key}: {f.message}" for f in new_any)
    if probe.expect == "error":
        found = new_errors
    elif probe.expect == "warning":
        found = new_any
    else:
        return Verdict(not new_errors, bool(new_errors), shown or "nothing new")
    if probe.key:
        found = [f for f in found if f.key == probe.key]
    false_error = probe.expect == "warning" and not found and bool(new_errors)
    return Verdict(bool(found), false_error, shown or "nothing new")


# -- tests ------------------------------------------------------------------------------------
def _params() -> list[Any]:
    params = []
    for probe in all_probes():
        marks = (
            [pytest.mark.xfail(strict=True, reason="pending: the tool does not get it right yet")]
            if probe.pending
            else []
        )
        params.append(pytest.param(probe, id=f"{probe.area}:{probe.id}", marks=marks))
    return params


def test_set_writes_through_a_null_section_and_into_list_items() -> None:
    tree: dict[str, Any] = {"service": None, "trainer": {"teachers": [{"base_model": "a"}]}}
    _set(tree, "service.train_service.main_actor.url", "http://x:1")
    _set(tree, "trainer.teachers.0.base_model", "b")
    assert tree["service"] == {"train_service": {"main_actor": {"url": "http://x:1"}}}
    assert tree["trainer"]["teachers"] == [{"base_model": "b"}]


def test_delete_finds_the_included_file_that_writes_the_key(tmp_path: Path) -> None:
    (tmp_path / "common.yaml").write_text("data:\n  seed: 1\n  batch_size: 2\n")
    entry = tmp_path / "run.yaml"
    entry.write_text("defaults:\n  - common\n  - _self_\ntrainer:\n  type: x\n")
    data = _read(entry)
    files = {p: _read(p) for p in _includes(entry, data)}
    assert [p.name for p in files] == ["common.yaml"]
    assert _delete(files[tmp_path / "common.yaml"], "data.seed")
    assert files[tmp_path / "common.yaml"] == {"data": {"batch_size": 2}}
    assert not _delete(data, "data.seed")


def test_only_findings_beyond_the_unchanged_recipe_are_new() -> None:
    def finding(rule: str, key: str, severity: Severity = Severity.ERROR) -> Finding:
        return Finding(rule, severity, "m", Span("f"), key)

    before = [finding("a", "x"), finding("b", "y", Severity.WARNING)]
    after = [finding("a", "x"), finding("a", "x"), finding("b", "y", Severity.WARNING)]
    assert _new(before, after, {"error"}) == [finding("a", "x")]
    assert _new(before, after, {"warning"}) == []


def test_probe_files_are_well_formed() -> None:
    ids: Counter[str] = Counter()
    for path in sorted(PROBES.glob("*.yaml")):
        for item in load_yaml(path.read_text(encoding="utf-8")) or []:
            ids[item["id"]] += 1
            where = f"{path.name}: {item['id']}"
            assert set(item) <= FIELDS, where
            assert {"id", "class", "version", "recipe", "expect", "when"} <= set(item), where
            assert item["expect"] in EXPECT, where
            assert item["when"] in WHEN, where
            assert str(item["version"]) in VERSIONS, where
            assert item["class"] in range(10), where
            assert item.get("status") in (None, "pending"), where
            assert item.get("set") or item.get("delete"), f"{where}: no change"
            assert str(item["recipe"]).startswith(("v1.0/", "v1.4/")), where
    assert not [i for i, n in ids.items() if n > 1], "probe ids are unique"


@pytest.mark.parametrize("probe", _params())
def test_probe(
    probe: Probe, tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    assert probe.entry.is_file(), f"{probe.recipe} is not a recipe of the corpus"
    result = verdict(probe, tmp_path)
    # Read by conftest's summary (it reaches the main process under xdist too).
    record_property(PROBE_PROPERTY, [probe.area, result.right, result.false_error])
    assert result.right, f"NexRL: {probe.expect} ({probe.evidence}); the tool: {result.shown}"
