"""A config as NexRL 1.2 and later read it: its own in-memory conversion of the legacy layout
(`migrate_legacy_config`, nexrl/utils/config_utils.py@v1.4.0:211-451, @v1.2.0:182-380 without
the backend step), then without the legacy keys no version from 1.2 on reads any more.

`migrate` rewrites files so that NexRL need not convert them; what NexRL then reads must be
what it read before the rewrite, but for what the migration adds on purpose. This is that
view, on plain composed and resolved data (never a config's own objects: it is copied).
"""

from __future__ import annotations

from typing import Any

from ..nexrl import (
    ACTOR,
    DIRECT_ZMQ,
    MIGRATED_ACTOR,
    OLD_NEXTRAINER_BACKENDS,
    SEQUENCE_LENGTHS,
    at_least,
)


def read_as(data: Any, version: str) -> Any:
    """What NexRL `version` (1.2 or later) reads of the config `data`: converted as NexRL
    converts it, then without the legacy keys it no longer reads."""
    if not isinstance(data, dict):
        return data
    return _unread(_converted(_copied(data), version), version)


def _copied(data: Any) -> Any:
    """`data` with each mapping and list copied, the only objects the conversion changes;
    the other values (of YAML: scalars) shared. Four times as fast as `copy.deepcopy`."""
    if isinstance(data, dict):
        return {key: _copied(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_copied(value) for value in data]
    return data


def _converted(config: dict[str, Any], version: str) -> dict[str, Any]:
    # A part of a config (a common.yaml) may lack a section: each step applies where it can.
    service = config.get("service")
    service = service if isinstance(service, dict) else {}
    inference = service.get("inference_service")
    inference = inference if isinstance(inference, dict) else None
    if inference is not None and "model_tag" in inference and "identifier" not in inference:
        inference["identifier"] = inference["model_tag"]
    train = service.get("train_service")
    if isinstance(train, dict):
        _services(train, version)
        _train_resources(config, train)
    if inference is not None:
        _inference_resource(config, inference)
    _agent_resource(config)
    return config


def _services(train: dict[str, Any], version: str) -> None:
    flat = "backend" in train or "url" in train
    if flat and not any(
        isinstance(v, dict) and ("backend" in v or "url" in v) for v in train.values()
    ):
        old = dict(train)
        train.clear()
        train[MIGRATED_ACTOR] = old
        old["role"] = ACTOR
        if "model_tag" in old and "identifier" not in old:
            old["identifier"] = old.pop("model_tag")
    services = {k: v for k, v in train.items() if isinstance(v, dict)}
    for spec in services.values():
        if "model_tag" in spec and "identifier" not in spec:
            spec["identifier"] = spec["model_tag"]
    if len(services) == 1 and not any(spec.get("role") for spec in services.values()):
        next(iter(services.values()))["role"] = ACTOR
    if at_least(version, DIRECT_ZMQ):
        for spec in services.values():
            if spec.get("backend") in OLD_NEXTRAINER_BACKENDS:
                spec["backend"] = "direct-zmq"


def _train_resources(config: dict[str, Any], train: dict[str, Any]) -> None:
    resource = config.get("resource")
    old = resource.get("train") if isinstance(resource, dict) else None
    if not isinstance(old, dict) or not old:
        return
    services = [(k, v) for k, v in train.items() if isinstance(v, dict)]
    for _, spec in services:
        ident = spec.get("identifier")
        if ident and ident in old:
            found = old[ident]
        elif len(services) == 1 and len(old) == 1:
            found = next(iter(old.values()))
        else:
            continue  # NexRL stops here (identifier mismatch): nothing to compare with
        if isinstance(found, dict) and found:
            own = spec.setdefault("resource", {})
            if isinstance(own, dict):
                for key, value in found.items():
                    own.setdefault(key, value)


def _inference_resource(config: dict[str, Any], inference: dict[str, Any]) -> None:
    resource = config.get("resource")
    old = resource.get("inference") if isinstance(resource, dict) else None
    if not isinstance(old, dict) or not old:
        return
    if "served_model_name" in old and "model" not in inference:
        inference["model"] = old["served_model_name"]
    if "model_path" in old and "model_path" not in inference:
        inference["model_path"] = old["model_path"]
    own = inference.setdefault("resource", {})
    if isinstance(own, dict):
        for key, value in old.items():
            if key not in ("model_path", "served_model_name"):
                own.setdefault(key, value)


def _agent_resource(config: dict[str, Any]) -> None:
    resource = config.get("resource")
    old = resource.get("agent") if isinstance(resource, dict) else None
    if not isinstance(old, dict) or not old:
        return
    worker = config.setdefault("rollout_worker", {})
    if not isinstance(worker, dict):
        return
    own = worker.setdefault("resource", {})
    if isinstance(own, dict):
        for key in ("num_workers", "agents_per_worker"):
            if key in old:
                own.setdefault(key, old[key])


def _unread(config: dict[str, Any], version: str) -> dict[str, Any]:
    """Without what no version from 1.2 on reads: the legacy `resource` section, a
    `model_tag` beside its `identifier`, a training service's flat `world_size` (a GPU
    count), and from 1.4 the trainer's sequence lengths; an empty section NexRL's conversion
    made is no section."""
    config.pop("resource", None)
    service = config.get("service")
    if isinstance(service, dict):
        inference = service.get("inference_service")
        if isinstance(inference, dict):
            _drop_tag(inference)
            if inference.get("resource") == {}:
                del inference["resource"]
        train = service.get("train_service")
        if isinstance(train, dict):
            for spec in train.values():
                if isinstance(spec, dict):
                    _drop_tag(spec)
                    spec.pop("world_size", None)
    trainer = config.get("trainer")
    if isinstance(trainer, dict) and at_least(version, SEQUENCE_LENGTHS):
        trainer.pop("max_prompt_length", None)
        trainer.pop("max_response_length", None)
    worker = config.get("rollout_worker")
    if isinstance(worker, dict) and worker.get("resource") == {}:
        del worker["resource"]
    return config


def _drop_tag(spec: dict[str, Any]) -> None:
    if "identifier" in spec:
        spec.pop("model_tag", None)
