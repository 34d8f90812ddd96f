"""Start-up: what `nexrl-cfg --version`, `--help` and a one-file `check` import, measured with
`python -X importtime`, and whether the rules and the catalogue stay off the path of
`--version` and `--help` (they need neither).

    python bench/importtime.py          # a check of sample_configs/valid/self_hosted_dev_1_4.yaml
    python bench/importtime.py path/to/run.yaml --top 20

Each command runs `--runs` times (fresh processes); the table gives the median of the summed
import time (each module's own time, so nothing is counted twice), how many of the tool's own
modules were imported, and the imports that took longest (their own time and what they
imported). The times `-X importtime` reports include its own overhead: compare them with each
other, not with a wall clock. The package is compiled first (see `run.compile_package`).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import REPO, compile_package

SAMPLE = REPO / "sample_configs" / "valid" / "self_hosted_dev_1_4.yaml"
# Modules `--version` and `--help` should not need: a rule, or the catalogue's entries.
HEAVY = ("nexrl_cfg.rules.", "nexrl_cfg.catalogue.sections")


def imports(args: Sequence[str]) -> list[tuple[str, int, int, int]]:
    """(module, own microseconds, with what it imported, depth) of one run of the tool."""
    ran = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "nexrl_cfg", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    found = []
    for line in ran.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, total, name = line.removeprefix("import time:").split("|")
        depth = (len(name) - len(name.lstrip(" "))) // 2
        found.append((name.strip(), int(own), int(total), depth))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=SAMPLE)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args(argv)
    compile_package()
    commands = {
        "--version": ["--version"],
        "--help": ["--help"],
        "check FILE": ["check", str(args.file)],
    }
    print("| command | imports ms (median) | nexrl_cfg modules | rules or catalogue entries |")
    print("|---|---:|---:|---|")
    slowest: dict[str, list[tuple[str, int, int, int]]] = {}
    failed = False
    for label, words in commands.items():
        runs = [imports(words) for _ in range(args.runs)]
        total = statistics.median(sum(own for _, own, _, _ in run) for run in runs)
        ours = [name for name, _, _, _ in runs[-1] if name.startswith("nexrl_cfg")]
        heavy = sorted(name for name in ours if name.startswith(HEAVY))
        if label != "check FILE" and heavy:
            failed = True
        shown = ", ".join(heavy[:3]) + (" ..." if len(heavy) > 3 else "") if heavy else "none"
        print(f"| {label} | {total / 1000:.1f} | {len(ours)} | {shown} |")
        slowest[label] = runs[-1]
    for label, run in slowest.items():
        print(f"\nSlowest imports of `{label}` (own ms, with what they import ms):")
        for name, own, total, _ in sorted(run, key=lambda row: -row[1])[: args.top]:
            print(f"  {own / 1000:6.1f} {total / 1000:6.1f}  {name}")
    if failed:
        print("\n--version or --help imports a rule or the catalogue's entries", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
