"""An interpolation cannot be resolved

## What it does
Reports `${...}` expressions that cannot be evaluated: a reference to a key that does not
exist (`${data.nope}`), a cycle, a resolver NexRL configs do not have (`${evil:...}`), or
malformed syntax (`${oc.env:`). Only OmegaConf's own resolvers are available.

## Why is this bad?
NexRL fails when the value is first read, which may be hours into a run.

## Example
```yaml
service:
  inference_service:
    max_tokens: ${data.max_reponse_length}
```

## Use instead
```yaml
service:
  inference_service:
    max_tokens: ${data.max_response_length}
```
"""

from __future__ import annotations

from ..finding import Severity

SEVERITY = Severity.ERROR
SUMMARY = "An interpolation cannot be resolved"
STAGE = "resolve"
