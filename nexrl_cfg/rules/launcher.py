"""What the `nexrl` launcher requires of a config before it submits the job.

## What it does
For a config written for the `nexrl` launcher (one with a section only the launcher reads:
`resource`, `rollout_worker.resource`, `service.inference_service.resource` or
`environment`), checks what the launcher of the config's NexRL version reads. The
launcher reads the composed config without resolving interpolations, so a number written as
`${...}` is not a number to it.

- Always: `environment.require_setup_script: true` needs an `environment.setup_script`.
- NexRL 1.0, 1.1: `resource.agent.{num_workers, agents_per_worker}` integers; for a
  self-hosted run (`sglang` or `vllm` inference), `resource.train.<id>.world_size` an integer
  of at least 1 for each of at least one entry, and `resource.inference` with `replicas` and
  `gpus_per_replica` (integers of at least 1), `served_model_name` and `model_path`
  (non-empty); for Tinker or Weaver, a non-empty `service.inference_service.model`.
- NexRL 1.2 on, after the launcher's own migration of the legacy `resource` section:
  `rollout_worker.resource.{num_workers, agents_per_worker}` integers; for a self-hosted run,
  each training service with a non-empty `identifier` (or `model_tag`) and
  `resource.world_size` of at least 1, and the inference service with a non-empty `model`
  and `model_path` and `resource.{replicas, gpus_per_replica}` of at least 1; for Tinker or
  Weaver, a non-empty `service.inference_service.model`.

## Why is this bad?
The launcher raises a ValueError ("... must be a positive integer", "... must define
num_workers and agents_per_worker", "environment.setup_script is required but not specified
in config") and nothing is submitted. Running `python -m nexrl.main` directly skips these
checks.

## Example
```yaml
rollout_worker:
  resource:
    num_workers: 2
service:
  inference_service:
    backend: sglang
    resource:
      replicas: 0
      gpus_per_replica: 2
```

## Use instead
```yaml
rollout_worker:
  resource:
    num_workers: 2
    agents_per_worker: 32
service:
  inference_service:
    backend: sglang
    resource:
      replicas: 1
      gpus_per_replica: 2
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..config import ABSENT, Config
from ..finding import Report, Severity
from ..layout import INFERENCE, ROLLOUT, TRAIN
from ..nexrl import INFERENCE_SERVERS, NAMED_SERVICES, REMOTE_BACKENDS, at_least

SEVERITY = Severity.ERROR
SUMMARY = "The nexrl launcher's requirements on the resource sections"
STAGE = "lint"
# A key the launcher needs and NexRL needs too is NexRL's rule's to report.
DEFERS = True
NEXRL = "cli/common/config_utils.py; cli/self_hosted/config_utils.py; cli/self_hosted/run.py"

LAUNCHER = "the nexrl launcher rejects the config"
# A value as the launcher sees it, and the key it was read from.
Value = tuple[Any, str]


def check(cfg: Config) -> Iterator[Report]:
    migrated = at_least(cfg.version, NAMED_SERVICES)
    if not _for_launcher(cfg) or (migrated and _migration_fails(cfg)):
        return
    yield from _setup_script(cfg)
    backend = cfg.get(f"{INFERENCE}.backend", None)
    yield from (_agents_new if migrated else _agents_old)(cfg)
    if backend in INFERENCE_SERVERS:
        yield from (_self_hosted_new if migrated else _self_hosted_old)(cfg)
    elif backend in REMOTE_BACKENDS:
        yield from _nonempty(cfg, _model(cfg) if migrated else _raw(cfg, f"{INFERENCE}.model"))


def _migration_fails(cfg: Config) -> bool:
    """Whether the launcher's migration of `resource.train` stops first (an identifier with no
    entry beside several services or entries; `train-service-migration` reports it)."""
    legacy = cfg.raw("resource.train")
    services = cfg.layout.train_services
    if not isinstance(legacy, dict) or not legacy:
        return False
    for service in services:
        ident = cfg.raw(f"{service}.identifier")
        if ident is ABSENT:
            ident = cfg.raw(f"{service}.model_tag")
        if isinstance(ident, str) and ident in legacy:
            continue
        if len(services) > 1 or len(legacy) > 1:
            return True
    return False


def _raw(cfg: Config, dotted: str) -> Value:
    return cfg.raw(dotted), dotted


def _for_launcher(cfg: Config) -> bool:
    # A training service's own `resource` does not count: NexRL's trainer reads it too.
    sections = ["resource", "environment", f"{ROLLOUT}.resource", f"{INFERENCE}.resource"]
    return any(isinstance(cfg.raw(s), dict) for s in sections)


def _report(cfg: Config, key: str, problem: str, hint: str) -> Report:
    """At `key`; when it is missing, at the nearest section written (a rule that owns the
    missing key, `missing-required`, may report it instead: see `rules.run`)."""
    where = "value" if cfg.raw(key) is not ABSENT else "key"
    return cfg.report(f"{key} {problem}: {LAUNCHER}", key, hint, at=where)


def _setup_script(cfg: Config) -> Iterator[Report]:
    env = cfg.raw("environment")
    if not isinstance(env, dict) or not env.get("require_setup_script", False):
        return
    if not env.get("setup_script"):
        yield _report(
            cfg,
            "environment.setup_script",
            "is required (require_setup_script is true) but not given",
            "Set environment.setup_script, or `require_setup_script: false`.",
        )


def _integer(value: Any, minimum: int | None = None) -> bool:
    ok = isinstance(value, int)  # as the launcher tests it: a bool passes
    return ok and (minimum is None or value >= minimum)


def _ints(cfg: Config, values: list[Value], minimum: int | None = None) -> Iterator[Report]:
    for value, key in values:
        if not _integer(value, minimum):
            shown = "is not set" if value is ABSENT else f"is {cfg.show(key)}"
            need = "a positive integer" if minimum else "an integer"
            yield _report(cfg, key, f"{shown}; it must be {need}", f"Set {key} to {need}.")


def _nonempty(cfg: Config, value: Value) -> Iterator[Report]:
    text, key = value
    if not isinstance(text, str) or not text:
        shown = "is not set" if text is ABSENT else f"is {cfg.show(key)}"
        yield _report(cfg, key, f"{shown}; it must be a non-empty string", f"Set {key}.")


# -- NexRL 1.0 and 1.1 ----------------------------------------------------------------------


def _agents_old(cfg: Config) -> Iterator[Report]:
    yield from _ints(cfg, [_raw(cfg, f"resource.agent.{k}") for k in _AGENT])


_AGENT = ("num_workers", "agents_per_worker")


def _self_hosted_old(cfg: Config) -> Iterator[Report]:
    train = cfg.raw("resource.train")
    if not isinstance(train, dict) or not train:
        yield _report(
            cfg,
            "resource.train",
            "must map identifiers to resource configs",
            "Add `resource.train.<identifier>.world_size`.",
        )
    else:
        keys = [f"resource.train.{name}.world_size" for name in train]
        yield from _ints(cfg, [_raw(cfg, k) for k in keys], minimum=1)
    inference = "resource.inference"
    if not isinstance(cfg.raw(inference), dict) or not cfg.raw(inference):
        yield _report(cfg, inference, "must be a mapping", "Add resource.inference.")
        return
    sizes = [_raw(cfg, f"{inference}.{k}") for k in ("replicas", "gpus_per_replica")]
    yield from _ints(cfg, sizes, minimum=1)
    for name in ("served_model_name", "model_path"):
        yield from _nonempty(cfg, _raw(cfg, f"{inference}.{name}"))


# -- NexRL 1.2 on: the launcher migrates the legacy `resource` section first ----------------


def _legacy(cfg: Config, dotted: str, name: str, own: Value) -> Value:
    """`own` unless it is missing and the legacy section has `name`."""
    if own[0] is ABSENT and cfg.raw(f"{dotted}.{name}") is not ABSENT:
        return _raw(cfg, f"{dotted}.{name}")
    return own


def _agents_new(cfg: Config) -> Iterator[Report]:
    values = [
        _legacy(cfg, "resource.agent", k, _raw(cfg, f"{ROLLOUT}.resource.{k}")) for k in _AGENT
    ]
    yield from _ints(cfg, values)


def _model(cfg: Config, name: str = "model", legacy: str = "served_model_name") -> Value:
    own = _raw(cfg, f"{INFERENCE}.{name}")
    old = _raw(cfg, f"resource.inference.{legacy}")
    replaced = own[0] is ABSENT or not own[0] or (isinstance(own[0], str) and "${" in own[0])
    return old if old[0] is not ABSENT and replaced else own


def _self_hosted_new(cfg: Config) -> Iterator[Report]:
    services = cfg.layout.train_services
    if not services:
        yield _report(cfg, TRAIN, "must contain service group configs", "Add a training service.")
    for service in services:
        yield from _train_service(cfg, service)
    yield from _nonempty(cfg, _model(cfg))
    yield from _nonempty(cfg, _model(cfg, "model_path", "model_path"))
    sizes = [
        _legacy(cfg, "resource.inference", k, _raw(cfg, f"{INFERENCE}.resource.{k}"))
        for k in ("replicas", "gpus_per_replica")
    ]
    yield from _ints(cfg, sizes, minimum=1)


def _train_service(cfg: Config, service: str) -> Iterator[Report]:
    ident = _raw(cfg, f"{service}.identifier")
    if ident[0] is ABSENT:
        ident = _legacy(cfg, service, "model_tag", ident)
    yield from _nonempty(cfg, ident)
    own = _raw(cfg, f"{service}.resource.world_size")
    tag = ident[0] if isinstance(ident[0], str) else None
    legacy = cfg.raw("resource.train")
    if own[0] is ABSENT and isinstance(legacy, dict) and legacy:
        if tag in legacy:
            own = _legacy(cfg, f"resource.train.{tag}", "world_size", own)
        elif len(legacy) == 1 and len(cfg.layout.train_services) == 1:
            own = _legacy(cfg, f"resource.train.{next(iter(legacy))}", "world_size", own)
    yield from _ints(cfg, [own], minimum=1)
