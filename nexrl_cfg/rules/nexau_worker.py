"""A NexAU rollout worker needs a `tokenizer`, and `evaluator_module_path` as `path:Class`.

## What it does
For `rollout_worker.type: nexau`, with or without a worker class of one's own (which
subclasses the nexau worker and runs its `__init__`), checks that `rollout_worker.tokenizer`
is not null or empty, and that `evaluator_module_path`, when set, has the form
`path/to/file.py:ClassName`. A value waiting on an unset variable is not judged.

## Why is this bad?
NexRL builds the rollout workers at start-up; the NexAU worker raises "Tokenizer path must
be provided in config for NexAU workers" and "Invalid evaluator module path format.
Expected 'path:ClassName'".

## Example
```yaml
rollout_worker:
  type: "nexau"
  evaluator_module_path: "agent_workspace/evaluator.py"
```

## Use instead
```yaml
rollout_worker:
  type: "nexau"
  tokenizer: "${oc.env:NEXRL_MODEL_PATH}/Qwen/Qwen3-8B"
  evaluator_module_path: "agent_workspace/evaluator.py:NewsEvaluator"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ..layout import ROLLOUT

SEVERITY = Severity.ERROR
SUMMARY = "A NexAU rollout worker needs a tokenizer, and evaluator_module_path as path:Class"
STAGE = "lint"
NEXRL = "nexrl/rollout_worker/base_nexau_rollout_worker.py; nexrl/utils/path_utils.py"

TOKENIZER, EVALUATOR = f"{ROLLOUT}.tokenizer", f"{ROLLOUT}.evaluator_module_path"


def check(cfg: Config) -> Iterator[Report]:
    if cfg.get(f"{ROLLOUT}.type", None) != "nexau":
        return
    # A worker class of one's own declared `nexau` runs the nexau worker's __init__ too.
    # An absent tokenizer is the catalogue's missing-required; a null or empty one is here.
    tokenizer = cfg.get(TOKENIZER, 0)
    if tokenizer is None or (isinstance(tokenizer, str) and not tokenizer.strip()):
        said = "Tokenizer path must be provided" if tokenizer is None else "an invalid repo id"
        yield cfg.report(
            f"a nexau rollout worker needs rollout_worker.tokenizer ({cfg.show(TOKENIZER)}): "
            f"NexRL raises '{said}' when it builds the worker "
            "(nexrl/rollout_worker/base_nexau_rollout_worker.py:197-201)",
            TOKENIZER,
            "Set rollout_worker.tokenizer to the model's tokenizer, e.g. `${data.tokenizer_path}`.",
        )
    path = cfg.get(EVALUATOR, None)
    if isinstance(path, str) and ":" not in path:
        yield cfg.report(
            f"evaluator_module_path {cfg.show(EVALUATOR)} is not of the form "
            "'path/to/file.py:ClassName': NexRL raises 'Invalid evaluator module path format'",
            EVALUATOR,
            "Add the evaluator class after a colon, e.g. `evaluator.py:Evaluator`.",
        )
