"""The `data` section."""

from __future__ import annotations

from ..model import Option, Section

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "data",
        description="Training data loader: files, batch size, prompt key and length limits.",
        source="recipes",
        closed=False,
    ),
    Option(
        "data.batch_size",
        description="Number of prompts loaded per batch.",
        source="recipes",
        type="int",
        details="Must not exceed trajectory_pool.batch_size (checked at start-up).",
    ),
    Option(
        "data.keep_batch_order",
        description="Keep batches in order, finishing one loaded batch before the next.",
        source="recipes",
        type="bool",
        details=(
            "Checked at start-up: must be true exactly when weight.sync_mode is sync "
            "or batch-async, and must be true when "
            "trajectory_pool.check_batch_ready_function waits for "
            "loaded_batch_finished (and only then)."
        ),
    ),
    Option(
        "data.max_prompt_length",
        description="Maximum prompt length in tokens.",
        source="recipes",
        type="int",
    ),
    Option(
        "data.max_response_length",
        description="Maximum response length in tokens.",
        source="recipes",
        type="int",
        details="Must equal service.inference_service.max_tokens (checked at start-up).",
    ),
)
