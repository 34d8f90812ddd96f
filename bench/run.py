#!/usr/bin/env python3
"""Benchmark nexrl-cfg against check-jsonschema on a generated NexRL config corpus.

Run from the repository root, with the Python that has nexrl-cfg installed:

    python bench/run.py                 # sizes 1, 200, 2000; 5 runs each
    python bench/run.py --quick         # 2 runs each
    python bench/run.py --sizes 1,200 --runs 9 --nexrl-args "--quiet"

What it does:

1. Installs check-jsonschema 0.39.x into its own venv, ``bench/.work/venv-check-jsonschema``
   (reused when present and of the right version).
2. Finds nexrl-cfg: the ``nexrl-cfg`` script beside ``sys.executable``, else
   ``sys.executable -m nexrl_cfg``. The JSON Schema given to check-jsonschema is
   ``nexrl_cfg/schemas/nexrl-config.schema.json``; if missing it is made with
   ``nexrl-cfg schema --output nexrl_cfg/schemas/nexrl-config.schema.json``.
3. Writes a deterministic corpus per size, ``bench/.work/corpus/size-N`` (see
   ``bench/corpus.py``): exactly N case folders, each with ``common.yaml`` and an entry
   ``self_hosted.yaml`` or ``tinker.yaml``; about 20% of the cases carry one defect. Case i is
   the same in every size. Each size has its own folder, like a ``recipe/`` folder of N recipes,
   so a tool that looks at neighbouring configs sees a tree of that size, no larger.
4. For each size: one warm-up run of each tool (not counted), then ``--runs`` rounds of
   nexrl-cfg, check-jsonschema, nexrl-cfg, ... each a fresh process, all with the OS file cache
   warm. Wall time is ``time.perf_counter`` around the child; peak memory is the child's own
   ``ru_maxrss`` from ``os.wait4`` on its pid (for a child that forks workers this is the
   largest single process in its tree, not their sum).
5. Prints a Markdown table and writes it to ``bench/results/latest.md``, with every raw
   measurement in ``bench/results/latest.json``.

Files given to each tool (the size N counts entry files, i.e. cases):

* nexrl-cfg gets the N entry files; it reads each case's ``common.yaml`` itself, through the
  ``defaults:`` list.
* check-jsonschema gets, by default (``--cjs-files all``), the N entry files *and* their N
  ``common.yaml`` files. It cannot compose, so this is the only way to make it read and
  validate the same YAML as nexrl-cfg: both tools parse the same 2N documents.
  ``--cjs-files entry`` gives it only the N entry files (half the parsing: a stricter bar for
  nexrl-cfg).

Exit codes: nexrl-cfg 0 (clean) or 1 (findings) and check-jsonschema 0 or 1 (invalid files)
count as completed runs; anything else, or a Python traceback on stderr, stops the benchmark.

``--nexrl-cmd "..."`` replaces the command put before the file list (default
``nexrl-cfg check``), e.g. to test the harness before nexrl-cfg exists. ``--nexrl-args "..."``
appends options after ``check`` (e.g. ``-j 2``).

Standard library only.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import BROKEN_FRACTION, GENERATOR_VERSION, ensure_corpus

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
WORK = BENCH / ".work"
RESULTS = BENCH / "results"
CORPUS = WORK / "corpus"
LOGS = WORK / "logs"
CJS_VENV = WORK / "venv-check-jsonschema"
CJS_REQUIREMENT = "check-jsonschema>=0.39,<0.40"
CJS_VERSION_PREFIX = "0.39."
DEFAULT_SCHEMA = REPO / "nexrl_cfg" / "schemas" / "nexrl-config.schema.json"
DEFAULT_SIZES = (1, 200, 2000)
DEFAULT_RUNS = 5
QUICK_RUNS = 2
DEFAULT_SEED = 20251126
CHILD_TIMEOUT_S = 900.0

NEXRL = "nexrl-cfg"
CJS = "check-jsonschema"
TOOLS = (NEXRL, CJS)


class BenchError(RuntimeError):
    """The benchmark cannot go on; the message says why."""


# --------------------------------------------------------------------------- setup


def _run_text(cmd: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(cmd), capture_output=True, text=True, check=False, cwd=REPO)


def _cjs_version(exe: Path) -> str | None:
    if not exe.is_file():
        return None
    try:
        out = _run_text([str(exe), "--version"])
    except OSError:
        return None
    match = re.search(r"(\d+\.\d+\.\d+\S*)", out.stdout + out.stderr)
    return match.group(1) if out.returncode == 0 and match else None


def ensure_check_jsonschema() -> tuple[Path, str]:
    """Return the check-jsonschema script of our venv and its version, installing if needed."""
    exe = CJS_VENV / "bin" / "check-jsonschema"
    version = _cjs_version(exe)
    if version and version.startswith(CJS_VERSION_PREFIX):
        return exe, version
    print(f"Installing {CJS_REQUIREMENT} into {CJS_VENV.relative_to(REPO)} ...", flush=True)
    WORK.mkdir(parents=True, exist_ok=True)
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(CJS_VENV)],
        [
            str(CJS_VENV / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            CJS_REQUIREMENT,
        ],
    ]
    for step in steps:
        done = _run_text(step)
        if done.returncode != 0:
            raise BenchError(f"{shlex.join(step)} failed:\n{done.stdout}{done.stderr}")
    version = _cjs_version(exe)
    if not version:
        raise BenchError(f"check-jsonschema was installed but {exe} --version does not work")
    return exe, version


@dataclass(frozen=True)
class NexrlTool:
    """How to run nexrl-cfg: `base` is the program (script or python -m), `check` the full
    command put before the files."""

    base: list[str] | None
    check: list[str]
    version: str
    overridden: bool


def compile_package() -> None:
    """Compile nexrl-cfg's modules where they are installed, as pip does for an installed
    wheel: an editable install under PYTHONDONTWRITEBYTECODE=1 never caches its bytecode, so
    every run would compile the whole package again (about 0.1 s) and the bench would measure
    the compiler."""
    import compileall

    spec = importlib.util.find_spec("nexrl_cfg")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        if os.access(folder, os.W_OK):
            compileall.compile_dir(folder, quiet=1)


def find_nexrl(override: str | None, extra_args: Sequence[str]) -> NexrlTool:
    if override:
        return NexrlTool(None, [*shlex.split(override), *extra_args], "override", True)
    script = Path(sys.executable).parent / "nexrl-cfg"
    if script.is_file() and os.access(script, os.X_OK):
        base = [str(script)]
    elif importlib.util.find_spec("nexrl_cfg") is not None:
        base = [sys.executable, "-m", "nexrl_cfg"]
    else:
        raise BenchError(
            f"nexrl-cfg not found: no {script} and no importable nexrl_cfg for {sys.executable}."
            " Install it (pip install -e .) or pass --nexrl-cmd."
        )
    probe = _run_text([*base, "--help"])
    if probe.returncode != 0:
        raise BenchError(f"{shlex.join([*base, '--help'])} failed:\n{probe.stdout}{probe.stderr}")
    try:
        version = importlib.metadata.version("nexrl-cfg")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    return NexrlTool(base, [*base, "check", *extra_args], f"{version} ({_origin()})", False)


def _origin() -> str:
    """Where nexrl_cfg is imported from; for this repository, its commit and whether
    nexrl_cfg/ has uncommitted changes (an editable install follows edits made mid-run)."""
    spec = importlib.util.find_spec("nexrl_cfg")
    if spec is None:
        return "unknown location"
    if spec.origin and spec.origin != "namespace":
        package = Path(spec.origin).resolve().parent
    else:  # an old editable install can map the package as a namespace
        folders = [Path(p) for p in spec.submodule_search_locations or () if Path(p).is_dir()]
        if not folders:
            return "unknown location"
        package = folders[0].resolve()
    if not package.is_relative_to(REPO):
        return str(package)
    try:
        commit = _run_text(["git", "rev-parse", "--short", "HEAD"]).stdout.strip()
        dirty = _run_text(["git", "status", "--porcelain", "--", str(package)]).stdout.strip()
    except OSError:
        return str(package)
    return f"{package} @ {commit or '?'}" + (", with uncommitted changes" if dirty else "")


def ensure_schema(schema: Path, nexrl: NexrlTool) -> Path:
    if schema.is_file():
        return schema
    if nexrl.base is None:
        raise BenchError(f"JSON Schema {schema} not found (pass --schema PATH)")
    schema.parent.mkdir(parents=True, exist_ok=True)
    cmd = [*nexrl.base, "schema", "--output", str(schema)]
    print(f"Generating the schema: {shlex.join(cmd)}", flush=True)
    done = _run_text(cmd)
    if done.returncode != 0 or not schema.is_file():
        raise BenchError(f"{shlex.join(cmd)} failed:\n{done.stdout}{done.stderr}")
    return schema


# --------------------------------------------------------------------------- measuring


@dataclass
class Run:
    tool: str
    size: int
    index: int  # 0 is the warm-up
    wall_s: float
    maxrss_kb: int
    user_s: float
    sys_s: float
    exit_code: int


def run_child(cmd: Sequence[str], log_stem: Path) -> tuple[float, int, float, float, int]:
    """Run `cmd` once; return wall seconds, peak RSS KB, user s, sys s, exit code."""
    with (
        open(log_stem.with_suffix(".out"), "wb") as out,
        open(log_stem.with_suffix(".err"), "wb") as err,
    ):
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd), stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=REPO
        )
        timer = threading.Timer(CHILD_TIMEOUT_S, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code  # reaped by wait4: keep Popen from waiting again
    return wall, usage.ru_maxrss, usage.ru_utime, usage.ru_stime, code


def measure(tool: str, cmd: Sequence[str], size: int, index: int, log_stem: Path) -> Run:
    wall, rss, user, sys_s, code = run_child(cmd, log_stem)
    stderr = log_stem.with_suffix(".err").read_text(encoding="utf-8", errors="replace")
    if code not in (0, 1) or "Traceback (most recent call last)" in stderr:
        tail = "\n".join(stderr.splitlines()[-25:])
        raise BenchError(
            f"{tool} failed (exit {code}) on {size} files; "
            f"logs: {log_stem.relative_to(REPO)}.out/.err\n{tail}"
        )
    return Run(tool, size, index, wall, rss, user, sys_s, code)


@dataclass
class SizeResult:
    size: int
    broken: int
    argv_files: dict[str, int]
    runs: list[Run] = field(default_factory=list)

    def counted(self, tool: str) -> list[Run]:
        return [r for r in self.runs if r.tool == tool and r.index > 0]

    def median_wall(self, tool: str) -> float:
        return statistics.median(r.wall_s for r in self.counted(tool))

    def median_rss_mb(self, tool: str) -> float:
        return statistics.median(r.maxrss_kb for r in self.counted(tool)) / 1024

    def exit_codes(self, tool: str) -> list[int]:
        return sorted({r.exit_code for r in self.runs if r.tool == tool})


def bench_size(
    size: int,
    seed: int,
    commands: dict[str, list[str]],
    cjs_files: str,
    runs: int,
) -> SizeResult:
    root = CORPUS / f"size-{size}"
    chosen = ensure_corpus(root, seed, size)
    entries = [str(c.entry_path(root).relative_to(REPO)) for c in chosen]
    cjs_list = list(entries)
    if cjs_files == "all":
        cjs_list += [str(c.common_path(root).relative_to(REPO)) for c in chosen]
    argv = {NEXRL: [*commands[NEXRL], *entries], CJS: [*commands[CJS], *cjs_list]}
    result = SizeResult(
        size=size,
        broken=sum(c.defect is not None for c in chosen),
        argv_files={NEXRL: len(entries), CJS: len(cjs_list)},
    )
    LOGS.mkdir(parents=True, exist_ok=True)
    for index in range(runs + 1):
        label = "warm-up" if index == 0 else f"run {index}/{runs}"
        for tool in TOOLS:
            stem = LOGS / f"{tool}-{size}"
            run = measure(tool, argv[tool], size, index, stem)
            result.runs.append(run)
            print(
                f"  {size:>5} files  {label:<9} {tool:<16} {run.wall_s:8.3f} s "
                f"{run.maxrss_kb / 1024:7.1f} MB  exit {run.exit_code}",
                flush=True,
            )
    return result


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class Target:
    label: str
    limit: float
    value: float | None

    @property
    def verdict(self) -> str:
        if self.value is None:
            return "n/a"
        return "PASS" if self.value <= self.limit else "FAIL"


def _by_size(results: Sequence[SizeResult], size: int) -> SizeResult | None:
    return next((r for r in results if r.size == size), None)


def _growth(results: Sequence[SizeResult]) -> float | None:
    small, large = _by_size(results, 200), _by_size(results, 2000)
    if small is None or large is None:
        return None
    return large.median_wall(NEXRL) / small.median_wall(NEXRL)


def targets(results: Sequence[SizeResult]) -> list[Target]:
    def time_ratio(size: int) -> float | None:
        r = _by_size(results, size)
        return None if r is None else r.median_wall(NEXRL) / r.median_wall(CJS)

    memory = [r.median_rss_mb(NEXRL) / r.median_rss_mb(CJS) for r in results]
    return [
        Target("1 file cold: time nexrl-cfg / check-jsonschema", 0.6, time_ratio(1)),
        Target("200 files: time nexrl-cfg / check-jsonschema", 0.5, time_ratio(200)),
        Target(
            "peak memory nexrl-cfg / check-jsonschema (worst size)", 1.0, max(memory, default=None)
        ),
        Target("growth: nexrl-cfg time(2000) / time(200)", 11.0, _growth(results)),
    ]


def machine_info() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        date = _run_text(["date", "-u"]).stdout.strip()
    except OSError:
        date = ""
    try:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    return {
        "date": date or datetime.now(timezone.utc).strftime("%a %b %d %H:%M:%S UTC %Y"),
        "loadavg": load,
        "arch": platform.machine(),
        "cpu": cpu,
        "cores": str(os.cpu_count() or "?"),
        "python": platform.python_version(),
    }


def _rate(files: int, seconds: float) -> str:
    rate = files / seconds
    return f"{rate:,.1f}" if rate < 100 else f"{rate:,.0f}"


def sanity_notes(results: Sequence[SizeResult]) -> list[str]:
    """Exit codes that do not fit the corpus: worth a look before trusting the timings."""
    notes = []
    for r in results:
        codes = r.exit_codes(NEXRL)
        if r.broken and 1 not in codes:
            notes.append(f"{r.size} files: {r.broken} broken cases but nexrl-cfg exited {codes}")
        if not r.broken and 1 in codes:
            notes.append(f"{r.size} files: no broken case but nexrl-cfg exited 1 (see logs)")
    return notes


def render(
    info: dict[str, str],
    versions: dict[str, str],
    commands: dict[str, list[str]],
    cjs_files: str,
    runs: int,
    seed: int,
    results: Sequence[SizeResult],
    overridden: bool,
) -> str:
    shown = {t: shlex.join(c) for t, c in commands.items()}
    lines = [
        "# nexrl-cfg vs check-jsonschema",
        "",
    ]
    if overridden:
        lines += ["**Harness test: nexrl-cfg replaced by `--nexrl-cmd`.**", ""]
    lines += [
        f"{info['date']} · {info['arch']}, {info['cpu']}, {info['cores']} cores · "
        f"Python {info['python']} · nexrl-cfg {versions[NEXRL]} · "
        f"check-jsonschema {versions[CJS]} · load average at start {info['loadavg']}",
        "",
        f"- nexrl-cfg: `{shown[NEXRL]} ENTRY...`",
        f"- check-jsonschema: `{shown[CJS]} "
        + ("ENTRY..." if cjs_files == "entry" else "ENTRY COMMON ...")
        + "`",
        f"- {runs} runs per size after 1 warm-up each, interleaved, fresh process each;"
        " medians shown. Size = entry files (cases); files/s counts entry files.",
        f"- corpus: `{CORPUS.relative_to(REPO)}/size-N`, seed {seed},"
        f" generator v{GENERATOR_VERSION}; logs of the last run of each tool and size: "
        f"`{LOGS.relative_to(REPO)}/`",
        "",
        "| entry files | broken | nexrl-cfg s | check-jsonschema s | time ratio "
        "| nexrl-cfg files/s | check-jsonschema files/s | nexrl-cfg MB | check-jsonschema MB "
        "| memory ratio | exit codes |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for r in results:
        wall = {t: r.median_wall(t) for t in TOOLS}
        rss = {t: r.median_rss_mb(t) for t in TOOLS}
        codes = " / ".join(",".join(map(str, r.exit_codes(t))) for t in TOOLS)
        lines.append(
            f"| {r.size} | {r.broken} | {wall[NEXRL]:.3f} | {wall[CJS]:.3f} "
            f"| {wall[NEXRL] / wall[CJS]:.2f}x | {_rate(r.size, wall[NEXRL])} "
            f"| {_rate(r.size, wall[CJS])} | {rss[NEXRL]:.1f} | {rss[CJS]:.1f} "
            f"| {rss[NEXRL] / rss[CJS]:.2f}x | {codes} |"
        )
    growth = _growth(results)
    lines += [
        "",
        "Growth: nexrl-cfg time(2000) / time(200) = "
        + ("n/a (needs sizes 200 and 2000)" if growth is None else f"{growth:.2f}x")
        + " (target <= 11x)",
        "",
        "| target | measured | limit | result |",
        "|---|---:|---:|:---:|",
    ]
    for t in targets(results):
        value = "n/a" if t.value is None else f"{t.value:.2f}x"
        lines.append(f"| {t.label} | {value} | <= {t.limit:g}x | {t.verdict} |")
    notes = sanity_notes(results)
    if notes:
        lines += ["", "Warnings:", *(f"- {note}" for note in notes)]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- main


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"bad --sizes {text!r}: {exc}") from exc
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("--sizes needs positive integers, e.g. 1,200,2000")
    return sizes


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark nexrl-cfg against check-jsonschema.",
        epilog="See the module docstring of bench/run.py for what is measured.",
    )
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=list(DEFAULT_SIZES),
        help="comma-separated entry-file counts (default: 1,200,2000)",
    )
    parser.add_argument("--runs", type=int, help=f"counted runs per size (default {DEFAULT_RUNS})")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_RUNS} runs per size")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="corpus seed")
    parser.add_argument(
        "--nexrl-args", default="", help='extra nexrl-cfg arguments after "check", e.g. "--quiet"'
    )
    parser.add_argument(
        "--nexrl-cmd",
        help='replace "nexrl-cfg check" (the command before the files), for testing the harness',
    )
    parser.add_argument(
        "--schema",
        type=Path,
        default=DEFAULT_SCHEMA,
        help="JSON Schema for check-jsonschema (default: the one in nexrl_cfg/schemas/)",
    )
    parser.add_argument(
        "--cjs-files",
        choices=("all", "entry"),
        default="all",
        help="files given to check-jsonschema: entry + common.yaml (default) or entry only",
    )
    args = parser.parse_args(argv)
    if args.runs is None:
        args.runs = QUICK_RUNS if args.quick else DEFAULT_RUNS
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    info = machine_info()  # before the runs: the load average shows what else was running
    try:
        cjs_exe, cjs_version = ensure_check_jsonschema()
        nexrl = find_nexrl(args.nexrl_cmd, shlex.split(args.nexrl_args))
        compile_package()
        schema = ensure_schema(args.schema.resolve(), nexrl)
        commands = {
            NEXRL: nexrl.check,
            CJS: [str(cjs_exe), "--schemafile", str(schema)],
        }
        versions = {NEXRL: nexrl.version, CJS: cjs_version}
        print(f"nexrl-cfg:        {shlex.join(nexrl.check)}", flush=True)
        print(f"check-jsonschema: {shlex.join(commands[CJS])}", flush=True)
        results = [
            bench_size(size, args.seed, commands, args.cjs_files, args.runs) for size in args.sizes
        ]
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    table = render(
        info,
        versions,
        commands,
        args.cjs_files,
        args.runs,
        args.seed,
        results,
        nexrl.overridden,
    )
    print()
    print(table, end="")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.md").write_text(table, encoding="utf-8")
    raw = {
        "machine": info,
        "versions": versions,
        "commands": {t: shlex.join(c) for t, c in commands.items()},
        "nexrl_overridden": nexrl.overridden,
        "cjs_files": args.cjs_files,
        "runs_per_size": args.runs,
        "corpus": {
            "path": str(CORPUS.relative_to(REPO)),
            "seed": args.seed,
            "generator": GENERATOR_VERSION,
            "broken_fraction": BROKEN_FRACTION,
        },
        "sizes": [
            {
                "size": r.size,
                "broken": r.broken,
                "argv_files": r.argv_files,
                "median_wall_s": {t: r.median_wall(t) for t in TOOLS},
                "median_maxrss_mb": {t: r.median_rss_mb(t) for t in TOOLS},
                "min_wall_s": {t: min(x.wall_s for x in r.counted(t)) for t in TOOLS},
                "max_wall_s": {t: max(x.wall_s for x in r.counted(t)) for t in TOOLS},
                "runs": [asdict(run) for run in r.runs],
            }
            for r in results
        ],
        "warnings": sanity_notes(results),
        "targets": [
            {"label": t.label, "limit": t.limit, "value": t.value, "result": t.verdict}
            for t in targets(results)
        ],
    }
    (RESULTS / "latest.json").write_text(json.dumps(raw, indent=2) + "\n", encoding="utf-8")
    print(f"\nWrote {RESULTS.relative_to(REPO)}/latest.md and latest.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
