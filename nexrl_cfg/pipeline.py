"""The stages of one config, after reading and composing (`compose`): resolve, then validate
and lint; `check` runs them file by file and `report/` shows what they find.

`prepare` is the path `check` and `resolve` share: a composed config, resolved, as a `Config`.
`run_rules` runs the rules of the validate and lint stages over it (see `rules/`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .compose import Composed
from .config import Config
from .finding import Finding
from .resolve import resolve
from .rules import run
from .rules.interpolation_error import ID as INTERPOLATION_ERROR
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


def run_rules(
    cfg: Config, files: Files | None = None, earlier: Sequence[Finding] = ()
) -> list[Finding]:
    """Stages 4 and 5: the validate rules and, for a whole config (not a fragment, which
    lacks what the configs that include it add), the lint rules. Given `files`, the findings
    carry their fixes (see `rules.run`).

    `earlier` (the findings of composing and resolving) come first, less each reference to a
    missing key that a rule's finding accounts for (`${data.seed}` where `data.seed` is
    reported missing, or misspelt): one mistake, one finding."""
    stages = ("validate", "lint") if cfg.mode == "entry" else ("validate",)
    found = run(stages, cfg, files)
    kept = [f for f in earlier if not _refers_to(cfg, f, found.missing)]
    return [*kept, *found.findings]


def _refers_to(cfg: Config, finding: Finding, missing: frozenset[str]) -> bool:
    """Whether `finding` is an interpolation that fails on one of the `missing` keys."""
    if finding.rule != INTERPOLATION_ERROR or not missing:
        return False
    raw = cfg.raw(finding.key)
    return isinstance(raw, str) and any(f"${{{key}}}" in raw for key in missing)
