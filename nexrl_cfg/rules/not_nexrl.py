"""The file is not a NexRL config and was skipped

## What it does
Skips, with a note, YAML that is not a NexRL config. A file found by walking a folder (or
named with `--only-nexrl`) is checked only when its shape says NexRL: a top-level section
only NexRL has (`service`, `rollout_worker`, `trajectory_pool`, `weight`, ...) and no more
top-level keys NexRL does not know than keys it knows; a top-level list, a scalar, an empty
file, or a `data:` or `trainer:` mapping alone are skipped, unless a config beside the file
includes it. Any file, even one named on the command line, is skipped when top-level keys no
NexRL config has say what it is (Kubernetes and Helm manifests, CI workflows and pipelines,
GitHub Actions, Dependabot, pre-commit, Compose, OpenAPI and MkDocs files, the agent and
tool definitions of a recipe's `agent_workspace/`), or the shape of a top-level list does
(pre-commit hook definitions, Ansible playbooks).

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
NOTE = ("skipped file", "skipped files")
