"""The rules: one module each, its docstring the user documentation.

A rule module defines `ID` (stable, used by --select/--ignore, suppressions and `explain`),
`SEVERITY` (the default), `SUMMARY` (one line), `STAGE` (where it runs) and, for the validate
and lint stages, `check(cfg) -> Iterator[Finding]`. Rules of the read, compose and resolve
stages are reported by those stages; their modules document them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ..finding import Finding, Severity

if TYPE_CHECKING:
    from ..config import Config

# Module names, in the order rules run and are listed.
MODULES = (
    # read
    "yaml_syntax",
    "encoding",
    "duplicate_key",
    "invalid_key",
    "yaml_tag",
    "too_complex",
    "not_a_config",
    # compose and resolve
    "defaults",
    "interpolation_error",
    "env_unset",
    # validate: the documented options
    "invalid_type",
    "out_of_range",
    "invalid_choice",
    "missing_required",
    "unknown_key",
    # lint: how options fit together
    "max_tokens_match",
    "model_tag_match",
    "batch_ready_order",
    "sync_mode_order",
    "batch_size_pool",
    "sync_weight_path",
    "remote_backend",
    "weight_provider",
    "weight_type_backend",
    "micro_batch_size",
    "tokenizer_backend",
    "freeze_weight_sync",
    "train_backend",
    "api_key_literal",
    "api_key_hosted",
    # tool
    "not_nexrl",
    "unused_suppression",
    "internal_error",
)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str
    stage: str
    doc: str
    check: Callable[[Config], Iterator[Finding]] | None


def _load(name: str) -> Rule:
    module = importlib.import_module(f"{__name__}.{name}")
    return Rule(
        id=module.ID,
        severity=module.SEVERITY,
        summary=module.SUMMARY,
        stage=module.STAGE,
        doc=(module.__doc__ or "").strip(),
        check=getattr(module, "check", None),
    )


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    return tuple(_load(name) for name in MODULES)


def by_id() -> dict[str, Rule]:
    return {rule.id: rule for rule in all_rules()}


def for_stage(stage: str) -> list[Rule]:
    return [rule for rule in all_rules() if rule.stage == stage and rule.check is not None]
