"""The file is too large, too deep or expands too much

## What it does
Stops reading a file that is larger than 2 MB, nests deeper than 100 levels, or whose
aliases expand to more than 200,000 values ("billion laughs"), and says so.

## Why is this bad?
A NexRL config is a few hundred lines. Such a file is a mistake or an attack, and would make
every tool that loads it slow or run out of memory.

## Example
```yaml
a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
```

## Use instead
Write the values out, or use `${...}` interpolation to reuse a value.
"""

from __future__ import annotations

from ..finding import Severity

ID = "too-complex"
SEVERITY = Severity.ERROR
SUMMARY = "The file is too large, too deep or expands too much"
STAGE = "read"
