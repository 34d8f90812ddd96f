"""The `trainer` section: trainer type, step count, checkpoint paths, the OPD teachers and
`trainer.algorithm` (GRPO's KL settings, OPD's distillation settings)."""

from __future__ import annotations

from ...nexrl import (
    OLDEST,
    REMOTE_API_OPD,
    REMOTE_BACKENDS,
    REMOTE_TRAINERS,
    SELF_HOSTED_OPD,
    SELF_HOSTED_TRAINERS,
    SEQUENCE_LENGTHS,
)
from ..model import Condition, Option, Section, Use
from ._copies import distillation_copies
from ._shared import RAY
from .resume import SWITCHES

# The trainer types each NexRL version registers (`controller.py`, `_get_module_class_for_role`).
_TYPES_1_0 = ("self_hosted_grpo", "remote_api_grpo", "remote_api_cross_entropy")
_TYPES_1_2 = ("self_hosted_grpo", "self_hosted_opd", "remote_api_grpo", "remote_api_cross_entropy")
_TYPES_1_4 = (*_TYPES_1_2, "remote_api_opd")

# A custom trainer module replaces the registry: the type is not looked up.
_CUSTOM = ".custom_trainer_module_path"
_NO_CUSTOM = Condition(_CUSTOM, (), absent=True)
_IS_SELF_HOSTED = Condition("trainer.type", SELF_HOSTED_TRAINERS)
_IS_REMOTE = Condition("trainer.type", REMOTE_TRAINERS)
_IS_GRPO = Condition("trainer.type", ("self_hosted_grpo",))
_IS_OPD = Condition("trainer.type", ("self_hosted_opd",))
_KL_IN_REWARD = Condition("trainer.algorithm.use_kl_in_reward", (True,))

_TYPE_DETAILS = (
    "- self_hosted_grpo: GRPO on a self-hosted NexTrainer service\n"
    "- self_hosted_opd: on-policy distillation from a teacher train service (1.2 on)\n"
    "- remote_api_grpo: GRPO on Tinker or Weaver\n"
    "- remote_api_cross_entropy: supervised cross-entropy on Tinker or Weaver\n"
    "- remote_api_opd: on-policy distillation on Tinker or Weaver, with `teachers` (1.4)\n"
    "NexRL raises at start-up for any other name (self_hosted_cross_entropy and the "
    "*_grpo_kl names are registered in no version), unless custom_trainer_module_path "
    "names a trainer class of your own. Without a type NexRL looks up 'default', which is "
    "not registered either. In Ray mode NexRL reads the type even beside a custom module."
)


def _trainer_type(added: str, removed: str | None, choices: tuple[str, ...], src: str) -> Option:
    return Option(
        "trainer.type",
        description="Trainer implementation to use.",
        source=src,
        added=added,
        removed=removed,
        type="string",
        choices=choices,
        free_if_set=(_CUSTOM,),
        # Ray mode looks the trainer class up by `type` alone, without the custom module
        # (controller.py@v1.0.0:935, @v1.4.0:982-986).
        free_unless=(RAY,),
        required_if=(_NO_CUSTOM,),
        details=_TYPE_DETAILS,
    )


def _length(name: str, default: int, data_key: str) -> Option:
    return Option(
        f"trainer.{name}",
        description=f"Length the self-hosted trainer pads {data_key}s to, at least.",
        source=(
            "nexrl/trainer/self_hosted_trainer.py@v1.0.0:77-78; "
            "nexrl/trainer/self_hosted_trainer.py@v1.3.0:94-95; spec/trainer-config.md"
        ),
        removed=SEQUENCE_LENGTHS,
        replaced_by="rollout_worker.max_sequence_length",
        type="int",
        default=default,
        details=(
            "Read by self-hosted trainers only; recipes set it to "
            f"${{data.max_{data_key}_length}}. "
            "NexRL 1.4 no longer reads it: the rollout worker bounds each sequence by "
            "rollout_worker.max_sequence_length."
        ),
    )


def _checkpoint_path(added: str, removed: str | None, backend: str, switch: str) -> Option:
    """Required when a self-hosted run resumes: the controller reads it by attribute for any
    resume.mode but disable, before the first step (Tinker and Weaver runs return first)."""
    return Option(
        "trainer.checkpoint_path",
        description="Folder for full checkpoints (global_step_<n>).",
        source=(
            "nexrl/trainer/self_hosted_trainer.py@v1.0.0:236; "
            "nexrl/controller.py@v1.0.0:252-253,276; "
            "nexrl/trainer/self_hosted_trainer.py@v1.4.0:308; "
            f"nexrl/controller.py@v1.4.0:273-274,298; {switch}"
        ),
        added=added,
        removed=removed,
        type="string",
        required_unless=(
            Condition("resume.mode", ("disable",), absent=True),
            Condition(backend, REMOTE_BACKENDS),
        ),
        required_for=(
            "when a self-hosted run resumes (resume.mode auto or from_path): NexRL reads it "
            "before the first step"
        ),
        details=(
            "Read by self-hosted trainers when they save a full checkpoint (save_freq > 0: "
            "the first step already saves one), and by the controller when resume.mode is "
            "not disable."
        ),
    )


_GRPO_SRC = "nexrl/trainer/self_hosted_grpo_trainer.py"
_OPD_SRC = "nexrl/trainer/self_hosted_opd_trainer.py"


def _grpo(lines: str) -> str:
    return f"{_GRPO_SRC}@v1.0.0:{lines}; {_GRPO_SRC}@v1.4.0:{lines}"


def _opd(
    name: str, kind: str, default: object, description: str, choices: tuple[str, ...] = ()
) -> Option:
    line = {
        "distillation_coeff": 116,
        "entropy_coeff": 117,
        "temperature": 118,
        "loss_agg_mode": 119,
        "distillation_epochs": 120,
        "do_old_student_log_prob_compute": 121,
    }[name]
    return Option(
        f"trainer.algorithm.{name}",
        description=description,
        source=f"{_OPD_SRC}@v1.2.0:{line}; {_OPD_SRC}@v1.4.0:{line}",
        added=SELF_HOSTED_OPD,
        type=kind,
        default=default,
        choices=choices,
        used_if=(_IS_OPD,),
    )


ALGORITHM: tuple[Option | Section, ...] = (
    Section(
        "trainer.algorithm",
        description="Algorithm settings of self-hosted trainers (GRPO's KL, OPD's distillation).",
        source=(
            "nexrl/controller.py@v1.0.0:737-745; nexrl/trainer/self_hosted_trainer.py@v1.0.0:71; "
            "nexrl/controller.py@v1.4.0:786-794; nexrl/trainer/self_hosted_trainer.py@v1.4.0:88"
        ),
        nullable=True,
        null_as_empty=True,
        null_fails_if=(_IS_SELF_HOSTED,),
        required_if=(_IS_SELF_HOSTED,),
        required_for="for self-hosted training",
        details=(
            "Self-hosted trainers read it by attribute, and NexRL puts the inference "
            "service into it only when it is set: without it they stop at start-up. "
            "Remote trainers do not read it; recipes leave it null in common.yaml.\n"
            "The reference writes the KL controller at algorithm.kl_ctrl; NexRL reads "
            "only algorithm.critic.kl_ctrl."
        ),
    ),
    Option(
        "trainer.algorithm.type",
        description="Name of the algorithm (a label).",
        source="spec/trainer-config.md",
        type="string",
        ignored=True,
        details="The reference lists grpo; no NexRL version reads it.",
    ),
    Option(
        "trainer.algorithm.do_old_log_prob_compute",
        description="Recompute log-probabilities of the rollout policy before the update.",
        source=_grpo("54"),
        type="bool",
        truthy=True,
        default=True,
        used_if=(_IS_GRPO,),
    ),
    Option(
        "trainer.algorithm.use_kl_in_reward",
        description="Subtract a KL penalty against the reference model from the reward.",
        source=f"{_grpo('55')}; {_GRPO_SRC}@v1.0.0:308-316; {_GRPO_SRC}@v1.4.0:416-426",
        type="bool",
        truthy=True,
        default=False,
        used_if=(_IS_GRPO,),
        no_effect=(
            "the KL penalty needs the reference policy's log-probabilities, which no NexRL "
            "version computes, so the coefficient used is 0 and the reward is unchanged "
            f"({_GRPO_SRC}@v1.4.0:416-426)"
        ),
        details=(
            "The penalty needs the reference policy's log-probabilities (`ref_log_prob`), "
            "which no NexRL version computes: with true the coefficient used is 0 and the "
            "reward is unchanged."
        ),
    ),
    Option(
        "trainer.algorithm.kl_penalty",
        description="How the KL penalty in the reward is estimated.",
        source=(
            f"{_GRPO_SRC}@v1.0.0:179,308; {_GRPO_SRC}@v1.4.0:185,416; "
            "nexrl/algorithm/core_algos.py@v1.4.0:74-103"
        ),
        type="string",
        default="kl",
        choices=("kl", "abs", "mse", "low_var_kl"),
        loose_choices=True,
        used_if=(_IS_GRPO, _KL_IN_REWARD),
        details=(
            "Read only with use_kl_in_reward, and handed to the estimator only when the "
            "batch holds the reference log-probabilities, which no NexRL version computes: "
            "an unknown name is never acted on. The reference lists kl, abs and mse; the "
            "code also has low_var_kl."
        ),
    ),
    Section(
        "trainer.algorithm.critic",
        description="Holds the KL controller of the reward penalty.",
        source=_grpo("80"),
    ),
    Section(
        "trainer.algorithm.kl_ctrl",
        description="KL controller as the reference writes it (NexRL reads critic.kl_ctrl).",
        source="spec/trainer-config.md",
        ignored=True,
        details=(
            "The reference and NexRL's recipes write the KL controller here; every NexRL "
            "version reads trainer.algorithm.critic.kl_ctrl instead, so these values have no "
            "effect and the default adaptive controller (0.1, 6.0, 10000) is used."
        ),
    ),
    Option(
        "trainer.algorithm.kl_ctrl.type",
        description="Fixed or adaptive KL coefficient (as the reference writes it).",
        source="spec/trainer-config.md",
        type="string",
        choices=("fixed", "adaptive"),
        ignored=True,
    ),
    Option(
        "trainer.algorithm.kl_ctrl.kl_coef",
        description="Fixed KL coefficient (as the reference writes it).",
        source="spec/trainer-config.md",
        type="number",
        ignored=True,
    ),
    Option(
        "trainer.algorithm.kl_ctrl.kl_reward_coef",
        description="Coefficient of the reward KL penalty (as the reference writes it).",
        source="spec/trainer-config.md",
        type="number",
        ignored=True,
    ),
    Option(
        "trainer.algorithm.kl_ctrl.target_kl",
        description="Target KL of the adaptive controller (as the reference writes it).",
        source="spec/trainer-config.md",
        type="number",
        ignored=True,
    ),
    Option(
        "trainer.algorithm.kl_ctrl.horizon",
        description="Adaptation horizon of the adaptive controller (as the reference writes it).",
        source="spec/trainer-config.md",
        type="int",
        ignored=True,
    ),
    Section(
        "trainer.algorithm.critic.kl_ctrl",
        description="KL controller of the reward penalty (default: adaptive, 0.1, 6.0, 10000).",
        source=_grpo("80-93"),
        details=(
            "Read only with use_kl_in_reward. NexRL reads it here, under critic; a "
            "`kl_ctrl` directly under algorithm (as the reference and the recipes write "
            "it) is ignored and the default adaptive controller is used."
        ),
    ),
    Option(
        "trainer.algorithm.critic.kl_ctrl.type",
        description="Fixed or adaptive KL coefficient.",
        source=_grpo("84-93"),
        type="string",
        choices=("fixed", "adaptive"),
        used_if=(_KL_IN_REWARD,),
        required_if=(_KL_IN_REWARD,),
        required_for="with use_kl_in_reward",
    ),
    Option(
        "trainer.algorithm.critic.kl_ctrl.kl_reward_coef",
        description="KL coefficient (the starting one for the adaptive controller).",
        source=_grpo("85,88"),
        type="number",
        required_if=(_KL_IN_REWARD,),
        required_for="with use_kl_in_reward",
    ),
    Option(
        "trainer.algorithm.critic.kl_ctrl.target_kl",
        description="KL the adaptive controller steers towards.",
        source=f"{_grpo('89')}; nexrl/algorithm/core_algos.py@v1.4.0:59",
        type="number",
        required_if=(_KL_IN_REWARD, Condition(".type", ("adaptive",))),
        required_for="for the adaptive controller with use_kl_in_reward",
        used_if=(_IS_GRPO, _KL_IN_REWARD, Condition(".type", ("adaptive",))),
        use=Use(
            "divisor",
            "current_kl / target_kl",
            "nexrl/algorithm/core_algos.py@v1.4.0:59",
            "ZeroDivisionError when the controller updates, at the first training step "
            f"({_GRPO_SRC}@v1.4.0:433)",
        ),
    ),
    Option(
        "trainer.algorithm.critic.kl_ctrl.horizon",
        description="Steps over which the adaptive controller adapts the coefficient.",
        source=_grpo("90"),
        type="int",
        required_if=(_KL_IN_REWARD, Condition(".type", ("adaptive",))),
        required_for="for the adaptive controller with use_kl_in_reward",
    ),
    _opd("distillation_coeff", "number", 1.0, "Weight of the distillation loss."),
    _opd("entropy_coeff", "number", 0.0, "Weight of the entropy bonus in distillation."),
    _opd("temperature", "number", 1.0, "Temperature for the student's and teacher's log-probs."),
    _opd(
        "loss_agg_mode",
        "string",
        "token-mean",
        "How the distillation loss is averaged over tokens and sequences.",
        ("token-mean", "seq-mean-token-sum", "seq-mean-token-mean"),
    ),
    _opd("distillation_epochs", "int", 1, "Passes over each batch in the distillation update."),
    _opd(
        "do_old_student_log_prob_compute",
        "bool",
        False,
        "Recompute the student's log-probabilities before the distillation update.",
    ),
)


ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "trainer",
        description="Trainer module: trainer type, algorithm, step count and checkpoint paths.",
        source="nexrl/controller.py@v1.0.0:715; nexrl/controller.py@v1.4.0:764",
        required=True,
    ),
    _trainer_type(OLDEST, SELF_HOSTED_OPD, _TYPES_1_0, "nexrl/controller.py@v1.0.0:599-603,644"),
    _trainer_type(
        SELF_HOSTED_OPD, REMOTE_API_OPD, _TYPES_1_2, "nexrl/controller.py@v1.2.0:640-645"
    ),
    _trainer_type(REMOTE_API_OPD, None, _TYPES_1_4, "nexrl/controller.py@v1.4.0:645-651,692"),
    Option(
        "trainer.custom_trainer_module_path",
        description="Python file with a trainer class of your own, used instead of `type`.",
        source="nexrl/controller.py@v1.0.0:580-583; nexrl/controller.py@v1.4.0:626-629",
        type="string",
    ),
    Option(
        "trainer.custom_trainer_class_name",
        description="Name of the trainer class in custom_trainer_module_path.",
        source="nexrl/controller.py@v1.0.0:582; nexrl/controller.py@v1.4.0:628",
        type="string",
        default="CustomTrainer",
    ),
    Option(
        "trainer.total_train_steps",
        description="Number of training steps after which the run stops.",
        source=(
            "nexrl/trainer/base_trainer.py@v1.0.0:61; nexrl/controller.py@v1.0.0:375; "
            "nexrl/trainer/base_trainer.py@v1.4.0:62; spec/trainer-config.md"
        ),
        type="int",
        required=True,
        examples=("total_train_steps: 200",),
    ),
    Option(
        "trainer.save_freq",
        description="Save a full checkpoint every this many steps (0: never).",
        source=(
            "nexrl/trainer/self_hosted_trainer.py@v1.0.0:232; "
            "nexrl/trainer/self_hosted_trainer.py@v1.4.0:304; spec/trainer-config.md"
        ),
        type="int",
        required_if=(_IS_SELF_HOSTED,),
        required_for="for self-hosted training (read after the first step)",
        # Remote trainers save no full checkpoints (remote_api_trainer.py@v1.4.0:138-251).
        used_if=(_IS_SELF_HOSTED,),
        inert=(0,),
        details=(
            "The reference gives it a default of 0, but self-hosted trainers read it "
            "without a default: leaving it out stops the run after the first step."
        ),
    ),
    *(_checkpoint_path(*switch) for switch in SWITCHES),
    Option(
        "trainer.remove_previous_ckpt",
        description="Delete the previous full checkpoint when saving a new one.",
        source=(
            "nexrl/trainer/self_hosted_trainer.py@v1.0.0:243; "
            "nexrl/trainer/self_hosted_trainer.py@v1.4.0:315; spec/trainer-config.md"
        ),
        type="bool",
        details="Read by self-hosted trainers when they save a checkpoint (save_freq > 0).",
    ),
    Option(
        "trainer.sync_weight_path",
        description="Folder where the trainer saves weights for synchronisation.",
        source=(
            "nexrl/controller.py@v1.0.0:256; nexrl/trainer/self_hosted_trainer.py@v1.0.0:219; "
            "nexrl/controller.py@v1.4.0:277; nexrl/trainer/self_hosted_trainer.py@v1.4.0:291"
        ),
        type="string",
        required_if=(_IS_SELF_HOSTED,),
        required_for="for self-hosted training",
        details=(
            "For disk and network sync it must equal weight.sync_weight_path and must "
            "not be empty (checked at start-up)."
        ),
    ),
    _length("max_prompt_length", 4096, "prompt"),
    _length("max_response_length", 2048, "response"),
    Option(
        "trainer.teachers",
        description="Teacher models for remote on-policy distillation (remote_api_opd).",
        source="nexrl/trainer/remote_api_opd_trainer.py@v1.4.0:97-99",
        added=REMOTE_API_OPD,
        type="list",
        required_if=(Condition("trainer.type", ("remote_api_opd",)),),
        required_for="for the remote_api_opd trainer",
        examples=("teachers:\n  - base_model: Qwen/Qwen3-32B\n    checkpoint: null",),
    ),
    Section(
        "trainer.teachers[]",
        description="One teacher model.",
        source="nexrl/trainer/teacher_client.py@v1.4.0:111-117",
        added=REMOTE_API_OPD,
    ),
    Option(
        "trainer.teachers[].base_model",
        description="Base model name of the teacher (shares the student's tokenizer).",
        source="nexrl/trainer/teacher_client.py@v1.4.0:111",
        added=REMOTE_API_OPD,
        type="string",
        required=True,
    ),
    Option(
        "trainer.teachers[].checkpoint",
        description="Fine-tuned checkpoint of the teacher (null: the base model).",
        source="nexrl/trainer/teacher_client.py@v1.4.0:112",
        added=REMOTE_API_OPD,
        type="string",
        nullable=True,
    ),
    Option(
        "trainer.teachers[].base_url",
        description="URL of a separate service for this teacher (default: the student's).",
        source="nexrl/trainer/teacher_client.py@v1.4.0:113",
        added=REMOTE_API_OPD,
        type="string",
        nullable=True,
    ),
    Option(
        "trainer.teachers[].api_key",
        description="API key of the teacher's separate service.",
        source="nexrl/trainer/teacher_client.py@v1.4.0:114",
        added=REMOTE_API_OPD,
        type="string",
        nullable=True,
        secret=True,
    ),
    Option(
        "trainer.teachers[].backend",
        description="Backend of the teacher's separate service.",
        source="nexrl/trainer/teacher_client.py@v1.4.0:45-76,117",
        added=REMOTE_API_OPD,
        type="string",
        nullable=True,
        choices=("weaver", "tinker"),
        details=(
            "Defaults to the student's backend. NexRL checks it when it connects the "
            "teacher's own service (with base_url), before the first step."
        ),
    ),
    Section(
        "trainer.debug",
        description="Data dump settings for the trainer (else the top-level `debug`).",
        source=(
            "nexrl/utils/data_dumper.py@v1.2.0:84-91; "
            "nexrl/trainer/remote_api_trainer.py@v1.4.0:92-93"
        ),
        added="1.2",
        closed=False,
        open_reason="taken whole as the top-level `debug` section, whose keys it shares",
        nullable=True,
        null_as_empty=True,
        # Remote trainers read `config.get("debug", {}).get(...)`: a null fails at start-up.
        null_fails_if=(_IS_REMOTE,),
        details=(
            "Self-hosted trainers and the data dumper fall back to the top-level `debug` when "
            "it is null or empty (data_dumper.py@v1.4.0:84-91, "
            "self_hosted_trainer.py@v1.4.0:131-135); remote trainers stop at start-up on a "
            "null one (remote_api_trainer.py@v1.2.0:92-93)."
        ),
    ),
    *ALGORITHM,
    *distillation_copies("trainer", 213),
    *distillation_copies("trainer.algorithm", 243, read=("do_old_student_log_prob_compute",)),
)
