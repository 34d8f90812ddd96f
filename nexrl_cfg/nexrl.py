"""What nexrl-cfg knows about NexRL itself: its releases, what changed at each of them, how
its configs are laid out and which backends are which. Each fact is one named constant here,
with the NexRL code it comes from; the catalogue, the rules, `layout` and `migrate` import it.

A fact of one release is the first version where it holds (`NAMED_SERVICES = "1.2"`):

* a catalogue entry writes `added: !fact NAMED_SERVICES` (an option only one release reads
  may keep its own literal: `added: "1.4"`);
* a rule that applies only to some versions declares `SINCE = NAMED_SERVICES` and/or
  `UNTIL = ...` (the first version it no longer applies to);
* other code asks `at_least(cfg.version, NAMED_SERVICES)`.

A new fact gets a constant here, never a version literal in a rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

# The NexRL releases nexrl-cfg knows, oldest first.
VERSIONS = ("1.0", "1.1", "1.2", "1.3", "1.4")
OLDEST, NEWEST = VERSIONS[0], VERSIONS[-1]


@cache  # a handful of versions, compared for every entry a config holds
def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def at_least(version: str, since: str) -> bool:
    """Whether NexRL `version` is `since` or later: whether the fact `since` holds there."""
    return version_key(version) >= version_key(since)


def versions(since: str = OLDEST, until: str | None = None) -> tuple[str, ...]:
    """The known versions from `since` on, before `until` (None: up to the newest)."""
    return tuple(
        v for v in VERSIONS if at_least(v, since) and (until is None or not at_least(v, until))
    )


# -- what changed, release by release ---------------------------------------------------------

# The training service is a mapping of named services (`train_service.<name>` with `role`,
# `identifier` and its own `resource`). The legacy layout, a flat `train_service` and the
# top-level `resource` section, is migrated at start-up with a deprecation warning, by NexRL
# (`migrate_legacy_config`, nexrl/utils/config_utils.py@v1.2.0) and by its launcher.
NAMED_SERVICES = "1.2"
# Services are paired by `identifier or model_tag` (before, by `model_tag` alone, read as an
# attribute); start-up asserts that the inference service has one, that some training service
# has one and that exactly one has `role: actor` (nexrl/utils/validate_config.py@v1.2.0).
IDENTIFIERS = "1.2"
# The inference backend says whether a run is a Tinker or Weaver one; before, the training
# backend did, and start-up asserted that it names the service too
# (nexrl/utils/config_utils.py@v1.2.0 `use_tinker`; validate_config.py@v1.0.0).
REMOTE_BY_INFERENCE = "1.2"
# The trainer `self_hosted_opd` (on-policy distillation), with a training service of
# `role: teacher` (nexrl/controller.py@v1.2.0; nexrl/trainer/self_hosted_opd_trainer.py).
SELF_HOSTED_OPD = "1.2"
# The NexTrainer backend `direct-zmq`; `http` and `nextrainer` still run, as `direct-zmq`, with
# a deprecation warning (nexrl/utils/validate_config.py@v1.3.0).
DIRECT_ZMQ = "1.3"
# NexTrainer's client adds `http://` to a training service's `url` in which urlparse finds no
# scheme (`ensure_url_scheme`, nexrl/utils/url_utils.py and
# nexrl/train_service_backend/api/direct_zmq_client.py:90 @v1.3.0); before, the URL was used as
# written (api/client.py:68@v1.0.0).
TRAIN_URL_SCHEME_ADDED = "1.3"
# NexRL's inference client, weight sync, Tinker/Weaver holders, OPD teachers and Feishu logger
# add a scheme to a URL in which urlparse finds none (`ensure_url_scheme`: http://, https:// for
# the remote services and the Feishu webhook; nexrl/utils/url_utils.py,
# openai_inference_service_client.py:109-117, feishu_logger.py:29 @v1.3.0); before, the URL was
# used as written (openai_inference_service_client.py:52@v1.0.0).
URL_SCHEME_ADDED = "1.3"
# Start-up refuses an empty `service.inference_service.base_url` and an empty
# `logger.feishu_url` (openai_inference_service_client.py, feishu_logger.py @v1.3.0); before,
# the run failed at the first request.
EMPTY_URLS_REFUSED = "1.3"
# `rollout_worker.max_sequence_length` is required and asserted to be at least
# `data.max_prompt_length + rollout_worker.max_response_length`; `trainer.max_prompt_length`
# and `trainer.max_response_length` are no longer read (validate_config.py@v1.4.0:56-68).
SEQUENCE_LENGTHS = "1.4"
# Start-up asserts that the actor's identifier is the inference service's; 1.2 and 1.3 stop at
# the first weight update instead (nexrl/utils/validate_config.py@v1.4.0).
IDENTIFIERS_ASSERTED = "1.4"
# `sync_weight_path` is checked only where NexRL synchronises weights itself, not for
# `weight.sync_method: tinker` / `weaver` (nexrl/utils/validate_config.py@v1.4.0).
SYNC_PATH_SELF_HOSTED_ONLY = "1.4"
# The trainer `remote_api_opd`, with its `trainer.teachers` (nexrl/controller.py@v1.4.0).
REMOTE_API_OPD = "1.4"


# -- the training service's two layouts -------------------------------------------------------

# Keys whose presence directly under `service.train_service` marks the flat layout, as NexRL
# decides it (validate_config.py; config_utils.py@v1.4.0:251); any other mapping there is a
# named service.
FLAT_MARKERS = ("backend", "url")
# The name NexRL's migration gives the flat service, and the roles of named services.
MIGRATED_ACTOR = "main_actor"
ACTOR, TEACHER = "actor", "teacher"
# Where NexRL reads a service's tag from, first set first (`identifier or model_tag`).
TAGS = ("identifier", "model_tag")


def is_flat(train: Mapping[str, Any]) -> bool:
    """Whether a `train_service` mapping has the flat layout (NexRL's own test)."""
    return any(marker in train for marker in FLAT_MARKERS)


def named_services(train: Mapping[str, Any]) -> list[str]:
    """Keys of a `train_service` mapping that NexRL takes for named services: those holding a
    mapping."""
    return [name for name, sub in train.items() if isinstance(sub, dict)]


# -- backends and trainers --------------------------------------------------------------------

# Served by the Tinker or Weaver service, which trains, serves and synchronises the weights
# itself (remote_api_inference_service_client.py; the `tinker_service`/`weaver_service`).
REMOTE_BACKENDS = ("tinker", "weaver")
# Inference backends NexRL talks to through its OpenAI-compatible client (init_utils.py).
OPENAI_CLIENT_BACKENDS = ("sglang", "vllm", "openai")
# Inference servers of a self-hosted run: the launcher starts them, NexRL updates their weights.
INFERENCE_SERVERS = ("sglang", "vllm")
# Training backends served by NexTrainer, whose FSDP workers build the actor at start-up.
NEXTRAINER_BACKENDS = ("http", "nextrainer", "direct-zmq")
# The NexTrainer backends `direct-zmq` replaces from DIRECT_ZMQ on.
OLD_NEXTRAINER_BACKENDS = ("http", "nextrainer")
# Trainers that train on NexRL's own training service (not a remote API).
SELF_HOSTED_TRAINERS = ("self_hosted_grpo", "self_hosted_opd")
# Trainers that train through the Tinker or Weaver service's API (`RemoteApiTrainer` and its
# subclasses, nexrl/trainer/remote_api_*.py).
REMOTE_TRAINERS = ("remote_api_grpo", "remote_api_cross_entropy", "remote_api_opd")
