"""Stage 5, lint: the rules that look at how options fit together.

Each rule is a module in `rules/`; this stage runs the ones whose STAGE is "lint". Helpers
here let a rule read values without tripping over what cannot be known before launch.
"""

from __future__ import annotations

from typing import Any

from .config import ABSENT, Config
from .finding import Finding
from .resolve import Unknown

INFERENCE = "service.inference_service"
TRAIN = "service.train_service"
ACTOR = f"{TRAIN}.actor"


def known(*values: Any) -> bool:
    """True when every value is present and not waiting on an unset variable."""
    return all(v is not ABSENT and not isinstance(v, Unknown) for v in values)


def comparable(a: Any, b: Any) -> bool:
    """Whether `a == b` means something: both known, or both unknown (same expression)."""
    if a is ABSENT or b is ABSENT:
        return False
    return isinstance(a, Unknown) == isinstance(b, Unknown)


def section_present(cfg: Config, dotted: str) -> bool:
    return isinstance(cfg.get(dotted, None), dict)


def train_services(cfg: Config) -> list[str]:
    """Dotted paths of the training services: `service.train_service` itself, or each named
    service of the nested layout (`service.train_service.<name>`)."""
    from .validate import is_nested_train_service

    value = cfg.get(TRAIN, None)
    if not isinstance(value, dict):
        return []
    if is_nested_train_service(value):
        return [f"{TRAIN}.{name}" for name, sub in value.items() if isinstance(sub, dict)]
    return [TRAIN]


def lint(cfg: Config) -> list[Finding]:
    from .rules import for_stage

    findings: list[Finding] = []
    for rule in for_stage("lint"):
        assert rule.check is not None
        findings.extend(rule.check(cfg))
    return findings
