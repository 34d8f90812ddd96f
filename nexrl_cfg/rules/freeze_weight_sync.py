"""`freeze_for_weight_sync` should fit the backend and the weight sync mode.

## What it does
Warns when `freeze_for_weight_sync` is true (set, or by default) on an `openai` backend,
and when it is false on a self-hosted backend whose weights are synchronised in `sync` mode
(`weight.sync_mode: sync`).

## Why is this bad?
From the reference: freezing "ensures consistent model weights across rollouts, prevents
mixed-version trajectories" and is "required for sync weight mode"; not freezing "allows
inference during sync, may use stale weights" and is "suitable for external services",
whose weights NexRL never changes.

## Example
```yaml
service:
  inference_service:
    backend: openai
    freeze_for_weight_sync: true
```

## Use instead
```yaml
service:
  inference_service:
    backend: openai
    freeze_for_weight_sync: false
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ..layout import INFERENCE
from ..nexrl import INFERENCE_SERVERS
from ._values import known, section_present

SEVERITY = Severity.WARNING
SUMMARY = "freeze_for_weight_sync should fit the backend and the weight sync mode"
STAGE = "lint"


def check(cfg: Config) -> Iterator[Report]:
    if not section_present(cfg, INFERENCE):
        return
    key = f"{INFERENCE}.freeze_for_weight_sync"
    freeze = cfg.get(key)
    backend = cfg.get(f"{INFERENCE}.backend")
    if not known(freeze, backend):
        return
    at = key if cfg.has(key) else INFERENCE
    if backend == "openai" and freeze is True:
        default = "" if cfg.has(key) else " (the default)"
        yield cfg.report(
            f"freeze_for_weight_sync is true{default} on an openai backend: an external "
            "service never receives weights, so freezing only blocks inference",
            at,
            "Set `freeze_for_weight_sync: false` for external services.",
            at="value" if cfg.has(key) else "key",
        )
    sync_mode = cfg.get("weight.sync_mode")
    if backend in INFERENCE_SERVERS and freeze is False and sync_mode == "sync":
        yield cfg.report(
            "freeze_for_weight_sync is false while weights are synchronised in sync mode: "
            "rollouts may mix weight versions",
            key,
            "Set `freeze_for_weight_sync: true`; it is required for sync weight mode.",
        )
