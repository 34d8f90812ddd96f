"""A suppression comment suppresses nothing

## What it does
Notes each `# nexrl-cfg: ignore[...]` or `# nexrl-cfg: ignore-file[...]` comment that hides no
finding, names a rule that does not exist, or cannot be understood. A comment on a shared
fragment (a `common.yaml`) is judged against the findings of every config that includes it.

Only a real YAML comment with a well-formed directive suppresses anything. The same text inside
a quoted value or a block scalar (`|`, `>`) is part of the value, and a directive with an
unclosed `[` or a space before `[` suppresses nothing; each is noted, with the reason.

## Why is this bad?
A stale suppression hides the next real problem on that line, and a misspelt one hides
nothing while looking as if it did.

## Example
```yaml
trainer:
  total_train_steps: 200  # nexrl-cfg: ignore[out-of-range]
```

## Use instead
Remove the comment, or name the rule that fires there:
```yaml
trainer:
  total_train_steps: 200
```
"""

from __future__ import annotations

from ..finding import Severity

ID = "unused-suppression"
SEVERITY = Severity.INFO
SUMMARY = "A suppression comment suppresses nothing"
STAGE = "report"
NOTE = (
    "suppression comment that suppresses nothing",
    "suppression comments that suppress nothing",
)
