"""The path `check` and `resolve` share: a composed config, resolved, as a `Config`."""

from __future__ import annotations

from collections.abc import Mapping

from .compose import Composed
from .config import Config
from .finding import Finding
from .resolve import resolve
from .rules.interpolation_error import cycles_read


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
