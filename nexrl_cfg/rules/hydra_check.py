"""Hydra itself composes the config otherwise (`--hydra-check`)

## What it does
With `--hydra-check`, the launched config is also composed by Hydra itself, as NexRL's launch
does (the same config folder, config name and overrides; Hydra confined to the config folder:
no plugin, no search path, no file outside it is read), and the two are compared. Hydra
failing where nexrl-cfg found no composition error is an error (with Hydra's message);
Hydra composing where nexrl-cfg reports an error, or composing a value otherwise, is a
warning at the first such value; a `hydra.searchpath` (which Hydra at launch follows and
this check does not) is a note.

## Why is this bad?
nexrl-cfg composes configs itself, to know where each value was written; if its config is
not Hydra's, its verdict may not be NexRL's. The cross-check is there to catch that.

## Example
```text
nexrl-cfg check --hydra-check recipe/math/self_hosted.yaml +debug.enable_data_dump=true
```

## Use instead
```text
Report the difference to nexrl-cfg; fix the config where Hydra refuses it.
```
"""

from __future__ import annotations

from ..finding import Severity

ID = "hydra-check"
SEVERITY = Severity.ERROR
SUMMARY = "Hydra itself composes the config otherwise (--hydra-check)"
STAGE = "compose"
