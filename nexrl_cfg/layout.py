"""The one place that knows how a NexRL config is laid out.

Where each section lives; the two layouts of the training service (flat
`service.train_service.{backend,url,actor,...}`, or named services
`service.train_service.<name>.{role,backend,...}`); which named service is the actor and
which the teacher; and which catalogue entry describes a concrete key (a named service's
keys are the train service's, `resource.train.<id>.world_size` is `resource.train.*...`, a
list item's keys are `<list>[]...`). Rules ask it instead of re-deriving paths.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .nexrl import ACTOR, TEACHER, is_flat

if TYPE_CHECKING:
    from .catalogue import Catalogue

SERVICE = "service"
INFERENCE = "service.inference_service"
TRAIN = "service.train_service"
TINKER = "service.tinker_service"
WEAVER = "service.weaver_service"
DATA = "data"
TRAINER = "trainer"
ALGORITHM = "trainer.algorithm"
ROLLOUT = "rollout_worker"
POOL = "trajectory_pool"
WEIGHT = "weight"
VALIDATE = "validate"
LOGGER = "logger"
RESUME = "resume"


def is_nested_train_service(value: Any, catalogue: Catalogue) -> bool:
    """NexRL's later layout: `train_service: {<name>: {role, backend, ...}, ...}`."""
    if not isinstance(value, dict) or is_flat(value):
        return False
    own = catalogue.children(TRAIN)
    return any(isinstance(v, dict) and k not in own for k, v in value.items())


@dataclass(eq=False, repr=False)
class Layout:
    """The layout of one composed config."""

    data: Any
    catalogue: Catalogue
    nested: bool = field(init=False)
    train_services: list[str] = field(init=False)
    # spec_path's answers, shared by the configs of one catalogue and layout (the same named
    # services): the rules ask for the same keys again and again, in config after config.
    _spec_paths: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        service = self.data.get("service") if isinstance(self.data, dict) else None
        train = service.get("train_service") if isinstance(service, dict) else None
        self.nested = is_nested_train_service(train, self.catalogue)
        if not isinstance(train, dict):
            self.train_services = []
        elif self.nested:
            self.train_services = [
                f"{TRAIN}.{name}" for name, sub in train.items() if isinstance(sub, dict)
            ]
        else:
            self.train_services = [TRAIN]
        self._spec_paths = _SPEC_PATHS.setdefault(
            (self.catalogue, self.nested, *self.train_services), {}
        )
        if len(self._spec_paths) > _SPEC_PATHS_KEPT:
            self._spec_paths.clear()

    # -- services -------------------------------------------------------------------------
    def role(self, service: str) -> Any:
        value = _lookup(self.data, service)
        return value.get("role") if isinstance(value, dict) else None

    def with_role(self, role: str) -> list[str]:
        return [s for s in self.train_services if self.role(s) == role]

    @property
    def actor(self) -> str | None:
        """The service that trains the policy, as NexRL picks it: the flat `train_service`,
        the only named service, or the one named service with `role: actor`."""
        if len(self.train_services) == 1:
            return self.train_services[0]
        actors = self.with_role(ACTOR)
        return actors[0] if len(actors) == 1 else None

    @property
    def teacher(self) -> str | None:
        teachers = self.with_role(TEACHER)
        return teachers[0] if teachers else None

    def actor_section(self, service: str) -> str:
        return f"{service}.actor"

    # -- catalogue paths ------------------------------------------------------------------
    def spec_path(self, dotted: str) -> str:
        """The catalogue path that describes the concrete key `dotted`."""
        found = self._spec_paths.get(dotted)
        if found is None:
            found = self._spec_paths[dotted] = self._spec_path(dotted)
        return found

    def _spec_path(self, dotted: str) -> str:
        parts = dotted.split(".") if dotted else []
        named = len(parts) >= 3 and f"{TRAIN}.{parts[2]}" in self.train_services
        if self.nested and named and f"{parts[0]}.{parts[1]}" == TRAIN:
            parts = parts[:2] + parts[3:]
        out: list[str] = []
        for part in parts:
            prefix = ".".join(out)
            if part.isdigit() and self.catalogue.section(f"{prefix}[]") is not None:
                out[-1] = f"{out[-1]}[]"
            elif (
                self.catalogue.entry(f"{prefix}.{part}" if prefix else part) is None
                and self.catalogue.section(f"{prefix}.*") is not None
            ):
                out.append("*")
            else:
                out.append(part)
        return ".".join(out)


# Catalogue (one per NexRL version, built once per run), layout -> {key: catalogue path}; at
# most this many keys each.
_SPEC_PATHS: dict[tuple[Any, ...], dict[str, str]] = {}
_SPEC_PATHS_KEPT = 20_000


def _lookup(data: Any, dotted: str) -> Any:
    node = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node
