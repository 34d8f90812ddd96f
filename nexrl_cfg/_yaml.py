"""PyYAML, imported without the cost of a reader this tool never uses.

`import yaml` loads PyYAML's pure-Python reader, whose class attribute
`Reader.NON_PRINTABLE` compiles a character class spanning most of Unicode: the regular
expression compiler walks every code point of its ranges, about 10 ms, a tenth of a one-file
check. The tool parses with libyaml and never runs that reader. So before PyYAML is imported,
`re`'s cache, which `re.compile` looks up first, is given a stand-in under PyYAML's pattern:
the same pattern, compiled the first time something uses it. Where the cache is not where this
expects it, nothing is left there and PyYAML compiles its own, as before.
"""

from __future__ import annotations

import re

from .deferred import Deferred

# PyYAML's `yaml.reader.Reader.NON_PRINTABLE` pattern (`tests/test_read.py` holds it to
# PyYAML's source).
PYYAML_NON_PRINTABLE = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"


def _leave_in_cache() -> None:
    cache = getattr(re, "_cache", None)
    if isinstance(cache, dict):
        cache.setdefault((str, PYYAML_NON_PRINTABLE, 0), Deferred(PYYAML_NON_PRINTABLE))


_leave_in_cache()

import yaml  # noqa: E402 (after the cache is filled)

__all__ = ["yaml"]
