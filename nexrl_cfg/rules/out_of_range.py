"""A number is outside the range its option allows.

## What it does
Checks numeric options against their documented bounds: `max_retries` >= 1, `clip_ratio`
strictly between 0 and 1, `lr_warmup_steps_ratio` in [0, 1], `world_size` >= 1,
`ppo_epochs` >= 1, `weight_decay` >= 0, batch sizes >= 1, `lr` > 0.

## Why is this bad?
An out-of-range value either crashes NexRL late (a world size of 0) or trains silently
wrong (a grad_clip of 0 zeroes every gradient). Where NexRL runs on regardless (`ppo_epochs:
0` updates nothing), or does not read the option on the config's path (`max_retries` with the
Tinker backend), it is a warning.

## Example
```yaml
service:
  train_service:
    actor:
      clip_ratio: 1.5
```

## Use instead
```yaml
service:
  train_service:
    actor:
      clip_ratio: 0.2
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ._entries import IGNORED_NOTE, ignored_severity, options, type_matches

SEVERITY = Severity.ERROR
SUMMARY = "A number is outside the range its option allows"
STAGE = "validate"


def check(cfg: Config) -> Iterator[Report]:
    for opt, entry in options(cfg):
        value = entry.value
        if not type_matches("number", value):
            continue
        low, high = opt.minimum, opt.maximum
        xlow, xhigh = opt.exclusive_minimum, opt.exclusive_maximum
        bad = (
            (low is not None and value < low)
            or (high is not None and value > high)
            or (xlow is not None and value <= xlow)
            or (xhigh is not None and value >= xhigh)
        )
        if bad:
            allowed = describe_range(low, high, xlow, xhigh)
            section = entry.path.rpartition(".")[0]
            used = all(cfg.holds(c, section) is not False for c in opt.used_if)
            note = IGNORED_NOTE if opt.ignored or opt.unread else ""
            if not note and not used:
                note = " (NexRL does not read it here, but would fail on it once it does)"
            if not note and opt.outside_range:
                note = f": NexRL runs, but {opt.outside_range}"
            weak = not used or bool(opt.outside_range)
            yield cfg.report(
                f"'{opt.name}' is {cfg.show(entry.path)}, but it must be {allowed}{note}",
                entry.path,
                f"Use a value {allowed}.",
                severity=ignored_severity(opt) or (Severity.WARNING if weak else None),
            )


def describe_range(
    low: float | None, high: float | None, xlow: float | None, xhigh: float | None
) -> str:
    def num(x: float) -> str:
        return str(int(x)) if float(x).is_integer() else str(x)

    lower = f"[{num(low)}" if low is not None else (f"({num(xlow)}" if xlow is not None else "")
    upper = f"{num(high)}]" if high is not None else (f"{num(xhigh)})" if xhigh is not None else "")
    if lower and upper:
        return f"in {lower}, {upper}"
    if low is not None:
        return f">= {num(low)}"
    if xlow is not None:
        return f"> {num(xlow)}"
    if high is not None:
        return f"<= {num(high)}"
    if xhigh is not None:
        return f"< {num(xhigh)}"
    return "in range"
