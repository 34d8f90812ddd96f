"""A YAML tag would build an object or include a file

## What it does
Reports YAML tags other than the plain ones (`!!str`, `!!int`, ...): `!!python/object/...`,
`!include` and the like. They are never executed by this tool.

## Why is this bad?
NexRL loads configs with safe YAML, which refuses these tags; in a loader that accepts them
they run code.

## Example
```yaml
trainer:
  type: !!python/object/apply:os.system ["echo hi"]
```

## Use instead
```yaml
trainer:
  type: "self_hosted_grpo"
```
"""

from __future__ import annotations

from ..finding import Severity

ID = "yaml-tag"
SEVERITY = Severity.ERROR
SUMMARY = "A YAML tag would build an object or include a file"
STAGE = "read"
