"""`nexrl-cfg lsp`: a language server for NexRL configs, on standard input and output.

- `server`: the pygls server, the scheduling of checks (off the event loop, debounced,
  superseded by newer text) and the handlers;
- `results`: what a check of the open files leaves (diagnostics by file, where each key of
  each composed config is written, what each defaults entry loads);
- `features`: hover, completion, definitions and code actions;
- `outline`: where the cursor is (the key path, the section and its keys, a reference);
- `text`: positions as the checker counts them and as the protocol does.

pygls and lsprotocol are imported only here, so that `check` starts as fast without them.
"""

from __future__ import annotations

MISSING = "the language server needs pygls and lsprotocol: pip install 'nexrl-cfg[lsp]'"


def available() -> bool:
    """Whether pygls 2 and lsprotocol can be imported."""
    import importlib.util

    return all(importlib.util.find_spec(name) is not None for name in ("pygls", "lsprotocol"))


def serve() -> int:
    """Serve one editor on standard input and output until it exits; the exit status (1
    when the client exits without asking the server to shut down first, as the protocol
    says)."""
    from .server import serve as run

    return run()
