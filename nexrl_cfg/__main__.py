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

import contextlib
import errno
import gc
import io
import os
import sys
from typing import NoReturn

gc.disable()

from .cli import main as run  # noqa: E402 (imported with the collector off)

__all__ = ["main"]


def main() -> NoReturn:
    _closed_streams()
    try:
        run()
    except SystemExit as exc:
        leave(exc)
    leave(SystemExit(0))


class _Closed(io.TextIOBase):
    """Standard output closed before the command started: writing to it fails as writing to a
    closed descriptor does (the command says so in one line and exits 2)."""

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


def _closed_streams() -> None:
    """A standard stream closed before the command started is None in Python: stdout then
    fails when written (a report written to a file with `-o` needs none); what would go to
    a closed stderr goes nowhere."""
    if sys.stdout is None:
        sys.stdout = _Closed()
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (to the end)


def leave(ended: SystemExit) -> NoReturn:
    """Exit with the status of `ended` as soon as the output is flushed; the usual way when
    it carries a message to print. Output that cannot be written ends the command as the
    command line ends it (`cli._unwritable`): quietly with 128 + 13 for a reader that went
    away (`--version | true`), else with one line and 2."""
    status = ended.code
    if status is None:
        status = 0
    if not isinstance(status, int):
        raise ended
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        status = 128 + 13
    except (OSError, ValueError) as exc:
        with contextlib.suppress(OSError, ValueError):
            print(f"nexrl-cfg: cannot write the output: {exc}", file=sys.stderr)
        status = 2
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    forked = sys.modules.get("nexrl_cfg.forked")  # loaded by a run with workers
    if forked is not None:
        forked.reap(5)
    os._exit(status)


if __name__ == "__main__":
    main()
