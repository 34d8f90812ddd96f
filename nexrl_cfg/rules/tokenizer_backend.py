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

from .. import catalogue
from ..config import Config
from ..finding import Finding, Severity
from ..lint import INFERENCE, known

ID = "tokenizer-backend"
SEVERITY = Severity.WARNING
SUMMARY = "tokenizer is used by the SGLang backend only"
STAGE = "lint"


def _backends() -> tuple[object, ...]:
    opt = catalogue.option(f"{INFERENCE}.backend")
    return opt.choices if opt is not None else ()


def check(cfg: Config) -> Iterator[Finding]:
    key = f"{INFERENCE}.tokenizer"
    if not cfg.has(key) or cfg.raw(key) in (None, ""):
        return
    backend = cfg.get(f"{INFERENCE}.backend")
    if not known(backend) or backend == "sglang" or backend not in _backends():
        return  # an unknown backend is reported by invalid-choice
    yield cfg.finding(
        ID,
        SEVERITY,
        f"tokenizer is set, but backend {cfg.show(f'{INFERENCE}.backend')} does not use it "
        "(SGLang only)",
        key,
        "Remove tokenizer, or set it to null.",
    )
