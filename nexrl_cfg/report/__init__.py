"""Stage 6, report: findings to text, JSON, GitHub workflow commands or SARIF.

Each format is a module with `render(run) -> str` (and, where a report can be long, a
streaming `write(run, out)`); imported only when chosen.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TextIO

from ..finding import Finding, Severity

if TYPE_CHECKING:
    from ..output import Secrets

FORMATS = ("text", "json", "github", "sarif")
# The project's home page: SARIF's informationUri, the schema's $id, pyproject's URLs.
HOMEPAGE = "https://github.com/nexrl-cfg/nexrl-cfg"


@dataclass
class Run:
    """Everything a report needs: the findings of every file, and how to show source lines."""

    findings: list[Finding]
    files: int
    source_line: Callable[[str, int], str | None] = lambda file, line: None
    color: bool = False
    quiet: bool = False
    # The NexRL versions the configs were checked for: (version, where that came from).
    targets: list[tuple[str, str]] = field(default_factory=list)
    # Notes (info findings) one by one; by default machine formats leave them out and text
    # sums up the common ones (unset variables, skipped files) in the summary.
    show_notes: bool = False
    # How the run ends: the exit status, and why when the check could not run (status 2).
    exit_code: int = 0
    reason: str = ""
    width: int = 100
    # Secret values the run has read: masked in everything the report writes.
    secrets: Secrets | None = None

    def shown(self) -> list[Finding]:
        """The findings a machine format reports: notes only when asked for."""
        if self.show_notes:
            return self.findings
        return [f for f in self.findings if f.severity is not Severity.INFO]

    def masked(self) -> Run:
        """The run as it may be written: every form of a secret value masked, in the
        findings and in the source lines shown with them."""
        secrets = self.secrets
        if not secrets:
            return self
        from ..output import mask_finding

        lines = self.source_line

        def source_line(file: str, line: int) -> str | None:
            text = lines(file, line)
            return None if text is None else secrets.mask(text)

        findings = [mask_finding(f, secrets) for f in self.findings]
        return replace(self, findings=findings, source_line=source_line, secrets=None)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    def summary(self) -> dict[str, int]:
        return {
            "files": self.files,
            "errors": self.count(Severity.ERROR),
            "warnings": self.count(Severity.WARNING),
            "infos": self.count(Severity.INFO),
        }

    def versions(self) -> list[dict[str, str]]:
        return [{"version": v, "source": source} for v, source in self.targets]

    def versions_line(self) -> str:
        """`Checked for NexRL 1.4 (newest known).`, or "" when no config was checked."""
        if not self.targets:
            return ""
        said = "; ".join(f"NexRL {v} ({source})" for v, source in self.targets)
        return f"Checked for {said}."


def write(fmt: str, run: Run, out: TextIO) -> None:
    """Write the report to `out`, streaming where the format allows it."""
    module = importlib.import_module(f"{__name__}.{fmt}_format")
    run = run.masked()
    writer = getattr(module, "write", None)
    if writer is not None:
        writer(run, out)
    else:
        text = module.render(run)
        if text:  # one line per finding: no findings, no output
            out.write(text + "\n")


def render(fmt: str, run: Run) -> str:
    module = importlib.import_module(f"{__name__}.{fmt}_format")
    renderer: Callable[[Run], str] = module.render
    return renderer(run.masked())
