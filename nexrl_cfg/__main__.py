"""The `nexrl-cfg` command (and `python -m nexrl_cfg`): the command line, started with the
garbage collector off while the modules a run needs are imported. What an import makes lives
to the end of the run, so the collector's passes over it find nothing, and they were 3% of a
one-file check; the command line tunes the collector for the run once they are loaded
(`cli._batch_collector`).

Once the command has ended, the process leaves at once: its output is flushed, every file it
wrote is closed and its workers are gone (those that were told to end while the report was
written are reaped now), and taking apart what the run built, object by object, was 3% of a
one-file check.
"""

import gc
import os
import sys
from typing import NoReturn

gc.disable()

from .cli import main as run  # noqa: E402 (imported with the collector off)

__all__ = ["main"]


def main() -> NoReturn:
    try:
        run()
    except SystemExit as exc:
        leave(exc)
    leave(SystemExit(0))


def leave(ended: SystemExit) -> NoReturn:
    """Exit with the status of `ended` as soon as the output is flushed; the usual way when
    it carries a message to print or the output cannot be flushed (a closed pipe)."""
    status = ended.code
    if status is None:
        status = 0
    if not isinstance(status, int):
        raise ended
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        raise ended from None
    forked = sys.modules.get("nexrl_cfg.forked")  # loaded by a run with workers
    if forked is not None:
        forked.reap(5)
    os._exit(status)


if __name__ == "__main__":
    main()
