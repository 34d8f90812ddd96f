"""The `data` section: the training data loader (`torch` or `mock`).

`loader_entries` describes what either loader reads; `validate.data` (the validation loader,
built by the same classes) uses it too.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import Condition, Option, Section, Use
from ._shared import CHECKS, CONTROLLER

TORCH = "nexrl/data_loader/torch_data_loader.py"
LOADER = "nexrl/data_loader/data_loader.py"
MOCK = "nexrl/mock/mock_data_loader.py"

# The loaders read the same lines at every release from v1.0.0 to v1.4.0.
_TORCH_READ = f"{TORCH}@v1.0.0:%s; {TORCH}@v1.4.0:%s"
_LOADER_READ = f"{LOADER}@v1.0.0:%s; {LOADER}@v1.4.0:%s"
_REGISTRY = (
    f"{CONTROLLER}@v1.0.0:587-590,610-613,622-626,644; "
    f"{CONTROLLER}@v1.4.0:633-636,658-661,670-674,692"
)

_TORCH = Condition(".type", ("torch",))
_MOCK = Condition(".type", ("mock",))


def _rollout_repeat_n(prefix: str) -> Option:
    """Each training item is repeated this many times (`range(n)`); validation items never."""
    training = prefix == "data"
    return Option(
        f"{prefix}.rollout_repeat_n",
        description="Number of rollouts per prompt (each item is repeated n times).",
        source=f"{_LOADER_READ % ('140,184,237,287', '161,205,258,309')}; spec/data-config.md",
        type="int",
        default=1,
        use=Use(
            "count",
            "for _ in range(rollout_repeat_n)",
            f"{LOADER}@v1.4.0:161,258",
            "every loaded batch is empty and the loader indexes it at the first rollout "
            "(IndexError)",
        )
        if training
        else None,
        no_effect=""
        if training
        else f"the validation loader never repeats its items ({LOADER}@v1.4.0:309)",
        details=(
            "GRPO needs several samples per prompt to rank them, e.g. 8. Each loaded item "
            "is copied range(n) times: with 0 or less the batch is empty and the loader "
            "indexes it at the first rollout (IndexError)."
            if training
            else "The validation loader reads it but never repeats its items: it has no "
            "effect here."
        ),
    )


def loader_entries(prefix: str) -> tuple[Option, ...]:
    """What the `torch` and `mock` loaders read from their section, at `prefix`."""
    return (
        Option(
            f"{prefix}.type",
            description="Data loader implementation.",
            source=f"{_REGISTRY}; spec/data-config.md",
            type="string",
            required=True,
            required_for="to pick the data loader (its fallback 'default' is no loader)",
            choices=("torch", "mock"),
            details=(
                "- torch: reads parquet, csv or jsonl files (data_files)\n"
                "- mock: generates synthetic prompts (testing)\n"
                "NexRL reads it with the fallback 'default', which names no loader: the "
                "controller stops with 'Unsupported ... type'."
            ),
        ),
        Option(
            f"{prefix}.data_files",
            description="Data files to load: a path or a list of paths.",
            source=f"{_TORCH_READ % ('194-196', '194-196')}; spec/data-config.md",
            type="string-or-list",
            required_if=(_TORCH,),
            required_for="for the torch data loader ('data_files must be specified')",
            details=(
                "Files ending in .parquet, .csv or .jsonl; any other extension stops the "
                "loader. An empty list stops it too."
            ),
        ),
        _rollout_repeat_n(prefix),
        Option(
            f"{prefix}.prompt_key",
            description="Column of the data files that holds the prompt.",
            source=f"{_TORCH_READ % (200, 200)}; spec/data-config.md",
            type="string",
            default="prompt",
        ),
        Option(
            f"{prefix}.filter_prompts",
            description="Drop prompts longer than max_prompt_length tokens (torch loader).",
            source=f"{_TORCH_READ % (198, 198)}; spec/data-config.md",
            type="bool",
            truthy=True,
            default=False,
            details="Needs tokenizer_path to count tokens.",
        ),
        Option(
            f"{prefix}.max_prompt_length",
            description="Maximum prompt length in tokens, for filter_prompts.",
            source=f"{_TORCH_READ % (199, 199)}; spec/data-config.md",
            type="int",
            default=1024,
            details="The torch loader's default is 1024; the reference page gives 4096.",
        ),
        Option(
            f"{prefix}.tokenizer_path",
            description="Tokenizer used to count prompt tokens when filter_prompts is on.",
            source=f"{_TORCH_READ % (207, 207)}; {TORCH}@v1.0.0:97; spec/data-config.md",
            type="string",
            required_if=(_TORCH, Condition(".filter_prompts", (True,))),
            required_for="to filter prompts by length (the loader asserts a tokenizer)",
            details=(
                "The reference page calls it required for the torch loader; NexRL's loader "
                "reads it only when filter_prompts is true."
            ),
        ),
        Option(
            f"{prefix}.shuffle",
            description="Shuffle the data (torch loader).",
            source=f"{_TORCH_READ % (201, 201)}; spec/data-config.md",
            type="bool",
            truthy=True,
            default=False,
            details="NexRL's default is false; the reference page gives true.",
        ),
        Option(
            f"{prefix}.drop_last",
            description="Drop the last incomplete batch (torch loader).",
            source=f"{_TORCH_READ % (202, 202)}; spec/data-config.md",
            type="bool",
            default=False,
            details="NexRL's default is false; the reference page gives true.",
        ),
        Option(
            f"{prefix}.mock_api_type",
            description="Prompt format the mock loader generates.",
            source=f"{MOCK}@v1.0.0:90-95; {MOCK}@v1.4.0:90-95",
            type="string",
            default="completion",
            choices=("completion", "generate"),
            used_if=(_MOCK,),
            details=(
                "- completion: plain text prompts\n"
                "- generate: chat messages (system and user roles)"
            ),
        ),
        Option(
            f"{prefix}.mock_data_size",
            description="Number of mock items (documented, but not read).",
            source="spec/data-config.md",
            type="int",
            ignored=True,
            details="The mock loader always generates batch_size * 16 items.",
        ),
    )


def _training_loader() -> tuple[Option, ...]:
    """The loader's options under `data`; NexRL 1.4's start-up check also reads the prompt
    length (to compare with rollout_worker.max_sequence_length), counting an absent one as 0."""
    options = loader_entries("data")
    return tuple(
        replace(
            o,
            source=f"{o.source}; {CHECKS}@v1.4.0:62",
            details=(
                f"{o.details} From 1.4 on, the start-up check that rollout_worker."
                "max_sequence_length covers prompt and response counts an absent "
                "max_prompt_length as 0."
            ),
        )
        if o.name == "max_prompt_length"
        else o
        for o in options
    )


ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "data",
        description="Training data loader: files, batch size, prompt key and length limits.",
        source=f"{CONTROLLER}@v1.0.0:107,714; {CONTROLLER}@v1.4.0:114,763; spec/data-config.md",
        required=True,
        required_for="to build the data loader",
    ),
    *_training_loader(),
    Option(
        "data.seed",
        description="Random seed; NexRL seeds Python, NumPy and torch with it at start-up.",
        source=(
            f"{CONTROLLER}@v1.0.0:107; {CONTROLLER}@v1.4.0:114; "
            f"{TORCH}@v1.0.0:230; spec/data-config.md"
        ),
        type="int",
        required=True,
        required_for="at start-up, to seed every random generator",
        minimum=0,
        maximum=2**32 - 1,
        details=(
            "The reference page gives a default of 42 (the torch loader's fallback for its "
            "shuffle), but the controller reads data.seed without a default. NumPy takes "
            "seeds from 0 to 2**32 - 1 only: another value stops NexRL at start-up "
            "(np.random.seed, nexrl/controller.py@v1.0.0:107, @v1.4.0:76,114)."
        ),
    ),
    Option(
        "data.batch_size",
        description="Number of prompts loaded per batch.",
        source=(
            f"{CHECKS}@v1.0.0:42; {CHECKS}@v1.4.0:44; {LOADER}@v1.0.0:171; "
            f"{MOCK}@v1.0.0:87; spec/data-config.md"
        ),
        type="int",
        required=True,
        required_for="at start-up (compared with trajectory_pool.batch_size)",
        minimum=1,
        details=(
            "Must not exceed trajectory_pool.batch_size (checked at start-up). The torch "
            "loader refuses a batch size below 1."
        ),
    ),
    Option(
        "data.keep_batch_order",
        description="Keep batches in order, finishing one loaded batch before the next.",
        source=(
            f"{CHECKS}@v1.0.0:32,35,45; {CHECKS}@v1.4.0:34,37,47; {LOADER}@v1.0.0:178; "
            "spec/data-config.md"
        ),
        type="bool",
        required=True,
        required_for="at start-up (its consistency checks read it)",
        details=(
            "Checked at start-up: must be true exactly when weight.sync_mode is sync "
            "or batch-async, and must be true when "
            "trajectory_pool.check_batch_ready_function waits for "
            "loaded_batch_finished (and only then). The reference page gives a default "
            "of true; NexRL's start-up checks read it without one."
        ),
    ),
    Option(
        "data.max_response_length",
        description="Maximum response length in tokens.",
        source=f"{CHECKS}@v1.0.0:50; {CHECKS}@v1.4.0:52; spec/data-config.md",
        type="int",
        required=True,
        required_for="at start-up (compared with service.inference_service.max_tokens)",
        details=(
            "Must equal service.inference_service.max_tokens (checked at start-up). The "
            "reference page gives a default of 8192; NexRL reads it without one."
        ),
    ),
)
