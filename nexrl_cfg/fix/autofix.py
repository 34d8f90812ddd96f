"""Applying the fixes of a run: every file some finding's safe fix edits, with those edits
made (each once; of two that touch the same text, the first), shown as a diff or written
atomically. The fixes themselves are the rules' (a rule's `fix`, see `rules/`), made with the
helpers of `fix.library`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..finding import Edit, Finding
from .edits import Overlap, apply, diff, read_text, write_all


@dataclass
class Fixed:
    """The files a set of fixes changes: path -> (text as read, fixed text, bytes as read)."""

    files: dict[Path, tuple[str, str, bytes]] = field(default_factory=dict)
    # Fixes left out because they touch text another fix of the same file changes.
    skipped: int = 0

    def diff(self) -> str:
        return "".join(diff(str(path), old, new) for path, (old, new, _) in self.files.items())


def fixed_files(findings: Iterable[Finding]) -> Fixed:
    """Every file some finding's fix edits, with those edits made (each edit once)."""
    by_file: dict[str, set[Edit]] = {}
    for finding in findings:
        for one in finding.fixes:
            by_file.setdefault(one.file, set()).add(one)
    out = Fixed()
    for file, edits in sorted(by_file.items()):
        path = Path(file)
        try:
            old, raw = read_text(path)
        except (OSError, UnicodeDecodeError):
            continue
        kept: list[Edit] = []
        for one in sorted(edits):
            try:
                apply(old, [*kept, one])
            except Overlap:
                out.skipped += 1
                continue
            kept.append(one)
        new = apply(old, kept)
        if new != old:
            out.files[path] = (old, new, raw)
    return out


def write_fixed(fixed: Fixed) -> list[Path]:
    """Write the fixed files (atomically; StaleFile when one changed since it was read)."""
    return list(write_all({path: (new, raw) for path, (_, new, raw) in fixed.files.items()}))
