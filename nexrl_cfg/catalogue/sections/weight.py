"""The `weight` section."""

from __future__ import annotations

from ..model import Option, Section

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "weight",
        description="Weight synchronisation between the trainer and the inference service.",
        source="recipes",
        closed=False,
    ),
    Option(
        "weight.sync_mode",
        description="How rollout waits for new weights from the trainer.",
        source="recipes",
        type="string",
        choices=("sync", "fully-async", "batch-async"),
        details=(
            "- sync: wait for training before generating new rollouts\n"
            "- fully-async: no waiting; rollouts may use stale weights\n"
            "- batch-async: wait only when rollouts lag more than staleness_threshold "
            "versions behind"
        ),
    ),
    Option(
        "weight.sync_method",
        description="How new weights reach the inference service.",
        source="recipes",
        type="string",
        choices=("disk", "network", "mock", "tinker", "weaver"),
        details=(
            "- disk: trainer writes weights to sync_weight_path, the inference servers "
            "reload them\n"
            "- network: weights are served over the network (internal-only; needs "
            "actor.rollout.use_weight_provider: true)\n"
            "- mock: no transfer (testing)\n"
            "- tinker / weaver: the remote service updates its sampler; must match the "
            "inference and training backends"
        ),
    ),
    Option(
        "weight.sync_weight_path",
        description="Directory where synchronised weights are written.",
        source="recipes",
        type="string",
        details="For disk and network sync it must equal trainer.sync_weight_path.",
    ),
)
