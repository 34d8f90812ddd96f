"""Fixing what the check finds: safe edits behind findings (`check --fix`) and rewriting configs
for a newer NexRL (`migrate`).

Edits are made at the exact positions PyYAML reports for each key and value, in the file where
the value is written: every other byte of the file stays as it was (comments, quoting, key
order, blank lines). No other YAML library is needed, and `check` imports this package only
when a finding may have a fix.
"""

from __future__ import annotations

# Rules whose findings may carry a fix (deprecations are fixed whichever rule reports them).
FIXABLE = frozenset({"unknown-key", "invalid-choice", "max-tokens-match", "sync-weight-path"})
