"""`weight.sync_method` must be one the inference backend supports.

## What it does
Checks `weight.sync_method` against `service.inference_service.backend` for a self-hosted
run: `disk` works with `sglang` only, `network` with `sglang` or `vllm`. Runs on Tinker or
Weaver are left to `remote-backend`; `mock` works with any backend.

## Why is this bad?
NexRL synchronises the initial weights to the inference service at start-up, and the weight
sync controller raises "Unsupported backend: ..." for any other pair.

## Example
```yaml
weight:
  sync_method: "disk"
service:
  inference_service:
    backend: vllm
```

## Use instead
```yaml
weight:
  sync_method: "network"
service:
  inference_service:
    backend: vllm
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ..layout import INFERENCE
from ..nexrl import OPENAI_CLIENT_BACKENDS
from ._services import uses_remote
from ._values import blame, where

SEVERITY = Severity.ERROR
SUMMARY = "weight.sync_method must be supported by the inference backend"
STAGE = "lint"
NEXRL = "nexrl/weight_sync/weight_sync_controller.py"

SYNC = "weight.sync_method"
BACKEND = f"{INFERENCE}.backend"
# The inference backends each sync method can update.
SUPPORTED = {"disk": ("sglang",), "network": ("sglang", "vllm")}


def check(cfg: Config) -> Iterator[Report]:
    method, backend = cfg.get(SYNC, None), cfg.get(BACKEND, None)
    if not (isinstance(method, str) and isinstance(backend, str)):
        return  # unknown, or a type problem reported by invalid-type
    if method not in SUPPORTED or backend not in OPENAI_CLIENT_BACKENDS:
        return
    if backend in SUPPORTED[method] or uses_remote(cfg):
        return
    key = blame(cfg, SYNC, BACKEND)
    other = BACKEND if key == SYNC else SYNC
    fits = [m for m, backends in SUPPORTED.items() if backend in backends]
    yield cfg.report(
        f"weight.sync_method {cfg.show(SYNC)} cannot update backend {cfg.show(BACKEND)} "
        f"({other.rsplit('.', 1)[-1]} at {where(cfg, other)}): NexRL's weight sync raises "
        '"Unsupported backend" at the first sync, at start-up',
        key,
        f"Use sync_method {' or '.join(repr(m) for m in fits)} with this backend."
        if fits
        else "This backend cannot receive weights; use `sync_method: mock`.",
    )
