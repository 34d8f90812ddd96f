"""`tokenizer` is read by the SGLang backend only.

## What it does
Warns when `service.inference_service.tokenizer` is set while `backend` is not `sglang`.
`tokenizer: null` is fine anywhere.

## Why is this bad?
Only the SGLang client tokenizes locally; for other backends the setting is ignored, which
usually means the config was copied from an SGLang one and something else was missed too.

## Example
```yaml
service:
  inference_service:
    backend: vllm
    tokenizer: "${oc.env:NEXRL_MODEL_PATH}/model"
```

## Use instead
```yaml
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
from ..lint import known

SEVERITY = Severity.WARNING
SUMMARY = "tokenizer is used by the SGLang backend only"
STAGE = "lint"


def _backends(cfg: Config) -> tuple[object, ...]:
    opt = cfg.catalogue.option(f"{INFERENCE}.backend")
    return opt.choices if opt is not None else ()


def check(cfg: Config) -> Iterator[Report]:
    key = f"{INFERENCE}.tokenizer"
    if not cfg.has(key) or cfg.raw(key) in (None, ""):
        return
    backend = cfg.get(f"{INFERENCE}.backend")
    if not known(backend) or backend == "sglang" or backend not in _backends(cfg):
        return  # an unknown backend is reported by invalid-choice
    yield cfg.report(
        f"tokenizer is set, but backend {cfg.show(f'{INFERENCE}.backend')} does not use it "
        "(SGLang only)",
        key,
        "Remove tokenizer, or set it to null.",
    )
