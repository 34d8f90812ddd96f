"""The `logger` section: experiment tracking backends and Feishu notifications."""

from __future__ import annotations

from ..model import Condition, Option, Section

TRACKING = "nexrl/utils/tracking.py"
TRACKER = "nexrl/activity_tracker.py"
FEISHU = "nexrl/utils/logger/feishu_logger.py"

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "logger",
        description="Experiment logging backends (console, wandb, ...) and Feishu notifications.",
        source=f"{TRACKER}@v1.0.0:57; {TRACKING}@v1.0.0:62-64; spec/complete-config.md",
        required=True,
        required_for="at start-up, to set up experiment tracking",
    ),
    Option(
        "logger.backend",
        description="Experiment tracking backend, or a list of them.",
        source=(
            f"{TRACKER}@v1.0.0:57; {TRACKER}@v1.4.0:57; {TRACKING}@v1.0.0:38,47-57; "
            f"{TRACKING}@v1.4.0:38,47-57; spec/complete-config.md"
        ),
        type="string-or-list",
        required=True,
        required_for="at start-up, to set up experiment tracking",
        choices=("console", "wandb", "mlflow", "swanlab", "tracking"),
        deprecated_choices=(("tracking", "wandb"),),
        details=(
            "- console: print metrics\n"
            "- wandb: Weights & Biases (needs WANDB_HOST and WANDB_KEY in the environment)\n"
            "- mlflow: MLflow\n"
            "- swanlab: SwanLab\n"
            "- tracking: old name of wandb (NexRL warns that it is deprecated)\n"
            "Any other name stops NexRL at start-up ('... is not supported')."
        ),
        examples=("backend: ['console', 'wandb']", "backend: console"),
    ),
    Option(
        "logger.enable_feishu_logging",
        description="Post start, failure and completion messages to a Feishu (Lark) webhook.",
        source=f"{TRACKING}@v1.0.0:62; {TRACKING}@v1.4.0:62; spec/complete-config.md",
        type="bool",
        truthy=True,
        default=False,
    ),
    Option(
        "logger.feishu_url",
        description="Feishu (Lark) webhook URL.",
        source=(
            f"{TRACKING}@v1.0.0:64; {TRACKING}@v1.4.0:64; {FEISHU}@v1.3.0:29-31; "
            "spec/complete-config.md"
        ),
        type="string",
        required_if=(Condition(".enable_feishu_logging", (True,)),),
        required_for="when Feishu logging is on",
        details="From 1.3 on, an empty URL stops NexRL at start-up as well.",
        examples=('feishu_url: "${oc.env:FEISHU_WEBHOOK_URL,}"',),
    ),
)
