"""The inference client loads a tokenizer: `tokenizer` must name one, or NexRL loads `model`.

## What it does
Where the rollout workers build NexRL's OpenAI-compatible client (backends `sglang`, `vllm`
and `openai`, with `rollout_worker.need_llm_inference: true`):

- an error when `service.inference_service.tokenizer` is null or empty;
- a warning when it is not set on the self-hosted `sglang` and `vllm` backends. (The `openai`
  backend goes through the same client, but an external API's model name is often a Hugging
  Face id, so it is left alone.)

The Tinker and Weaver backends load their tokenizer from the base model when it is null.

## Why is this bad?
NexRL's client reads `config.inference_service.get("tokenizer", model)`: a key written as null
gives None, not the model, and `AutoTokenizer.from_pretrained(None)` (or `("")`) fails when
NexRL builds the rollout workers, at start-up. Without the key the client loads the tokenizer
named by `model`: for a self-hosted server the name the launcher serves the model under
(`nexrl-rollout-math`), which is not a tokenizer on disk or on the Hugging Face hub.

## Example
```yaml
service:
  inference_service:
    backend: sglang
    model: "nexrl-rollout-math"
    tokenizer: null
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
from ..layout import INFERENCE, ROLLOUT
from ..nexrl import INFERENCE_SERVERS, OPENAI_CLIENT_BACKENDS
from ._values import at_tag, known, section_present

SEVERITY = Severity.ERROR
SUMMARY = "The inference client's tokenizer must be named (null fails, absent loads `model`)"
STAGE = "lint"
NEXRL = (
    "nexrl/inference_service_client/openai_inference_service_client.py@v1.0.0:57-58, "
    "@v1.2.0:112-113, @v1.3.0:120-121, @v1.4.0:120-121 "
    '(config.inference_service.get("tokenizer", config.inference_service.model))'
)

TOKENIZER, MODEL = f"{INFERENCE}.tokenizer", f"{INFERENCE}.model"
# Where the client reads it, for each of VERSIONS.
LINES = ("57-58", "57-58", "112-113", "120-121", "120-121")


def check(cfg: Config) -> Iterator[Report]:
    if not section_present(cfg, INFERENCE):
        return
    backend = cfg.get(f"{INFERENCE}.backend", None)
    if backend not in OPENAI_CLIENT_BACKENDS:
        return
    if cfg.get(f"{ROLLOUT}.need_llm_inference", None) is not True:
        return  # no client is built
    where = (
        "nexrl/inference_service_client/openai_inference_service_client.py:"
        f"{at_tag(cfg.version, LINES)}"
    )
    if cfg.has(TOKENIZER):
        value = cfg.get(TOKENIZER)
        if not known(value) or not (
            value is None or (isinstance(value, str) and not value.strip())
        ):
            return
        yield cfg.report(
            f"tokenizer is {cfg.show(TOKENIZER)}: NexRL's inference client reads "
            f"`get('tokenizer', model)`, which gives this value, not the model, and loading a "
            f"tokenizer from it fails when NexRL builds the rollout workers ({where})",
            TOKENIZER,
            "Set tokenizer to the model's tokenizer, e.g. `${data.tokenizer_path}`.",
        )
        return
    if backend not in INFERENCE_SERVERS:
        return
    model = f"model {cfg.show(MODEL)}" if cfg.has(MODEL) else "model (not set)"
    yield cfg.report(
        f"tokenizer is not set: NexRL's inference client then loads the tokenizer named by "
        f"{model}, the served model's name ({where})",
        INFERENCE,
        "Set tokenizer to the model's path, e.g. `${data.tokenizer_path}`.",
        at="key",
        severity=Severity.WARNING,
    )


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
