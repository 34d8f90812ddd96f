"""`rollout_worker.need_llm_inference` must be true for a worker that generates.

## What it does
NexRL builds a rollout worker's inference client only when `need_llm_inference` is true (it
defaults to false). Reports, for the worker `type` (a worker class of your own declared with
that type included):

- `simple` and `agent` without `need_llm_inference: true` (an error);
- `nexau` without it (a warning: the NexAU agent then calls the LLM of its own agent
  config, and its trajectories carry no tokens for training);
- `pig_latin` with it (a warning: the worker never generates, the client is built for
  nothing and needs the inference service's URL, key and tokenizer).

## Why is this bad?
The `simple` worker asserts "Inference client not initialized" on its first task; the `agent`
worker hands its agent no client, which fails with "'NoneType' object has no attribute
'apply_chat_template'". Either stops the run at the first rollout.

## Example
```yaml
rollout_worker:
  type: "agent"
  need_llm_inference: false
```

## Use instead
```yaml
rollout_worker:
  type: "agent"
  need_llm_inference: true
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ..layout import ROLLOUT
from ._values import known

SEVERITY = Severity.ERROR
SUMMARY = "need_llm_inference must be true for a worker that generates"
STAGE = "lint"
NEXRL = (
    "nexrl/rollout_worker/base_rollout_worker.py@v1.0.0:104-118, @v1.4.0:110-124 "
    "(need_llm_inference, default false); "
    "nexrl/rollout_worker/simple_rollout_worker.py:47 (assert, every tag); "
    "nexrl/agent/single_turn_math.py:69-71 (llm_client.apply_chat_template, every tag); "
    "nexrl/rollout_worker/base_nexau_rollout_worker.py@v1.4.0:483-490"
)

NEED = f"{ROLLOUT}.need_llm_inference"
# Where each generating worker meets the missing client.
FAILS = {
    "simple": "the simple worker asserts 'Inference client not initialized' on its first task "
    "(nexrl/rollout_worker/simple_rollout_worker.py:47)",
    "agent": "the agent worker hands its agent no client, which fails on the first task "
    "('NoneType' object has no attribute 'apply_chat_template', "
    "nexrl/agent/single_turn_math.py:69)",
}


def check(cfg: Config) -> Iterator[Report]:
    kind = cfg.get(f"{ROLLOUT}.type", None)
    need = cfg.get(NEED, False)
    if not known(kind, need) or not isinstance(need, bool) or not isinstance(kind, str):
        return  # unknown, or invalid-type's
    stated = (
        f"need_llm_inference is {cfg.show(NEED)}"
        if cfg.has(NEED)
        else ("need_llm_inference is not set (NexRL's default: false)")
    )
    if kind in FAILS and not need:
        yield cfg.report(
            f"{stated}, so NexRL builds no inference client: {FAILS[kind]}",
            NEED,
            "Set `need_llm_inference: true` under rollout_worker.",
            at="written",
        )
    elif kind == "nexau" and not need:
        yield cfg.report(
            f"{stated}: the NexAU agent then calls the LLM of its own agent config, not the "
            "inference service, and its trajectories carry no tokens to train on",
            NEED,
            "Set `need_llm_inference: true` under rollout_worker.",
            at="written",
            severity=Severity.WARNING,
        )
    elif kind == "pig_latin" and need:
        yield cfg.report(
            f"{stated}, but the pig_latin worker never generates: NexRL builds an inference "
            "client it never calls",
            NEED,
            "Set `need_llm_inference: false` (or remove it).",
            severity=Severity.WARNING,
        )
