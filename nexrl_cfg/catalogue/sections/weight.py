"""The `weight` section: the weight-sync controller."""

from __future__ import annotations

from ...nexrl import REMOTE_BACKENDS
from ..model import Option, Section
from ._shared import CHECKS, CONTROLLER, module_type

SYNC = "nexrl/weight_sync/weight_sync_controller.py"

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "weight",
        description="Weight synchronisation between the trainer and the inference service.",
        source=f"{CONTROLLER}@v1.0.0:713; {CONTROLLER}@v1.4.0:762; spec/complete-config.md",
        required=True,
        required_for="to build the weight-sync controller",
    ),
    module_type(
        "weight.type",
        "Weight-sync controller implementation.",
        "607-609,644,886",
        "655-657,692,936",
    ),
    Option(
        "weight.sync_mode",
        description="How rollout waits for new weights from the trainer.",
        source=(
            f"{SYNC}@v1.0.0:79,201-204; {SYNC}@v1.4.0:80,222-225; {CHECKS}@v1.0.0:45-46; "
            "spec/complete-config.md"
        ),
        type="string",
        required=True,
        required_for="to build the weight-sync controller",
        choices=("sync", "fully-async", "batch-async"),
        loose_choices=True,
        details=(
            "- sync: wait for training before generating new rollouts\n"
            "- fully-async: no waiting; rollouts may use stale weights\n"
            "- batch-async: wait only when rollouts lag more than staleness_threshold "
            "versions behind\n"
            "NexRL compares it with sync and batch-async only: any other value behaves as "
            "fully-async."
        ),
    ),
    Option(
        "weight.staleness_threshold",
        description="How many weight versions rollouts may lag behind in batch-async mode.",
        source=f"{SYNC}@v1.0.0:80,204; {SYNC}@v1.4.0:81,225; spec/complete-config.md",
        type="number",
        required=True,
        required_for="to build the weight-sync controller, whatever the sync_mode",
        examples=("staleness_threshold: 0",),
    ),
    Option(
        "weight.validate_freq",
        description="Validate every this many weight versions; 0 turns validation off.",
        source=f"{SYNC}@v1.0.0:83,276-278; {SYNC}@v1.4.0:84,297-299; spec/complete-config.md",
        type="int",
        required=True,
        required_for="to build the weight-sync controller",
        details=(
            "NexRL's recipes write `validate_freq: ${validate.eval.validate_freq}`: "
            "this is the key NexRL reads."
        ),
        examples=("validate_freq: ${validate.eval.validate_freq}",),
    ),
    Option(
        "weight.sync_method",
        description="How new weights reach the inference service.",
        source=(
            f"{CHECKS}@v1.0.0:63-66,93; {CHECKS}@v1.4.0:168,204-206,226; "
            f"{SYNC}@v1.0.0:303-391; {SYNC}@v1.4.0:324-413; spec/complete-config.md"
        ),
        type="string",
        required=True,
        required_for="at start-up (its consistency checks read it)",
        choices=("disk", "network", "mock", *REMOTE_BACKENDS),
        details=(
            "- disk: trainer writes weights to sync_weight_path, the inference servers "
            "reload them\n"
            "- network: weights are served over the network (internal-only; needs "
            "actor.rollout.use_weight_provider: true)\n"
            "- mock: no transfer (testing)\n"
            "- tinker / weaver: the remote service updates its sampler; must match the "
            "inference and training backends\n"
            "Another value stops NexRL at its first weight sync. The reference page's "
            "comment lists 'disk, api'; 'api' is not a method NexRL knows."
        ),
    ),
    Option(
        "weight.sync_weight_path",
        description="Directory where synchronised weights are written.",
        source=(
            f"{SYNC}@v1.0.0:92; {SYNC}@v1.4.0:113; {CHECKS}@v1.0.0:57-61; "
            f"{CHECKS}@v1.4.0:166-173; spec/complete-config.md"
        ),
        type="string",
        default="",
        details=(
            "For disk and network sync it must equal trainer.sync_weight_path: when "
            "trainer.sync_weight_path is set, NexRL's start-up check reads this key "
            "without a default (in 1.4 only unless sync_method is tinker or weaver)."
        ),
    ),
)
