"""The `debug` section (from 1.2): data dumps written during training.

The trainers read `trainer.debug` first and fall back to this top-level section.
"""

from __future__ import annotations

from ..model import Condition, Option, Section, Use

DUMPER = "nexrl/utils/data_dumper.py"
ADDED = "1.2"

_READ = f"{DUMPER}@v1.2.0:%s; {DUMPER}@v1.4.0:%s"
_ON = Condition("debug.enable_data_dump", (True,))

# What each dump holds; NexRL looks a name up in `dump_options`, then in
# `remote_api_dump_options`, so either mapping switches any of them on.
_SELF_HOSTED = {
    "trajectory": ("Trajectories before processing.", 212),
    "old_log_probs": ("Log-probabilities of the old policy.", 238),
    "forward_data": ("Inputs and outputs of the forward pass.", 274),
    "loss": ("Loss values.", 318),
    "param": ("Parameters matching target_param_pattern.", 359),
    "gradient": ("Gradients matching target_param_pattern.", 393),
}
_REMOTE_API = {
    "prepared_trajectories": ("Trajectories as prepared for the remote API.", 438),
    "datums": ("Datums sent to the remote training API.", 468),
    "training_metrics": ("Metrics returned by the remote training API.", 496),
}
_KINDS = {**_SELF_HOSTED, **_REMOTE_API}


def _switches(section: str, line: int, description: str) -> tuple[Option | Section, ...]:
    """A mapping of dump names to true/false at `debug.<section>`."""
    path = f"debug.{section}"
    entries: list[Option | Section] = [
        Section(
            path,
            description=description,
            source=_READ % (f"{line},197-202", f"{line},197-202"),
            added=ADDED,
            details=(
                "NexRL looks each dump name up in dump_options, then in "
                "remote_api_dump_options: either mapping switches on any dump."
            ),
        )
    ]
    for name, (what, used) in _KINDS.items():
        entries.append(
            Option(
                f"{path}.{name}",
                description=f"Dump: {what[0].lower()}{what[1:]}",
                source=_READ % (used, used),
                added=ADDED,
                type="bool",
                truthy=True,
                default=False,
            )
        )
    return tuple(entries)


ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "debug",
        description="Debug data dumps (trajectories, log-probs, losses) written during training.",
        source=_READ % ("84-93", "84-93"),
        added=ADDED,
        nullable=True,
        # `parent.get("debug", {}) or {}`; self-hosted trainers skip a null one.
        null_as_empty=True,
    ),
    Option(
        "debug.enable_data_dump",
        description="Write the dumps switched on in dump_options / remote_api_dump_options.",
        source=_READ % (99, 99),
        added=ADDED,
        type="bool",
        truthy=True,
        default=False,
    ),
    Option(
        "debug.dump_dir",
        description="Folder the dumps are written to (created if missing).",
        source=_READ % (109, 109),
        added=ADDED,
        type="string",
        default="debug_dump",
    ),
    *_switches("dump_options", 136, "Which self-hosted training data to dump."),
    *_switches("remote_api_dump_options", 131, "Which remote-API training data to dump."),
    Option(
        "debug.target_param_pattern",
        description="Only dump parameters and gradients whose name matches this pattern.",
        source=_READ % (134, 134),
        added=ADDED,
        type="string",
        default="",
    ),
    Option(
        "debug.dump_format",
        description="File format of the dumps.",
        source=_READ % ("137,570-580", "137,570-580"),
        added=ADDED,
        type="string",
        default="pt",
        choices=("pt", "jsonl"),
        used_if=(_ON,),
        details=(
            "- pt: torch.save files\n"
            "- jsonl: one JSON line per dump\n"
            "Another value stops training at the first dump."
        ),
    ),
    Option(
        "debug.dump_every_n_steps",
        description="Dump every this many training steps.",
        source=_READ % (138, 138),
        added=ADDED,
        type="int",
        default=1,
        used_if=(_ON,),
        use=Use(
            "divisor",
            "step % dump_every_n_steps",
            f"{DUMPER}@v1.4.0:193",
            "ZeroDivisionError in should_dump, at the first training step",
        ),
        details="With dumps on, 0 stops training at the first step (division by zero).",
    ),
)
