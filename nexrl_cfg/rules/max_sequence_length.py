"""`rollout_worker.max_sequence_length` must hold a prompt and a response (NexRL 1.4).

## What it does
Checks that `rollout_worker.max_sequence_length` is at least `data.max_prompt_length` +
`rollout_worker.max_response_length` (each 0 when absent, as NexRL reads them), and names
both numbers and where they were written. Its absence is reported by `missing-required`
(reported here instead only where the catalogue does not mark it required). A value waiting
on an unset variable, or of the wrong type, is not judged.
For the single-turn `simple` and `agent` workers it also warns when
`service.inference_service.max_tokens` + `data.max_prompt_length` does not fit: NexRL checks
the budget against `rollout_worker.max_response_length` only.

## Why is this bad?
NexRL 1.4 asserts at start-up that the sequence budget of a rollout holds the longest
prompt plus the longest response; multi-turn rollouts usually need more. A rollout longer
than the budget is truncated and its reward set to 0.

## Example
```yaml
data:
  max_prompt_length: 4096
rollout_worker:
  max_response_length: 8192
  max_sequence_length: 8192
```

## Use instead
```yaml
data:
  max_prompt_length: 4096
rollout_worker:
  max_response_length: 8192
  max_sequence_length: 12288
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import ABSENT, Config
from ..finding import Report, Severity
from ..layout import DATA, INFERENCE, ROLLOUT
from ..nexrl import SEQUENCE_LENGTHS
from ._startup import value
from ._values import where

SEVERITY = Severity.ERROR
SUMMARY = "rollout_worker.max_sequence_length must be >= max_prompt_length + max_response_length"
STAGE = "lint"
SINCE = SEQUENCE_LENGTHS
NEXRL = "nexrl/utils/validate_config.py"

SEQUENCE = f"{ROLLOUT}.max_sequence_length"
PROMPT = f"{DATA}.max_prompt_length"
RESPONSE = f"{ROLLOUT}.max_response_length"
TOKENS = f"{INFERENCE}.max_tokens"
# Workers whose trajectory is one prompt and one response of up to max_tokens.
SINGLE_TURN = ("simple", "agent")


def _number(cfg: Config, dotted: str) -> int | None:
    """The value NexRL adds up (`.get(key, 0)`), None when it is not a known integer."""
    found = value(cfg, dotted)
    if found is ABSENT:
        return 0
    return found if type(found) is int else None


def check(cfg: Config) -> Iterator[Report]:
    if not isinstance(value(cfg, ROLLOUT), dict):
        return
    sequence = value(cfg, SEQUENCE)
    if sequence is None or sequence is ABSENT:
        yield _missing(cfg, sequence)
        return
    prompt, response = _number(cfg, PROMPT), _number(cfg, RESPONSE)
    if type(sequence) is not int or prompt is None or response is None:
        return
    total = prompt + response
    if sequence >= total:
        yield from _budget(cfg, sequence, prompt)
        return
    yield cfg.report(
        f"{SEQUENCE} ({sequence}) is less than {PROMPT} ({prompt}, {where(cfg, PROMPT)}) + "
        f"{RESPONSE} ({response}, {where(cfg, RESPONSE)}) = {total}; NexRL 1.4 asserts it is "
        "at least their sum",
        SEQUENCE,
        f"Set `max_sequence_length: {total}` or more under `rollout_worker` (multi-turn "
        "rollouts usually need more).",
    )


def _budget(cfg: Config, sequence: int, prompt: int) -> Iterator[Report]:
    """A single-turn response may be as long as max_tokens: warn when prompt and response
    cannot both fit (the worker truncates them and zeroes the reward)."""
    if cfg.get(f"{ROLLOUT}.type", None) not in SINGLE_TURN:
        return
    tokens = value(cfg, TOKENS)
    if type(tokens) is not int or prompt + tokens <= sequence:
        return
    yield cfg.report(
        f"{TOKENS} ({tokens}) + {PROMPT} ({prompt}, {where(cfg, PROMPT)}) = {prompt + tokens} "
        f"is more than {SEQUENCE} ({sequence}, {where(cfg, SEQUENCE)}): NexRL 1.4 checks the "
        f"budget against {RESPONSE} only, then truncates longer rollouts and sets their reward "
        "to 0 (nexrl/rollout_worker/base_rollout_worker.py:206-230)",
        TOKENS,
        f"Raise max_sequence_length to {prompt + tokens}, or lower max_tokens.",
        severity=Severity.WARNING,
    )


def _missing(cfg: Config, sequence: object) -> Report:
    state = "null" if sequence is None else "not set"
    return cfg.report(
        f"{SEQUENCE} is {state}; NexRL 1.4 asserts it is given, at least {PROMPT} + {RESPONSE}",
        SEQUENCE,
        "Add `max_sequence_length:` under `rollout_worker`: the longest prompt plus the "
        "longest response, or more for multi-turn rollouts.",
        at="key",
    )
