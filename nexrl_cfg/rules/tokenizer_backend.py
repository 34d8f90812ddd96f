"""A self-hosted inference service needs a `tokenizer`, or NexRL loads one named `model`.

## What it does
For the self-hosted `sglang` and `vllm` backends, warns when
`service.inference_service.tokenizer` is not set or null. (The `openai` backend goes through
the same client, but an external API's model name is often a Hugging Face id, so it is left
alone.)

## Why is this bad?
NexRL's OpenAI-compatible client loads its tokenizer from `tokenizer`, and without it from
`model`: for a self-hosted server the name the launcher serves the model under
(`nexrl-rollout-math`), which is not a tokenizer on disk or on the Hugging Face hub. Loading
it fails when NexRL builds the rollout workers.

## Example
```yaml
service:
  inference_service:
    backend: sglang
    model: "nexrl-rollout-math"
```

## Use instead
```yaml
service:
  inference_service:
    backend: sglang
    model: "nexrl-rollout-math"
    tokenizer: "${oc.env:NEXRL_MODEL_PATH}/Qwen/Qwen3-8B"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ..layout import INFERENCE
from ..nexrl import INFERENCE_SERVERS
from ._values import section_present

SEVERITY = Severity.WARNING
SUMMARY = "A self-hosted inference service should name its tokenizer"
STAGE = "lint"
NEXRL = "nexrl/inference_service_client/openai_inference_service_client.py"

TOKENIZER, MODEL = f"{INFERENCE}.tokenizer", f"{INFERENCE}.model"


def check(cfg: Config) -> Iterator[Report]:
    if not section_present(cfg, INFERENCE):
        return
    if cfg.get(f"{INFERENCE}.backend", None) not in INFERENCE_SERVERS:
        return
    if cfg.has(TOKENIZER) and cfg.raw(TOKENIZER) is not None:
        return
    model = f"model {cfg.show(MODEL)}" if cfg.has(MODEL) else "model (not set)"
    yield cfg.report(
        f"tokenizer is {'null' if cfg.has(TOKENIZER) else 'not set'}: NexRL's inference "
        f"client then loads the tokenizer named by {model}, the served model's name",
        TOKENIZER if cfg.has(TOKENIZER) else INFERENCE,
        "Set tokenizer to the model's path, e.g. `${data.tokenizer_path}`.",
        at="value" if cfg.has(TOKENIZER) else "key",
    )
