"""The legacy top-level `resource` section: the pods the `nexrl` launcher starts.

NexRL 1.0 and 1.1 read it in the launcher (`resource.agent` always, `resource.train` and
`resource.inference` on the self-hosted path). From 1.2 on NexRL and its launcher move each
part to its new place with a deprecation warning, so most entries come twice: read (1.0,
1.1) and moved (1.2 on: deprecated, with the key that replaces it).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypeVar

from ...nexrl import NAMED_SERVICES, SELF_HOSTED_TRAINERS
from ..model import NO_DEFAULT, Condition, Option, Section

_MOVED = NAMED_SERVICES
_E = TypeVar("_E", Option, Section)
_SELF_HOSTED = (Condition("trainer.type", SELF_HOSTED_TRAINERS),)
_FOR_SELF_HOSTED = "for the nexrl launcher's self-hosted mode"

_AGENT_10 = "cli/common/config_utils.py@v1.0.0:43-58; cli/self_hosted/run.py@v1.0.0:612"
_TRAIN_10 = "cli/self_hosted/config_utils.py@v1.0.0:27-41; cli/self_hosted/run.py@v1.0.0:610"
_INFERENCE_10 = "cli/self_hosted/config_utils.py@v1.0.0:44-75; cli/self_hosted/run.py@v1.0.0:611"
_MIGRATE = "nexrl/utils/config_utils.py"
_AGENT_12 = f"{_MIGRATE}@v1.2.0:384-398; {_MIGRATE}@v1.4.0:428-442"
_TRAIN_12 = f"{_MIGRATE}@v1.2.0:283-343; {_MIGRATE}@v1.4.0:327-387"
_INFERENCE_12 = f"{_MIGRATE}@v1.2.0:348-378; {_MIGRATE}@v1.4.0:392-423"

_INFERENCE = "service.inference_service"
_REPLACEMENTS = {
    "resource.agent": "rollout_worker.resource",
    "resource.agent.num_workers": "rollout_worker.resource.num_workers",
    "resource.agent.agents_per_worker": "rollout_worker.resource.agents_per_worker",
    "resource.train": "service.train_service.resource",
    "resource.train.*.world_size": "service.train_service.resource.world_size",
    "resource.train.*.gpus_per_pod": "service.train_service.resource.gpus_per_pod",
    "resource.inference": f"{_INFERENCE}.resource",
    "resource.inference.replicas": f"{_INFERENCE}.resource.replicas",
    "resource.inference.gpus_per_replica": f"{_INFERENCE}.resource.gpus_per_replica",
    "resource.inference.served_model_name": f"{_INFERENCE}.model",
    "resource.inference.model_path": f"{_INFERENCE}.model_path",
    "resource.inference.extra_args": f"{_INFERENCE}.resource.extra_args",
    "resource.inference.backend": f"{_INFERENCE}.resource.backend",
}


def _moved(read: _E, source: str, **changes: Any) -> _E:
    """The entry `read` by 1.0 and 1.1 as it is from 1.2 on, moved: `source` is NexRL's
    migration code, `changes` what else differs."""
    return replace(read, source=source, added=_MOVED, removed=None, **changes)


def _section(
    path: str,
    description: str,
    sources: tuple[str, str],
    required_if: tuple[Condition, ...] = (),
    required_for: str = "",
) -> tuple[Section, Section]:
    """A section read by 1.0 and 1.1, moved from 1.2."""
    read = Section(
        path,
        description=description,
        source=sources[0],
        removed=_MOVED,
        required_if=required_if,
        required_for=required_for,
    )
    # Each key inside is deprecated on its own, naming its replacement.
    details = f"Moved from NexRL 1.2 on to {_REPLACEMENTS[path]}."
    return read, _moved(read, sources[1], required_if=(), required_for="", details=details)


def _option(
    path: str,
    kind: str,
    description: str,
    sources: tuple[str, str],
    minimum: float | None = None,
    default: object = NO_DEFAULT,
) -> tuple[Option, Option]:
    """An option the 1.0 and 1.1 launcher requires (unless it has a default), moved from 1.2."""
    read = Option(
        path,
        description=description,
        source=sources[0],
        removed=_MOVED,
        type=kind,
        minimum=minimum,
        default=default,
        required=default is NO_DEFAULT,
    )
    replaced_by = _REPLACEMENTS[path]
    return read, _moved(
        read, sources[1], deprecated=_MOVED, replaced_by=replaced_by, required=False
    )


_AGENT = (_AGENT_10, _AGENT_12)
_TRAIN = (_TRAIN_10, _TRAIN_12)
_INFER = (_INFERENCE_10, _INFERENCE_12)

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "resource",
        description="Pods the nexrl launcher starts (legacy location).",
        source=f"{_AGENT_10}; spec/complete-config.md",
        removed=_MOVED,
        required_if=_SELF_HOSTED,
        required_for=_FOR_SELF_HOSTED,
        details="The launcher's training-service mode reads resource.agent too.",
    ),
    Section(
        "resource",
        description="Pods the nexrl launcher starts (legacy location).",
        source=f"{_AGENT_12}; spec/v1.4/config-migration-guide.md",
        added=_MOVED,
        details=(
            "From 1.2 on NexRL moves resource.train.<id> to "
            "service.train_service.<name>.resource, resource.inference to "
            "service.inference_service (resource, model, model_path) and resource.agent "
            "to rollout_worker.resource, with a deprecation warning."
        ),
    ),
    *_section(
        "resource.agent",
        "Agent worker pods.",
        _AGENT,
        required_if=_SELF_HOSTED,
        required_for=_FOR_SELF_HOSTED,
    ),
    *_option("resource.agent.num_workers", "int", "Number of agent worker pods.", _AGENT),
    *_option("resource.agent.agents_per_worker", "int", "Agents each worker pod runs.", _AGENT),
    *_section(
        "resource.train",
        "Training pods, one entry per train service identifier.",
        _TRAIN,
        required_if=_SELF_HOSTED,
        required_for=_FOR_SELF_HOSTED,
    ),
    Section(
        "resource.train.*",
        description="Training pods of the train service with this identifier.",
        source=f"{_TRAIN_10}; {_TRAIN_12}",
        details=(
            "From 1.2 on the entry whose name is a train service's identifier (or the "
            "only entry, beside the only service) moves to that service's resource."
        ),
    ),
    *_option("resource.train.*.world_size", "int", "Number of training pods.", _TRAIN, minimum=1),
    Option(
        "resource.train.*.gpus_per_pod",
        description="GPUs per training pod.",
        source="spec/complete-config.md",
        removed=_MOVED,
        type="int",
        ignored=True,
        details="The 1.0 and 1.1 launcher assumes 8 GPUs per pod and does not read it.",
    ),
    Option(
        "resource.train.*.gpus_per_pod",
        description="GPUs per training pod.",
        source=f"{_TRAIN_12}; nexrl/trainer/self_hosted_trainer.py@v1.2.0:79-83",
        added=_MOVED,
        deprecated=_MOVED,
        replaced_by=_REPLACEMENTS["resource.train.*.gpus_per_pod"],
        type="int",
        minimum=1,
    ),
    Option(
        "resource.train.*.memory_per_gpu",
        description="GPU memory per GPU, in GB.",
        source="spec/complete-config.md",
        type="int",
        ignored=True,
        details="Documented in the reference's complete example; no NexRL version reads it.",
    ),
    *_section(
        "resource.inference",
        "Inference pods the launcher starts for a self-hosted run.",
        _INFER,
        required_if=_SELF_HOSTED,
        required_for=_FOR_SELF_HOSTED,
    ),
    *_option(
        "resource.inference.replicas", "int", "Number of inference replicas.", _INFER, minimum=1
    ),
    *_option(
        "resource.inference.gpus_per_replica",
        "int",
        "GPUs per inference replica (its tensor parallel size).",
        _INFER,
        minimum=1,
    ),
    *_option(
        "resource.inference.served_model_name",
        "string",
        "Name the inference server serves the model under.",
        _INFER,
    ),
    *_option("resource.inference.model_path", "string", "Model the replicas load.", _INFER),
    *_option(
        "resource.inference.extra_args",
        "string",
        "Extra command-line arguments for the inference server.",
        _INFER,
        default="",
    ),
    Option(
        "resource.inference.backend",
        description="Inference server the launcher starts.",
        source=_INFERENCE_12,
        added=_MOVED,
        deprecated=_MOVED,
        replaced_by=_REPLACEMENTS["resource.inference.backend"],
        type="string",
    ),
)
