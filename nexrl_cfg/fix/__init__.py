"""Fixing what the check finds: safe edits behind findings (`check --fix`) and rewriting configs
for a newer NexRL (`migrate`).

Edits are made at the exact positions PyYAML reports for each key and value, in the file where
the value is written: every other byte of the file stays as it was (comments, quoting, key
order, blank lines). No other YAML library is needed.
"""
