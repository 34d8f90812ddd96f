"""OmegaConf, for the interpolations the fast path in `resolve` does not cover.

Imported only when such an interpolation is met. While evaluating, the resolver registry is
swapped for the resolvers OmegaConf ships (nothing registered elsewhere in the process can
run) and `oc.env` for a version that marks an unset variable instead of failing.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import omegaconf
from omegaconf import OmegaConf
from omegaconf.basecontainer import BaseContainer

from .read import KeyPath
from .resolve import SAFE_RESOLVERS

_NOT_GIVEN = object()
_NEW_API = tuple(int(p) for p in omegaconf.__version__.split(".")[:2]) >= (2, 4)


def _register(name: str, fn: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if _NEW_API:
            OmegaConf.register_resolver(name, fn, replace=True)
        else:  # OmegaConf 2.1 - 2.3
            OmegaConf.register_new_resolver(name, fn, replace=True)


@contextmanager
def _safe_resolvers(environ: Any, used: list[str]) -> Iterator[None]:
    def env(key: str, default: Any = _NOT_GIVEN) -> Any:
        used.append(key)
        if key in environ:
            return environ[key]
        if default is _NOT_GIVEN:
            return f"\x00env:{key}\x00"
        return None if default is None else str(default)

    saved = BaseContainer._resolvers
    BaseContainer._resolvers = {k: v for k, v in saved.items() if k in SAFE_RESOLVERS}
    try:
        _register("oc.env", env)
        yield
    finally:
        BaseContainer._resolvers = saved


class Session:
    """One OmegaConf config per composed config, built on first need."""

    def __init__(self, raw: Any, environ: Any) -> None:
        self.raw = raw
        self.environ = environ
        self.config: Any = None
        self.broken: dict[KeyPath, str] = {}

    def build(self) -> None:
        # One malformed string would stop OmegaConf.create for the whole tree: set those aside.
        clean = self._sanitize((), self.raw)
        self.config = OmegaConf.create(clean)

    def _sanitize(self, path: KeyPath, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: self._sanitize((*path, k), v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._sanitize((*path, i), v) for i, v in enumerate(value)]
        if isinstance(value, str) and "${" in value:
            try:
                OmegaConf.create({"_": value})
            except Exception as exc:
                self.broken[path] = _first_line(exc)
                return None
        return value


def _select_key(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def evaluate(session: Session, path: KeyPath) -> tuple[Any, bool, str | None]:
    """(value, whether the environment was read, problem or None) for the value at `path`."""
    used: list[str] = []
    with _safe_resolvers(session.environ, used):
        try:
            if session.config is None:
                session.build()
            if path in session.broken:
                return None, False, f"malformed interpolation: {session.broken[path]}"
            value = OmegaConf.select(session.config, _select_key(path), throw_on_missing=True)
            if OmegaConf.is_config(value):
                value = OmegaConf.to_container(value, resolve=True)
        except Exception as exc:  # OmegaConf's errors, and a resolver's own (oc.decode)
            return None, bool(used), _first_line(exc)
    return value, bool(used), None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
