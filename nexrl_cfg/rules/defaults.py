"""A defaults list entry cannot be composed

## What it does
Checks the Hydra `defaults:` list of a config: it must be a list; each entry must name a
config that exists (relative to the folder of the file that lists it), inside the config
folder, without forming a cycle.

## Why is this bad?
Hydra stops before NexRL starts when a default is missing; a cycle or a path outside the
config folder is never what was meant.

## Example
```yaml
defaults:
  - comon
  - _self_
```

## Use instead
```yaml
defaults:
  - common
  - _self_
```
"""

from __future__ import annotations

from ..finding import Severity

ID = "defaults"
SEVERITY = Severity.ERROR
SUMMARY = "A defaults list entry cannot be composed"
STAGE = "compose"
