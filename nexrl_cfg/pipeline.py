"""The stages of one config, after reading and composing (`compose`): resolve, then validate
and lint; `check` runs them file by file and `report/` shows what they find.

`prepare` is the path `check` and `resolve` share: a composed config, resolved, as a `Config`.
`run_rules` runs the rules of the validate and lint stages over it (see `rules/`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .compose import Composed
from .config import Config
from .finding import Finding
from .resolve import resolve
from .rules import run
from .rules.interpolation_error import cycles_read

if TYPE_CHECKING:
    from .fix.library import Files


def prepare(
    composed: Composed, environ: Mapping[str, str] | None, version: str, mode: str = "entry"
) -> tuple[list[Finding], Config | None]:
    """The findings of composing and resolving, and the config to validate and lint (None
    when composition left nothing to check)."""
    findings = list(composed.findings)
    if not composed.ok or not isinstance(composed.data, dict):
        return findings, None
    resolved = resolve(composed, environ)
    cfg = Config(resolved, mode, version=version)
    findings.extend(cycles_read(cfg, resolved.findings))
    return findings, cfg


def run_rules(cfg: Config, files: Files | None = None) -> list[Finding]:
    """Stages 4 and 5: the validate rules and, for a whole config (not a fragment, which
    lacks what the configs that include it add), the lint rules. Given `files`, the findings
    carry their fixes (see `rules.run`)."""
    stages = ("validate", "lint") if cfg.mode == "entry" else ("validate",)
    return [finding for stage in stages for finding in run(stage, cfg, files)]
