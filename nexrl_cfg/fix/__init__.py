"""Fixing what the check finds, and rewriting configs for a newer NexRL.

- `library`: what a rule's `fix` makes its edits with (see `rules/`): where a key or value is
  written, the typo matcher, renaming a key, replacing a value, making it a reference;
- `autofix`: the safe fixes of a run's findings, made in memory round by round, then written
  (`check --fix`) or shown (`--diff`);
- `migrate` (with `plan`): a folder of configs rewritten for a newer NexRL;
- `verify`: the net under every write: changes are written only when each file still reads
  and every config that reads one changes only as meant (a fix's intent; for a migration,
  what NexRL reads of it, see `legacy`), with no new error;
- `edits`: the edit engine they share.

Edits are made at the exact character offsets PyYAML records for each key and value, in the
file where the value is written: every other byte of the file stays as it was (comments,
quoting, key order, blank lines, anchors and tags). No other YAML library is needed.
"""
