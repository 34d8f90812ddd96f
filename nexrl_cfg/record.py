"""Records: frozen values declared as annotated class attributes, built without generating
code.

`@dataclass` compiles each method it generates from source when its module is imported, which
made a fifth of a one-file check. A `Record` declares the same way (a field is an annotation;
its class value, if any, its default) and behaves as a frozen dataclass: built by position in
the order declared or by name, never changed, compared, hashed and shown by its fields, copied
with changes by `replace`. `class X(Record, by_value=False)` compares and hashes by identity,
as `eq=False` does. A default is shared by every record that does not give the field: it must
not be changed (a tuple, a mapping proxy, a frozen value). Type checkers see a dataclass
(`dataclass_transform`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing_extensions import Self, dataclass_transform
else:

    def dataclass_transform(**_: Any) -> Any:
        return lambda cls: cls


class _Required:
    """Marks a field that has no default."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()
_FIELDS: dict[type, dict[str, Any]] = {}


def fields_of(kind: type) -> dict[str, Any]:
    """The fields of a record class, in the order they are declared (base class first), each
    with its default (`REQUIRED` for none)."""
    found = _FIELDS.get(kind)
    if found is None:
        found = _FIELDS[kind] = {
            name: vars(klass).get(name, REQUIRED)
            for klass in reversed(kind.__mro__)
            for name in vars(klass).get("__annotations__", {})
        }
    return found


@dataclass_transform(frozen_default=True)
class Record:
    def __init_subclass__(cls, by_value: bool = True, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not by_value:
            cls.__eq__ = object.__eq__  # type: ignore[method-assign,assignment]
            cls.__hash__ = object.__hash__  # type: ignore[method-assign,assignment]

    def __init__(self, *given: Any, **values: Any) -> None:
        known = fields_of(type(self))
        if len(given) > len(known):
            raise TypeError(f"{type(self).__name__} takes {len(known)} fields")
        for name, value in zip(known, given, strict=False):
            if name in values:
                raise TypeError(f"{type(self).__name__} given {name} twice")
            values[name] = value
        unknown = sorted(values.keys() - known.keys())
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field(s) {', '.join(unknown)}")
        missing = [n for n, default in known.items() if default is REQUIRED and n not in values]
        if missing:
            raise TypeError(f"{type(self).__name__} needs field(s) {', '.join(missing)}")
        self.__dict__.update(values)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__}.{name} cannot be changed")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__}.{name} cannot be changed")

    def replace(self, **changes: Any) -> Self:
        """This record with `changes`, as `dataclasses.replace` makes one (the fields it
        was given, and `changes`: a default stays its class's)."""
        return type(self)(**{**self.__dict__, **changes})

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in fields_of(type(self)))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in fields_of(type(self)))
        return f"{type(self).__name__}({shown})"
