#!/usr/bin/env python3
"""Benchmark the edit engine: N edits of one file, made at once (`fix.edits.apply`), and the
parse that places them (`fix.edits.Tree`), for growing N. Linear work shows as a constant time
per edit down the table; the tests count the characters copied instead of timing them.

Run from the repository root, with the Python that has nexrl-cfg installed:

    python bench/edits.py                 # 1,000 / 10,000 / 100,000 edits
    python bench/edits.py --sizes 1000,20000 --runs 5
"""

from __future__ import annotations

import argparse
import statistics
import time

from nexrl_cfg.fix.edits import Tree, apply, edit


def measure(count: int, runs: int) -> tuple[float, float]:
    text = "".join(f"key_{i}: value_{i}  # comment {i}\n" for i in range(count))
    parse, make = [], []
    for _ in range(runs):
        start = time.perf_counter()
        tree = Tree.parse("bench.yaml", text)
        edits = [
            edit(tree, value, f"fixed_{i}") for i, (_, value) in enumerate(tree.pairs.values())
        ]
        parse.append(time.perf_counter() - start)
        start = time.perf_counter()
        apply(text, [e for e in edits if e is not None])
        make.append(time.perf_counter() - start)
    return statistics.median(parse), statistics.median(make)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print("| edits | parse and place s | make s | make us/edit |")
    print("|---:|---:|---:|---:|")
    for count in (int(n) for n in args.sizes.split(",")):
        parse, make = measure(count, args.runs)
        print(f"| {count:,} | {parse:.3f} | {make:.4f} | {make / count * 1e6:.2f} |")


if __name__ == "__main__":
    main()
