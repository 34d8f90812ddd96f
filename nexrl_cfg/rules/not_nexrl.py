"""The file is not a NexRL config and was skipped

## What it does
Recognises YAML that is not a NexRL config by top-level keys no NexRL config has
(Kubernetes and Helm manifests, CI workflows and pipelines, GitHub Actions, Dependabot,
pre-commit, Compose, OpenAPI and MkDocs files, the agent and tool definitions of a recipe's
`agent_workspace/`), or by the shape of a top-level list (pre-commit hook definitions,
Ansible playbooks), and skips it with a note, so that a hook over `*.yaml` stays quiet on
them. A file with a defaults list or a `service` section is always checked, and a mapping
that merely has no NexRL keys is checked as a fragment (for what it defines), not skipped.

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

SEVERITY = Severity.INFO
SUMMARY = "The file is not a NexRL config and was skipped"
STAGE = "read"
