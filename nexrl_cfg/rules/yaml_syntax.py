"""The file is not valid YAML

## What it does
Reports a YAML syntax error (unclosed quote, tab indentation, bad indentation, a value that
cannot be read) at its line, instead of a traceback.

## Why is this bad?
NexRL cannot load the file at all.

## Example
```yaml
service:
  inference_service:
    model: "my-model
```

## Use instead
```yaml
service:
  inference_service:
    model: "my-model"
```
"""

from __future__ import annotations

from ..finding import Severity

ID = "yaml-syntax"
SEVERITY = Severity.ERROR
SUMMARY = "The file is not valid YAML"
STAGE = "read"
