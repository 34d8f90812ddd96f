"""Regular expressions compiled the first time they are used.

The regular-expression compiler walks every code point of a class's ranges beyond Latin-1:
about 0.4 ms for a class with the surrogates in it, 10 ms for one spanning most of Unicode.
A pattern a run may never use waits here until it does.
"""

from __future__ import annotations

import re
from typing import Any


class Deferred:
    """A compiled pattern, compiled when first used: every attribute is the compiled one's."""

    source = ""
    compiled: re.Pattern[str] | None = None

    def __init__(self, pattern: str) -> None:
        self.source = pattern

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # copying and pickling ask for these: a Deferred's own
            raise AttributeError(name)
        if self.compiled is None:
            # With an explicit flag (the default for text): another key in `re`'s cache than
            # the pattern alone, where `_yaml` may have left a Deferred.
            self.compiled = re.compile(self.source, re.UNICODE)
        return getattr(self.compiled, name)
