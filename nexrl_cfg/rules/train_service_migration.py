"""Legacy training-service settings NexRL cannot migrate (NexRL 1.2+).

## What it does
From NexRL 1.2 the older config shapes are migrated at start-up. Two cannot be, and are
reported:

- `backend` or `url` directly under `service.train_service` (the flat layout) beside a
  named service that has its own `backend` or `url`;
- a legacy `resource.train.<id>` section whose ids do not match a training service's
  `identifier` (or `model_tag`), when there are several services or several entries.

A value waiting on an unset variable is not judged.

## Why is this bad?
NexRL raises "Cannot auto-migrate: found 'backend' at both top-level and nested levels in
train_service" or "Cannot auto-migrate resource.train: identifier mismatch" before the
controller starts.

## Example
```yaml
resource:
  train:
    student:
      world_size: 1
    teacher:
      world_size: 1
service:
  train_service:
    main_actor:
      role: actor
      identifier: "default"
      backend: direct-zmq
```

## Use instead
```yaml
service:
  train_service:
    main_actor:
      role: actor
      identifier: "student"
      backend: direct-zmq
      resource:
        world_size: 1
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..config import ABSENT, Config
from ..finding import Report, Severity
from ..layout import TRAIN
from ..nexrl import FLAT_MARKERS, NAMED_SERVICES, is_flat, named_services
from ..resolve import Unknown
from ._startup import train_service, value, written_tags
from ._values import where

SEVERITY = Severity.ERROR
SUMMARY = "Legacy training-service settings NexRL cannot migrate"
STAGE = "lint"
SINCE = NAMED_SERVICES
NEXRL = "nexrl/utils/config_utils.py"

RESOURCES = "resource.train"


def check(cfg: Config) -> Iterator[Report]:
    train = train_service(cfg)
    if train is None:
        return
    mixed = _mixed(cfg, train)
    yield from mixed
    if not mixed:
        yield from _resource_ids(cfg, train)


def _mixed(cfg: Config, train: dict[str, Any]) -> list[Report]:
    if not is_flat(train):
        return []
    top = next(f"{TRAIN}.{m}" for m in FLAT_MARKERS if m in train)
    return [
        cfg.report(
            f"service.train_service has {top.rsplit('.', 1)[-1]} at the top level ({top} at "
            f"{where(cfg, top)}) and in the named service '{name}'; NexRL {cfg.version} "
            "cannot tell the flat layout from the named one and raises 'Cannot auto-migrate'",
            f"{TRAIN}.{name}",
            "Move the top-level backend, url and the rest into a named service with "
            "`role: actor`, or remove the named service.",
            at="key",
        )
        for name in named_services(train)
        if is_flat(train[name])
    ]


def _service_ids(cfg: Config, train: dict[str, Any]) -> list[tuple[str, Any]]:
    """(key, identifier) of each service after NexRL's migration: its `identifier` when
    written, else its `model_tag`; the service's own key and ABSENT when neither is."""
    sections = [TRAIN] if is_flat(train) else [f"{TRAIN}.{n}" for n in named_services(train)]
    found = []
    for section in sections:
        written = written_tags(cfg, section)
        key = written[0] if written else section
        found.append((key, value(cfg, key) if written else ABSENT))
    return found


def _resource_ids(cfg: Config, train: dict[str, Any]) -> Iterator[Report]:
    entries = value(cfg, RESOURCES)
    if not isinstance(entries, dict) or not entries:
        return
    services = _service_ids(cfg, train)
    if len(services) == 1 and len(entries) == 1:
        return  # NexRL pairs the only service with the only entry
    ids = ", ".join(f"'{k}'" for k in entries)
    for key, identifier in services:
        if isinstance(identifier, Unknown):
            continue
        if isinstance(identifier, str) and identifier in entries:
            continue
        shown = "not set" if identifier is ABSENT else cfg.show(key)
        yield cfg.report(
            f"{key} is {shown} but {RESOURCES} ({where(cfg, RESOURCES)}) has {ids}; NexRL "
            f"{cfg.version} matches them by identifier and raises 'Cannot auto-migrate "
            "resource.train: identifier mismatch'",
            key,
            "Move each resource.train entry to `resource:` under the training service it "
            "belongs to, or name the entries after the services' identifiers.",
            at="key" if identifier is ABSENT else "value",
        )
