"""The `nexrl-cfg` command (and `python -m nexrl_cfg`): the command line, started with the
garbage collector off while the modules a run needs are imported. What an import makes lives
to the end of the run, so the collector's passes over it find nothing, and they were 3% of a
one-file check; the command line tunes the collector for the run once they are loaded
(`cli._batch_collector`)."""

import gc

gc.disable()

from .cli import main  # noqa: E402 (imported with the collector off)

__all__ = ["main"]

if __name__ == "__main__":
    main()
