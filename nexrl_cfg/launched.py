"""The config as NexRL's code holds it after start-up, beyond what Hydra composed.

NexRL's `main` sets `_config_file_path` (the launched config's path, read by the controller
and the rollout workers to find files named relative to the config) before its start-up
checks; from 1.2, `main_task` then resolves the config and runs `migrate_legacy_config`
(nexrl/utils/config_utils.py), which moves the legacy layout into the current one for the
rest of the run: `model_tag` -> `identifier`, a flat `train_service` -> nested under
`main_actor` with `role: actor`, a missing `role` added to a lone service, (from 1.3)
backend `http`/`nextrainer` -> `direct-zmq`, and the legacy `resource.train`,
`resource.inference` and `resource.agent` copied into the services and the rollout worker
(a key already there is kept).

`view` gives that config, from the resolved one, with where each of its values comes from
(the path it was copied from, or a note when NexRL sets it): `resolve --as-launched` shows it.
The rules read the config before this migration, as NexRL's own start-up checks
(`validate_config`) do, and know the legacy places themselves.
"""

from __future__ import annotations

import copy
from typing import Any

from .nexrl import DIRECT_ZMQ, MIGRATED_ACTOR, NAMED_SERVICES, OLD_NEXTRAINER_BACKENDS, at_least
from .read import KeyPath

CONFIG_FILE_PATH = "_config_file_path"
SET_BY_NEXRL = "set by NexRL"
MIGRATED = "added by NexRL's migration"
_AGENT_FIELDS = ("num_workers", "agents_per_worker")

# Where each value of the view comes from: the path it was at, or a note.
Sources = dict[KeyPath, KeyPath | str]


class _View:
    def __init__(self, data: dict[Any, Any]) -> None:
        self.data = copy.deepcopy(data)
        self.sources: Sources = {}

    def get(self, *path: Any) -> Any:
        node: Any = self.data
        for part in path:
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node

    def put(self, path: KeyPath, value: Any, source: KeyPath | str) -> None:
        """Set `path` (its parent a mapping) to a copy of `value`, recording where it came from."""
        node = self.get(*path[:-1])
        assert isinstance(node, dict)
        node[path[-1]] = copy.deepcopy(value)
        self.record(path, value, source)

    def record(self, path: KeyPath, value: Any, source: KeyPath | str) -> None:
        self.sources[path] = source
        if isinstance(value, dict):
            for key, item in value.items():
                below = source if isinstance(source, str) else (*source, key)
                self.record((*path, key), item, below)

    def section(self, path: KeyPath) -> dict[Any, Any]:
        node = self.get(*path)
        if not isinstance(node, dict):
            node = {}
            self.put(path, node, MIGRATED)
            node = self.get(*path)
        return node


def view(data: Any, config_file: str, version: str) -> tuple[Any, Sources]:
    """NexRL's config after start-up (see the module's docs), and where its values come from
    (paths not in `sources` are where they were). A config that is no mapping is returned as
    it is."""
    if not isinstance(data, dict):
        return data, {}
    out = _View(data)
    out.put((CONFIG_FILE_PATH,), config_file, SET_BY_NEXRL)
    if at_least(version, NAMED_SERVICES):
        _migrate(out, version)
    return out.data, out.sources


def _migrate(out: _View, version: str) -> None:
    service = out.get("service")
    if not isinstance(service, dict):
        return  # NexRL's migration fails on such a config (reported by the checks)
    inference = out.get("service", "inference_service")
    if isinstance(inference, dict) and "model_tag" in inference and "identifier" not in inference:
        out.put(
            ("service", "inference_service", "identifier"),
            inference["model_tag"],
            ("service", "inference_service", "model_tag"),
        )
    train = out.get("service", "train_service")
    if not isinstance(train, dict):
        return
    _nest(out, train)
    train = out.get("service", "train_service")
    names = [k for k, v in train.items() if isinstance(v, dict)]
    for name in names:
        one = train[name]
        if "model_tag" in one and "identifier" not in one:
            base = ("service", "train_service", name)
            out.put((*base, "identifier"), one["model_tag"], (*base, "model_tag"))
    if len(names) == 1 and not train[names[0]].get("role"):
        out.put(("service", "train_service", names[0], "role"), "actor", MIGRATED)
    if at_least(version, DIRECT_ZMQ):
        for name in names:
            if train[name].get("backend") in OLD_NEXTRAINER_BACKENDS:
                out.put(("service", "train_service", name, "backend"), "direct-zmq", MIGRATED)
    _resources(out, names)


def _nest(out: _View, train: dict[Any, Any]) -> None:
    """A flat training service (`backend`/`url` at its top) moves under `main_actor`."""
    if "backend" not in train and "url" not in train:
        return
    nested = [k for k, v in train.items() if isinstance(v, dict) and ("backend" in v or "url" in v)]
    if nested:
        return  # ambiguous: NexRL stops (the checks report it)
    base: KeyPath = ("service", "train_service")
    old = dict(train)
    train.clear()
    actor = (*base, MIGRATED_ACTOR)
    out.sources = {k: v for k, v in out.sources.items() if k[:2] != base}
    out.put(actor, old, base)
    out.put((*actor, "role"), "actor", MIGRATED)
    moved = out.get(*actor)
    if "model_tag" in moved and "identifier" not in moved:
        out.put((*actor, "identifier"), moved.pop("model_tag"), (*base, "model_tag"))
        out.sources.pop((*actor, "model_tag"), None)


def _resources(out: _View, names: list[str]) -> None:
    resource = out.get("resource")
    if not isinstance(resource, dict):
        return
    legacy = resource.get("train")
    train = out.get("service", "train_service")
    if isinstance(legacy, dict) and legacy:
        for name in names:
            ident = train[name].get("identifier")
            if ident in legacy:
                key = ident
            elif len(names) == 1 and len(legacy) == 1:
                key = next(iter(legacy))
            else:
                continue  # NexRL stops on a mismatch (the checks report it)
            _copy_missing(out, ("resource", "train", key), ("service", "train_service", name))
    inference = resource.get("inference")
    if isinstance(inference, dict) and inference:
        service = ("service", "inference_service")
        here = out.get(*service)
        if isinstance(here, dict):
            for old, new in (("served_model_name", "model"), ("model_path", "model_path")):
                if old in inference and new not in here:
                    out.put((*service, new), inference[old], ("resource", "inference", old))
            _copy_missing(
                out, ("resource", "inference"), service, skip=("model_path", "served_model_name")
            )
    agent = resource.get("agent")
    if isinstance(agent, dict) and agent:
        out.section(("rollout_worker",))
        target = out.section(("rollout_worker", "resource"))
        for field in _AGENT_FIELDS:
            if field in agent and field not in target:
                out.put(
                    ("rollout_worker", "resource", field),
                    agent[field],
                    ("resource", "agent", field),
                )


def _copy_missing(
    out: _View, source: KeyPath, service: KeyPath, skip: tuple[str, ...] = ()
) -> None:
    """Copy the keys of `source` that `service.resource` lacks into it."""
    spec = out.get(*source)
    if not isinstance(spec, dict):
        return
    target = out.section((*service, "resource"))
    for key, value in spec.items():
        if key not in skip and key not in target:
            out.put((*service, "resource", key), value, (*source, key))
