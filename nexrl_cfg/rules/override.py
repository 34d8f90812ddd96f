"""A command-line override that Hydra refuses

## What it does
Checks the overrides given after the config (`nexrl-cfg check run.yaml k=v +k=v ~k g=opt`, or
the launch command's own arguments after `--config-path DIR --config-name NAME`) the way
Hydra reads and applies them at launch: each must parse as Hydra's override syntax and not
be a sweep (`a,b`, `choice(...)`, `range(...)`, which need `--multirun`); `k=v` changes a key
the composed config has, `+k=v` adds one it does not have (`++k=v` sets it either way), `~k`
and `~k=v` delete one that is there (with that value); a group choice (`group=option`,
`group@pkg=option`, `+group=option`, `~group`) must match a group of the defaults tree (or,
with `+`, name an option of a group of the config folder), and a mapping merges into a
mapping only. A finding points at the argument on the command line (`<command line>`, line
1, the column where the argument starts).

## Why is this bad?
Hydra stops before NexRL starts: the run is never launched.

## Example
```text
nexrl-cfg check recipe/math/self_hosted.yaml trainer.total_train_step=100 debug.x=1
```

## Use instead
```text
nexrl-cfg check recipe/math/self_hosted.yaml trainer.total_train_steps=100 +debug.x=1
```
"""

from __future__ import annotations

from ..finding import Severity

ID = "override"
SEVERITY = Severity.ERROR
SUMMARY = "A command-line override that Hydra refuses"
STAGE = "compose"
