"""The `rollout_worker` section: worker type and count, sampling, the agent, NexAU and mock
worker settings, sequence lengths, and the launcher's `resource` (1.2 on)."""

from __future__ import annotations

from ...nexrl import NAMED_SERVICES, SELF_HOSTED_TRAINERS, SEQUENCE_LENGTHS
from ..model import NO_DEFAULT, Condition, Option, Section
from ._copies import distillation_copies

_CUSTOM = ".custom_rollout_worker_module_path"
# A custom worker class replaces the registry lookup, but subclasses the worker of its
# declared `type` and runs that class's __init__: the type's requirements still apply.
_NO_CUSTOM = Condition(_CUSTOM, (), absent=True)
_AGENT = Condition("rollout_worker.type", ("agent",))
_NEXAU = Condition("rollout_worker.type", ("nexau",))
_MOCK = Condition("rollout_worker.type", ("mock",))
_PIG_LATIN = Condition("rollout_worker.type", ("pig_latin",))
# Workers whose inference client NexRL builds and calls: `need_llm_inference: true` on a worker
# that generates (the pig_latin worker builds the client but never calls it).
_GENERATES = (
    Condition("rollout_worker.need_llm_inference", (True,)),
    Condition("rollout_worker.type", ("simple", "agent", "nexau")),
)
_SELF_HOSTED = Condition("trainer.type", SELF_HOSTED_TRAINERS)

_BASE = "nexrl/rollout_worker/base_rollout_worker.py"
_NEXAU_SRC = "nexrl/rollout_worker/base_nexau_rollout_worker.py"
_PIG_LATIN_SRC = "nexrl/rollout_worker/pig_latin_rollout_worker.py"
_MOCK_SRC = "nexrl/mock/mock_rollout_worker.py"
_LAUNCHER = "cli/common/config_utils.py"
_MATH_AGENT = "nexrl/agent/single_turn_math.py@v1.0.0:42; nexrl/agent/single_turn_math.py@v1.4.0:42"


def _nexau(
    name: str, kind: str, description: str, lines: tuple[str, str], default: object = NO_DEFAULT
) -> Option:
    """An option of the nexau worker, read at v1.0.0 and v1.4.0 `lines`."""
    return Option(
        f"rollout_worker.{name}",
        description=description,
        source=f"{_NEXAU_SRC}@v1.0.0:{lines[0]}; {_NEXAU_SRC}@v1.4.0:{lines[1]}",
        type=kind,
        default=default,
    )


ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "rollout_worker",
        description="Rollout workers that run the agent or task and produce trajectories.",
        source="nexrl/controller.py@v1.0.0:716,781; nexrl/controller.py@v1.4.0:765,831",
        required=True,
    ),
    Option(
        "rollout_worker.type",
        description="Rollout worker implementation.",
        source=(
            "nexrl/controller.py@v1.0.0:591-598,644; nexrl/controller.py@v1.4.0:637-644,692; "
            "spec/rollout-config.md"
        ),
        type="string",
        choices=("mock", "simple", "agent", "pig_latin", "nexau"),
        free_if_set=(_CUSTOM,),
        required_if=(_NO_CUSTOM,),
        details=(
            "- mock: mock worker for testing (1.2 on: can replay dumped trajectories)\n"
            "- simple: one LLM completion per task\n"
            "- agent: an agent class from agent_cls (single_turn_math)\n"
            "- pig_latin: supervised pig-latin translation task\n"
            "- nexau: NexAU agent framework\n"
            "NexRL raises at start-up for any other name, unless "
            "custom_rollout_worker_module_path names a worker class of your own. In Ray "
            "mode NexRL reads the type even beside a custom module."
        ),
    ),
    Option(
        "rollout_worker.custom_rollout_worker_module_path",
        description="Python file with a rollout worker class of your own, used instead of `type`.",
        source="nexrl/controller.py@v1.0.0:571-576; nexrl/controller.py@v1.4.0:617-622",
        type="string",
        examples=('custom_rollout_worker_module_path: "agent_workspace/my_worker.py"',),
    ),
    Option(
        "rollout_worker.custom_rollout_worker_class_name",
        description="Name of the worker class in custom_rollout_worker_module_path.",
        source="nexrl/controller.py@v1.0.0:573-574; nexrl/controller.py@v1.4.0:619-620",
        type="string",
        default="CustomRolloutWorker",
    ),
    Option(
        "rollout_worker.num_workers",
        description="Number of rollout worker instances.",
        source=(
            "nexrl/controller.py@v1.0.0:781,916; nexrl/controller.py@v1.4.0:831,966; "
            "spec/rollout-config.md"
        ),
        type="int",
        required=True,
        minimum=1,
        details=(
            "In local mode NexRL builds the workers with ThreadPoolExecutor(max_workers="
            "num_workers), which raises at start-up for 0 or less "
            "(nexrl/controller.py@v1.0.0:654, nexrl/controller.py@v1.4.0:702); in Ray mode "
            "no worker would ever roll out."
        ),
        examples=("num_workers: 64",),
    ),
    Option(
        "rollout_worker.need_llm_inference",
        description="Whether the worker calls the inference service.",
        source=f"{_BASE}@v1.0.0:106; {_BASE}@v1.4.0:112; spec/rollout-config.md",
        type="bool",
        default=False,
        details=(
            "The reference gives true as the default; NexRL's code defaults to false, "
            "so a worker that generates must set it."
        ),
    ),
    Option(
        "rollout_worker.temperature",
        description="Sampling temperature for LLM generation.",
        source=(
            "nexrl/inference_service_client/openai_inference_service_client.py@v1.0.0:119,218; "
            "nexrl/inference_service_client/remote_api_inference_service_client.py@v1.0.0:123,182; "
            "nexrl/inference_service_client/openai_inference_service_client.py@v1.4.0:219,320; "
            "nexrl/inference_service_client/remote_api_inference_service_client.py@v1.4.0:154,213; "
            "nexrl/rollout_worker/simple_rollout_worker.py@v1.4.0:97; "
            "nexrl/rollout_worker/agent_rollout_worker.py@v1.4.0:169; spec/rollout-config.md"
        ),
        type="number",
        minimum=0,
        used_if=(_GENERATES[1],),
        required_if=_GENERATES,
        required_for=(
            "for every request of a worker that generates: the OpenAI-compatible client reads "
            "it as the default of `kwargs.pop('temperature', ...)`, evaluated even when the "
            "agent passes its own, and the Tinker and Weaver clients read it directly"
        ),
        details=(
            "Read by the inference client, so a custom worker class needs it too. The nexau "
            "worker's own default (1.0) only labels its trajectories; the pig_latin worker "
            "never generates. Inference engines reject a negative temperature at the first "
            "request."
        ),
    ),
    Option(
        "rollout_worker.agent_cls",
        description="Agent class the agent worker runs.",
        source=(
            "nexrl/rollout_worker/agent_rollout_worker.py@v1.0.0:46-53,82; "
            "nexrl/rollout_worker/agent_rollout_worker.py@v1.4.0:46-53,82"
        ),
        type="string",
        default="single_turn_math",
        choices=("single_turn_math",),
        used_if=(_AGENT,),
    ),
    Section(
        "rollout_worker.agent",
        description="Settings of the agent classes.",
        source=_MATH_AGENT,
        required_if=(_AGENT,),
        required_for=(
            "for the agent worker and a worker class of your own declared as agent (its "
            "__init__ builds the agent)"
        ),
    ),
    Section(
        "rollout_worker.agent.math",
        description="Settings of the single_turn_math agent.",
        source=_MATH_AGENT,
        required_if=(_AGENT,),
        required_for="for the single_turn_math agent",
    ),
    Option(
        "rollout_worker.agent.math.judge_mode",
        description="How answers are scored: rules, an LLM judge, or both.",
        source=(
            "nexrl/agent/single_turn_math.py@v1.0.0:42; "
            "nexrl/utils/reward_score/bp_math.py@v1.4.0:277-285"
        ),
        type="string",
        nullable=True,
        choices=("rule", "llm_judge", "rule+llm_judge"),
        used_if=(_AGENT,),
        required_if=(_AGENT,),
        required_for="for the single_turn_math agent",
        details="null scores by rule; any other name fails on the first sample.",
    ),
    Option(
        "rollout_worker.max_prompt_length",
        description="Longest prompt, in tokens, the agent sends; longer tasks are skipped.",
        source=(
            "nexrl/agent/single_turn_math.py@v1.0.0:43; nexrl/agent/single_turn_math.py@v1.4.0:43; "
            "spec/rollout-config.md"
        ),
        type="int",
        minimum=1,
        used_if=(_AGENT,),
        required_if=(_AGENT,),
        required_for="for the single_turn_math agent",
        details=(
            "The agent compares it with the length of the prompt string (characters, not "
            "tokens) and skips longer tasks (nexrl/agent/single_turn_math.py@v1.4.0:74-77): "
            "0 or less skips every task, and no trajectory is ever produced."
        ),
    ),
    Option(
        "rollout_worker.max_response_length",
        description="Longest response, in tokens.",
        source="spec/rollout-config.md",
        removed=SEQUENCE_LENGTHS,
        type="int",
        ignored=True,
        details="Documented, but no NexRL version before 1.4 reads it.",
    ),
    Option(
        "rollout_worker.max_response_length",
        description="Longest response, in tokens; counted against max_sequence_length.",
        source="nexrl/utils/validate_config.py@v1.4.0:63-68",
        added=SEQUENCE_LENGTHS,
        type="int",
        default=0,
        details=(
            "NexRL 1.4 asserts max_sequence_length >= data.max_prompt_length + "
            "max_response_length at start-up. Recipes point data.max_response_length here."
        ),
    ),
    Option(
        "rollout_worker.max_sequence_length",
        description="Longest trajectory in tokens (prompt, turns and responses together).",
        source=f"nexrl/utils/validate_config.py@v1.4.0:56-68; {_BASE}@v1.4.0:62-67",
        added=SEQUENCE_LENGTHS,
        type="int",
        required=True,
        details=(
            "Must be >= data.max_prompt_length + rollout_worker.max_response_length "
            "(asserted at start-up); for multi-turn rollouts usually larger. Longer "
            "sequences are truncated."
        ),
        examples=("max_sequence_length: 12288",),
    ),
    Option(
        "rollout_worker.identifier",
        description="Model identifier the pig_latin worker stamps on its trajectories.",
        source=(
            f"{_PIG_LATIN_SRC}@v1.2.0:122; {_PIG_LATIN_SRC}@v1.4.0:127; "
            "nexrl/weight_sync/weight_sync_controller.py@v1.4.0:212-214"
        ),
        added="1.2",
        type="string",
        default="default",
        details=(
            "The trajectory pool groups trajectories by this tag and reports each batch to "
            "the weight-sync controller, which knows only the inference service's "
            "identifier: it must equal service.inference_service.identifier."
        ),
    ),
    Option(
        "rollout_worker.tokenizer",
        description="Tokenizer path of the nexau and pig_latin workers.",
        source=(
            f"{_NEXAU_SRC}@v1.0.0:197-200; {_NEXAU_SRC}@v1.4.0:198-201; "
            f"{_PIG_LATIN_SRC}@v1.0.0:64-65; {_PIG_LATIN_SRC}@v1.4.0:64-65"
        ),
        type="string",
        required_if=(_NEXAU,),
        required_for=(
            "for the nexau worker, and a worker class of your own declared as nexau (its "
            "__init__ runs the nexau worker's)"
        ),
        details=(
            "The nexau worker raises 'Tokenizer path must be provided in config for NexAU "
            "workers' at start-up without it. The pig_latin worker loads it at start-up, "
            "falling back to rollout_worker.data.tokenizer_path."
        ),
    ),
    Section(
        "rollout_worker.data",
        description=(
            "Fallback tokenizer of the pig_latin worker, read even when `tokenizer` is set."
        ),
        source=f"{_PIG_LATIN_SRC}@v1.0.0:64; {_PIG_LATIN_SRC}@v1.4.0:64",
        required_if=(_PIG_LATIN,),
        required_for=(
            "for the pig_latin worker, which evaluates `rollout_worker.data.tokenizer_path` as "
            "the default of `config.get('tokenizer', ...)` at start-up: without it NexRL "
            "stops with 'Missing key data'"
        ),
        details=(
            "NexRL does not copy the top-level `data` section here: write "
            "`data: {tokenizer_path: ${data.tokenizer_path}}` under rollout_worker."
        ),
    ),
    Option(
        "rollout_worker.data.tokenizer_path",
        description="Tokenizer path the pig_latin worker uses when `tokenizer` is not set.",
        source=f"{_PIG_LATIN_SRC}@v1.0.0:64; {_PIG_LATIN_SRC}@v1.4.0:64",
        type="string",
        required_if=(_PIG_LATIN,),
        required_for="for the pig_latin worker (read at start-up, even beside `tokenizer`)",
        examples=("tokenizer_path: ${data.tokenizer_path}",),
    ),
    Option(
        "rollout_worker.nexau_agent_config_path",
        description="NexAU agent configuration file, relative to the recipe.",
        source=f"{_NEXAU_SRC}@v1.0.0:177,267-268; {_NEXAU_SRC}@v1.4.0:178,268-269",
        type="string",
        required_if=(_NEXAU,),
        required_for=(
            "for the nexau worker and a worker class of your own declared as nexau (it "
            "raises 'nexau_agent_config_path not configured' on the first task)"
        ),
    ),
    Option(
        "rollout_worker.evaluator_module_path",
        description="Evaluator as `path/to/file.py:ClassName`, relative to the recipe.",
        source=(
            f"{_NEXAU_SRC}@v1.0.0:182,512-513; {_NEXAU_SRC}@v1.4.0:183,569-570; "
            "nexrl/utils/path_utils.py@v1.0.0:114-136"
        ),
        type="string",
        required_if=(_NEXAU,),
        required_for=(
            "for the nexau worker and a worker class of your own declared as nexau: without "
            "it the worker raises 'Evaluator not initialized' on the first task"
        ),
        details=(
            "NexRL checks the form and that the file exists at start-up, relative to the "
            "launched config file."
        ),
        examples=('evaluator_module_path: "agent_workspace/evaluator.py:NewsEvaluator"',),
    ),
    _nexau(
        "nexau_agent_workspace",
        "string",
        "Folder added to the import path for the agent's own modules.",
        ("186", "187"),
    ),
    _nexau("task_name", "string", "Task name for logging and traces.", ("192", "193")),
    _nexau("trace_path", "string", "Folder for agent traces.", ("193", "194")),
    _nexau("save_trace", "bool", "Save agent traces to trace_path.", ("194", "195"), False),
    _nexau(
        "enable_trace_prefix_merge",
        "bool",
        "Merge turns that share a token prefix into one trajectory.",
        ("576", "547"),
        True,
    ),
    Option(
        "rollout_worker.trajectory_load_path",
        description="File of dumped trajectories the mock worker replays.",
        source=f"{_MOCK_SRC}@v1.2.0:82; {_MOCK_SRC}@v1.4.0:82",
        added="1.2",
        type="string",
        nullable=True,
    ),
    Option(
        "rollout_worker.trajectory_format",
        description="Format of trajectory_load_path.",
        source=f"{_MOCK_SRC}@v1.2.0:83; {_MOCK_SRC}@v1.4.0:83,120-129",
        added="1.2",
        type="string",
        default="jsonl",
        choices=("pt", "jsonl"),
        loose_choices=True,
        used_if=(_MOCK,),
        details=(
            "An unknown format is logged as an error and the worker goes on with no "
            "loaded trajectories."
        ),
    ),
    Section(
        "rollout_worker.resource",
        description="Agent pods the nexrl launcher starts (replaces resource.agent).",
        source=f"{_LAUNCHER}@v1.2.0:272-287; {_LAUNCHER}@v1.4.0:290-305",
        added=NAMED_SERVICES,
        required_if=(_SELF_HOSTED, Condition("resource.agent", (), absent=True)),
        required_for="for the nexrl launcher's self-hosted mode (or the deprecated resource.agent)",
        details=(
            "The launcher's training-service mode reads it too; NexRL itself (python -m "
            "nexrl.main) does not."
        ),
    ),
    Option(
        "rollout_worker.resource.num_workers",
        description="Number of agent worker pods.",
        source=f"{_LAUNCHER}@v1.2.0:279-285; {_LAUNCHER}@v1.4.0:297-303; {_MOCK_SRC}@v1.4.0:101",
        added=NAMED_SERVICES,
        type="int",
        required=True,
        required_for="for the nexrl launcher",
    ),
    Option(
        "rollout_worker.resource.agents_per_worker",
        description="Agents each worker pod runs.",
        source=f"{_LAUNCHER}@v1.2.0:279-285; {_LAUNCHER}@v1.4.0:297-303",
        added=NAMED_SERVICES,
        type="int",
        required=True,
        required_for="for the nexrl launcher",
    ),
    *distillation_copies("rollout_worker", 139),
)
