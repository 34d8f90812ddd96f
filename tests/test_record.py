"""Records (`nexrl_cfg.record`): frozen values declared like dataclasses, built without
generating code; they behave as the frozen dataclasses they replace."""

from __future__ import annotations

import copy
import pickle
import re

import pytest

from nexrl_cfg.record import Record, fields_of


class Point(Record):
    x: int
    y: int = 0
    label: str = ""


class Handle(Record, by_value=False):
    name: str
    tags: tuple[str, ...] = ()


def test_a_record_is_built_by_position_or_by_name() -> None:
    assert Point(1, 2) == Point(x=1, y=2) == Point(1, y=2)
    assert (Point(1).y, Point(1).label) == (0, "")
    assert list(fields_of(Point)) == ["x", "y", "label"]
    assert repr(Point(1, 2, "a")) == "Point(x=1, y=2, label='a')"


@pytest.mark.parametrize(
    ("build", "said"),
    [
        (lambda: Point(), "needs field(s) x"),  # type: ignore[call-arg]
        (lambda: Point(1, z=3), "has no field(s) z"),  # type: ignore[call-arg]
        (lambda: Point(1, x=1), "given x twice"),  # type: ignore[misc]
        (lambda: Point(1, 2, "a", 4), "takes 3 fields"),  # type: ignore[call-arg]
    ],
)
def test_a_record_refuses_what_a_dataclass_would(build: object, said: str) -> None:
    with pytest.raises(TypeError, match=re.escape(said)):
        build()  # type: ignore[operator]


def test_a_record_does_not_change_and_replace_makes_another() -> None:
    point = Point(1, 2)
    with pytest.raises(AttributeError):
        point.x = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del point.y  # type: ignore[misc]
    moved = point.replace(y=5)
    assert (point.y, moved.y, moved.x) == (2, 5, 1)
    with pytest.raises(TypeError, match="has no field"):
        point.replace(z=1)


def test_value_records_compare_by_fields_and_others_by_identity() -> None:
    assert Point(1) == Point(1) and hash(Point(1)) == hash(Point(1))
    assert Point(1) != Point(2) and Point(1) != (1, 0, "")
    one = Handle("a")
    assert one == one and one != Handle("a")
    assert len({Handle("a"), Handle("a")}) == 2


def test_a_record_pickles_and_copies() -> None:
    point = Point(1, 2, "a")
    assert pickle.loads(pickle.dumps(point)) == point == copy.deepcopy(point)
    handle = Handle("a", ("t",))
    again = pickle.loads(pickle.dumps(handle))
    assert (again.name, again.tags) == ("a", ("t",)) and again is not handle


def test_replace_keeps_a_default_its_class_s() -> None:
    # A request's default settings are a read-only mapping, which does not pickle: a spawned
    # worker is sent the request as replaced, which must not hold it.
    from nexrl_cfg.app import CheckRequest

    sent = CheckRequest(["x"]).replace(progress=None)
    assert "settings" not in vars(sent)
    assert pickle.loads(pickle.dumps(sent)).paths == ["x"]


def test_classes_of_one_name_keep_their_own_fields() -> None:
    def make(field: str) -> type[Record]:
        return type("R", (Record,), {"__annotations__": {field: "int"}})

    first, second = make("a"), make("b")
    assert list(fields_of(first)) == ["a"] and list(fields_of(second)) == ["b"]
    assert second(b=1) != first(a=1)
