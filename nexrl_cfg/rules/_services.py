"""What several rules need to know about the services of a config: which backend is
remote, which training services run NexTrainer's FSDP backend and what the trainer asks of
them, how many GPUs a training service gets, which part of a value waiting on an unset
variable is certain, and how NexRL's HTTP clients take a base URL.

Not a rule: its name starts with `_`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from ..config import ABSENT, Config, split
from ..layout import INFERENCE, TRAIN, TRAINER
from ..nexrl import (
    NAMED_SERVICES,
    NEXTRAINER_BACKENDS,
    REMOTE_BACKENDS,
    REMOTE_BY_INFERENCE,
    SELF_HOSTED_OPD,
    SELF_HOSTED_TRAINERS,
    at_least,
)
from ..resolve import Unknown
from ._values import where


def positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def uses_remote(cfg: Config) -> bool:
    """Whether Tinker or Weaver runs the model (NexRL skips its self-hosted start-up then):
    the inference backend, or a training service's backend."""
    backends = [cfg.get(f"{INFERENCE}.backend", None)]
    backends += [cfg.get(f"{s}.backend", None) for s in cfg.layout.train_services]
    return any(b in REMOTE_BACKENDS for b in backends)


def remote_switch(cfg: Config) -> str:
    """The key whose value tells NexRL a Tinker or Weaver run (`use_tinker`, `use_weaver`,
    nexrl/utils/config_utils.py): the flat training backend until 1.1, the inference backend
    from REMOTE_BY_INFERENCE on."""
    return (
        f"{INFERENCE}.backend" if at_least(cfg.version, REMOTE_BY_INFERENCE) else f"{TRAIN}.backend"
    )


def remote_run(cfg: Config) -> Any:
    """The written value of `remote_switch`: "tinker" or "weaver" for a Tinker or Weaver run,
    a self-hosted backend, or ABSENT / an Unknown (then nothing is certain)."""
    return cfg.at(remote_switch(cfg))


def fsdp_services(cfg: Config) -> list[str]:
    """The training services whose actor NexTrainer's FSDP workers build at start-up: the
    actor service and, for `self_hosted_opd`, the teacher service."""
    trainer = cfg.get(f"{TRAINER}.type", None)
    if trainer not in SELF_HOSTED_TRAINERS:
        return []
    services = [cfg.layout.actor]
    if trainer == "self_hosted_opd" and at_least(cfg.version, SELF_HOSTED_OPD):
        services.append(cfg.layout.teacher)
    return [s for s in services if s and cfg.get(f"{s}.backend", None) in NEXTRAINER_BACKENDS]


# What a self-hosted trainer asks of its NexTrainer workers (nexrl/trainer/*): the actor
# service's workers are updated (self_hosted_grpo's update_policy, self_hosted_opd's
# distillation update); log-probabilities are computed by the GRPO actor unless
# trainer.algorithm.do_old_log_prob_compute is false, by the OPD teacher every step, and by the
# OPD student only with do_old_student_log_prob_compute.
GRPO_OLD_LOG_PROBS = ("trainer.algorithm.do_old_log_prob_compute", True)
OPD_OLD_LOG_PROBS = ("trainer.algorithm.do_old_student_log_prob_compute", False)


def updated_service(cfg: Config) -> str | None:
    """The NexTrainer service whose actor the trainer updates: the actor service."""
    services = fsdp_services(cfg)
    return services[0] if services and services[0] == cfg.layout.actor else None


def log_prob_reason(cfg: Config, service: str) -> str | None:
    """Why the service's workers compute log-probabilities (a phrase for a message), or None
    when they do not, or when that waits on an unset variable."""
    if service not in fsdp_services(cfg):
        return None
    trainer = cfg.get(f"{TRAINER}.type", None)
    if service == cfg.layout.teacher and service != cfg.layout.actor:
        return "the self_hosted_opd teacher computes log-probabilities every step"
    key, default = GRPO_OLD_LOG_PROBS if trainer == "self_hosted_grpo" else OPD_OLD_LOG_PROBS
    value = cfg.get(key, default)
    if isinstance(value, Unknown) or not value:
        return None
    shown = f"{key} is {cfg.show(key)} ({where(cfg, key)})" if cfg.has(key) else f"{key} is unset"
    return f"{shown}, so the actor recomputes log-probabilities"


def legacy_train_resource(cfg: Config, service: str) -> str | None:
    """The `resource.train.<id>` entry NexRL (1.2 on) copies into a service's `resource`:
    the one named by the service's identifier, or the only one beside the only service."""
    legacy = cfg.get("resource.train", None)
    if not isinstance(legacy, dict) or not legacy:
        return None
    ident = cfg.get(f"{service}.identifier", None) or cfg.get(f"{service}.model_tag", None)
    if isinstance(ident, str) and ident in legacy:
        return f"resource.train.{ident}"
    if len(cfg.layout.train_services) == 1 and len(legacy) == 1:
        return f"resource.train.{next(iter(legacy))}"
    return None


def resource_key(cfg: Config, service: str, name: str) -> str:
    """Where a training service's `resource.<name>` is read from, after NexRL's migration of
    the legacy `resource.train` section (the service's own key when neither is set)."""
    own = f"{service}.resource.{name}"
    if cfg.has(own):
        return own
    legacy = legacy_train_resource(cfg, service)
    if legacy is not None and cfg.has(f"{legacy}.{name}"):
        return f"{legacy}.{name}"
    return own


def gpu_keys(cfg: Config, service: str) -> tuple[str, ...]:
    """The keys whose product is the number of GPUs the service trains on: 1.0 and 1.1 read
    `train_service.world_size`; from 1.2 the service's `resource.world_size` (pods) times
    `resource.gpus_per_pod`."""
    if not at_least(cfg.version, NAMED_SERVICES):
        return (f"{TRAIN}.world_size",) if service == TRAIN else ()
    return (resource_key(cfg, service, "world_size"), resource_key(cfg, service, "gpus_per_pod"))


def training_gpus(cfg: Config, service: str) -> int | None:
    """The number of GPUs the service trains on, or None when it is not certain."""
    keys = gpu_keys(cfg, service)
    values = [cfg.get(k, None) for k in keys]
    if not keys or not all(positive_int(v) for v in values):
        return None
    total = 1
    for value in values:
        total *= value
    return total


def gpus_secret(cfg: Config, service: str, *keys: str) -> bool:
    """Whether any of `keys`, or the service's GPU count, holds a value read from the
    environment (see `secret`): a message then prints none of the numbers."""
    return secret(cfg, *keys, *gpu_keys(cfg, service))


def describe_gpus(cfg: Config, service: str) -> str:
    """`resource.world_size 1 × resource.gpus_per_pod 8 = 8 GPUs`, for a message."""
    named = [f"{_short(k)} {cfg.show(k)}" for k in gpu_keys(cfg, service)]
    total = training_gpus(cfg, service)
    return f"{' × '.join(named)} = {total} GPU{'s' if total != 1 else ''}"


def _short(key: str) -> str:
    parts = key.split(".")
    return ".".join(parts[-2:]) if parts[-2] == "resource" else parts[-1]


def certain_tail(value: Any) -> str | None:
    """The text a value certainly ends with: the whole value when known, the literal text
    after the last unset variable when it waits on variables only; None otherwise."""
    parts = _certain_parts(value)
    return None if parts is None else parts[-1]


def certain_head(value: Any) -> str | None:
    """The text a value certainly starts with (see `certain_tail`)."""
    parts = _certain_parts(value)
    return None if parts is None else parts[0]


def _certain_parts(value: Any) -> list[str] | None:
    """The literal parts of a value, between the unset variables it waits on (the whole value
    when it is known); None when it waits on anything else or is not text."""
    if isinstance(value, str):
        return [value]
    if not isinstance(value, Unknown):
        return None
    parts = value.token.split("\x00")
    if any(not m.startswith(("env:", "envval:")) for m in parts[1::2]):
        return None
    return parts[0::2]


def empty(value: Any) -> bool:
    """Whether a known value is empty as Python reads it (`not value`): null, "", [], {}."""
    return value is not ABSENT and not isinstance(value, Unknown) and not value


def secret(cfg: Config, *keys: str) -> bool:
    """Whether any of the keys holds a value read from the environment: its numbers, and
    numbers computed from them, are not printed."""
    return any(cfg.is_secret(split(k)) for k in keys)


# -- base URLs, as NexRL's HTTP clients take them -------------------------------------------

HTTP_SCHEMES = ("http", "https")


def as_normalised(url: str, adds_scheme: bool) -> str:
    """The URL NexRL sends requests to: stripped and given `http://` when urlparse finds no
    scheme in it (`ensure_url_scheme`), or as written."""
    url = url.strip() if adds_scheme else url
    if adds_scheme and url and not urlparse(url).scheme:
        return f"http://{url}"
    return url


def scheme_problem(url: str, adds_scheme: bool) -> str | None:
    """Why `requests` refuses the base URL, or None. `requests` takes the text before a ':'
    for a scheme (`localhost:8000` has the scheme `localhost`) and sends http(s) only."""
    scheme = urlparse(as_normalised(url, adds_scheme)).scheme
    if scheme in HTTP_SCHEMES:
        return None
    if not scheme:
        return "has no scheme (http:// or https://)"
    if "://" not in url:
        added = ", so NexRL adds no http://" if adds_scheme else ""
        return f'has no scheme: "{scheme}" before its ":" reads as one{added}'
    return f'has the scheme "{scheme}": requests sends http and https only'


def path_of(url: str, adds_scheme: bool) -> str:
    """The path the base URL carries (NexRL strips a trailing '/' and appends its own)."""
    parsed = urlparse(as_normalised(url, adds_scheme))
    return parsed.path.rstrip("/") + (f"?{parsed.query}" if parsed.query else "")
