"""The actor's `model.path` must not end with `/` nor be an `hdfs://` path.

## What it does
For the actor (and, for `self_hosted_opd`, the teacher) of a self-hosted run, checks
`actor.model.path`: NexTrainer refuses a path whose last character is `/`, and paths on HDFS.
A path waiting on an unset variable is judged by its written text only
(`${oc.env:MODEL_PATH}/` certainly ends with `/`).

## Why is this bad?
NexTrainer asserts "Make sure the last char in src is not / because it will cause error"
and raises "HDFS paths not supported in NexTrainer" when it loads the model, before the first
training step.

## Example
```yaml
service:
  train_service:
    main_actor:
      actor:
        model:
          path: "/models/Qwen3-8B/"
```

## Use instead
The same path without the final `/`:
```yaml
# service.train_service.main_actor.actor.model
path: "/models/Qwen3-8B"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ._services import certain_head, certain_tail, fsdp_services

SEVERITY = Severity.ERROR
SUMMARY = "The actor's model.path must not end with / nor be on HDFS"
STAGE = "lint"
NEXRL = "nexrl/train_service_backend/utils/model_utils.py"


def check(cfg: Config) -> Iterator[Report]:
    for service in fsdp_services(cfg):
        key = f"{service}.actor.model.path"
        value = cfg.get(key, None)
        tail, head = certain_tail(value), certain_head(value)
        if tail is not None and tail.endswith("/"):
            yield cfg.report(
                f"model.path {cfg.show(key)} ends with '/': NexTrainer asserts its last "
                "character is not '/'",
                key,
                "Remove the trailing '/'.",
            )
        elif head is not None and head.startswith("hdfs://"):
            yield cfg.report(
                f"model.path {cfg.show(key)} is on HDFS: NexTrainer loads local paths only",
                key,
                "Copy the model to a local or mounted path and use that.",
            )
