"""`weight_type` must match the inference `backend`.

## What it does
Warns when `service.inference_service.weight_type` does not match `backend`: `sglang` loads
`sglang_nckpt`, `vllm` loads `vllm_ckpt`; and when a weight type is set on an `openai`
backend (an external API, which cannot load weights). The Tinker and Weaver backends take
`weight_type: ""`.

## Why is this bad?
NexRL itself accepts any pair: it hands `weight_type` to the inference engine with each
`network` weight sync (`disk` sync does not use it). An engine asked to load the other
engine's format fails at that sync; a mismatch is at best a copy-paste leftover.

## Example
```yaml
service:
  inference_service:
    backend: vllm
    weight_type: "sglang_nckpt"
```

## Use instead
```yaml
service:
  inference_service:
    backend: vllm
    weight_type: "vllm_ckpt"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ..layout import INFERENCE
from ._values import known

SEVERITY = Severity.WARNING
SUMMARY = "weight_type should match the inference backend"
STAGE = "lint"
NEXRL = "nexrl/weight_sync/weight_sync_controller.py"

EXPECTED = {"sglang": "sglang_nckpt", "vllm": "vllm_ckpt"}


def _choices(cfg: Config) -> tuple[object, ...]:
    opt = cfg.catalogue.option(f"{INFERENCE}.weight_type")
    return opt.choices if opt is not None else ()


def check(cfg: Config) -> Iterator[Report]:
    key = f"{INFERENCE}.weight_type"
    if not cfg.has(key):
        return
    weight_type = cfg.get(key)
    backend = cfg.get(f"{INFERENCE}.backend")
    if not known(weight_type, backend) or weight_type in (None, ""):
        return
    if weight_type not in _choices(cfg):
        return  # reported by invalid-choice
    expected = EXPECTED.get(backend) if isinstance(backend, str) else None
    if expected is not None and weight_type != expected:
        yield cfg.report(
            f"weight_type {cfg.show(key)} does not match backend "
            f"{cfg.show(f'{INFERENCE}.backend')}, "
            f"which loads '{expected}' (NexRL passes it to the engine with network weight sync)",
            key,
            f'Use `weight_type: "{expected}"`.',
        )
    elif backend == "openai":
        yield cfg.report(
            f"weight_type {cfg.show(key)} on an openai backend: an external API cannot "
            "load synchronised weights",
            key,
            "Remove weight_type, and set freeze_for_weight_sync: false.",
        )
