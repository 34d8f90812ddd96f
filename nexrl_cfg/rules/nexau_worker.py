"""A NexAU rollout worker needs a `tokenizer`, and `evaluator_module_path` as `path:Class`.

## What it does
For `rollout_worker.type: nexau` (without a custom worker class), checks that
`rollout_worker.tokenizer` is set (not null), and that `evaluator_module_path`, when set, has
the form `path/to/file.py:ClassName`. A value waiting on an unset variable is not judged.

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
    if cfg.has(f"{ROLLOUT}.custom_rollout_worker_module_path"):
        return  # a custom class decides what it needs
    # An absent tokenizer is the catalogue's missing-required; a null one is reported here.
    if cfg.has(TOKENIZER) and cfg.get(TOKENIZER) is None:
        yield cfg.report(
            "a nexau rollout worker needs rollout_worker.tokenizer (null): NexRL raises "
            "'Tokenizer path must be provided'",
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
