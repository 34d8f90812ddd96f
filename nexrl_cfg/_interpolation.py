"""What the two ways of evaluating an interpolation share: the fast path (`resolve`) and
OmegaConf's (`_omegaconf`, imported only when the fast path cannot evaluate an expression).
Neither imports the other's internals: both import this."""

from __future__ import annotations

# Resolvers OmegaConf ships that NexRL configs may use; nothing else may run while checking.
SAFE_RESOLVERS = (
    "oc.env",
    "oc.select",
    "oc.decode",
    "oc.create",
    "oc.deprecated",
    "oc.dict.keys",
    "oc.dict.values",
)

# What an unset variable is called when its name was computed from a secret.
HIDDEN_NAME = "<a name read from the environment>"


class Signal(Exception):
    """Raised through evaluation (and through OmegaConf, which wraps it) to the value where it
    is reported."""
