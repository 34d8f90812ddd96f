"""nexrl-cfg itself failed on this file

## What it does
Reports a failure of nexrl-cfg itself while checking a file, in one line; `--debug` shows the
traceback.

## Why is this bad?
The file was not (fully) checked. Please report it, with the file if you can share it.

## Example
Any input that triggers a bug.

## Use instead
Report the issue to the nexrl-cfg maintainers.
"""

from __future__ import annotations

from ..finding import Severity

ID = "internal-error"
SEVERITY = Severity.ERROR
SUMMARY = "nexrl-cfg itself failed on this file"
STAGE = "read"
