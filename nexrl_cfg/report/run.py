"""The run a report describes: the findings of every file checked (sorted, each once, every
secret masked: see `app`), the number of files checked and skipped, the NexRL versions
checked for, how the run ended, and how to show it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ..finding import Finding, Severity


def _no_source(file: str, line: int) -> str | None:
    return None


@dataclass(eq=False, repr=False)
class Run:
    """Everything a report needs: the findings of every file, and how to show source lines."""

    findings: list[Finding]
    # The files the run looked at: checked, or skipped (see `skipped`).
    files: int
    source_line: Callable[[str, int], str | None] = _no_source
    color: bool = False
    quiet: bool = False
    # The NexRL versions the configs were checked for: (version, where that came from).
    targets: list[tuple[str, str]] = field(default_factory=list)
    # Notes (info findings) one by one, in every format (--show-notes); see `shown`.
    show_notes: bool = False
    # How the run ends: the exit status, and why when the check could not run (status 2).
    exit_code: int = 0
    reason: str = ""
    width: int = 100
    # The config a launch composed, when one was checked: where a format that cannot name
    # the command line places the findings about an override.
    launched: str | None = None
    # Of `files`, those not checked: not NexRL configs, links that lead out of a folder.
    skipped: int = 0

    @property
    def checked(self) -> int:
        return self.files - self.skipped

    def shown(self, notes: bool = False) -> list[Finding]:
        """The findings a format reports one by one: with --show-notes, every one; otherwise
        notes only where the format lists them (`notes`) and the run is not --quiet."""
        if self.show_notes or (notes and not self.quiet):
            return self.findings
        return [f for f in self.findings if f.severity is not Severity.INFO]

    def summary(self, findings: list[Finding]) -> dict[str, int]:
        """The number of files looked at (`files`), checked and skipped, and of `findings`
        (those reported) per severity."""
        count = {s: 0 for s in Severity}
        for f in findings:
            count[f.severity] += 1
        return {
            "files": self.files,
            "checked": self.checked,
            "skipped": self.skipped,
            "errors": count[Severity.ERROR],
            "warnings": count[Severity.WARNING],
            "infos": count[Severity.INFO],
        }

    def statistics(self) -> list[tuple[str, int]]:
        """(rule, count) of every finding the run reports in any format (notes unless
        --quiet), most frequent first, then by rule: what `--statistics` prints, in every
        format alike."""
        counts = Counter(f.rule for f in self.shown(notes=True))
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    def versions(self) -> list[dict[str, str]]:
        return [{"version": v, "source": source} for v, source in self.targets]

    def versions_line(self) -> str:
        """`Checked for NexRL 1.4 (newest known).`, or "" when no config was checked."""
        if not self.targets:
            return ""
        said = "; ".join(f"NexRL {v} ({source})" for v, source in self.targets)
        return f"Checked for {said}."
