"""A mapping key is not a string

## What it does
Reports keys that YAML reads as something other than a string: numbers (`1:`), `null:`,
booleans, lists or mappings used as keys.

## Why is this bad?
Config keys are option names; NexRL looks them up by name and never finds these.

## Example
```yaml
data:
  1: 32
```

## Use instead
```yaml
data:
  batch_size: 32
```
"""

from __future__ import annotations

from ..finding import Severity

ID = "invalid-key"
SEVERITY = Severity.ERROR
SUMMARY = "A mapping key is not a string"
STAGE = "read"
