"""The file is empty or not a mapping

## What it does
Reports a config file that is empty, holds only comments, or whose top level is a list or a
single value instead of a mapping of sections.

## Why is this bad?
NexRL expects a mapping (`service:`, `data:`, ...) at the top of every config.

## Example
```yaml
- service
- data
```

## Use instead
A mapping of the config's sections:
```yaml
trainer:
  type: self_hosted_grpo
data:
  max_response_length: 8192
```
"""

from __future__ import annotations

from ..finding import Severity

ID = "not-a-config"
SEVERITY = Severity.ERROR
SUMMARY = "The file is empty or not a mapping"
STAGE = "read"
