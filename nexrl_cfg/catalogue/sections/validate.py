"""The `validate` section: the validation data loader (`validate.data`) and the validator
(`validate.eval`)."""

from __future__ import annotations

from ..model import Condition, Option, Section, Use
from ._shared import CONTROLLER, module_type
from .data import LOADER, MOCK, TORCH, loader_entries

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "validate",
        description="Periodic validation: its own data loader and evaluation settings.",
        source=f"{CONTROLLER}@v1.0.0:140,717-718; {CONTROLLER}@v1.4.0:149,766-767",
        required=True,
        required_for="to build the validation data loader and the validator",
    ),
    Option(
        "validate.max_response_length",
        description="Longest validation response, as NexRL's OPD recipe writes it (read by no "
        "NexRL version).",
        source="recipe/on_policy_distill/self_hosted_opd_qwen2a5_1a5b_from_7b.yaml@v1.4.0:310",
        type="int",
        minimum=1,
        unread=True,
        details="Validation generates with the inference service's max_tokens.",
    ),
    Option(
        "validate.validate_before_train",
        description="Run a validation pass before the first training step.",
        source=f"{CONTROLLER}@v1.0.0:140,148; {CONTROLLER}@v1.4.0:149,162",
        type="bool",
        truthy=True,
        required=True,
        required_for="when the run starts",
    ),
    Section(
        "validate.data",
        description="Validation data loader; the same options as `data`.",
        source=f"{CONTROLLER}@v1.0.0:717; {CONTROLLER}@v1.4.0:766; spec/data-config.md",
        required=True,
        required_for="to build the validation data loader",
    ),
    *loader_entries("validate.data"),
    Option(
        "validate.data.seed",
        description="Random seed of the validation loader's shuffle (torch loader).",
        source=f"{TORCH}@v1.0.0:230; {TORCH}@v1.4.0:230; spec/data-config.md",
        type="int",
        default=42,
        examples=("seed: ${data.seed}",),
    ),
    Option(
        "validate.data.batch_size",
        description="Number of prompts per validation batch.",
        source=(
            f"{LOADER}@v1.0.0:171; {LOADER}@v1.4.0:192; {MOCK}@v1.0.0:87; "
            f"{MOCK}@v1.4.0:87; spec/data-config.md"
        ),
        type="int",
        default=32,
        required_if=(Condition(".type", ("mock",)),),
        required_for="for the mock data loader, which reads it without a default",
        use=Use(
            "count",
            "DataLoader(batch_size=batch_size)",
            f"{TORCH}@v1.4.0:240",
            "ValueError when the validation loader is built at start-up",
            when=(Condition(".type", ("torch",)),),
        ),
        details=(
            "The torch loader refuses a batch size below 1 at start-up. The mock loader "
            "takes 0 (an empty loader), which fails at the first validation."
        ),
    ),
    Option(
        "validate.data.keep_batch_order",
        description="Read, then ignored: the validation loader never keeps batch order.",
        source=f"{LOADER}@v1.0.0:178-181; {LOADER}@v1.4.0:199-202",
        type="bool",
        default=False,
        no_effect=f"the validation loader sets it to false ({LOADER}@v1.4.0:201-202)",
    ),
    Section(
        "validate.eval",
        description="The validator.",
        source=f"{CONTROLLER}@v1.0.0:718; {CONTROLLER}@v1.4.0:767; spec/complete-config.md",
        required=True,
        required_for="to build the validator",
    ),
    module_type(
        "validate.eval.type", "Validator implementation.", "614-616,644,907", "662-664,692,957"
    ),
    Option(
        "validate.eval.validate_freq",
        description="Validation frequency in weight versions (0 = off), for weight.validate_freq.",
        source="spec/complete-config.md",
        type="int",
        ignored=True,
        details=(
            "NexRL reads the frequency from weight.validate_freq only; NexRL's recipes "
            "keep it here and write `weight.validate_freq: ${validate.eval.validate_freq}`."
        ),
    ),
)
