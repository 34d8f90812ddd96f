"""Train and inference `model_tag` must be equal.

## What it does
Compares `service.train_service.model_tag` with `service.inference_service.model_tag`
(both default to "default"; `identifier`, the newer name, counts as well). In the nested
layout the actor service's tag (`service.train_service.<name>`, `role: actor`) is compared.
Both sides giving the same `model_tag` is accepted even when their `identifier`s differ:
NexRL versions from before `identifier` compared `model_tag` alone.

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
from ..finding import Report, Severity
from ..layout import INFERENCE, TRAIN
from ..lint import actor_service, blame, differ, section_present

SEVERITY = Severity.ERROR
SUMMARY = "Train and inference model_tag must be equal"
STAGE = "lint"


def _tag(cfg: Config, section: str) -> tuple[str, object]:
    for name in ("identifier", "model_tag"):
        if cfg.has(f"{section}.{name}"):
            return f"{section}.{name}", cfg.get(f"{section}.{name}")
    return f"{section}.model_tag", "default"


def _same_model_tag(cfg: Config, train: str) -> bool:
    tags = [cfg.get(f"{section}.model_tag", None) for section in (train, INFERENCE)]
    return tags[0] is not None and tags[0] == tags[1]


def check(cfg: Config) -> Iterator[Report]:
    train = actor_service(cfg)
    if not section_present(cfg, INFERENCE) or train is None:
        return
    if train != TRAIN and not any(cfg.has(f"{train}.{n}") for n in ("identifier", "model_tag")):
        return  # a named actor service without a tag: NexRL does not compare
    infer_key, infer_tag = _tag(cfg, INFERENCE)
    train_key, train_tag = _tag(cfg, train)
    if not differ(infer_tag, train_tag):
        return
    if _same_model_tag(cfg, train):
        return  # NexRL versions before `identifier` compared model_tag alone
    at = blame(cfg, train_key, infer_key)
    yield cfg.report(
        f"{train_key} ({cfg.show(train_key) if cfg.has(train_key) else 'default'}) differs "
        f"from {infer_key} ({cfg.show(infer_key) if cfg.has(infer_key) else 'default'}); "
        "NexRL asserts the actor's tag matches the inference service's",
        at,
        "Use the same model_tag in both services.",
    )
