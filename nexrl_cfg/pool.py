"""A folder, or a long list of files, checked on every core: worker processes, each with its
own checker, take the files a task at a time and send back the findings of each; the run
reports them in the order of the files, each once, as one process would (`check_files`).

- Workers start after the imports: forked where the platform forks safely (Linux), so that
  they share the loaded modules and the run's settings (`forked`: without multiprocessing,
  whose import alone took longer than starting two workers); spawned elsewhere (they import
  the package and rebuild the run from its request).
- A task is a group of files that share fragments: a folder with the folders one and two
  levels below it that hold files of the run (a config group's options, and the configs that
  choose them, which is where the includers of a file are looked for). One worker reads each
  fragment of its group once. Each worker holds its next task before it ends the one it
  checks, so that it never waits for this process between tasks.
- A worker sends the results of a task together, once it is done (this process wakes once a
  task, not once a file): each file's findings with their source lines, and the secret
  values and NexRL versions it met: the run masks every output with every secret any worker
  read. A worker sends each finding once, with the first of its files that has it: the run
  reports it there or with an earlier file.
- A worker that stops (killed, a crash of the interpreter) costs only time: the files of the
  task it was checking are checked again, each on its own, and its other tasks go to another
  worker. A file that stops a worker on its own costs one internal-error finding. Nothing
  waits for a worker that is gone; should workers fail to start, the run checks the rest
  itself.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .check import Checker, FileResult, crashed, reported
from .finding import Finding
from .settings import SettingsError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from .forked import Channel, Dispenser, Forked

    Process = BaseProcess | Forked
    Link = Connection | Channel

Inputs = Sequence[tuple[Path, bool]]
Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many files a run stays in its process: starting workers and sending findings
# back would cost more than the second core gives (see bench/README.md).
MIN_FILES = 24
# A task is about this share of the files not yet handed out, per worker: the first tasks
# are large, the last ones a group of folders or two, so that the workers finish together.
GUIDE = 4
# Tasks a worker holds: the one it checks, and the next, sent ahead.
AHEAD = 2


def workers(setting: int | None) -> int:
    """The number of worker processes the setting `jobs` asks for (None, 0: one per core
    this process may run on)."""
    if setting:
        return setting
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def check_files(
    checker: Checker,
    inputs: Inputs,
    jobs: int,
    start: Callable[[Any], Checker],
    argument: Any,
) -> Iterator[FileResult]:
    """The results of `checker.check_files(inputs)`, in that order, each finding once, from
    `jobs` worker processes (from this one for a short run or one job); what the workers
    met is merged into `checker`. A worker's checker is `start(argument)`, made in the worker
    (`argument` goes to a spawned worker: it must pickle). An unreadable file raises OSError
    and bad settings SettingsError, at that file, as in one process."""
    if jobs <= 1 or len(inputs) < MIN_FILES:
        yield from checker.check_files(inputs)
        return
    seen: set[tuple[str, int, int, str, str]] = set()
    with _Pool(checker, inputs, tasks(inputs, jobs), jobs, start, argument) as pool:
        for index in range(len(inputs)):
            yield reported(pool.result(index), seen)
        pool.finish()


def tasks(inputs: Inputs, jobs: int) -> list[list[int]]:
    """The indexes of `inputs`, in tasks for `jobs` workers: the files of a group of folders
    (see `folder_groups`) together and in order (a group larger than 1/(2 * GUIDE * jobs) of
    the run is cut), smaller groups packed together while the task holds less than
    1/(GUIDE * jobs) of the files left: tasks shrink toward the end of the run, so that no
    worker is left with a large one alone."""
    largest = max(1, -(-len(inputs) // (2 * GUIDE * jobs)))
    left = len(inputs)
    out: list[list[int]] = []
    packed: list[int] = []
    for group in folder_groups([path for path, _ in inputs]):
        if packed and len(packed) + len(group) > -(-left // (jobs * GUIDE)):
            out.append(packed)
            left -= len(packed)
            packed = []
        while len(group) > largest:
            out.append(group[:largest])
            left -= largest
            group = group[largest:]
        packed.extend(group)
    if packed:
        out.append(packed)
    return out


def folder_groups(paths: Sequence[Path]) -> list[list[int]]:
    """The indexes of `paths` by group of folders: a folder with the folders one and two
    levels below it that hold files of the run (a config group's options, and the configs that
    choose them, which is where the includers of a file are looked for); in order."""
    folders = [os.path.dirname(os.path.abspath(path)) for path in paths]
    joined: dict[str, str] = {folder: folder for folder in folders}

    def top(folder: str) -> str:
        while joined[folder] != folder:
            folder = joined[folder]
        return folder

    for folder in list(joined):
        up = folder
        for _ in range(2):
            up = os.path.dirname(up)
            if up in joined:
                joined[top(folder)] = top(up)
    groups: dict[str, list[int]] = {}
    for index, folder in enumerate(folders):
        groups.setdefault(top(folder), []).append(index)
    return list(groups.values())


def shared_out(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    jobs: int,
    progress: Callable[[int], None] | None = None,
) -> list[Result]:
    """`[function(item) for item in items]`, the items shared out between this process and
    `jobs - 1` forked workers, each taking the next item left as it becomes free (items may
    differ a lot in cost: a fixed share would leave one process with the costly ones; see
    `forked.Dispenser`); the results come back pickled. In this process alone for one job, a
    single item, or where the platform does not fork safely. A worker that sends nothing
    back (it failed, it was killed) costs only time: this process works out what is missing
    itself, so the results are always its own. `progress` is told, after each item this
    process works out, how many items have been taken in all."""
    if jobs <= 1 or len(items) < 2 or _method() != "fork":
        return _alone(function, items, progress)
    import gc

    from . import forked

    try:
        dispenser = forked.Dispenser(len(items))
    except OSError:  # no descriptor left: this process works them all out
        return _alone(function, items, progress)
    gc.freeze()  # as for `check_files`: what is loaded stays shared and out of the collector's way
    try:
        return _shared_out(dispenser, function, items, min(jobs, len(items)), progress)
    finally:
        dispenser.close()
        gc.unfreeze()


def _alone(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    progress: Callable[[int], None] | None,
) -> list[Result]:
    results = []
    for item in items:
        results.append(function(item))
        if progress is not None:
            progress(len(results))
    return results


def _shared_out(
    dispenser: Dispenser,
    function: Callable[[Item], Result],
    items: Sequence[Item],
    jobs: int,
    progress: Callable[[int], None] | None,
) -> list[Result]:
    from . import forked

    started: list[tuple[forked.Forked, forked.Channel]] = []
    for _ in range(jobs - 1):
        try:
            started.append(
                forked.fork(
                    _share, (function, items, dispenser, os.getpid()), [c for _, c in started]
                )
            )
        except OSError:  # no more processes: the others take more
            break
    results = _taking(function, items, dispenser, progress)
    for worker, channel in started:
        sent = _sent(worker, channel)
        if isinstance(sent, dict):
            results.update(sent)
    return [
        results[index] if index in results else function(items[index])
        for index in range(len(items))
    ]


def _taking(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    dispenser: Dispenser,
    progress: Callable[[int], None] | None = None,
    parent: int | None = None,
) -> dict[int, Result]:
    """The results of the items this process takes, by index, until none is left (or, in a
    worker, until its `parent` is gone: no one would take them)."""
    done: dict[int, Result] = {}
    while (parent is None or os.getppid() == parent) and (taken := dispenser.take()):
        for index in taken:
            done[index] = function(items[index])
            if progress is not None:
                progress(dispenser.taken())
    return done


def _sent(process: Forked, channel: Channel) -> Any:
    try:
        return channel.recv()
    except (EOFError, OSError, ValueError):
        return None
    finally:
        channel.close()
        process.join()


def _share(
    channel: Channel, function: Callable[[Any], Any], items: Any, dispenser: Dispenser, parent: int
) -> None:
    """A worker of `shared_out`: the results of the items it took, or nothing when one fails."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the run stops its workers itself
    with contextlib.suppress(Exception):  # else the parent works its items out itself
        channel.send(_taking(function, items, dispenser, parent=parent))


def _method() -> str:
    """fork on Linux, where workers then share what this process has loaded; spawn where
    forking is unsafe (macOS) or impossible (Windows)."""
    return "fork" if sys.platform.startswith("linux") and hasattr(os, "fork") else "spawn"


class _Worker:
    def __init__(self, process: Process, connection: Link) -> None:
        self.process = process
        self.connection = connection
        # The tasks sent and not yet done, oldest first: the next one waits in the pipe, so
        # that a worker never waits for this process between tasks.
        self.tasks: deque[list[int]] = deque()
        self.ready = False


class _Pool:
    """The workers of one run, and the results they have sent, by index of the input."""

    def __init__(
        self,
        checker: Checker,
        inputs: Inputs,
        tasks: list[list[int]],
        jobs: int,
        start: Callable[[Any], Checker],
        argument: Any,
    ) -> None:
        self.checker, self.inputs = checker, inputs
        self.queue = deque(tasks)
        self.jobs = min(jobs, len(tasks))
        self.start, self.argument = start, argument
        self.results: dict[int, tuple[Any, ...]] = {}
        self.workers: dict[Link, _Worker] = {}
        # Inputs checked again, each on its own, after a worker stopped while checking them.
        self.retried: set[int] = set()
        self.broken = False
        self.forks = _method() == "fork"

    def __enter__(self) -> _Pool:
        import gc

        # What is loaded now stays out of the collector's way, and so its pages stay shared
        # with the workers (a collection would write to every object it visits).
        self.checker.warm()
        gc.freeze()
        for _ in range(self.jobs):
            self._spawn()
        return self

    def __exit__(self, *exc: object) -> None:
        import gc

        for worker in list(self.workers.values()):
            self._stop(worker, finished=exc[0] is None)
        gc.unfreeze()

    # -- results --------------------------------------------------------------------------
    def result(self, index: int) -> FileResult:
        """The result of input `index`, once a worker has sent it (or this process has
        checked it, when the workers could not start)."""
        while index not in self.results and not self.broken:
            self._receive()
        message = self.results.pop(index, None)
        path, named = self.inputs[index]
        if message is None:  # no worker could check it
            return self.checker.checked(path, named)
        kind, *rest = message
        if kind == "oserror":
            raise OSError(*rest)
        if kind == "settings":
            raise SettingsError(rest[0])
        if kind == "stopped":
            return FileResult(str(path), "error", [crashed(str(path), rest[0])])
        findings, lines = rest
        self.checker.merge(lines, (), {})
        return FileResult(str(path), kind, findings)

    def finish(self) -> None:
        """Wait for the end of every task: its secrets and versions come with it."""
        while self.workers and not self.broken:
            self._receive()

    def _receive(self) -> None:
        if self.forks:
            from .forked import ready as wait
        else:
            from multiprocessing.connection import wait  # type: ignore[assignment]

        for ready in wait(list(self.workers)):
            worker = self.workers[ready]  # type: ignore[index]
            try:
                message = worker.connection.recv()
            except (EOFError, OSError):
                self._lost(worker)
                continue
            self._take(worker, message)

    def _take(self, worker: _Worker, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "ready":
            worker.ready = True
        elif kind == "done":
            _, files, secrets, targets = message
            for index, *result in files:
                self.results[index] = tuple(result)
            self.checker.merge({}, secrets, targets)
            worker.tasks.popleft()
            self._assign(worker)

    def _lost(self, worker: _Worker) -> None:
        """A worker stopped: the files of the task it was checking are checked again, one
        task each, so that a file that stops a worker again is known, and costs one
        internal-error finding (a file already checked again on its own costs it at once);
        its other tasks go back to the queue as they were. A worker that could not even
        start breaks the pool."""
        worker.process.join(1)
        self._stop(worker, finished=False)
        if not worker.ready:
            self._break()
            return
        held = list(worker.tasks) or [[]]
        back = held[1:]  # sent ahead, not begun: its results would have come first
        if len(held[0]) == 1 and held[0][0] in self.retried:
            self.results[held[0][0]] = ("stopped", _how(worker.process.exitcode))
        elif held[0]:
            # Each file once more, on its own (a worker killed from outside costs nothing).
            self.retried.update(held[0])
            back[:0] = [[index] for index in held[0]]
        for task in reversed(back):
            self.queue.appendleft(task)
        if self.queue and len(self.workers) < self.jobs:
            self._spawn()

    def _break(self) -> None:
        """Workers cannot be started here: stop those there are; this process checks what
        they have not sent."""
        self.broken = True
        for other in list(self.workers.values()):
            self._stop(other, finished=False)
        self.queue.clear()

    # -- workers --------------------------------------------------------------------------
    def _spawn(self) -> None:
        try:
            process, here = self._started((self.inputs, self.start, self.argument))
        except OSError:  # no more processes
            if not self.workers:
                self._break()
            return
        worker = _Worker(process, here)
        self.workers[here] = worker
        self._assign(worker)

    def _started(self, args: tuple[Any, ...]) -> tuple[Process, Link]:
        """A worker running `_work(its end, *args)`, and this process's end of its pipes;
        OSError when no process can be made."""
        if self.forks:
            from . import forked

            return forked.fork(_work, args, [w.connection for w in self.workers.values()])
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        here, there = context.Pipe()
        process = context.Process(target=_work, args=(there, *args), daemon=True)
        try:
            process.start()
        except OSError:
            here.close()
            raise
        finally:
            there.close()
        return process, here

    def _assign(self, worker: _Worker) -> None:
        """Tasks to `worker` until it holds `AHEAD`, or the end when there is none left and
        it holds none."""
        while self.queue and len(worker.tasks) < AHEAD:
            task = self.queue.popleft()
            worker.tasks.append(task)
            with contextlib.suppress(OSError):  # gone: its connection reads as ended
                worker.connection.send(task)
        if not worker.tasks:
            with contextlib.suppress(OSError):
                worker.connection.send(None)
            self._stop(worker, finished=True)

    def _stop(self, worker: _Worker, finished: bool) -> None:
        """Forget `worker`: it ends on its own once told there is nothing left (`finished`;
        a forked one is reaped later, see `forked.ending`), else it is ended."""
        self.workers.pop(worker.connection, None)
        worker.connection.close()
        if finished and self.forks:
            from . import forked

            forked.ending(worker.process)  # type: ignore[arg-type]
            return
        if not finished and worker.process.is_alive():
            worker.process.terminate()
        worker.process.join(5 if finished else 1)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()


def _how(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        return f"its process was ended by signal {-exitcode}"
    return f"its process stopped with exit code {exitcode}"


# -- the worker ------------------------------------------------------------------------------
def _work(connection: Link, inputs: Inputs, start: Callable[[Any], Checker], argument: Any) -> None:
    """A worker: its checker checks each file of each task it is sent and sends back their
    results together (one message a task: this process wakes once for each), until it is
    sent None."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the run stops its workers itself
    try:
        checker = start(argument)
        connection.send(("ready",))
        sent: set[str] = set()
        shown: dict[tuple[str, int, int, str, str], int] = {}
        while (task := connection.recv()) is not None:
            files = []
            for index in task:
                path, named = inputs[index]
                files.append(_one(checker, index, path, named, shown))
            secrets = checker.secrets.values - sent
            sent |= secrets
            connection.send(("done", files, secrets, dict(checker.targets)))
            checker.targets.clear()
    except (EOFError, OSError):
        pass  # the run has ended
    finally:
        connection.close()


def _one(
    checker: Checker,
    index: int,
    path: Path,
    named: bool,
    shown: dict[tuple[str, int, int, str, str], int],
) -> tuple[Any, ...]:
    """The result of input `index`, as sent. A finding this worker has sent with a file
    before it in the run (`shown`: each finding sent, and the first file it was sent with)
    is left out: the run reports each finding with the first file that has it."""
    try:
        result = checker.checked(path, named)
    except OSError as exc:
        return (index, "oserror", exc.errno, exc.strerror, exc.filename)
    except SettingsError as exc:
        return (index, "settings", str(exc))
    findings = _not_sent_before(result.findings, index, shown)
    return (index, result.kind, findings, checker.lines(findings))


def _not_sent_before(
    findings: list[Finding], index: int, shown: dict[tuple[str, int, int, str, str], int]
) -> list[Finding]:
    """`findings` of input `index`, sorted, without those sent with an earlier input. A
    worker's inputs mostly come in order; a task given back by a worker that stopped comes
    after later ones, and is sent what it has."""
    out = []
    for f in sorted(findings, key=Finding.sort_key):
        ident = f.ident()
        first = shown.get(ident, index)
        if first < index:
            continue
        shown[ident] = index
        out.append(f)
    return out
