"""The `runtime_monitor` section: the controller's watch over the running modules."""

from __future__ import annotations

from ..model import Condition, Option, Section, Use
from ._shared import CONTROLLER

TRACKER = "nexrl/activity_tracker.py"

_EXC = "runtime_monitor.exception_handling"
_HEALTH = "runtime_monitor.health_check"
_PROGRESS = "runtime_monitor.rollout_progress_monitor"
_PAGE = "spec/complete-config.md"
_PROGRESS_ON = Condition(f"{_PROGRESS}.enabled", (True,))

ENTRIES: tuple[Option | Section, ...] = (
    Section(
        "runtime_monitor",
        description="Run-time health checks and exception-handling policy.",
        source=f"{CONTROLLER}@v1.0.0:152,400,416; {CONTROLLER}@v1.4.0:167,446,462; {_PAGE}",
    ),
    Section(
        _EXC,
        description="How the controller reacts to errors reported by the modules.",
        source=f"{CONTROLLER}@v1.0.0:154,417; {CONTROLLER}@v1.4.0:169,463; {_PAGE}",
    ),
    Option(
        f"{_EXC}.enabled",
        description="Check the modules' reported errors and apply the policy.",
        source=f"{CONTROLLER}@v1.0.0:420; {CONTROLLER}@v1.4.0:466; {_PAGE}",
        type="bool",
        truthy=True,
        default=True,
    ),
    Option(
        f"{_EXC}.check_interval",
        description="Seconds between two error checks.",
        source=f"{CONTROLLER}@v1.0.0:159,192; {CONTROLLER}@v1.4.0:174,208; {_PAGE}",
        type="number",
        default=1.0,
    ),
    Option(
        f"{_EXC}.policy",
        description="What errors reported by the modules do to the run.",
        source=f"{CONTROLLER}@v1.0.0:423-451; {CONTROLLER}@v1.4.0:469-497; {_PAGE}",
        type="string",
        default="stop_on_error",
        choices=("stop_on_error", "stop_on_critical", "continue"),
        loose_choices=True,
        details=(
            "- stop_on_error: stop the run at the first reported error\n"
            "- stop_on_critical: stop at a critical error (for now every error counts)\n"
            "- continue: keep running, only log the errors\n"
            "Any other value is treated as healthy: errors never stop the run."
        ),
    ),
    Section(
        _HEALTH,
        description="Periodic check that every module is still alive.",
        source=f"{CONTROLLER}@v1.0.0:153,401; {CONTROLLER}@v1.4.0:168,447; {_PAGE}",
    ),
    Option(
        f"{_HEALTH}.enabled",
        description="Check module liveness; a dead module stops the run.",
        source=f"{CONTROLLER}@v1.0.0:403; {CONTROLLER}@v1.4.0:449; {_PAGE}",
        type="bool",
        truthy=True,
        default=True,
    ),
    Option(
        f"{_HEALTH}.check_interval",
        description="Seconds between two liveness checks.",
        source=f"{CONTROLLER}@v1.0.0:158,178; {CONTROLLER}@v1.4.0:173,194; {_PAGE}",
        type="number",
        default=10.0,
        use=Use(
            "divisor",
            "health_check_counter % check_interval",
            f"{CONTROLLER}@v1.4.0:194",
            "ZeroDivisionError in the controller's main loop, even with the check disabled",
        ),
        details=(
            "The controller's loop takes its counter modulo this value, read even when "
            "the check is disabled: 0 stops the run as soon as training starts. A negative "
            "value is a valid modulo (the check runs every |n| seconds)."
        ),
    ),
    Option(
        f"{_HEALTH}.timeout",
        description="Seconds a module may take to answer a liveness check.",
        source=f"{CONTROLLER}@v1.0.0:405; {CONTROLLER}@v1.4.0:451; {_PAGE}",
        type="number",
        default=20.0,
        details="The reference page notes it matters in ray mode only.",
    ),
    Section(
        _PROGRESS,
        description="Periodic rollout progress line (workers, batch, trajectories).",
        source=f"{TRACKER}@v1.2.0:62-63; {TRACKER}@v1.4.0:62-63",
        added="1.2",
    ),
    Option(
        f"{_PROGRESS}.enabled",
        description="Show rollout progress.",
        source=f"{TRACKER}@v1.2.0:64; {TRACKER}@v1.4.0:64",
        added="1.2",
        type="bool",
        truthy=True,
        default=True,
    ),
    Option(
        f"{_PROGRESS}.update_interval",
        description="Seconds between two progress updates.",
        source=f"{TRACKER}@v1.2.0:65; {TRACKER}@v1.4.0:65,450",
        added="1.2",
        type="number",
        default=1.0,
        used_if=(_PROGRESS_ON,),
        use=Use(
            "seconds",
            "time.sleep(update_interval)",
            f"{TRACKER}@v1.4.0:450",
            "ValueError, caught as a fatal monitor error: the progress monitor stops (the run "
            "goes on)",
            caught=True,
        ),
        details="0 makes the monitor thread update without pause.",
    ),
    Option(
        f"{_PROGRESS}.log_interval",
        description="Print the progress every this many updates.",
        source=f"{TRACKER}@v1.2.0:66; {TRACKER}@v1.4.0:66,492",
        added="1.2",
        type="int",
        default=10,
        used_if=(_PROGRESS_ON,),
        use=Use(
            "divisor",
            "update_count % log_interval",
            f"{TRACKER}@v1.4.0:492",
            "ZeroDivisionError at every update, caught and logged: progress is never shown "
            "(the run goes on)",
            caught=True,
        ),
        details="0 makes every update fail with an error in the log (the run goes on).",
    ),
    Option(
        f"{_PROGRESS}.use_tqdm",
        description="Print the progress through tqdm rather than the logger.",
        source=f"{TRACKER}@v1.2.0:67; {TRACKER}@v1.4.0:67,493",
        added="1.2",
        type="bool",
        truthy=True,
        default=True,
    ),
)
