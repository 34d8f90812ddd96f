"""An interpolation cannot be resolved

## What it does
Reports `${...}` expressions that cannot be evaluated: a reference to a key that does not
exist (`${data.nope}`), a cycle, a resolver NexRL configs do not have (`${evil:...}`), or
malformed syntax (`${oc.env:`). Only OmegaConf's own resolvers are available.

A cycle formed by composing files that are each fine alone (an override that points back at
the value it overrides) is an error when NexRL reads one of its keys (an option of the
checked NexRL version, on the path the config takes), reported at that key; a cycle through
keys NexRL never reads is a warning.

## Why is this bad?
NexRL fails when the value is first read: at start-up for most keys (the torch data loader
reads `data.max_prompt_length` when it is built), hours into a run for others.

## Example
```yaml
service:
  inference_service:
    max_tokens: ${data.max_reponse_length}
```

## Use instead
```yaml
service:
  inference_service:
    max_tokens: ${data.max_response_length}
```
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..finding import Finding, Severity
from ..read import KeyPath, dotted

if TYPE_CHECKING:
    from ..config import Config

ID = "interpolation-error"
SEVERITY = Severity.ERROR
SUMMARY = "An interpolation cannot be resolved"
STAGE = "resolve"


def cycles_read(cfg: Config, findings: list[Finding]) -> list[Finding]:
    """`findings` with each composition-formed cycle (a warning from resolve) that goes
    through a key NexRL reads made an error at that key."""
    out = list(findings)
    for members in cfg.resolved.cycles:
        first = dotted(members[0])
        at = next((i for i, f in enumerate(out) if f.rule == ID and f.key == first), None)
        if at is None or out[at].severity is not Severity.WARNING:
            continue
        read = next((m for m in members if _read(cfg, m)), None)
        if read is not None:
            out[at] = _escalated(cfg, out[at], dotted(read))
    return out


def _escalated(cfg: Config, finding: Finding, key: str) -> Finding:
    message = finding.message.replace(
        " (formed by composition; NexRL fails if it reads them)",
        f" (formed by composition); NexRL reads {key} and fails",
    )
    return finding._replace(severity=Severity.ERROR, message=message, span=cfg.span(key), key=key)


def _read(cfg: Config, member: KeyPath) -> bool:
    """Whether NexRL reads the key on this config's path: an option of the checked version's
    catalogue, not ignored, every condition of its use holding."""
    path = dotted(member)
    option = cfg.catalogue.option(cfg.layout.spec_path(path))
    if option is None or option.ignored:
        return False
    section = path.rsplit(".", 1)[0] if "." in path else ""
    return all(cfg.holds(c, section) is True for c in option.used_if)
