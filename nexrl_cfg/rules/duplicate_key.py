"""A key is given twice in the same mapping

## What it does
Reports a key that appears twice in one mapping.

## Why is this bad?
OmegaConf, which NexRL loads configs with, refuses such a file; other YAML readers silently
keep the last value, so the file means different things to different tools.

## Example
```yaml
data:
  batch_size: 32
  batch_size: 64
```

## Use instead
```yaml
data:
  batch_size: 64
```
"""

from __future__ import annotations

from ..finding import Severity

ID = "duplicate-key"
SEVERITY = Severity.ERROR
SUMMARY = "A key is given twice in the same mapping"
STAGE = "read"
