"""What NexRL's start-up code reads from the training and inference services, read the way it
reads them: `.get(...)` with no catalogue default, a value counting only when it is truthy.

Not a rule: the start-up rules share it.
"""

from __future__ import annotations

from typing import Any

from ..config import ABSENT, Config
from ..layout import TRAIN
from ..nexrl import ACTOR, TAGS, is_flat, named_services
from ..resolve import Unknown


def value(cfg: Config, dotted: str) -> Any:
    """The written (resolved) value at `dotted`, ABSENT when not written: no default."""
    return cfg.at(dotted)


def train_service(cfg: Config) -> dict[str, Any] | None:
    found = value(cfg, TRAIN)
    return found if isinstance(found, dict) else None


def tag(cfg: Config, section: str) -> tuple[str, Any] | None:
    """(key, value) of `identifier or model_tag` in `section`, as NexRL picks it; the value
    may be Unknown (then nothing certain can be said). None when neither is set to a truthy
    value."""
    for name in TAGS:
        key = f"{section}.{name}"
        found = value(cfg, key)
        if isinstance(found, Unknown) or (found is not ABSENT and found):
            return key, found
    return None


def written_tags(cfg: Config, section: str) -> list[str]:
    """The keys of `identifier` and `model_tag` written in `section`, in the order NexRL
    tries them (see `tag`)."""
    return [f"{section}.{name}" for name in TAGS if cfg.has(f"{section}.{name}")]


def actor(cfg: Config) -> str | None:
    """The training service NexRL 1.2+ takes for the actor: the flat `train_service`, the one
    named service with `role: actor`, or a single named service; None when it cannot tell."""
    train = train_service(cfg)
    if train is None:
        return None
    if is_flat(train):
        return TRAIN
    names = named_services(train)
    actors = [name for name in names if train[name].get("role") == ACTOR]
    if len(actors) == 1:
        return f"{TRAIN}.{actors[0]}"
    return f"{TRAIN}.{names[0]}" if len(names) == 1 and not actors else None
