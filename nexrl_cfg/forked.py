"""Worker processes forked directly, where the platform forks safely (Linux): a worker starts
in about a millisecond, and a run does not import multiprocessing (6 ms of a run of 0.3 s).
What the pool needs of multiprocessing's Process and Connection, and no more:

- `fork(target, args)` starts `target(channel, *args)` in a child process; it returns the
  child (`Forked`: is_alive, join, terminate, kill, exitcode as multiprocessing gives it) and
  this process's end of the two pipes between them (`Channel`: send, recv, fileno, close).
- A message is a pickle with its length before it. A channel whose other end is gone reads
  as ended (EOFError), a message cut short by the end of its sender too.
- The child leaves with `os._exit` once `target` returns (exit code 0) or raises (1): it
  never flushes what it inherited of this process's output, nor runs its exit handlers.
- A child told to end is not waited for (`ending`): it takes its memory apart while the run
  writes its report, and the command reaps it once its output is out (`reap`).
- `Dispenser` hands the items of a list out to this process and its children, each to the
  first that asks, through a pipe of their numbers (see `pool.shared_out`).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

try:  # the pickler itself, without `pickle`'s Python half (1 ms of a run's start)
    from _pickle import dumps, loads
except ImportError:  # pragma: no cover - another interpreter than CPython
    from pickle import dumps, loads

if TYPE_CHECKING:
    from typing import Protocol, TypeVar

    class _Readable(Protocol):
        def fileno(self) -> int: ...

    class _Closable(Protocol):
        def close(self) -> None: ...

    Ready = TypeVar("Ready", bound=_Readable)

# Bytes before each message: its length.
_HEADER = 8
# The most read from a pipe at once.
_CHUNK = 1 << 20
# The newest pickle protocol (`pickle.HIGHEST_PROTOCOL`).
_PROTOCOL = 5


class Channel:
    """One end of a pair of pipes: messages are sent down one and received from the other."""

    def __init__(self, reading: int, writing: int) -> None:
        self._reading, self._writing = reading, writing

    def fileno(self) -> int:
        """The pipe messages come from (to wait for one with `ready`)."""
        return self._reading

    def send(self, message: Any) -> None:
        """Send `message` whole (OSError when the other end is gone)."""
        data = dumps(message, protocol=_PROTOCOL)
        view = memoryview(len(data).to_bytes(_HEADER, "little") + data)
        while view:
            view = view[os.write(self._writing, view) :]

    def recv(self) -> Any:
        """The next message; EOFError when the other end is gone."""
        return loads(self._exactly(int.from_bytes(self._exactly(_HEADER), "little")))

    def _exactly(self, size: int) -> bytes:
        chunks = []
        while size:
            chunk = os.read(self._reading, min(size, _CHUNK))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        for fd in (self._reading, self._writing):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._reading = self._writing = -1


def ready(channels: Sequence[Ready], timeout: float | None = None) -> list[Ready]:
    """The channels with a message, or whose other end is gone: waits for one at least, or
    `timeout` seconds."""
    import select

    poller = select.poll()
    for channel in channels:
        poller.register(channel.fileno(), select.POLLIN)
    fds = {fd for fd, _ in poller.poll(None if timeout is None else 1000 * timeout)}
    return [channel for channel in channels if channel.fileno() in fds]


class Dispenser:
    """The items of a list, handed out one at a time to this process and its children, each
    to the first that asks: their numbers are written into a pipe before the children are
    forked (its write end closed), and reading four bytes of it is taking an item. Nothing
    is locked: a child killed at any moment holds nothing the others wait for, and one whose
    parent is gone finishes its item and ends."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._reading, writing = os.pipe()
        try:
            room = _pipe_room(writing)
            # An item to a token while the tokens fit in the pipe; else runs of items.
            self.run = max(1, -(-count * _TOKEN // room))
            tokens = -(-count // self.run)
            data = b"".join(n.to_bytes(_TOKEN, "little") for n in range(tokens))
            view = memoryview(data)
            while view:
                view = view[os.write(writing, view) :]
        except BaseException:
            os.close(self._reading)
            raise
        finally:
            os.close(writing)

    def take(self) -> range:
        """The next items to work out (empty when none is left)."""
        token = os.read(self._reading, _TOKEN)
        if len(token) < _TOKEN:
            return range(0)
        start = int.from_bytes(token, "little") * self.run
        return range(start, min(start + self.run, self.count))

    def taken(self) -> int:
        """How many items have been taken so far, by every process."""
        import fcntl
        import termios

        left = bytearray(4)
        fcntl.ioctl(self._reading, termios.FIONREAD, left)
        tokens = int.from_bytes(left, sys.byteorder) // _TOKEN
        return max(0, self.count - tokens * self.run)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._reading)


# Bytes of a token of `Dispenser`.
_TOKEN = 4


def _pipe_room(fd: int) -> int:
    """The bytes a pipe holds: enlarged toward 1 MiB where Linux allows it, else as it is
    (64 KiB), else the least POSIX promises."""
    import fcntl

    with contextlib.suppress(OSError, AttributeError):
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)
    try:
        return max(_TOKEN, int(fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ)))
    except (OSError, AttributeError):  # not on Linux
        return 4096


# Children told to end and not yet reaped: each ends on its own, as the run goes on.
_ENDING: list[Forked] = []


def ending(process: Forked) -> None:
    """`process` has been told to end: it is reaped later (`reap`), not waited for now."""
    _ENDING.append(process)


def reap(timeout: float = 0) -> None:
    """Reap the children told to end that have ended; with a `timeout`, wait for the others
    that many seconds in all, then kill them."""
    deadline = time.monotonic() + timeout
    for process in list(_ENDING):
        if timeout:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
        if not process.is_alive():
            _ENDING.remove(process)


class Forked:
    """A child process of this one, reaped once it has ended (`exitcode` is then its exit
    code, or minus the signal that ended it)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.exitcode: int | None = None

    def is_alive(self) -> bool:
        return not self._reaped(os.WNOHANG)

    def join(self, timeout: float | None = None) -> None:
        """Wait for the end of the process, at most `timeout` seconds."""
        if timeout is None:
            self._reaped(0)
            return
        deadline = time.monotonic() + timeout
        pause = 0.0001
        while not self._reaped(os.WNOHANG) and time.monotonic() < deadline:
            time.sleep(pause)
            pause = min(2 * pause, 0.01)

    def terminate(self) -> None:
        self._signal(15)  # SIGTERM

    def kill(self) -> None:
        self._signal(9)  # SIGKILL

    def _signal(self, number: int) -> None:
        if self.exitcode is None:  # once reaped, its number may be another process's
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, number)

    def _reaped(self, flags: int) -> bool:
        if self.exitcode is None:
            try:
                pid, status = os.waitpid(self.pid, flags)
            except ChildProcessError:  # reaped elsewhere
                self.exitcode = 255
                return True
            if pid == 0:
                return False
            self.exitcode = os.waitstatus_to_exitcode(status)
        return True


def fork(
    target: Callable[..., object], args: Iterable[Any], inherited: Iterable[_Closable] = ()
) -> tuple[Forked, Channel]:
    """`target(channel, *args)` in a child process, and this process's end of the channel
    between them. The child closes the `inherited` channels (this process's ends of other
    workers': a worker holds no pipe but its own). OSError when no process can be made."""
    reap()  # those of an earlier pool, in a process that runs several
    down = os.pipe()  # (reading, writing): to the child
    try:
        up = os.pipe()  # from the child
    except OSError:  # no descriptor left
        for fd in down:
            os.close(fd)
        raise
    for stream in (sys.stdout, sys.stderr):  # else the child holds unwritten output
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    try:
        pid = os.fork()
    except OSError:
        for fd in (*down, *up):
            os.close(fd)
        raise
    if pid == 0:  # the child
        code = 1
        try:
            os.close(down[1])
            os.close(up[0])
            for channel in inherited:
                channel.close()
            target(Channel(down[0], up[1]), *args)
            code = 0
        finally:
            os._exit(code)
    os.close(down[0])
    os.close(up[1])
    return Forked(pid), Channel(up[0], down[1])
