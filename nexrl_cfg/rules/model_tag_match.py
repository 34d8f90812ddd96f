"""Train and inference `model_tag` must be equal.

## What it does
Compares `service.train_service.model_tag` with `service.inference_service.model_tag`
(both default to "default"; `identifier`, the newer name, counts as well).

## Why is this bad?
NexRL pairs the trainer with the inference service by this tag to synchronise weights; it
asserts they match, so a mismatch stops the run at start-up.

## Example
```yaml
service:
  inference_service:
    model_tag: "policy"
  train_service:
    model_tag: "default"
```

## Use instead
```yaml
service:
  inference_service:
    model_tag: "policy"
  train_service:
    model_tag: "policy"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Finding, Severity
from ..lint import INFERENCE, TRAIN, comparable, section_present

ID = "model-tag-match"
SEVERITY = Severity.ERROR
SUMMARY = "Train and inference model_tag must be equal"
STAGE = "lint"


def _tag(cfg: Config, section: str) -> tuple[str, object]:
    for name in ("identifier", "model_tag"):
        if cfg.has(f"{section}.{name}"):
            return f"{section}.{name}", cfg.get(f"{section}.{name}")
    return f"{section}.model_tag", "default"


def check(cfg: Config) -> Iterator[Finding]:
    if not (section_present(cfg, INFERENCE) and section_present(cfg, TRAIN)):
        return
    if not cfg.has(f"{TRAIN}.backend") and not cfg.has(f"{TRAIN}.model_tag"):
        return  # a nested train_service: each group carries its own tag
    infer_key, infer_tag = _tag(cfg, INFERENCE)
    train_key, train_tag = _tag(cfg, TRAIN)
    if not comparable(infer_tag, train_tag) or infer_tag == train_tag:
        return
    at = train_key if cfg.has(train_key) else infer_key
    yield cfg.finding(
        ID,
        SEVERITY,
        f"train_service model_tag ({cfg.show(train_key) if cfg.has(train_key) else 'default'})"
        f" differs from inference_service model_tag "
        f"({cfg.show(infer_key) if cfg.has(infer_key) else 'default'})",
        at,
        "Use the same model_tag in both services.",
    )
