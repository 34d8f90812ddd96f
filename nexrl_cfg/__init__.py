"""nexrl-cfg: validate and lint NexRL configuration files before launch.

Library use::

    from nexrl_cfg import check_file
    for finding in check_file("recipe/math/self_hosted.yaml"):
        print(finding.file, finding.line, finding.severity.value, finding.message)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import check_file
    from .check import Checker
    from .finding import Finding, Severity, Span
    from .settings import Settings


def __getattr__(name: str) -> Any:
    # Lazy, so that `import nexrl_cfg` costs nothing until something is used.
    if name == "__version__":
        from .about import VERSION

        return VERSION
    if name == "check_file":
        from .app import check_file

        return check_file
    if name in ("Checker", "Settings"):
        from . import check

        return getattr(check, name)
    if name in ("Finding", "Severity", "Span"):
        from . import finding

        return getattr(finding, name)
    raise AttributeError(name)


__all__ = ["Checker", "Finding", "Settings", "Severity", "Span", "check_file"]
