"""A number is outside the range its option allows.

## What it does
Checks numeric options against their documented bounds: `max_retries` >= 1, `clip_ratio`
strictly between 0 and 1, `lr_warmup_steps_ratio` in [0, 1], `world_size` >= 1,
`ppo_epochs` >= 1, `weight_decay` >= 0, batch sizes >= 1, `lr` > 0; and against what NexRL's
code does with the number: a value it divides by or takes a modulo with must not be 0
(`runtime_monitor.health_check.check_interval`, `debug.dump_every_n_steps`), a loop count or
pool size must be at least 1, seconds it sleeps must not be negative, nor a learning rate it
hands to torch's AdamW. The message names the expression and where NexRL evaluates it.

A value NexRL does not read on the config's path (dumps switched off, a trainer type that
never reads the option) is a warning; so is a failure NexRL catches and runs on from (the
rollout progress monitor stops), and a value NexRL runs on regardless (`ppo_epochs: 0`
updates nothing, `lr: 0` trains nothing).

## Why is this bad?
An out-of-range value either crashes NexRL late (a world size of 0, a ZeroDivisionError at
the first training step) or trains silently wrong (a grad_clip of 0 zeroes every gradient).

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

from ..catalogue import USES, Option
from ..config import Config
from ..finding import Report, Severity
from ._entries import Entry, condition_words, in_bounds, options, type_matches, weaker

SEVERITY = Severity.ERROR
SUMMARY = "A number is outside the range its option allows"
STAGE = "validate"


def check(cfg: Config) -> Iterator[Report]:
    for opt, entry in options(cfg):
        value = entry.value
        if not type_matches("number", value):
            continue
        misused = opt.use is not None and not opt.use.takes(value)
        # A range NexRL runs on regardless (`outside_range`) is advice; where the value is
        # also one NexRL's use of it refuses (a negative learning rate), that failure wins.
        if not in_bounds(opt, value) and not (misused and opt.outside_range):
            allowed = _allowed(opt)
            severity, note = weaker(cfg, opt, entry.path)
            if severity is None and opt.outside_range:
                severity, note = Severity.WARNING, f": NexRL runs, but {opt.outside_range}"
            yield cfg.report(
                f"'{opt.name}' is {cfg.show(entry.path)}, but it must be {allowed}{note}",
                entry.path,
                f"Use a value {allowed}.",
                severity=severity,
            )
        elif misused:
            yield _misused(cfg, opt, entry)


def _misused(cfg: Config, opt: Option, entry: Entry) -> Report:
    """A number NexRL's code cannot use the way it does (`Option.use`)."""
    use = opt.use
    assert use is not None
    severity, note = weaker(cfg, opt, entry.path)
    section = entry.path.rpartition(".")[0]
    skipped = [c for c in use.when if cfg.holds(c, section) is False]
    if skipped and severity is None:
        severity, note = Severity.WARNING, f" (only where {condition_words(skipped[0], section)})"
    if use.caught and severity is None:
        severity = Severity.WARNING
    allowed = _allowed(opt) if opt.outside_range else USES[use.kind]
    return cfg.report(
        f"'{opt.name}' is {cfg.show(entry.path)}, but NexRL computes `{use.code}` "
        f"({use.source}): {use.failure}{note}",
        entry.path,
        f"Use a value {allowed}.",
        severity=severity,
    )


def _allowed(opt: Option) -> str:
    return describe_range(opt.minimum, opt.maximum, opt.exclusive_minimum, opt.exclusive_maximum)


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
