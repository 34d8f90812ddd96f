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

from ..catalogue import Section
from ..config import Config
from ..finding import Report, Severity
from ..layout import TRAIN
from ._entries import lacks, need_words, read_here, sections

SEVERITY = Severity.ERROR
SUMMARY = "A required option is missing"
STAGE = "validate"


def check(cfg: Config) -> Iterator[Report]:
    if cfg.mode != "entry":
        return
    yield from _missing(cfg, "", cfg.data, "")
    for section, entry in sections(cfg):
        if not isinstance(entry.value, dict):
            continue
        if entry.path == TRAIN and cfg.layout.nested:
            continue  # each named service is checked on its own
        if all(name in entry.value for name, _ in cfg.catalogue.requirable(section.path)):
            continue  # asked first: most sections have all they may need
        if not read_here(cfg, entry.path):
            continue  # NexRL does not read this section on the config's path
        yield from _missing(cfg, section.path, entry.value, entry.path)


def _missing(cfg: Config, spec_path: str, value: dict[str, object], path: str) -> Iterator[Report]:
    """The required options and sections of the section at `path` that it lacks."""
    for name, spec in cfg.catalogue.requirable(spec_path):
        if name in value or not lacks(cfg, spec, path):
            continue
        key = f"{path}.{name}" if path else name
        kind = "section" if isinstance(spec, Section) else "option"
        owner = f"'{path.rsplit('.', 1)[-1]}'" if path else "The config"
        where = f"under `{path}`" if path else "at the top level"
        yield cfg.report(
            f"{owner} is missing the required {kind} '{name}'{need_words(spec)}",
            key,
            f"Add `{name}:` {where} ({spec.description.rstrip('.')}).",
            at="key",
        )
