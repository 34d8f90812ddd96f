"""nexrl-cfg on NexRL's own recipes, copied to make 1, 200, 2,000 or 10,000 entry configs, against
check-jsonschema (the editor schema over every YAML file) and the PyYAML floor (libyaml's
loader reading the same files, nothing else); `migrate --to 1.4` and `check --diff` (the fixes
planned and verified, nothing written) against `check` of the same folder.

    python bench/recipes.py                       # sizes 1, 200, 2000; 3 paired runs each
    python bench/recipes.py --sizes 200,10000 --runs 5
    python bench/recipes.py --nexrl 1.0           # NexRL 1.0's recipes, checked as 1.0
    python bench/recipes.py --recipes ../NexRL/recipe

The recipes come from `--recipes`, else `../shared/corpus/nexrl-v<version>/recipe`, and are
checked for that NexRL version (`--nexrl`, 1.4 by default). Runs take turns (nexrl-cfg,
check-jsonschema, floor, migrate, diff), each a fresh process; the table gives medians of the
wall time and of the CPU time (user + system, the workers' included), the ratios (of wall
times) and the issue's targets. See bench/README.md.
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

CORPUS = REPO.parent / "shared" / "corpus"
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
    "10,000 per config / 200 per config": 1.1,
    "10,000 MB / check-jsonschema MB": 1.0,
}


def entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.yaml") if p.stem.startswith(ENTRY))


def corpus(recipes: Path, size: int, version: str = "1.4") -> tuple[Path, list[Path]]:
    """A folder of copies of `recipes` holding at least `size` entry configs (one entry file
    for size 1), and the YAML files check-jsonschema and the floor read."""
    if size == 1:
        entry = next(p for p in entries(recipes) if p.parent.name == "math")
        return entry, [entry, *entry.parent.glob("common.yaml")]
    per_copy = len(entries(recipes))
    folder = OUT / (f"size-{size}" if version == "1.4" else f"v{version}-size-{size}")
    copies = math.ceil(size / per_copy)
    # The copies are kept between runs only for the same recipes: another `--recipes` with
    # as many entry configs would otherwise be measured on the last one's copies.
    source = folder.with_name(folder.name + ".source")
    made_from = source.read_text(encoding="utf-8") if source.is_file() else None
    kept = folder.is_dir() and len(list(folder.iterdir())) == copies
    if made_from != str(recipes.resolve()) or not kept:
        source.unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
        for index in range(copies):
            shutil.copytree(recipes, folder / f"r{index}")
        source.write_text(str(recipes.resolve()), encoding="utf-8")
    return folder, sorted(folder.rglob("*.yaml"))


def timed(name: str, cmd: Sequence[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system, the workers' included) and peak MB."""
    LOGS.mkdir(parents=True, exist_ok=True)
    wall, rss, user, system, code = run_child(cmd, LOGS / f"recipes-{name}")
    if code not in (0, 1):
        err = (LOGS / f"recipes-{name}.err").read_text(errors="replace")[-2000:]
        raise SystemExit(f"{name} exited {code}:\n{err}")
    return wall, user + system, rss / 1024


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nexrl", choices=("1.0", "1.4"), default="1.4")
    parser.add_argument("--recipes", type=Path)
    parser.add_argument("--sizes", default="1,200,2000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    args.recipes = args.recipes or CORPUS / f"nexrl-v{args.nexrl}" / "recipe"
    if not args.recipes.is_dir():
        raise SystemExit(f"no recipe folder at {args.recipes} (give --recipes)")
    cjs, _ = ensure_check_jsonschema()
    nexrl = [sys.executable, "-m", "nexrl_cfg"]
    compile_package()
    rows: dict[int, dict[str, tuple[float, float, float]]] = {}
    check = [*nexrl, "check", "--nexrl-version", args.nexrl]
    for size in [int(s) for s in args.sizes.split(",")]:
        target, files = corpus(args.recipes, size, args.nexrl)
        names = [str(f) for f in files]
        tools = {
            "nexrl-cfg": [*check, "-q", str(target)],
            "check-jsonschema": [str(cjs), "--schemafile", str(DEFAULT_SCHEMA), *names],
            "floor": [sys.executable, "-c", FLOOR, *names],
        }
        if size > 1:
            tools["migrate"] = [*nexrl, "migrate", "--to", "1.4", str(target)]
            tools["diff"] = [*check, "--diff", str(target)]
        runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in tools}
        for name, cmd in tools.items():  # a warm-up each, not counted
            timed(name, cmd)
        for _ in range(args.runs):
            for name, cmd in tools.items():
                runs[name].append(timed(name, cmd))
        rows[size] = {
            name: (
                statistics.median(w for w, _, _ in r),
                statistics.median(c for _, c, _ in r),
                max(m for _, _, m in r),
            )
            for name, r in runs.items()
        }
        print(
            f"size {size} ({len(files)} files): "
            + ", ".join(
                f"{name} {wall:.2f} s (CPU {cpu:.2f} s) {rss:.0f} MB"
                for name, (wall, cpu, rss) in rows[size].items()
            ),
            flush=True,
        )
    print(f"\nNexRL {args.nexrl} recipes from {args.recipes}")
    print(report(rows, os.getloadavg()[0]))
    return 0


def report(rows: dict[int, dict[str, tuple[float, float, float]]], load: float) -> str:
    lines = [
        f"\n(load average {load:.1f}, {os.cpu_count()} cores; seconds: wall (CPU))\n",
        "| entry configs | nexrl-cfg s | check-jsonschema s | PyYAML floor s | migrate s "
        "| check --diff s | vs check-jsonschema | vs floor | s per 1,000 configs "
        "| MB (nexrl-cfg / cjs) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]

    def both(times: tuple[float, float, float] | None) -> str:
        return f"{times[0]:.2f} ({times[1]:.2f})" if times else ""

    for size, r in rows.items():
        ours, cjs, floor = r["nexrl-cfg"], r["check-jsonschema"], r["floor"]
        lines.append(
            f"| {size} | {both(ours)} | {both(cjs)} | {both(floor)} | {both(r.get('migrate'))} "
            f"| {both(r.get('diff'))} | {ours[0] / cjs[0]:.2f}x | {ours[0] / floor[0]:.1f}x "
            f"| {1000 * ours[0] / size:.2f} | {ours[2]:.0f} / {cjs[2]:.0f} |"
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
    if 200 in rows and 10000 in rows:
        ours = rows[10000]["nexrl-cfg"]
        found["10,000 per config / 200 per config"] = (ours[0] / 10000) / (
            rows[200]["nexrl-cfg"][0] / 200
        )
        found["10,000 MB / check-jsonschema MB"] = ours[2] / rows[10000]["check-jsonschema"][2]
    lines.append("")
    for what, value in found.items():
        verdict = "PASS" if value <= TARGETS[what] else "FAIL"
        lines.append(f"- {what}: {value:.2f}x (target <= {TARGETS[what]}x) {verdict}")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
