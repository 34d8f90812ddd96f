"""A defaults list entry cannot be composed

## What it does
Checks the Hydra `defaults:` list of a config and of every config it includes: it must be
a list; each entry must be a config name (`common`, `/common`, `_self_`) or a group choice
(`group: option`, with `optional` or `override`) naming a config that exists (relative to
the folder of the file that lists it), inside the config folder, without forming a cycle.
`_self_` is listed at most once, a group is chosen once (`override` changes an earlier
choice, and must match one and come at the end of its list). A group left as `???` is a
warning (it must be chosen at launch); a choice made by an interpolation is noted and not
followed.

## Why is this bad?
Hydra stops before NexRL starts on each of these; a cycle or a path outside the config
folder is never what was meant.

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
