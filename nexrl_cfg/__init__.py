"""nexrl-cfg: validate and lint NexRL configuration files before launch.

Library use::

    from nexrl_cfg import check_file
    for finding in check_file("recipe/math/self_hosted.yaml"):
        print(finding.file, finding.line, finding.severity.value, finding.message)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .check import Checker, check_file
    from .finding import Finding, Severity
    from .settings import Settings


def __getattr__(name: str) -> Any:
    # Lazy, so that `import nexrl_cfg` costs nothing until something is used.
    if name in ("check_file", "Checker", "Settings"):
        from . import check

        return getattr(check, name)
    if name in ("Finding", "Severity", "Span"):
        from . import finding

        return getattr(finding, name)
    raise AttributeError(name)


__all__ = ["Checker", "Finding", "Settings", "Severity", "check_file"]
