"""Reading a file the way every file is read here: a regular file only, never more than a limit.

The file is opened without blocking and checked through the opened descriptor, so that neither a
FIFO (whose open or read would wait forever for a writer) nor a device such as `/dev/zero` (which
never ends) is read, even when a file is swapped for one between a look at its name and the open.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

NOT_REGULAR = "not a regular file (a FIFO, device or socket)"
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_FLAGS |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def read_regular(path: str | Path, limit: int) -> bytes:
    """At most `limit + 1` bytes of the regular file `path` (one more than the limit tells the
    caller the file is larger). OSError for anything else: a folder, a FIFO, a device, a
    socket, a file that cannot be opened."""
    fd = os.open(path, _FLAGS)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, NOT_REGULAR, str(path))
        chunks = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def real_path(path: str | Path, folders: dict[str, str]) -> Path:
    """`Path(path).resolve()`, with the real path of each folder kept in `folders` (one run's
    cache): a file that is not a link is then one `lstat`, not one for each folder above it.
    A path with `..` in it is resolved as a whole (`..` follows a link to where it points)."""
    text = os.fspath(path)
    folder, name = os.path.split(os.path.abspath(text))
    if not name or ".." in text.replace(os.altsep or os.sep, os.sep).split(os.sep):
        return Path(path).resolve()
    real_folder = folders.get(folder)
    if real_folder is None:
        real_folder = folders[folder] = str(Path(folder).resolve())
    joined = os.path.join(real_folder, name)
    return Path(joined).resolve() if os.path.islink(joined) else Path(joined)
