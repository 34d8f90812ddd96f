"""The file is not a NexRL config and was skipped

## What it does
Recognises YAML that is not a NexRL config (agent definitions, Kubernetes manifests, CI
workflows, pre-commit configs, and any mapping with none of the NexRL sections) and skips it
with a note, so that a hook over `*.yaml` stays quiet on them.

## Why is this bad?
It is not bad; the note says the file was not checked.

## Example
```yaml
apiVersion: v1
kind: ConfigMap
```

## Use instead
Nothing to change.
"""

from __future__ import annotations

from ..finding import Severity

ID = "not-nexrl"
SEVERITY = Severity.INFO
SUMMARY = "The file is not a NexRL config and was skipped"
STAGE = "read"
