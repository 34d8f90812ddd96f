"""The file is too large, too deep or expands too much

## What it does
Stops reading a file that is larger than 2 MB, nests deeper than 100 levels, or holds
more than 50,000 values, counting what its aliases expand to ("billion laughs"), and says so.
Interpolations are bounded too: a value expands to at most 100,000 characters, a chain of
references is followed 64 values deep, and at most 1,000 expressions that need OmegaConf
(nested interpolations, `oc.select`, `oc.decode`) are evaluated per config, each at most
2,000 characters long.

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
