"""Shared test helpers: run the pipeline on YAML text written to a temp folder, and run the
command line in this process."""

from __future__ import annotations

import os
import signal
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from nexrl_cfg.check import Checker, Settings
from nexrl_cfg.finding import Finding

# libyaml's parser and emitter where PyYAML has them: the same data as `yaml.safe_load` and
# `yaml.safe_dump` give, read and written several times faster (the probes and mutation scans
# read and write NexRL's recipes hundreds of times).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load_yaml(text: str) -> Any:
    """`yaml.safe_load(text)`, by libyaml where it is there."""
    return yaml.load(text, Loader=_LOADER)


def dump_yaml(data: Any) -> str:
    """`yaml.safe_dump(data, sort_keys=False, allow_unicode=True)`, by libyaml where it is there."""
    return yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


# The tests' configs are written in NexRL 1.0's shape (a flat train_service, model_tag);
# a test about another version names it.
VERSION = "1.0"

# What a cluster exports: the values NexRL's recipes read from the environment.
CLUSTER = {
    "NEXRL_DATA_PATH": "/data",
    "NEXRL_MODEL_PATH": "/models",
    "EXPERIMENT_PATH": "/exp",
    "INFERENCE_BASE_URL": "http://inference:8000",
    "API_SERVER_URL": "trainer",
    "TINKER_API_KEY": "tk-test-key-0000000000",
    "WEAVER_API_KEY": "wv-test-key-0000000000",
    "FEISHU_WEBHOOK_URL": "https://hooks.example.com/x",
}

# The hardening tests' seed: a whole run (with its base.yaml) using every interpolation form.
HARDENING = Path(__file__).parent / "fixtures" / "hardening"
SEED = (HARDENING / "run.yaml").read_text(encoding="utf-8")


def seed(*edits: str) -> str:
    """The seed with pieces of its text replaced, each once: old, new, old, new, ..."""
    content = SEED
    for old, new in zip(edits[::2], edits[1::2], strict=True):
        assert old in content, old
        content = content.replace(old, new, 1)
    return content


def check(
    path: Path,
    environ: Mapping[str, str] | None = None,
    *,
    fixes: bool = False,
    **settings: object,
) -> list[Finding]:
    """The findings of the config at `path`; with `fixes`, each carries its fix."""
    env = {} if environ is None else dict(environ)
    settings.setdefault("nexrl_version", VERSION)
    checker = Checker(Settings(environ=env, **settings), fixes=fixes)  # type: ignore[arg-type]
    return checker.check_file(path).findings


def rules(findings: list[Finding], severity: str | None = None) -> list[str]:
    return [f.rule for f in findings if severity is None or f.severity.value == severity]


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity.value == "error"]


# -- the command line, in this process ---------------------------------------------------------


class Hung(BaseException):
    """A run that did not end within its guard (a BaseException: the CLI catches the rest)."""


@dataclass(frozen=True)
class Ran:
    """What a run of the command line gave, as a process would: exit code and the bytes of
    stdout and stderr."""

    returncode: int
    stdout: bytes
    stderr: bytes

    @property
    def out(self) -> str:
        return self.stdout.decode("utf-8", "replace")

    @property
    def err(self) -> str:
        return self.stderr.decode("utf-8", "replace")

    @property
    def text(self) -> str:
        return self.out + self.err


@contextmanager
def _guarded(seconds: float) -> Iterator[None]:
    """Raise Hung in the run after `seconds` (where the platform has interval timers)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise Hung(f"the run took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _inside(folder: Path | None) -> Iterator[None]:
    if folder is None:
        yield
        return
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def cli(
    args: Sequence[str],
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    drop: tuple[str, ...] = ("NEXRL_",),
    guard: float = 20,
    stdin: str | bytes | None = None,
) -> Ran:
    """`nexrl-cfg ARGS` run in this process as `python -m nexrl_cfg ARGS` runs in a child: in
    `cwd`, with the variables starting with `drop` unset and `env` set, NO_COLOR; it must end
    within `guard` seconds and end the way the program ends (an exit code, no exception)."""
    from typer.testing import CliRunner

    from nexrl_cfg.cli import app

    environ: dict[str, str | None] = {k: None for k in os.environ if k.startswith(drop)}
    environ.update(env or {})
    environ["NO_COLOR"] = "1"
    with _inside(cwd), _guarded(guard):
        result = CliRunner().invoke(
            app, list(args), input=stdin, env=environ, prog_name="nexrl-cfg"
        )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout_bytes, result.stderr_bytes)


def write_path_examples(count: int) -> Any:
    """Hypothesis settings for a property test of a write path: `count` examples (CI's share;
    more locally with a profile), no deadline (each example writes files), and the health
    checks for slow or large generated data off (a config is both)."""
    from hypothesis import HealthCheck, Phase, settings

    return settings(
        max_examples=count,
        deadline=None,
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
