"""Shared test helpers: run the pipeline on YAML text written to a temp folder."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path

from nexrl_cfg.check import Checker, Settings
from nexrl_cfg.finding import Finding


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


# The tests' configs are written in NexRL 1.0's shape (a flat train_service, model_tag);
# a test about another version names it.
VERSION = "1.0"


def check(
    path: Path, environ: Mapping[str, str] | None = None, **settings: object
) -> list[Finding]:
    env = {} if environ is None else dict(environ)
    settings.setdefault("nexrl_version", VERSION)
    return Checker(Settings(environ=env, **settings)).check_file(path).findings  # type: ignore[arg-type]


def rules(findings: list[Finding], severity: str | None = None) -> list[str]:
    return [f.rule for f in findings if severity is None or f.severity.value == severity]


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity.value == "error"]
