"""OmegaConf, for the interpolations the fast path in `resolve` does not cover.

Imported only when such an interpolation is met. The config is handed to OmegaConf with every
interpolation replaced by a call back to `resolve`, so that each value is evaluated once, with
the limits and the cycle detection of `resolve`, however it is referred to. While evaluating,
the resolver registry is swapped for the resolvers of `SAFE_RESOLVERS` (nothing registered
elsewhere in the process can run), with `oc.env` marking an unset variable instead of failing.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import omegaconf
from omegaconf import ListConfig, OmegaConf
from omegaconf.basecontainer import BaseContainer
from omegaconf.resolvers import oc

from ._interpolation import HIDDEN_NAME, SAFE_RESOLVERS, Signal
from .read import KeyPath

_NOT_GIVEN = object()
_NEW_API = tuple(int(p) for p in omegaconf.__version__.split(".")[:2]) >= (2, 4)

# OmegaConf builds and walks configs recursively, a dozen stack frames per level.
MAX_VALUES = 5_000
MAX_NESTING = 40


class Unavailable(Exception):
    """The config is too large or too deep for OmegaConf to evaluate anything in it."""


@dataclass
class Frame:
    """One evaluation in progress: the environment values it read, and the secret material
    (those values, and secret values it was handed) anything it computes may derive from."""

    env: list[str] = field(default_factory=list)
    material: list[str] = field(default_factory=list)
    # A secret it was handed that is not text (a mapping, a list): anything may derive from it.
    opaque: bool = False

    def derives(self, text: str) -> bool:
        """Whether `text` (a key, a variable name) may have been computed from a secret: it
        is part of one, or holds one, in any of its decoded forms."""
        if self.opaque:
            return True
        if not text:
            return False
        from .output import forms

        for secret in self.material:
            for form in (secret, *forms(secret)):
                if text in form or form in text:
                    return True
        return False


class Session:
    """One OmegaConf config per composed config, built on first need."""

    def __init__(
        self,
        raw: Any,
        environ: Any,
        handed: Callable[[KeyPath], Any],
        secret: Callable[[KeyPath], bool],
    ) -> None:
        self.raw = raw
        self.environ = environ
        self.handed = handed
        self.secret = secret
        # A name no config can guess for the call-back resolver.
        self.name = f"nexrl_cfg_{os.urandom(4).hex()}"
        self.paths: list[KeyPath] = []
        self.frames: list[Frame] = []
        self.config: Any = None
        self.failure: str | None = None
        self.registry: dict[str, Any] | None = None

    def evaluate(self, path: KeyPath, raw: str) -> tuple[Any, Frame, str | None]:
        """(value, what it read, problem or None) of the expression `raw` written at `path`.
        Raises what `resolve` raised while handing OmegaConf a value."""
        frame = Frame()
        self.frames.append(frame)
        try:
            with self._resolvers(), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if self.config is None and self.failure is None:
                    self._build()
                if self.failure is not None:
                    raise Unavailable(self.failure)
                value = self._evaluate(path, raw)
        except Unavailable:
            raise
        except Exception as exc:  # OmegaConf's errors, and a resolver's own (oc.decode)
            signal = _signal(exc)
            if signal is not None:
                raise signal from None
            return None, frame, plain_problem(exc, raw)
        finally:
            self.frames.pop()
        return value, frame, None

    # -- building -------------------------------------------------------------------------
    def _build(self) -> None:
        count, depth = _measure(self.raw)
        if count > MAX_VALUES:
            self.failure = (
                f"the config has more than {MAX_VALUES:,} values, too many to evaluate this "
                "expression in"
            )
        elif depth > MAX_NESTING:
            self.failure = (
                f"the config nests deeper than {MAX_NESTING} levels, too deep to evaluate "
                "this expression in"
            )
        else:
            self.config = OmegaConf.create(self._placeholders(self.raw, ()))

    def _placeholders(self, value: Any, path: KeyPath) -> Any:
        """`value` with each interpolation replaced by a call back to `resolve`."""
        if isinstance(value, dict):
            return {k: self._placeholders(v, (*path, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [self._placeholders(v, (*path, i)) for i, v in enumerate(value)]
        if isinstance(value, str) and "${" in value:
            self.paths.append(path)
            return "${" + f"{self.name}:{len(self.paths) - 1}" + "}"
        return value

    # -- evaluating -----------------------------------------------------------------------
    def _evaluate(self, path: KeyPath, raw: str) -> Any:
        """Evaluate `raw` beside the value at `path`, so that relative keys mean the same."""
        parent: Any = self.config
        for part in path[:-1]:
            parent = parent[part]
        if isinstance(parent, ListConfig):
            parent.append(raw)
            slot: Any = len(parent) - 1
        else:
            slot = f"__nexrl_cfg_{len(self.frames)}__"
            parent[slot] = raw
        try:
            value = parent[slot]
            if OmegaConf.is_config(value):
                value = OmegaConf.to_container(value, resolve=True)
        finally:
            del parent[slot]
        return value

    @contextmanager
    def _resolvers(self) -> Iterator[None]:
        saved = BaseContainer._resolvers
        if self.registry is None:
            BaseContainer._resolvers = {k: v for k, v in saved.items() if k in SAFE_RESOLVERS}
            _register("oc.env", self._env)
            _register("oc.decode", _decode)
            _register("oc.select", _select)
            _register(self.name, self._handed)
            self.registry = BaseContainer._resolvers
        BaseContainer._resolvers = self.registry
        try:
            yield
        finally:
            BaseContainer._resolvers = saved

    def _env(self, key: Any, default: Any = _NOT_GIVEN) -> Any:
        key = str(key)
        if "\x00" in key:
            return key  # a name that is itself unknown: the value stays unknown
        frame = self.frames[-1] if self.frames else Frame()
        # A name computed from a secret is a secret too: an unset one is never named.
        name = HIDDEN_NAME if frame.derives(key) else key
        if key in self.environ:
            value = self.environ[key]
            frame.env.append(value)
            if value:
                frame.material.append(value)
            return value
        frame.env.append("")
        if default is _NOT_GIVEN:
            return f"\x00env:{name}\x00"
        return None if default is None else str(default)

    def _handed(self, index: Any) -> Any:
        path = self.paths[int(index)]
        value = self.handed(path)
        if self.frames and self.secret(path):
            if isinstance(value, (dict, list)):
                self.frames[-1].opaque = True
            elif value is not None:
                self.frames[-1].material.append(str(value))
        return value


def _decode(expr: Any, _parent_: Any, _node_: Any) -> Any:
    if isinstance(expr, str) and "\x00" in expr:
        return expr  # an unknown value stays unknown
    return oc.decode(expr, _parent_=_parent_, _node_=_node_)


def _select(key: Any, default: Any = _NOT_GIVEN, *, _parent_: Any) -> Any:
    if isinstance(key, str) and "\x00" in key:
        return key
    if default is _NOT_GIVEN:
        return oc.select(key, _parent_=_parent_)
    return oc.select(key, default, _parent_=_parent_)


def _register(name: str, fn: Any) -> None:
    if _NEW_API:
        # (OmegaConf 2.4's signature; type-checked against the 2.3 that hydra-core pins.)
        OmegaConf.register_resolver(  # type: ignore[call-arg, unused-ignore]
            name, fn, replace=True, annotation_validation="off"
        )
    else:  # OmegaConf 2.1 - 2.3
        OmegaConf.register_new_resolver(name, fn, replace=True)


def _measure(value: Any) -> tuple[int, int]:
    """(number of values, nesting depth) of plain data, without recursion."""
    count, deepest = 0, 0
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        count += 1
        deepest = max(deepest, depth)
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return count, deepest


def _signal(exc: BaseException) -> Signal | None:
    """What `resolve` raised inside OmegaConf, which wraps it in its own errors."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 50:
        if isinstance(current, Signal):
            return current
        current = current.__cause__ or current.__context__
        seen += 1
    return None


_UNSUPPORTED = re.compile(r"Unsupported interpolation type (\S+)")
_KEY_NOT_FOUND = re.compile(r"Interpolation key '([^']*)' not found")
# An error of a resolver, wrapped by OmegaConf.
_RAISED = re.compile(r"(\w+) raised while resolving interpolation: (.*)")


def plain_problem(exc: BaseException, raw: str) -> str:
    """OmegaConf's error as a user reads it."""
    text = _first_line(exc)
    kind = type(exc).__name__
    if isinstance(exc, RecursionError) or "RecursionError" in text:
        return "interpolations nest too deeply to evaluate"
    unsupported = _UNSUPPORTED.search(text)
    if unsupported:
        return (
            f"unknown resolver '{unsupported.group(1)}'; only OmegaConf's own resolvers are "
            f"available ({', '.join(SAFE_RESOLVERS)})"
        )
    missing = _KEY_NOT_FOUND.search(text)
    if missing:
        return f"key '{missing.group(1)}' is not in the config"
    inner = _RAISED.match(text)
    if inner and inner.group(1) == "GrammarParseError":
        return "a resolver (oc.decode) was given text that is not a value it can read"
    if inner:
        return inner.group(2)
    if kind == "GrammarParseError" or "mismatched input" in text or "BRACE_CLOSE" in text:
        return "malformed interpolation: " + _grammar_problem(raw)
    if "Recursive interpolation" in text:
        return "interpolation cycle: the value refers to itself"
    if "Missing mandatory value" in text or kind == "InterpolationToMissingValueError":
        return "refers to a value that is '???' (mandatory, never given)"
    return text


def _grammar_problem(raw: str) -> str:
    opened = raw.count("${")
    closed = raw.count("}")
    if opened > closed:
        return "unclosed '${' (a '}' is missing)"
    if closed > opened + raw.count("{") - opened:
        return "a '}' has no '${' to close"
    return (
        "write a key (`${data.max_response_length}`) or a resolver call "
        "(`${oc.env:VAR}`, `${oc.env:VAR,default}`) between '${' and '}'"
    )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
