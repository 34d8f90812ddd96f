"""`resume.mode: from_path` needs a `resume_path`.

## What it does
Reports `resume.mode: from_path` when `resume.resume_path` is missing or empty on a
self-hosted run (Tinker and Weaver runs do not load checkpoints at start-up).

## Why is this bad?
NexRL raises "resume_path must be specified when resume_mode is 'from_path'" when it loads
the initial checkpoint, before the first training step.

## Example
```yaml
resume:
  mode: from_path
  resume_path: ""
```

## Use instead
```yaml
resume:
  mode: from_path
  resume_path: "${oc.env:EXPERIMENT_PATH}/ckpt/global_step_100"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Config
from ..finding import Report, Severity
from ..layout import RESUME
from ._services import empty, uses_remote
from ._values import where

SEVERITY = Severity.ERROR
SUMMARY = "resume.mode from_path needs a non-empty resume_path"
STAGE = "lint"
NEXRL = "nexrl/controller.py"

MODE, PATH = f"{RESUME}.mode", f"{RESUME}.resume_path"


def check(cfg: Config) -> Iterator[Report]:
    if cfg.get(MODE, None) != "from_path" or uses_remote(cfg):
        return
    if cfg.has(PATH):
        if empty(cfg.get(PATH)):
            yield cfg.report(
                f"resume_path is {cfg.show(PATH)} but resume.mode is from_path "
                f"({where(cfg, MODE)}): NexRL requires a checkpoint path",
                PATH,
                "Set resume_path to the checkpoint folder, or use `mode: auto`.",
            )
        return
    yield cfg.report(
        "resume.mode is from_path but resume_path is not set: NexRL requires a checkpoint path",
        PATH,
        "Set resume.resume_path to the checkpoint folder, or use `mode: auto`.",
        at="key",
    )
