"""Before NexRL 1.2, a training service's identifier must name a GPU worker group.

## What it does
For a self-hosted run written for the `nexrl` launcher of NexRL 1.0 or 1.1 (one with a
`resource.train` section), checks that `service.train_service.identifier`, when set, is one of
the keys of `resource.train`: the launcher starts one GPU worker group per key and names it
after the key.

## Why is this bad?
NexRL's training client asks the API server for the worker group of its identifier when it
loads the model; for any other name the API server answers "Worker group '...' not found"
(404) and the run stops at start-up. Without an identifier the client uses the only group.
From NexRL 1.2 the launcher names the groups after the services' identifiers, so they agree.

## Example
```yaml
resource:
  train:
    actor-1:
      world_size: 1
service:
  train_service:
    identifier: "default"
```

## Use instead
Name the worker group the launcher starts:
```yaml
# service.train_service
identifier: "actor-1"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ..layout import TRAIN
from ..nexrl import NAMED_SERVICES
from ._services import fsdp_services
from ._values import where

SEVERITY = Severity.ERROR
SUMMARY = "Before NexRL 1.2 a training service's identifier must name a GPU worker group"
STAGE = "lint"
UNTIL = NAMED_SERVICES
NEXRL = (
    "cli/self_hosted/run.py:326-340@v1.0.0 and run_gpu_worker.sh (a group per resource.train "
    "key); nexrl/train_service_backend/api/client.py:171@v1.0.0 (init_model asks for the "
    "identifier's group); nexrl/train_service_backend/api/api_server.py get_coordinator (404)"
)

GROUPS = "resource.train"


def check(cfg: Config) -> Iterator[Report]:
    key = f"{TRAIN}.identifier"
    groups, identifier = cfg.raw(GROUPS), cfg.get(key, None)
    if TRAIN not in fsdp_services(cfg) or not isinstance(groups, dict) or not groups:
        return
    if not isinstance(identifier, str) or not identifier or identifier in groups:
        return
    names = ", ".join(f'"{name}"' for name in groups)
    yield cfg.report(
        f"identifier {cfg.show(key)} names no GPU worker group: the launcher names them after "
        f"the keys of resource.train ({names}, {where(cfg, GROUPS)}), and NexRL {cfg.version} "
        "asks the API server for this one when it loads the model (404 at start-up)",
        key,
        f'Use `identifier: "{next(iter(groups))}"`, or remove it (the only group is then used).',
    )
