"""A required option is missing.

## What it does
Checks that every option the reference marks as required is present in its section:
`base_url` (for the sglang, vllm and openai backends), `model` and `max_tokens` of the
inference service; `world_size` and `url` of an `http` training service; `model.path`;
`ppo_mini_batch_size` and `ppo_micro_batch_size` (or `micro_batch_size` for a cross-entropy
trainer); `optim.lr`. A requirement that depends on a value not known before launch (an
unset environment variable) is skipped.

## Why is this bad?
NexRL has no default for these: a missing one stops the run at start-up, or at the first
request to the service.

## Example
```yaml
service:
  train_service:
    backend: http
    world_size: 8
```

## Use instead
```yaml
service:
  train_service:
    backend: http
    world_size: 8
    url: "http://${oc.env:API_SERVER_URL}:8000"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..catalogue import Option
from ..config import Config
from ..finding import Report, Severity
from ..layout import TRAIN
from ..validate import is_required, sections

SEVERITY = Severity.ERROR
SUMMARY = "A required option is missing"
STAGE = "validate"


def check(cfg: Config) -> Iterator[Report]:
    if cfg.mode != "entry":
        return
    for section, entry in sections(cfg):
        if not isinstance(entry.value, dict):
            continue
        if entry.path == TRAIN and cfg.layout.nested:
            continue  # each named service is checked on its own
        for name, spec in cfg.catalogue.children(section.path).items():
            if not isinstance(spec, Option) or name in entry.value:
                continue
            if any(cfg.has(f"{entry.path}{alt}") for alt in spec.provided_by):
                continue
            if is_required(cfg, spec, entry.path):
                yield cfg.report(
                    f"'{entry.path.rsplit('.', 1)[-1]}' is missing the required option '{name}'",
                    f"{entry.path}.{name}",
                    f"Add `{name}:` under `{entry.path}` ({spec.description.rstrip('.')}).",
                    at="key",
                )
