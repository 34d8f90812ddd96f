"""An environment variable the config reads is not set

## What it does
Notes each `${oc.env:VAR}` whose variable is not set where the check runs. The value is
unknown: checks that need it are skipped rather than guessed. With `--require-env` (for a
pre-launch check on the cluster) this is an error.

## Why is this bad?
On a laptop it is expected. On the cluster, NexRL stops with "Environment variable not found".

## Example
```yaml
service:
  inference_service:
    base_url: "${oc.env:INFERENCE_BASE_URL}"
```

## Use instead
Export `INFERENCE_BASE_URL` before launch, or give a default:
`${oc.env:INFERENCE_BASE_URL,http://localhost:8000}`.
"""

from __future__ import annotations

from ..finding import Severity

ID = "env-unset"
SEVERITY = Severity.INFO
SUMMARY = "An environment variable the config reads is not set"
STAGE = "resolve"
