"""Where a write may go and how it lands: the one place that writes a user's file.

- **Boundary**: a file is written only when its real path (symbolic links followed) is one of
  the files named on the command line or inside one of the folders named; anything else (an
  includer above a named fragment, a file a symbolic link leads out to, what standard input
  stands for) is refused, never written.
- **Links**: the file a symbolic link names is written, the link stays a link; a file with
  several hard links is written in place, so that it stays one file.
- **Metadata**: a file replaced through a temporary file keeps its mode, owner, group and
  extended attributes; where they cannot be carried over the file is written in place.
- **Read-only**: a file without write permission is refused, before anything is written.
- **Stale**: right before each file is written its bytes on disk are compared with the bytes
  the edits were planned on; a file that changed is not written.
- **Failure**: a write that fails (a full disk, a size limit) removes what it left behind and
  raises `WriteFailed`, which names the files already written.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..files import read_regular
from ..output import display_path

# The largest file compared before a write: the largest file read (read.MAX_BYTES) and more.
_COMPARE_LIMIT = 64 << 20
_BOM = b"\xef\xbb\xbf"


class StaleFile(Exception):
    """A file changed on disk after it was read: it is not written."""


class Refused(Exception):
    """A file may not be written (outside what was named, read-only, not a regular file);
    nothing was written."""


class WriteFailed(Exception):
    """A write failed; `written` are the files written before it (each complete)."""

    def __init__(self, path: Path, reason: str, written: list[Path]) -> None:
        done = ", ".join(display_path(str(p)) for p in written) if written else "none"
        super().__init__(
            f"cannot write {display_path(str(path))}: {reason}; files already written: {done}"
        )
        self.written = written


@dataclass(frozen=True)
class Boundary:
    """The files and folders named on the command line, by real path (and, for a file, by
    device and inode, so that a hard link to it counts as it)."""

    files: frozenset[Path] = frozenset()
    folders: tuple[Path, ...] = ()
    inodes: frozenset[tuple[int, int]] = field(default=frozenset())

    @classmethod
    def named(cls, given: Iterable[str | Path]) -> Boundary:
        files: set[Path] = set()
        folders: list[Path] = []
        inodes: set[tuple[int, int]] = set()
        for name in given:
            if str(name) == "-":
                continue  # standard input stands for no file that may be written
            real = Path(os.path.realpath(name))
            try:
                info = os.stat(real)
            except OSError:
                continue
            if stat.S_ISDIR(info.st_mode):
                folders.append(real)
            else:
                files.add(real)
                inodes.add((info.st_dev, info.st_ino))
        return cls(frozenset(files), tuple(folders), frozenset(inodes))

    def allows(self, real: Path) -> bool:
        if real in self.files or any(real.is_relative_to(f) for f in self.folders):
            return True
        try:
            info = os.stat(real)
        except OSError:
            return False
        return (info.st_dev, info.st_ino) in self.inodes

    def why_not(self, path: str | Path) -> str | None:
        """Why `path` may not be written, or None."""
        real = Path(os.path.realpath(path))
        if not self.allows(real):
            if real != Path(os.path.abspath(path)):
                return f"it leads to {display_path(str(real))}, outside the files and folders named"
            return "it is outside the files and folders named on the command line"
        return None


# A boundary that allows every file: for callers that write what they were given (the API).
ANYWHERE = Boundary(folders=(Path(os.path.abspath(os.sep)),))


def land_all(
    changes: Mapping[Path, tuple[str, bytes]], boundary: Boundary = ANYWHERE
) -> Iterator[Path]:
    """Write each changed file (path -> (new text, the bytes it was planned on)), yielding
    each once written. Before any is written: Refused when one may not be written, StaleFile
    when one changed. Then each is compared again right before it is written."""
    for path, (_, planned) in changes.items():
        _may_write(path, boundary)
        if _current(path) != planned:
            raise StaleFile(display_path(str(path)))
    written: list[Path] = []
    for path, (text, planned) in changes.items():
        land(path, text, planned, boundary, written)
        written.append(path)
        yield path


def _may_write(path: Path, boundary: Boundary) -> None:
    why = boundary.why_not(path)
    if why:
        raise Refused(f"{display_path(str(path))} is not written: {why}")
    real = os.path.realpath(path)
    try:
        info = os.stat(real)
    except OSError as exc:
        raise Refused(f"cannot write {display_path(str(path))}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise Refused(f"{display_path(str(path))} is not a regular file; not written")
    if not _writable(info):
        raise Refused(f"{display_path(str(path))} is read-only; not written")


def _writable(info: os.stat_result) -> bool:
    """Whether the file's permission bits let its owner class write it (root included: a
    file marked read-only is left alone whoever runs the tool)."""
    if info.st_uid == os.geteuid():
        return bool(info.st_mode & stat.S_IWUSR)
    if info.st_gid in (os.getegid(), *os.getgroups()):
        return bool(info.st_mode & stat.S_IWGRP)
    return bool(info.st_mode & (stat.S_IWOTH if os.geteuid() else stat.S_IWUSR))


def _current(path: Path) -> bytes | None:
    try:
        return read_regular(os.path.realpath(path), _COMPARE_LIMIT)
    except OSError:
        return None


def land(
    path: Path,
    text: str,
    planned: bytes,
    boundary: Boundary = ANYWHERE,
    written: list[Path] | None = None,
) -> None:
    """Write `text` (UTF-8, with the byte-order mark the planned bytes had) to the file
    `path` names, if its bytes on disk are still `planned` (StaleFile otherwise)."""
    done = list(written or [])
    _may_write(path, boundary)
    real = Path(os.path.realpath(path))
    data = (_BOM if planned.startswith(_BOM) else b"") + text.encode("utf-8")
    if _current(real) != planned:
        raise StaleFile(display_path(str(path)))
    info = os.stat(real)
    try:
        if info.st_nlink > 1 or not _replace(real, data, info):
            _in_place(real, data, planned)
    except OSError as exc:
        raise WriteFailed(path, exc.strerror or str(exc), done) from None


def _write_fd(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        count = os.write(fd, view)
        if count <= 0:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        view = view[count:]


def _replace(real: Path, data: bytes, info: os.stat_result) -> bool:
    """Write through a temporary file beside `real` and `os.replace`, carrying mode, owner,
    group and extended attributes; False (nothing changed) when they cannot be carried."""
    import tempfile

    handle, temp = tempfile.mkstemp(prefix=f".{real.name}.", dir=real.parent)
    try:
        try:
            _write_fd(handle, data)
            os.fsync(handle)
            if not _carry(handle, info, real):
                os.unlink(temp)
                return False
        finally:
            os.close(handle)
        os.replace(temp, real)
    except BaseException:
        if os.path.lexists(temp):
            os.unlink(temp)
        raise
    return True


def _carry(handle: int, info: os.stat_result, real: Path) -> bool:
    """Give the temporary file the original's owner, group, mode and extended attributes."""
    try:
        if (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
            os.fchown(handle, info.st_uid, info.st_gid)
        os.fchmod(handle, stat.S_IMODE(info.st_mode))
        if hasattr(os, "listxattr"):
            for name in os.listxattr(real):
                os.setxattr(handle, name, os.getxattr(real, name))
    except OSError as exc:
        if exc.errno in (errno.EPERM, errno.EACCES, errno.ENOTSUP, errno.EOPNOTSUPP):
            return False
        raise
    return True


def _in_place(real: Path, data: bytes, planned: bytes) -> None:
    """Overwrite the file itself (it keeps its inode, links and metadata): the new bytes are
    first written to a temporary file beside it (so that a full disk fails there), then over
    the file; a failure midway puts the planned bytes back."""
    import tempfile

    handle, temp = tempfile.mkstemp(prefix=f".{real.name}.", dir=real.parent)
    try:
        try:
            _write_fd(handle, data)
            os.fsync(handle)
        finally:
            os.close(handle)
        os.unlink(temp)  # its room is now free for the file's own growth
        fd = os.open(real, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
        try:
            try:
                _write_fd(fd, data)
                os.ftruncate(fd, len(data))
                os.fsync(fd)
            except OSError:
                os.lseek(fd, 0, os.SEEK_SET)
                _write_fd(fd, planned)
                os.ftruncate(fd, len(planned))
                raise
        finally:
            os.close(fd)
    finally:
        if os.path.lexists(temp):
            os.unlink(temp)
