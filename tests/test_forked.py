"""Forked workers (`forked`): messages of any size arrive whole, a child that ends reads as
ended, its exit code or signal is known, and a child holds no pipe but its own."""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

import pytest

from nexrl_cfg import forked

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="workers are forked this way on Linux only"
)


def _echo(channel: forked.Channel) -> None:
    while (message := channel.recv()) is not None:
        channel.send(message)


def _fail(channel: forked.Channel) -> None:
    raise RuntimeError("a bug in a worker")


def _wait(channel: forked.Channel) -> None:
    channel.recv()


def _open_fds(channel: forked.Channel, others: list[int]) -> None:
    still = []
    for fd in others:
        try:
            os.fstat(fd)
        except OSError:
            continue
        still.append(fd)
    channel.send(still)


def test_a_message_larger_than_a_pipe_arrives_whole() -> None:
    process, channel = forked.fork(_echo, ())
    large: dict[str, Any] = {"text": "x" * 3_000_000, "numbers": list(range(50_000))}
    try:
        channel.send(large)
        assert channel.recv() == large
        channel.send(("small", 1))
        assert channel.recv() == ("small", 1)
        channel.send(None)
        process.join(5)
        assert process.exitcode == 0 and not process.is_alive()
        with pytest.raises(EOFError):
            channel.recv()
    finally:
        channel.close()


def test_a_child_that_raises_ends_with_exit_code_1_and_prints_nothing(
    capfd: pytest.CaptureFixture[str],
) -> None:
    process, channel = forked.fork(_fail, ())
    process.join(5)
    with pytest.raises(EOFError):
        channel.recv()
    channel.close()
    assert process.exitcode == 1
    assert capfd.readouterr() == ("", "")


def test_a_child_killed_has_minus_the_signal_for_exit_code() -> None:
    process, channel = forked.fork(_wait, ())
    assert process.is_alive()
    assert forked.ready([channel], 0.05) == []
    os.kill(process.pid, signal.SIGKILL)
    assert forked.ready([channel]) == [channel]  # ended: it reads as ended at once
    process.join(5)
    assert process.exitcode == -signal.SIGKILL
    process.kill()  # reaped: its number is not signalled again
    channel.close()


def test_join_gives_up_after_its_timeout_and_terminate_ends_the_child() -> None:
    process, channel = forked.fork(_wait, ())
    process.join(0.05)
    assert process.exitcode is None and process.is_alive()
    process.terminate()
    process.join(5)
    assert process.exitcode == -signal.SIGTERM
    channel.close()


def test_a_child_holds_no_pipe_of_another() -> None:
    first, one = forked.fork(_wait, ())
    theirs = [one.fileno(), one._writing]
    second, two = forked.fork(_open_fds, (theirs,), [one])
    try:
        assert two.recv() == []
    finally:
        one.send(None)
        for process, channel in ((first, one), (second, two)):
            process.join(5)
            channel.close()
    assert (first.exitcode, second.exitcode) == (0, 0)


def test_a_child_told_to_end_is_reaped_later_and_one_that_stays_is_killed() -> None:
    done, one = forked.fork(_wait, ())
    stays, two = forked.fork(_wait, ())
    one.send(None)
    forked.ending(done)
    forked.ending(stays)  # told to end, but it waits for a message that never comes
    forked.reap(0.2)
    assert done.exitcode == 0 and stays.exitcode == -signal.SIGKILL
    assert forked._ENDING == []
    one.close()
    two.close()


def _take_all(channel: forked.Channel, dispenser: forked.Dispenser) -> None:
    got: list[int] = []
    while taken := dispenser.take():
        got.extend(taken)
    channel.send(got)


@pytest.mark.parametrize(("count", "room"), [(1000, 1 << 16), (1000, 64), (7, 4)])
def test_a_dispenser_hands_each_item_out_once(
    count: int, room: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whoever asks first takes an item, each exactly once; more items than the pipe holds
    go out in runs."""
    monkeypatch.setattr(forked, "_pipe_room", lambda fd: room)
    dispenser = forked.Dispenser(count)
    children = [forked.fork(_take_all, (dispenser,)) for _ in range(2)]
    mine: list[int] = []
    while taken := dispenser.take():
        mine.extend(taken)
    theirs: list[int] = []
    for process, channel in children:
        theirs.extend(channel.recv())
        process.join(5)
        channel.close()
    assert sorted(mine + theirs) == list(range(count))
    assert dispenser.taken() == count
    dispenser.close()


def test_a_worker_whose_parent_is_gone_takes_no_more() -> None:
    from nexrl_cfg import pool

    dispenser = forked.Dispenser(5)
    assert pool._taking(str, list(range(5)), dispenser, parent=os.getpid()) == {}
    assert pool._taking(str, list(range(5)), dispenser, parent=os.getppid()) == {
        n: str(n) for n in range(5)
    }
    dispenser.close()


def test_a_fork_without_descriptors_left_leaks_none(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[int] = []
    real_pipe = os.pipe

    def second_fails() -> tuple[int, int]:
        if made:
            raise OSError(24, "Too many open files")
        pair = real_pipe()
        made.extend(pair)
        return pair

    monkeypatch.setattr(os, "pipe", second_fails)
    with pytest.raises(OSError):
        forked.fork(_wait, ())
    for fd in made:
        with pytest.raises(OSError):
            os.fstat(fd)
