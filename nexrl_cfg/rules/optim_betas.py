"""The actor optimiser's `betas` must be two numbers from 0 up to 1.

## What it does
For the services NexTrainer's workers run, checks `actor.optim.betas`, which NexTrainer hands
to torch's AdamW: a list of two numbers, each at least 0 and below 1.

## Why is this bad?
torch's AdamW raises "Invalid beta parameter at index 0/1" when the workers build the
optimiser at start-up; a list of another length fails there too (or, with three items, at the
first optimiser step).

## Example
```yaml
service:
  train_service:
    main_actor:
      actor:
        optim:
          betas: [0.9, 1.0]
```

## Use instead
Two numbers below 1:
```yaml
# service.train_service.main_actor.actor.optim
betas: [0.9, 0.999]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ..resolve import Unknown
from ._services import fsdp_services

SEVERITY = Severity.ERROR
SUMMARY = "The actor optimiser's betas must be two numbers from 0 up to 1"
STAGE = "lint"
NEXRL = (
    "nexrl/train_service_backend/fsdp_worker/fsdp_workers.py:337-342@v1.0.0, :336-341@v1.4.0 "
    "(torch.optim.AdamW(betas=optim.betas))"
)


def check(cfg: Config) -> Iterator[Report]:
    for service in fsdp_services(cfg):
        key = f"{service}.actor.optim.betas"
        betas = cfg.get(key, None)
        if not isinstance(betas, list) or any(isinstance(b, Unknown) for b in betas):
            continue  # not set, or invalid-type's
        if len(betas) != 2:
            yield cfg.report(
                f"betas has {len(betas)} items: AdamW takes two (beta1, beta2)",
                key,
                "Write two numbers: `betas: [0.9, 0.999]`.",
            )
            continue
        for index, beta in enumerate(betas):
            number = isinstance(beta, (int, float)) and not isinstance(beta, bool)
            if not number or not 0 <= beta < 1:  # the first bad one is what AdamW reports
                yield cfg.report(
                    f"betas item {index}, {cfg.show(f'{key}.{index}')}, is not a number from 0 "
                    "up to 1; "
                    "torch's AdamW raises \"Invalid beta parameter at index "
                    f'{index}" when the workers build the optimiser',
                    key,
                    "Use numbers at least 0 and below 1, such as [0.9, 0.999].",
                )
                break
