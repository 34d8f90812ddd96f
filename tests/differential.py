"""A differential test of the composer against Hydra 1.3 itself.

`generate(seed)` writes a random config folder of the kinds people write: a primary config
with a defaults list, plain configs (beside it and in folders), config groups (nested too)
with options, packages (`@pkg`, `@_global_`, `@_here_`, `_group_`), `# @package` headers,
`optional`, `override`, `_self_` anywhere or nowhere, `group: [a, b]`, `group: null`,
`group: ???`, choices written as interpolations, `.yml` files, empty, comment-only and null
files; values of every YAML kind (nulls, `???`, lists, mappings, integer and boolean keys)
and interpolations across files; and a command line of overrides (`k=v`, `+k=v`, `++k=v`,
`~k`, `~k=v`, `g=opt`, `+g=opt`, `~g`, `g@pkg=opt`, lists, mappings, quoted text).

`compare(case)` composes the folder with nexrl-cfg and with Hydra (confined to the folder,
see `nexrl_cfg._hydra`), then resolves both, and says whether they agree: where Hydra
composes, the same config (keys in the same order, values of the same types) and no error
from nexrl-cfg; where Hydra fails, an error from nexrl-cfg. The same for the resolved config.

Run it alone for numbers: `python tests/differential.py --cases 2000 [--seed N] [--show K]`.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from nexrl_cfg.compose import Composer, Reader  # noqa: E402
from nexrl_cfg.finding import Severity  # noqa: E402
from nexrl_cfg.resolve import Unknown, resolve  # noqa: E402

# The environment both sides resolve with.
ENV = {"NEXRL_FUZZ_OPTION": "b", "NEXRL_FUZZ_VALUE": "7"}
KEYS = ["a", "b", "c", "sec", "x"]
GROUPS = ["g", "h", "sub/k"]
OPTIONS = ["a", "b", "c"]
PACKAGES = ["p", "q.r", "_global_", "_global_.s", "_here_", "_group_", "_group_.t"]
# Rules whose errors mean "Hydra would stop composing" (the read stage's are errors too).
COMPOSE_RULES = frozenset(
    {"defaults", "override", "yaml-syntax", "duplicate-key", "invalid-key", "encoding"}
)


@dataclass
class Case:
    seed: int
    files: dict[str, str] = field(default_factory=dict)
    overrides: list[str] = field(default_factory=list)
    name: str = "main"


class _Gen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.case = Case(seed)
        # Whether configs of groups get defaults lists of their own.
        self.nested = True
        self.listed: list[str] = []
        self.top: list[str] = []

    def pick(self, items: list[Any]) -> Any:
        return self.rng.choice(items)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    # -- values -----------------------------------------------------------------------------
    def scalar(self, depth: int) -> str:
        r = self.rng.random()
        if r < 0.25:
            return str(self.rng.randint(0, 9))
        if r < 0.4:
            return self.pick(["true", "false", "null", "'???'", "???", "1.5", "'text'", "word"])
        if r < 0.65:
            return self.interpolation()
        if r < 0.75:
            return f"[{', '.join(self.scalar_plain() for _ in range(self.rng.randint(0, 3)))}]"
        if r < 0.8:
            return "{}"
        return self.scalar_plain()

    def scalar_plain(self) -> str:
        return self.pick(["1", "2", "true", "null", "v", "'s p'", "0.5"])

    def interpolation(self) -> str:
        r = self.rng.random()
        key = ".".join(self.pick(KEYS) for _ in range(self.rng.randint(1, 2)))
        if r < 0.45:
            return f"${{{key}}}"
        if r < 0.6:
            return f"${{.{self.pick(KEYS)}}}"
        if r < 0.7:
            return f"'x_${{{key}}}'"
        if r < 0.8:
            return "${oc.env:NEXRL_FUZZ_VALUE,3}"
        if r < 0.85:
            return "${oc.select:" + key + ",d}"
        if r < 0.9:
            return f"${{..{self.pick(KEYS)}}}"
        return f"${{{self.pick(['p', 'g', 'h', 's'])}.{self.pick(KEYS)}}}"

    def mapping(self, indent: int, depth: int) -> list[str]:
        lines = []
        keys = self.rng.sample(KEYS, self.rng.randint(1, 3))
        if self.chance(0.05):
            keys.append(self.pick(["1", "true", "2.5", "'1'"]))
        pad = " " * indent
        if depth == 0:
            self.top = keys
        for key in keys:
            if depth < 2 and self.chance(0.35):
                lines.append(f"{pad}{key}:")
                lines.extend(self.mapping(indent + 2, depth + 1))
            elif depth < 2 and self.chance(0.08):
                lines.append(f"{pad}{key}:")
                for _ in range(self.rng.randint(1, 2)):
                    lines.append(f"{pad}  - {self.scalar_plain()}")
            else:
                lines.append(f"{pad}{key}: {self.scalar(depth)}")
        return lines

    # -- configs ----------------------------------------------------------------------------
    def header(self) -> str:
        r = self.rng.random()
        if r < 0.8:
            return ""
        if r < 0.85:
            return "# a comment\n# @package _global_\n"
        return f"# @package {self.pick(['_global_', 'p', 'q.r', '_group_', 'hdr'])}\n"

    def content(self, alone: bool) -> str:
        r = self.rng.random()
        if not alone:
            return "\n".join(self.mapping(0, 0)) + "\n" if r > 0.05 else ""
        if r < 0.05:
            return ""
        if r < 0.08:
            return "# only a comment\n"
        if r < 0.11:
            return "null\n"
        if r < 0.12:
            return "- 1\n- 2\n"
        return "\n".join(self.mapping(0, 0)) + "\n"

    def entry(self, here: str, others: list[str]) -> str:
        r = self.rng.random()
        if r < 0.22 and others:
            name = self.pick(others)
            if here and self.chance(0.5):
                name = "/" + name
            package = f"@{self.pick(PACKAGES)}" if self.chance(0.15) else ""
            return f"- {name}{package}"
        group = self.pick(GROUPS)
        if here and self.chance(0.85):
            group = "/" + group
        words = ""
        if self.chance(0.1):
            words = "optional "
        package = f"@{self.pick(PACKAGES)}" if self.chance(0.2) else ""
        value = self.choice_value()
        self.listed.append(group.lstrip("/") + package)
        return f"- {words}{group}{package}: {value}"

    def choice_value(self) -> str:
        r = self.rng.random()
        if r < 0.65:
            return self.pick(OPTIONS) if self.chance(0.95) else "zz"
        if r < 0.73:
            return f"[{', '.join(self.rng.sample(OPTIONS, 2))}]"
        if r < 0.78:
            return "null"
        if r < 0.8:
            return "???"
        if r < 0.88:
            return "${oc.env:NEXRL_FUZZ_OPTION,a}"
        if r < 0.92:
            return "${" + self.pick(["g", "h"]) + "}"
        return self.pick(OPTIONS)

    def defaults(self, here: str, others: list[str], primary: bool) -> str:
        if self.chance(0.25 if not primary else 0.1) or not self.nested:
            return ""
        entries = [self.entry(here, others) for _ in range(self.rng.randint(0, 3))]
        if self.chance(0.75):
            entries.insert(self.rng.randint(0, len(entries)), "- _self_")
        if self.chance(0.005):
            entries.append("- _self_")
        for _ in range(self.rng.randint(0, 2) if self.chance(0.2) else 0):
            group = self.pick(GROUPS)
            if here and self.chance(0.85):
                group = "/" + group
            package = f"@{self.pick(PACKAGES[:2])}" if self.chance(0.1) else ""
            value = self.pick([*OPTIONS, *OPTIONS, "zz", f"[{self.pick(OPTIONS)}, c]"])
            entries.append(f"- override {group}{package}: {value}")
        if self.chance(0.05) and entries:  # an override not at the end
            entries.insert(0, f"- override {self.pick(GROUPS)}: {self.pick(OPTIONS)}")
        if not entries:
            return "defaults: []\n" if self.chance(0.3) else ""
        return "defaults:\n" + "".join(f"  {e}\n" for e in entries)

    def write(self, path: str, here: str, others: list[str], primary: bool = False) -> None:
        defaults = self.defaults(here, others, primary)
        self.case.files[path] = self.header() + defaults + self.content(not defaults)

    def generate(self) -> Case:
        plain = ["c1", "c2", "dir/c3"]
        for name in plain:
            here = name.rsplit("/", 1)[0] if "/" in name else ""
            self.write(f"{name}.yaml", here, [p for p in plain if p != name])
        for group in GROUPS:
            for option in OPTIONS if self.chance(0.9) else self.rng.sample(OPTIONS, 2):
                nested = [] if self.chance(0.7) else ["c1"]
                self.nested = self.chance(0.3)
                self.write(f"{group}/{option}.yaml", group, nested)
            self.nested = True
        if self.chance(0.15):
            self.case.files[f"{self.pick(GROUPS)}/y.yml"] = "x: 1\n"
            self.case.files["c4.yml"] = "x: 1\n"
        self.listed, self.top = [], []
        self.write("main.yaml", "", [*plain, "c4", "c4.yml"] if self.chance(0.1) else plain, True)
        self.case.overrides = [self.override() for _ in range(self.rng.randint(0, 3))]
        return self.case

    def override(self) -> str:
        r = self.rng.random()
        if not self.listed and r >= 0.6 and self.chance(0.8):
            r = self.rng.random() * 0.6
        key = ".".join(self.pick(KEYS[:3]) for _ in range(self.rng.randint(1, 2)))
        if self.top and r < 0.25 and self.chance(0.7):
            key = self.pick(self.top)
        value = self.pick(["1", "v", "null", "[1,2]", "{a: 1}", "'q t'", "${a}", "true", "{}"])
        if r < 0.25:
            return f"{key}={value}"
        if r < 0.4:
            return f"+{key}={value}"
        if r < 0.55:
            return f"++{key}={value}"
        if r < 0.6:
            return f"~{key}" if self.chance(0.7) else f"~{key}={value}"
        group = self.pick(self.listed) if self.listed and self.chance(0.8) else self.pick(GROUPS)
        if r < 0.85:
            return f"{group}={self.pick([*OPTIONS, *OPTIONS, 'zz', '[a,b]'])}"
        if r < 0.92:
            package = "@" + self.pick(["p", "q"]) if self.chance(0.3) else ""
            return f"+{group}{package}={self.pick(OPTIONS)}"
        if r < 0.96:
            return f"~{group}"
        return f"{group.split('@')[0]}@{self.pick(['p', 'q.r'])}={self.pick(OPTIONS)}"


def generate(seed: int) -> Case:
    return _Gen(seed).generate()


def write(case: Case, folder: Path) -> None:
    for rel, text in case.files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


# Cases written by hand: each a rule of Hydra's that a random folder rarely meets.
CASES: list[tuple[dict[str, str], list[str]]] = [
    ({"main.yaml": "# @package foo\na: 1\n"}, []),
    (
        {"main.yaml": "# @package _global_.foo\ndefaults: [c, _self_]\na: 1\n", "c.yaml": "b: 1\n"},
        [],
    ),
    ({"main.yaml": "defaults: [c@x, _self_]\n", "c.yaml": "# @package y\nb: 1\n"}, []),
    ({"main.yaml": "defaults: [d/c@_here_, _self_]\n", "d/c.yaml": "b: 1\n"}, []),
    (
        {
            "main.yaml": "defaults: [d/c, _self_]\n",
            "d/c.yaml": "defaults: [e, /e, _self_]\nb: 1\n",
            "d/e.yaml": "de: 1\n",
            "e.yaml": "e: 1\n",
        },
        [],
    ),
    (
        {"main.yaml": "defaults: [{g@p: a}, _self_]\n", "g/a.yaml": "x: 1\n", "g/b.yaml": "y: 1\n"},
        ["g@p=b"],
    ),
    (
        {"main.yaml": "defaults: [{g@p: a}, _self_]\n", "g/a.yaml": "x: 1\n", "g/b.yaml": "y: 1\n"},
        ["g=b"],
    ),
    (
        {"main.yaml": "defaults: [{g@p: a}, _self_]\n", "g/a.yaml": "x: 1\n", "g/b.yaml": "y: 1\n"},
        ["~g@p"],
    ),
    (
        {"main.yaml": "defaults: [{g@p: a}, _self_]\n", "g/a.yaml": "x: 1\n", "g/b.yaml": "y: 1\n"},
        ["+g@p=b"],
    ),
    (
        {"main.yaml": "defaults: [{g: a}, _self_]\n", "g/a.yaml": "x: 1\n", "g/b.yaml": "y: 1\n"},
        ["g=[a,b]"],
    ),
    (
        {"main.yaml": "defaults: [{g: [a]}, _self_]\n", "g/a.yaml": "x: 1\n", "g/b.yaml": "y: 1\n"},
        ["g=b"],
    ),
    ({"main.yaml": "defaults: [{optional g: a}, _self_]\n", "g/b.yaml": "y: 1\n"}, ["g=zz"]),
    ({"main.yaml": "defaults: [{optional g: a}, _self_]\n", "g/b.yaml": "y: 1\n"}, []),
    ({"main.yaml": "defaults: ['${x}', _self_]\nx: c\n", "c.yaml": "y: 1\n"}, []),
    (
        {
            "main.yaml": "defaults: [{g: a}, {h: '${g}'}, _self_]\n",
            "g/a.yaml": "y: 1\n",
            "h/a.yaml": "z: 1\n",
        },
        [],
    ),
    (
        {
            "main.yaml": "defaults: [{g: a}, {h: '${g}_x'}, _self_]\n",
            "g/a.yaml": "y: 1\n",
            "h/a_x.yaml": "z: 1\n",
        },
        [],
    ),
    (
        {
            "main.yaml": "defaults: [{h: '${g}'}, {g: a}, _self_]\n",
            "g/a.yaml": "y: 1\n",
            "h/a.yaml": "z: 1\n",
        },
        [],
    ),
    (
        {
            "main.yaml": "defaults: [{h: '${g}'}, _self_]\n",
            "g/a.yaml": "y: 1\n",
            "h/a.yaml": "z: 1\n",
        },
        [],
    ),
    (
        {
            "main.yaml": "defaults: [{g: a}, _self_]\n",
            "g/a.yaml": "defaults: [{/h: a}]\n",
            "h/a.yaml": "z: 1\n",
            "h/b.yaml": "z: 2\n",
        },
        ["h=b"],
    ),
    (
        {
            "main.yaml": "defaults: [{g: a}, _self_]\n",
            "g/a.yaml": "defaults: [{h: a}]\n",
            "g/h/a.yaml": "z: 1\n",
            "g/h/b.yaml": "z: 2\n",
        },
        ["g/h=b"],
    ),
    (
        {
            "main.yaml": "defaults: [{g: a}, {override g/h: b}, _self_]\n",
            "g/a.yaml": "defaults: [{h: a}]\n",
            "g/h/a.yaml": "z: 1\n",
            "g/h/b.yaml": "z: 2\n",
        },
        [],
    ),
    ({"main.yaml": "a: {b: 1}\n"}, ["a={c: 2}"]),
    ({"main.yaml": "a: {b: 1}\n"}, ["+a={c: 2}"]),
    ({"main.yaml": "a: {b: 1}\n"}, ["++a={c: 2}"]),
    ({"main.yaml": "a: [1]\n"}, ["a={c: 2}"]),
    ({"main.yaml": "a: [1]\n"}, ["a=[2,3]"]),
    ({"main.yaml": "a: [1, 2]\n"}, ["a.0=5"]),
    ({"main.yaml": "a: [1, 2]\n"}, ["a[1]=5"]),
    ({"main.yaml": "a: [1, 2]\n"}, ["~a.0"]),
    ({"main.yaml": "a: 1\n"}, ["a.b=2"]),
    ({"main.yaml": "a: 1\n"}, ["+a.b=2"]),
    ({"main.yaml": "a: 1\n"}, ["++a.b=2"]),
    ({"main.yaml": "a: null\n"}, ["+a=2"]),
    ({"main.yaml": "a: ???\n"}, ["+a=2"]),
    ({"main.yaml": "a: ???\n"}, ["~a"]),
    ({"main.yaml": "a: ???\n"}, ["a=3"]),
    ({"main.yaml": "a: 1\nb: ${a}\n"}, ["~b=1"]),
    ({"main.yaml": "a: 1\nb: ${a}\n"}, ["+b=1"]),
    ({"main.yaml": "a: {x: 1}\nb: ${a}\n"}, ["b.y=1"]),
    ({"main.yaml": "a: {x: 1}\nb: ${a}\n"}, ["+b.y=1"]),
    ({"main.yaml": "a: {x: 1}\nb: ${a}\n"}, ["b={y: 1}"]),
    ({"main.yaml": "a: 1\n"}, ["=z"]),
    ({"main.yaml": "a: 1\n"}, ["a='${oc.env:NEXRL_FUZZ_VALUE}'"]),
    ({"main.yaml": "a: 1\n"}, ['a="x y"']),
    ({"main.yaml": "a: 1\n"}, ["a=x y"]),
    ({"main.yaml": "a: 1\n"}, ["a=[1,{b: 2}]"]),
    ({"main.yaml": "a: {b: {c: 1}}\n"}, ["a={b: {d: 1}}"]),
    ({"main.yaml": "a: {b: {c: 1}}\n"}, ["a={b: {c: 2}}"]),
    ({"main.yaml": "a: 1\n"}, ["~a", "+a=2"]),
    ({"main.yaml": "a: 1\n"}, ["hydra.job.name=x"]),
    ({"main.yaml": "defaults: [_self_]\nhydra:\n  job:\n    name: x\na: 1\n"}, []),
    ({"main.yaml": "defaults: [c, _self_]\na: 1\n", "c.yaml": "# @package foo\nhydra: 1\n"}, []),
    ({"main.yaml": "defaults: [{override hydra/job_logging: disabled}, _self_]\na: 1\n"}, []),
    ({"main.yaml": "defaults: [{hydra/job_logging: disabled}, _self_]\na: 1\n"}, []),
    ({"main.yaml": "defaults: [_self_]\na: 1\n"}, ["hydra/job_logging=disabled"]),
    ({"main.yaml": "defaults: [{g: a}, _self_]\n", "g/a.yaml": "x: 1\n"}, ["g={x: 2}"]),
    ({"main.yaml": "defaults: [{g: a}, _self_]\n", "g/a.yaml": "x: 1\n"}, ["g.x=2"]),
    ({"main.yaml": "defaults: [{g: a}, _self_]\n", "g/a.yaml": "x: 1\n"}, ["~g.x"]),
    ({"main.yaml": "defaults: [c, c, _self_]\n", "c.yaml": "x: 1\n"}, []),
    ({"main.yaml": "defaults: [{g: a}, {g: a}, _self_]\n", "g/a.yaml": "x: 1\n"}, []),
    ({"main.yaml": "defaults: [{g: a}, {g@p: a}, _self_]\n", "g/a.yaml": "x: 1\n"}, []),
    ({"main.yaml": "defaults: [{g: ???}, _self_]\n", "g/a.yaml": "x: 1\n"}, ["g=a"]),
    ({"main.yaml": "defaults: [{g: ???}, _self_]\n", "g/a.yaml": "x: 1\n"}, ["+g=a"]),
    ({"main.yaml": "defaults: [_self_]\n", "g/a.yaml": "x: 1\n"}, ["+g=a"]),
    ({"main.yaml": "a: 1\n", "g/a.yaml": "a: 2\n"}, ["+g@_global_=a"]),
    ({"main.yaml": "defaults: [_self_]\na: 1\n", "g/a.yaml": "a: 2\n"}, ["+g@_global_=a"]),
    (
        {
            "main.yaml": "defaults: [_self_, {g: a}]\na: 1\n",
            "g/a.yaml": "# @package _global_\na: 2\n",
            "h/b.yaml": "# @package _global_\na: 3\n",
        },
        ["+h=b"],
    ),
    ({"main.yaml": "defaults: [{g: a}, _self_]\n", "g/a.yaml": "x: 1\n"}, ["~g=b"]),
    ({"main.yaml": "defaults: [{g: null}, _self_]\n", "g/a.yaml": "x: 1\n"}, ["g=a"]),
    ({"main.yaml": "defaults: [{g: null}, _self_]\n", "g/a.yaml": "x: 1\n"}, ["~g"]),
    ({"main.yaml": "defaults: [{override g: a}]\n", "g/a.yaml": "x: 1\n"}, []),
    ({"main.yaml": "defaults: [{override g: a}]\nb: 1\n", "g/a.yaml": "x: 1\n"}, []),
    (
        {
            "main.yaml": "defaults: [c]\nb: 1\n",
            "c.yaml": "defaults: [{override g: a}]\n",
            "g/a.yaml": "x: 1\n",
        },
        [],
    ),
    (
        {
            "main.yaml": "defaults: [c, {override g: b}]\nb: 1\n",
            "c.yaml": "defaults: [{g: a}]\n",
            "g/a.yaml": "x: 1\n",
            "g/b.yaml": "y: 1\n",
        },
        ["g=a"],
    ),
    (
        {
            "main.yaml": "defaults: [c, d]\n",
            "c.yaml": "defaults: [{g: a}, {override h: b}]\n",
            "d.yaml": "defaults: [{h: a}]\n",
            "g/a.yaml": "x: 1\n",
            "h/a.yaml": "y: 1\n",
            "h/b.yaml": "y: 2\n",
        },
        [],
    ),
    (
        {
            "main.yaml": "defaults: [d, c]\n",
            "c.yaml": "defaults: [{g: a}, {override h: b}]\n",
            "d.yaml": "defaults: [{h: a}]\n",
            "g/a.yaml": "x: 1\n",
            "h/a.yaml": "y: 1\n",
            "h/b.yaml": "y: 2\n",
        },
        [],
    ),
    ({"main.yaml": "x: 1\n"}, ["x=1,2"]),
    ({"main.yaml": "x: 1\n"}, ["x=choice(1,2)"]),
    ({"main.yaml": "x: 1\n"}, ["x=interval(0,1)"]),
    (
        {"main.yaml": "defaults: [{g: a}]\nx: 1\n", "g/a.yaml": "y: 1\n", "g/b.yaml": "y: 2\n"},
        ["g=a,b"],
    ),
    ({"main.yaml": "x: '1'\n"}, ["~x=1"]),
    ({"main.yaml": "x: 1\n"}, ["~x='1'"]),
    ({"main.yaml": "x: [1, 2]\n"}, ["~x=[1,2]"]),
    ({"main.yaml": "x: {a: 1}\n"}, ["~x={a: 1}"]),
    (
        {
            "main.yaml": "defaults: [{g: a}, _self_]\nx: 1\n",
            "g/a.yaml": "# @package _global_\nx: 2\n",
        },
        [],
    ),
    ({"main.yaml": "defaults:\n  - g: a\n  - _self_\n", "g/a.yaml": "#@package foo\nx: 2\n"}, []),
    ({"main.yaml": "defaults:\n  - g: a\n  - _self_\n", "g/a.yaml": "# @package\nx: 2\n"}, []),
    ({"main.yaml": "defaults:\n  - g: a\n  - _self_\n", "g/a.yaml": "# @package a b\nx: 2\n"}, []),
    (
        {
            "main.yaml": "defaults:\n  - g: a\n  - _self_\n",
            "g/a.yaml": "# @other x\n# @package foo\nx: 2\n",
        },
        [],
    ),
    (
        {
            "main.yaml": "defaults:\n  - g: a\n  - _self_\n",
            "g/a.yaml": "\n\n# @package foo\nx: 2\n",
        },
        [],
    ),
    (
        {
            "main.yaml": "defaults:\n  - g: a\n  - _self_\n",
            "g/a.yaml": "# @package foo.bar\nx: 2\n",
        },
        [],
    ),
    (
        {
            "main.yaml": "defaults:\n  - g@pkg: a\n  - _self_\n",
            "g/a.yaml": "# @package foo.bar\nx: 2\n",
        },
        [],
    ),
    ({"main.yaml": "defaults:\n  - g@_group_.x: a\n  - _self_\n", "g/a.yaml": "x: 2\n"}, []),
    ({"main.yaml": "defaults:\n  - g/s@_group_: a\n  - _self_\n", "g/s/a.yaml": "x: 2\n"}, []),
    (
        {
            "main.yaml": "defaults:\n  - c\n",
            "c.yaml": "defaults:\n  - g@_group_: a\n",
            "g/a.yaml": "x: 2\n",
        },
        [],
    ),
    (
        {
            "main.yaml": "defaults:\n  - d/c\n",
            "d/c.yaml": "defaults:\n  - g@_group_: a\n",
            "d/g/a.yaml": "x: 2\n",
        },
        [],
    ),
    (
        {
            "main.yaml": "defaults:\n  - g: a\n",
            "g/a.yaml": "defaults:\n  - h@_here_: b\n",
            "g/h/b.yaml": "x: 2\n",
        },
        [],
    ),
    (
        {
            "main.yaml": "defaults:\n  - g: a\n",
            "g/a.yaml": "defaults:\n  - /h@_here_: b\n",
            "h/b.yaml": "x: 2\n",
        },
        [],
    ),
    (
        {
            "main.yaml": "defaults:\n  - g@p.q: a\n",
            "g/a.yaml": "defaults:\n  - /h: b\n",
            "h/b.yaml": "x: 2\n",
        },
        ["h@p.q.h=b"],
    ),
    (
        {
            "main.yaml": "defaults:\n  - g@p.q: a\n",
            "g/a.yaml": "defaults:\n  - /h: b\n",
            "h/b.yaml": "x: 2\n",
            "h/c.yaml": "x: 3\n",
        },
        ["h@p.q.h=c"],
    ),
    (
        {
            "main.yaml": "defaults:\n  - g@p.q: a\n",
            "g/a.yaml": "defaults:\n  - /h: b\n",
            "h/b.yaml": "x: 2\n",
            "h/c.yaml": "x: 3\n",
        },
        ["h=c"],
    ),
    (
        {
            "main.yaml": "defaults:\n  - g: a\n  - override g: b\n  - c\n",
            "g/a.yaml": "x: 2\n",
            "g/b.yaml": "x: 3\n",
            "c.yaml": "x: 1\n",
        },
        [],
    ),
    (
        {
            "main.yaml": "defaults:\n  - g: a\n  - override g: b\n  - _self_\n",
            "g/a.yaml": "x: 2\n",
            "g/b.yaml": "x: 3\n",
        },
        [],
    ),
    (
        {
            "main.yaml": "defaults:\n  - g: a\n  - override g: b\n",
            "g/a.yaml": "x: 2\n",
            "g/b.yaml": "x: 3\n",
        },
        ["+h=a"],
    ),
    ({"main.yaml": "a: {b: ${c}}\nc: {d: 1}\n"}, []),
    ({"main.yaml": "defaults: [x, _self_]\na: {e: 2}\n", "x.yaml": "a: ${c}\nc: {d: 1}\n"}, []),
    ({"main.yaml": "defaults: [x, _self_]\na: {e: 2}\n", "x.yaml": "a: ${c}\nc: [1]\n"}, []),
    ({"main.yaml": "defaults: [x, _self_]\na: [2]\n", "x.yaml": "a: ${c}\nc: {d: 1}\n"}, []),
    (
        {
            "main.yaml": "defaults: [x, _self_]\na: {e: 2}\n",
            "x.yaml": "a: ${c}\nc: ${f}\nf: {g: 1}\n",
        },
        [],
    ),
    ({"main.yaml": "defaults: [x, _self_]\nc: {e: 2}\n", "x.yaml": "a: ${c}\nc: {d: 1}\n"}, []),
    (
        {
            "main.yaml": "defaults: [x, _self_]\na: {e: 2}\n",
            "x.yaml": "a: ${oc.select:c}\nc: {d: 1}\n",
        },
        [],
    ),
    (
        {
            "main.yaml": "defaults: [x, _self_]\nk: {a: {e: 2}}\n",
            "x.yaml": "k: {a: ${.c}, c: {d: 1}}\n",
        },
        [],
    ),
    ({"main.yaml": "defaults: [x, _self_]\na: {e: 2}\n", "x.yaml": "a: ${oc.create:{z: 1}}\n"}, []),
    ({"main.yaml": "defaults: [x, _self_]\na: ???\n", "x.yaml": "a: ${c}\nc: {d: 1}\n"}, []),
    ({"main.yaml": "x: [a, b]\ny: ${x.0}\n"}, []),
    ({"main.yaml": "x: [a, b]\ny: ${x[1]}\n"}, []),
    ({"main.yaml": "x: {'a.b': 1}\ny: ${x.a.b}\n"}, []),
    ({"main.yaml": "x: 1\ny: '\\${x}'\n"}, []),
    ({"main.yaml": "x: 1\ny: ${oc.decode:'{a: ${x}}'}\n"}, []),
    # choices written as interpolations
    (
        {
            "main.yaml": "defaults:\n  - sub/k: a\n  - h: ${sub/k}\n",
            "sub/k/a.yaml": "x: 1\n",
            "h/a.yaml": "y: 1\n",
        },
        [],
    ),
    ({"main.yaml": "defaults:\n  - g: null\n  - h: ${g}\n", "h/a.yaml": "y: 1\n"}, []),
    ({"main.yaml": "defaults:\n  - g: null\n  - h: x${g}\n", "h/xNone.yaml": "y: 1\n"}, []),
    ({"main.yaml": "defaults:\n  - h: ${oc.env:NOPE,1}\n", "h/1.yaml": "y: 1\n"}, []),
    ({"main.yaml": "defaults:\n  - h: ${oc.env:NOPE,null}\n", "h/1.yaml": "y: 1\n"}, []),
    ({"main.yaml": "defaults:\n  - h: a${oc.env:NOPE,1}\n", "h/a1.yaml": "y: 1\n"}, []),
    (
        {
            "main.yaml": "defaults:\n  - g@p: a\n  - h: ${g@p}\n",
            "g/a.yaml": "x: 1\n",
            "h/a.yaml": "y: 1\n",
        },
        [],
    ),
    ({"main.yaml": "defaults:\n  - h: ${oc.env:NEXRL_FUZZ_VALUE}\n", "h/7.yaml": "y: 1\n"}, []),
    ({"main.yaml": "defaults:\n  - h: ${nope}\n", "h/7.yaml": "y: 1\n"}, []),
    (
        {"main.yaml": "defaults:\n  - g: a\n  - ${g}\n", "g/a.yaml": "x: 1\n", "a.yaml": "z: 1\n"},
        [],
    ),
    (
        {
            "main.yaml": "defaults:\n  - g: a\n  - h/${g}\n",
            "g/a.yaml": "x: 1\n",
            "h/a.yaml": "z: 1\n",
        },
        [],
    ),
    # a config loaded twice, first at the root: Hydra shares what it merged there
    (
        {
            "main.yaml": "defaults:\n  - h@_global_: b\n  - _self_\n  - h: b\nsec: {c: 4}\n",
            "h/b.yaml": "sec: {b: 1}\n",
        },
        [],
    ),
    ({"main.yaml": "defaults:\n  - c@_group_.t\n", "c.yaml": "a: 1\n"}, []),
    (
        {
            "main.yaml": "# @package q\ndefaults:\n  - g@_here_: b\n",
            "g/a.yaml": "x: 1\n",
            "g/b.yaml": "y: 1\n",
        },
        ["+g@_here_=a"],
    ),
    # a section inside text is written as OmegaConf writes it (unresolved inside)
    (
        {
            "main.yaml": "c:\n  sec:\n    x: 0\n    c: x_${x}\nx: 0.5\ng: x_${c.sec}\n"
            "l:\n  - 1\n  - ${x}\nm: z_${.l}\n"
        },
        [],
    ),
    # Hydra's own settings, a `_self_` choice, a reference through a referenced section
    ({"main.yaml": "defaults: [_self_]\nhydra:\n  foo: 1\na: 1\n"}, []),
    ({"main.yaml": "defaults: [_self_]\nhydra:\n  run:\n    dir: x\n  job: {name: n}\n"}, []),
    ({"main.yaml": "defaults:\n  - g: _self_\n  - c\nx: 1\n", "c.yaml": "x: 2\n"}, []),
    ({"main.yaml": "a: {b: {c: 1}}\nd: ${a.b}\ne: ${d.c}\nf: x_${d.c}\n"}, []),
    ({"main.yaml": "x: 1\n"}, ["x=nan"]),
    # Hydra resolves what an override passes through: a list has no key, a value is no itself
    ({"main.yaml": "b: [1, 2]\na: ${b}\n"}, ["+a.c=5"]),
    ({"main.yaml": "b: [1, 2]\na: ${b}\n"}, ["+a.0=5"]),
    ({"main.yaml": "b: 'x_${b}'\n"}, ["+b={a: 1}"]),
]


# Launches of a config in a subfolder (`--config-name sub/main`): its content goes under `sub`.
NAMED: list[tuple[dict[str, str], list[str]]] = [
    (
        {
            "sub/main.yaml": "defaults:\n  - c\n  - /g: a\n  - _self_\nx: 1\n",
            "sub/c.yaml": "y: 2\n",
            "g/a.yaml": "z: 3\n",
            "g/b.yaml": "z: 4\n",
        },
        ["g=b", "sub.x=5"],
    ),
    ({"sub/main.yaml": "# @package _global_\nx: 1\n"}, ["x=2"]),
]


def written(index: int) -> Case:
    if index >= len(CASES):
        files, overrides = NAMED[index - len(CASES)]
        return Case(-1 - index, dict(files), list(overrides), "sub/main")
    files, overrides = CASES[index]
    return Case(-1 - index, dict(files), list(overrides))


# -- the comparison --------------------------------------------------------------------------
@dataclass
class Outcome:
    """One side's verdict: composed data or an error; resolved data or an error."""

    composed: Any = None
    error: str | None = None
    resolved: Any = None
    resolve_error: str | None = None


def hydra_side(folder: Path, case: Case) -> Outcome:
    from omegaconf import OmegaConf

    from nexrl_cfg._hydra import compose

    saved = {k: os.environ.get(k) for k in ENV}
    os.environ.update(ENV)
    try:
        result = compose(folder, case.name, case.overrides)
        if result.error is not None:
            return Outcome(error=result.error)
        out = Outcome(composed=result.data)
        try:
            out.resolved = OmegaConf.to_container(result.config, resolve=True)
        except Exception as exc:
            out.resolve_error = f"{type(exc).__name__}: {exc}"
        return out
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def our_side(folder: Path, case: Case) -> Outcome:
    from nexrl_cfg.overrides import parse

    command_line = parse(case.overrides) if case.overrides else None
    composed = Composer(Reader()).compose(
        folder / f"{case.name}.yaml", command_line, ENV, folder, case.name
    )
    errors = [
        f for f in composed.findings if f.severity is Severity.ERROR and f.rule in COMPOSE_RULES
    ]
    if errors or not isinstance(composed.data, dict):
        return Outcome(error="; ".join(f"{f.rule}: {f.message}" for f in errors) or "not a map")
    out = Outcome(composed=composed.data)
    resolved = resolve(composed, ENV)
    problems = [f for f in resolved.findings if f.severity is Severity.ERROR]
    if problems:
        out.resolve_error = "; ".join(f.message for f in problems)
    else:
        out.resolved = resolved.data
    return out


def typed(value: Any) -> Any:
    """`value` with its types made visible (1, 1.0 and True differ), dicts as ordered pairs."""
    if isinstance(value, dict):
        return ("map", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    if isinstance(value, Unknown):
        return ("unknown", str(value))
    if isinstance(value, float) and value != value:
        return ("float", "nan")
    return (type(value).__name__, value)


def verdict(ours: Outcome, hydra: Outcome) -> str:
    """ "agree", or what differs."""
    if hydra.error is not None:
        return "agree" if ours.error is not None else "missed-error"
    if ours.error is not None:
        return "false-error"
    if typed(ours.composed) != typed(hydra.composed):
        return "composed-differs"
    if hydra.resolve_error is not None:
        return "agree" if ours.resolve_error is not None else "missed-resolve-error"
    if ours.resolve_error is not None:
        return "false-resolve-error"
    if typed(ours.resolved) != typed(hydra.resolved):
        return "resolved-differs"
    return "agree"


def compare(case: Case) -> tuple[str, Outcome, Outcome]:
    folder = Path(tempfile.mkdtemp(prefix="nexrl-diff-"))
    try:
        write(case, folder)
        hydra = hydra_side(folder, case)
        ours = our_side(folder, case)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return verdict(ours, hydra), ours, hydra


def describe(case: Case, ours: Outcome, hydra: Outcome, outcome: str) -> str:
    lines = [f"== seed {case.seed}: {outcome}; overrides: {case.overrides}"]
    for rel, text in sorted(case.files.items()):
        lines.append(f"--- {rel}")
        lines.extend("    " + line for line in text.splitlines())
    lines.append(f"hydra: {hydra.error or hydra.composed}")
    lines.append(f"ours : {ours.error or ours.composed}")
    if outcome.startswith(("resolved", "missed-resolve", "false-resolve")):
        lines.append(f"hydra resolved: {hydra.resolve_error or hydra.resolved}")
        lines.append(f"ours  resolved: {ours.resolve_error or ours.resolved}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", type=int, default=3, help="cases to print per kind of miss")
    parser.add_argument("--no-overrides", action="store_true", help="leave the command line empty")
    args = parser.parse_args(argv)
    counts: Counter[str] = Counter()
    hydra_failed = 0
    shown: Counter[str] = Counter()
    for seed in range(args.seed, args.seed + args.cases):
        case = generate(seed)
        if args.no_overrides:
            case.overrides = []
        outcome, ours, hydra = compare(case)
        counts[outcome] += 1
        hydra_failed += hydra.error is not None
        if outcome != "agree" and shown[outcome] < args.show:
            shown[outcome] += 1
            print(describe(case, ours, hydra, outcome), "\n")
    total = sum(counts.values())
    print(f"cases: {total}, Hydra failed on {hydra_failed}")
    for outcome, n in counts.most_common():
        print(f"  {outcome}: {n} ({100 * n / total:.1f}%)")
    return 0 if counts["agree"] == total else 1


if __name__ == "__main__":
    raise SystemExit(main())
