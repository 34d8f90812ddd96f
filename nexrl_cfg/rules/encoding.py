"""The file is not UTF-8 text

## What it does
Reports a file that is binary (contains NUL bytes), UTF-16, or not valid UTF-8, at the first
offending byte.

## Why is this bad?
NexRL reads configs as UTF-8 text; anything else fails to load or loads garbled.

## Example
A config saved as UTF-16 by an editor.

## Use instead
Save the file as UTF-8.
"""

from __future__ import annotations

from ..finding import Severity

ID = "encoding"
SEVERITY = Severity.ERROR
SUMMARY = "The file is not UTF-8 text"
STAGE = "read"
