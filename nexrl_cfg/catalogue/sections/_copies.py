"""Keys NexRL's on-policy distillation recipe copies into sections where no NexRL version reads
them (NexRL reads them on the actor, `service.train_service.<name>.actor`)."""

from __future__ import annotations

from ..model import Option

_RECIPE = "recipe/on_policy_distill/self_hosted_opd_qwen2a5_1a5b_from_7b.yaml@v1.2.0"
_KEYS = (
    ("use_distillation_clipping", "bool"),
    ("distillation_cliprange", "number"),
    ("distillation_cliprange_low", "number"),
    ("distillation_cliprange_high", "number"),
    ("do_old_student_log_prob_compute", "bool"),
    ("train_token_start_pct", "number"),
    ("train_token_end_pct", "number"),
    ("advantage_start_pct", "number"),
    ("advantage_end_pct", "number"),
)


def distillation_copies(section: str, line: int, read: tuple[str, ...] = ()) -> tuple[Option, ...]:
    """The recipe's copies of the distillation keys in `section`, written from `line` on,
    but for those NexRL does read there (`read`)."""
    return tuple(
        Option(
            f"{section}.{name}",
            description=f"A copy of the actor's {name} (read by no NexRL version here).",
            source=f"{_RECIPE}:{line}",
            type=type_,
            added="1.2",
            unread=True,
            details="NexRL reads it on the actor: service.train_service.<name>.actor.",
        )
        for name, type_ in _KEYS
        if name not in read
    )
