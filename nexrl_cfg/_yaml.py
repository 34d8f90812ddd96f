"""PyYAML, imported without the cost of a reader this tool never uses.

`import yaml` loads PyYAML's pure-Python reader, whose class attribute
`Reader.NON_PRINTABLE` compiles a character class spanning most of Unicode: the regular
expression compiler walks every code point of its ranges, about 10 ms, a tenth of a one-file
check. The tool parses with libyaml and never runs that reader. The same set of characters,
written as its complement (the few non-printable ranges), compiles in microseconds; it is
left in `re`'s cache under PyYAML's pattern, which `re.compile` looks up first. Where the cache
is not where this expects it, nothing is left there and PyYAML compiles its own, as before.
`tests/test_read.py` holds the two patterns to the same code points.
"""

from __future__ import annotations

import re

# PyYAML's `yaml.reader.Reader.NON_PRINTABLE` pattern, and the same class as its complement.
PYYAML_NON_PRINTABLE = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
NON_PRINTABLE = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"


def _leave_in_cache() -> None:
    cache = getattr(re, "_cache", None)
    if isinstance(cache, dict):
        cache.setdefault((str, PYYAML_NON_PRINTABLE, 0), re.compile(NON_PRINTABLE))


_leave_in_cache()

import yaml  # noqa: E402 (after the cache is filled)

__all__ = ["yaml"]
