"""nexrl-cfg on NexRL's own recipes, copied to make 1, 200, 2,000 or 10,000 entry configs, against
check-jsonschema (the editor schema over every YAML file) and the PyYAML floor (libyaml's
loader reading the same files, nothing else); `migrate` against `check` of the same folder.

    python bench/recipes.py                       # sizes 1, 200, 2000; 3 paired runs each
    python bench/recipes.py --sizes 200,10000 --runs 5
    python bench/recipes.py --recipes ../NexRL/recipe

The recipes come from `--recipes`, else `../shared/corpus/nexrl-v1.4/recipe`. Runs take turns
(nexrl-cfg, check-jsonschema, floor, migrate), each a fresh process; the table gives medians,
the ratios and the issue's targets. See bench/README.md.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import (
    DEFAULT_SCHEMA,
    LOGS,
    REPO,
    WORK,
    compile_package,
    ensure_check_jsonschema,
    run_child,
)

RECIPES = REPO.parent / "shared" / "corpus" / "nexrl-v1.4" / "recipe"
OUT = WORK / "recipes"
ENTRY = ("self_hosted", "tinker", "weaver")
FLOOR = (
    "import sys, yaml\n"
    "for name in sys.argv[1:]:\n"
    "    with open(name, 'rb') as f: yaml.load(f, Loader=yaml.CSafeLoader)\n"
)
# (what, limit): the targets.
TARGETS = {
    "1 file / check-jsonschema": 0.35,
    "200 / check-jsonschema": 0.12,
    "200 / PyYAML floor": 2.5,
    "migrate 200 / check 200": 2.0,
}


def entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.yaml") if p.stem.startswith(ENTRY))


def corpus(recipes: Path, size: int) -> tuple[Path, list[Path]]:
    """A folder of copies of `recipes` holding at least `size` entry configs (one entry file
    for size 1), and the YAML files check-jsonschema and the floor read."""
    if size == 1:
        entry = next(p for p in entries(recipes) if p.parent.name == "math")
        return entry, [entry, *entry.parent.glob("common.yaml")]
    per_copy = len(entries(recipes))
    folder = OUT / f"size-{size}"
    copies = math.ceil(size / per_copy)
    if not folder.is_dir() or len(list(folder.iterdir())) != copies:
        shutil.rmtree(folder, ignore_errors=True)
        for index in range(copies):
            shutil.copytree(recipes, folder / f"r{index}")
    return folder, sorted(folder.rglob("*.yaml"))


def timed(name: str, cmd: Sequence[str]) -> tuple[float, float]:
    LOGS.mkdir(parents=True, exist_ok=True)
    wall, rss, _, _, code = run_child(cmd, LOGS / f"recipes-{name}")
    if code not in (0, 1):
        err = (LOGS / f"recipes-{name}.err").read_text(errors="replace")[-2000:]
        raise SystemExit(f"{name} exited {code}:\n{err}")
    return wall, rss / 1024


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipes", type=Path, default=RECIPES)
    parser.add_argument("--sizes", default="1,200,2000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    if not args.recipes.is_dir():
        raise SystemExit(f"no recipe folder at {args.recipes} (give --recipes)")
    cjs, _ = ensure_check_jsonschema()
    nexrl = [sys.executable, "-m", "nexrl_cfg"]
    compile_package()
    rows: dict[int, dict[str, tuple[float, float]]] = {}
    for size in [int(s) for s in args.sizes.split(",")]:
        target, files = corpus(args.recipes, size)
        names = [str(f) for f in files]
        tools = {
            "nexrl-cfg": [*nexrl, "check", "-q", str(target)],
            "check-jsonschema": [str(cjs), "--schemafile", str(DEFAULT_SCHEMA), *names],
            "floor": [sys.executable, "-c", FLOOR, *names],
        }
        if size > 1:
            tools["migrate"] = [*nexrl, "migrate", "--to", "1.4", str(target)]
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in tools}
        for name, cmd in tools.items():  # a warm-up each, not counted
            timed(name, cmd)
        for _ in range(args.runs):
            for name, cmd in tools.items():
                runs[name].append(timed(name, cmd))
        rows[size] = {
            name: (statistics.median(w for w, _ in r), max(m for _, m in r))
            for name, r in runs.items()
        }
        print(
            f"size {size} ({len(files)} files): "
            + ", ".join(
                f"{name} {wall:.2f} s {rss:.0f} MB" for name, (wall, rss) in rows[size].items()
            ),
            flush=True,
        )
    print(report(rows, os.getloadavg()[0]))
    return 0


def report(rows: dict[int, dict[str, tuple[float, float]]], load: float) -> str:
    lines = [
        f"\n(load average {load:.1f}, {os.cpu_count()} cores)\n",
        "| entry configs | nexrl-cfg s | check-jsonschema s | PyYAML floor s | migrate s "
        "| vs check-jsonschema | vs floor | s per 1,000 configs | MB (nexrl-cfg / cjs) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for size, r in rows.items():
        ours, cjs, floor = r["nexrl-cfg"], r["check-jsonschema"], r["floor"]
        migrate = f"{r['migrate'][0]:.2f}" if "migrate" in r else ""
        lines.append(
            f"| {size} | {ours[0]:.2f} | {cjs[0]:.2f} | {floor[0]:.2f} | {migrate} "
            f"| {ours[0] / cjs[0]:.2f}x | {ours[0] / floor[0]:.1f}x "
            f"| {1000 * ours[0] / size:.2f} | {ours[1]:.0f} / {cjs[1]:.0f} |"
        )
    found = {}
    if 1 in rows:
        found["1 file / check-jsonschema"] = (
            rows[1]["nexrl-cfg"][0] / rows[1]["check-jsonschema"][0]
        )
    if 200 in rows:
        r = rows[200]
        found["200 / check-jsonschema"] = r["nexrl-cfg"][0] / r["check-jsonschema"][0]
        found["200 / PyYAML floor"] = r["nexrl-cfg"][0] / r["floor"][0]
        found["migrate 200 / check 200"] = r["migrate"][0] / r["nexrl-cfg"][0]
    lines.append("")
    for what, value in found.items():
        verdict = "PASS" if value <= TARGETS[what] else "FAIL"
        lines.append(f"- {what}: {value:.2f}x (target <= {TARGETS[what]}x) {verdict}")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
