"""The rules: one module each, its docstring the user documentation.

The table below gives each rule its id (stable, used by --select/--ignore, suppressions and
`explain`) and its module. A module declares `SEVERITY` (the default), `SUMMARY` (one line),
`STAGE` (where it runs), optionally `VERSIONS` (the NexRL versions it applies to; all by
default) and `NEXRL` (the NexRL code it mirrors, shown by `explain`) and, for the validate
and lint stages, `check(cfg) -> Iterator[Report]`. The runner, not the rule, stamps each
report with the rule's id and severity. Rules of the read, compose and resolve stages are
reported by those stages; their modules document them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ..catalogue import VERSIONS
from ..finding import Finding, Report, Severity

if TYPE_CHECKING:
    from ..config import Config

# Module names, in the order rules run and are listed; a module's rule id is its name with
# dashes (`max_tokens_match` -> `max-tokens-match`).
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
    "deprecated",
    # lint: how options fit together
    "max_tokens_match",
    "model_tag_match",
    "max_sequence_length",
    "inference_identifier",
    "train_service_roles",
    "train_service_migration",
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
    "sync_method_backend",
    "fsdp_mesh",
    "model_path",
    "data_loader",
    "nexau_worker",
    "opd_teacher",
    "empty_url",
    "resume_path",
    "launcher",
    "api_key_literal",
    "api_key_hosted",
    # tool
    "not_nexrl",
    "unused_suppression",
    "internal_error",
)


IDS = tuple(name.replace("_", "-") for name in MODULES)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str
    stage: str
    doc: str
    check: Callable[[Config], Iterator[Report]] | None
    versions: tuple[str, ...] = VERSIONS
    # The NexRL code whose check the rule mirrors ("" for the tool's own advice).
    nexrl: str = ""

    def applies_to(self, version: str) -> bool:
        return version in self.versions


def _load(name: str) -> Rule:
    module = importlib.import_module(f"{__name__}.{name}")
    return Rule(
        id=name.replace("_", "-"),
        severity=module.SEVERITY,
        summary=module.SUMMARY,
        stage=module.STAGE,
        doc=(module.__doc__ or "").strip(),
        check=getattr(module, "check", None),
        versions=tuple(getattr(module, "VERSIONS", VERSIONS)),
        nexrl=getattr(module, "NEXRL", ""),
    )


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    return tuple(_load(name) for name in MODULES)


def by_id() -> dict[str, Rule]:
    return {rule.id: rule for rule in all_rules()}


def for_stage(stage: str, version: str) -> list[Rule]:
    return [
        rule
        for rule in all_rules()
        if rule.stage == stage and rule.check is not None and rule.applies_to(version)
    ]


def run(stage: str, cfg: Config) -> list[Finding]:
    """Run the rules of `stage` that apply to the config's NexRL version, each report
    stamped with its rule's id and severity."""
    findings: list[Finding] = []
    for rule in for_stage(stage, cfg.version):
        assert rule.check is not None
        findings.extend(report.stamp(rule.id, rule.severity) for report in rule.check(cfg))
    return findings
