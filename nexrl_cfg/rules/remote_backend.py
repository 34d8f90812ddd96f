"""Tinker and Weaver runs: every part must use the service, with an API key.

## What it does
Follows each NexRL version. NexRL 1.0 and 1.1: when any of the training backend
(`service.train_service.backend`), the inference backend (`service.inference_service.backend`)
or `weight.sync_method` is `tinker`, checks that all three are `tinker` and that
`service.tinker_service.api_key` is set and not empty; the same for `weaver` with
`service.weaver_service.api_key`. NexRL 1.2 to 1.4: the backends of the named training
services (not a flat `train_service`'s) count among the parts that name the service, but
only the inference backend, `weight.sync_method` and the API key are checked.

Each value that differs is reported at its own key; when only one of the parts names the
service, that one is the odd one out and is reported instead (and the API key is not asked
for). A value waiting on an unset environment variable is not judged; the key itself is
never printed.

## Why is this bad?
With Tinker or Weaver the service trains, serves and synchronises the weights itself: a
self-hosted part cannot take part. NexRL asserts "inference_service.backend must be tinker",
"weight.sync_method must be tinker" and "api_key must not be empty" (and, before 1.2,
"train_service.backend must be tinker"; the same for weaver) at start-up.

## Example
```yaml
weight:
  sync_method: "disk"
service:
  inference_service:
    backend: tinker
  tinker_service:
    api_key: ""
  train_service:
    backend: tinker
```

## Use instead
```yaml
weight:
  sync_method: "tinker"
service:
  inference_service:
    backend: tinker
  tinker_service:
    api_key: "${oc.env:TINKER_API_KEY}"
  train_service:
    backend: tinker
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ..layout import INFERENCE, TRAIN
from ..nexrl import REMOTE_BACKENDS, REMOTE_BY_INFERENCE, at_least, is_flat, named_services
from ..resolve import Unknown
from ._startup import train_service, value
from ._values import env_variable, known, section_present, where

SEVERITY = Severity.ERROR
SUMMARY = "With tinker or weaver, the train and inference backends and sync_method must all use it"
STAGE = "lint"
NEXRL = "nexrl/utils/validate_config.py"

SYNC = "weight.sync_method"


def _train_asserted(cfg: Config) -> bool:
    """Whether NexRL asserts that the (flat) training backend names the service too."""
    return not at_least(cfg.version, REMOTE_BY_INFERENCE)


def _parts(cfg: Config) -> tuple[list[tuple[str, object]], list[str]]:
    """(key, value) of the parts that can name the service, and the keys NexRL asserts."""
    parts: list[tuple[str, object]] = []
    train = train_service(cfg)
    if _train_asserted(cfg):
        if train is not None:
            parts.append((f"{TRAIN}.backend", cfg.get(f"{TRAIN}.backend", None)))
    elif train is not None and not is_flat(train):
        for name in named_services(train):
            key = f"{TRAIN}.{name}.backend"
            if value(cfg, key):
                parts.append((key, value(cfg, key)))
    if section_present(cfg, INFERENCE):
        parts.append((f"{INFERENCE}.backend", cfg.get(f"{INFERENCE}.backend")))
    parts.append((SYNC, cfg.get(SYNC, None)))
    train_asserted = _train_asserted(cfg)
    asserted = [key for key, _ in parts if train_asserted or not key.startswith(TRAIN)]
    return parts, asserted


def _pick(parts: list[tuple[str, object]]) -> str | None:
    """The service the run means: the one most parts name (the first part's on a tie)."""
    named = [value for _, value in parts if value in REMOTE_BACKENDS]
    if not named:
        return None
    return max(REMOTE_BACKENDS, key=lambda s: (named.count(s), named[0] == s))


def _asserted_words(cfg: Config, service: str) -> str:
    if _train_asserted(cfg):
        return (
            f"the training backend, the inference backend and weight.sync_method are all {service}"
        )
    return f"the inference backend and weight.sync_method are {service}"


def check(cfg: Config) -> Iterator[Report]:
    parts, asserted = _parts(cfg)
    service = _pick(parts)
    if service is None:
        return
    naming = [key for key, value in parts if value == service]
    others = [
        (k, v) for k, v in parts if k in asserted and v != service and not isinstance(v, Unknown)
    ]
    if not others:
        yield from _api_key(cfg, service)
        return
    if 2 * len(naming) < len(parts):
        # One part names the service, most do not: that one is the odd one out.
        yield _odd_one(cfg, service, naming[0], [k for k, _ in others])
        return
    for key, _ in others:
        shown = cfg.show(key) if cfg.has(key) else "not set"
        yield cfg.report(
            f'{key} is {shown} but {naming[0]} is "{service}" ({where(cfg, naming[0])}); NexRL '
            f"{cfg.version} asserts {_asserted_words(cfg, service)} when any part uses it",
            key,
            f"Set `{key.rsplit('.', 1)[-1]}: {service}`, or use a self-hosted setup throughout.",
            at="written",
        )
    yield from _api_key(cfg, service)


def _odd_one(cfg: Config, service: str, key: str, others: list[str]) -> Report:
    rest = " and ".join(
        f"{k} ({cfg.show(k) if cfg.has(k) else 'not set'}, {where(cfg, k)})" for k in others
    )
    return cfg.report(
        f'{key} is "{service}" but {rest} {"is" if len(others) == 1 else "are"} not; NexRL '
        f"{cfg.version} asserts {_asserted_words(cfg, service)} when any part uses it",
        key,
        f"Use the self-hosted value here, or make all three {service} (with "
        f"service.{service}_service.api_key).",
    )


def _api_key(cfg: Config, service: str) -> Iterator[Report]:
    key = f"service.{service}_service.api_key"
    value = cfg.get(key, None)
    if not cfg.has(key):
        message = f"{key} is not set; NexRL needs the {service} API key"
    elif known(value) and value == "":
        source = cfg.raw(key)
        shown = f" ({source})" if isinstance(source, str) and "${" in source else ""
        message = f"{key} is empty{shown}; NexRL asserts it is not"
    else:
        return
    variable = env_variable(cfg, key)
    yield cfg.report(
        message,
        key,
        f"Export {variable} with your {service} key where NexRL runs."
        if variable
        else f'Set `api_key: "${{oc.env:{service.upper()}_API_KEY}}"` under '
        f"`service.{service}_service` and export the variable.",
        at="written",
    )
