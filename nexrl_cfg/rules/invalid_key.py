"""A mapping key is not a string, number or boolean

## What it does
Reports keys OmegaConf refuses: `null:` (or `~:`), lists or mappings used as keys. (A number
or a boolean, `1:` or `true:`, is a key OmegaConf accepts, of that type; an option is never
named so, and such a key is reported as an unknown option.)

## Why is this bad?
NexRL cannot load the file: OmegaConf stops at such a key.

## Example
```yaml
data:
  null: 32
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
SUMMARY = "A mapping key is not a string, number or boolean"
STAGE = "read"
