"""Fixing what the check finds, and rewriting configs for a newer NexRL.

- `library`: what a rule's `fix` makes its edits with (see `rules/`): where a key or value is
  written, the typo matcher, renaming a key, replacing a value, making it a reference;
- `autofix`: the safe fixes of a run's findings, applied (`check --fix`) or shown (`--diff`);
- `migrate` (with `plan`): a folder of configs rewritten for a newer NexRL;
- `edits`: the edit engine they share.

Edits are made at the exact positions PyYAML reports for each key and value, in the file where
the value is written: every other byte of the file stays as it was (comments, quoting, key
order, blank lines). No other YAML library is needed.
"""
