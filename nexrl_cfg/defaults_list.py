"""The items of a Hydra defaults list, as Hydra 1.3 reads them (hydra/core/default_element.py,
hydra/_internal/config_repository.py at 1.3.2): where an item's config is, where its content
goes (its package), and the key an `override` of it is matched by.

Pure data and arithmetic; `compose` builds the tree of these and reports what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .finding import Span
from .merge import Origins
from .read import Document, KeyPath

# Levels of a package (`# @package a.b.c`, `group@a.b`), after joining it to its parent's.
MAX_PACKAGE_DEPTH = 16
_PACKAGE_PART = re.compile(r"[A-Za-z0-9_\-]+\Z")

# Hydra reads a file's header from its first 512 characters.
_HEADER_CHARS = 512
_HEADER_LINE = re.compile(r"^\s*#\s*@")


# -- the defaults tree ----------------------------------------------------------------------
@dataclass(eq=False)
class Default:
    """One item of a defaults list (Hydra's ConfigDefault, GroupDefault and `_self_`)."""

    span: Span
    kind: str  # "self", "config" or "group"
    path: str = ""  # a config's path, or a group, as written
    value: Any = None  # a group's choice: an option, a list of options, or None
    package: str | None = None
    optional: bool = False
    override: bool = False
    external: bool = False  # `+group=option` on the command line
    primary: bool = False
    base_dir: str | None = None
    parent_package: str | None = None
    header: str | None = None
    deleted: bool = False
    # Where the choice in `value` was made, when an override changed it.
    chosen_at: Span | None = None

    def update_parent(self, base_dir: str, parent_package: str) -> None:
        self.base_dir, self.parent_package = base_dir, parent_package
        if self.package is not None and "_group_" in self.package:
            resolved = self.package.replace("_group_", self.default_package())
            self.package = f"_global_.{resolved}"

    def is_self(self) -> bool:
        return self.kind == "self"

    def is_options(self) -> bool:
        return self.kind == "group" and isinstance(self.value, list)

    def name(self) -> str | None:
        if self.kind == "group":
            return self.value if isinstance(self.value, str) else None
        return self.path.rsplit("/", 1)[-1]

    def group_path(self) -> str:
        assert self.base_dir is not None
        if self.kind == "group":
            if self.path.startswith("/"):
                return self.path[1:]
            return self.path if not self.base_dir else f"{self.base_dir}/{self.path}"
        absolute = self.path.startswith("/")
        path = self.path[1:] if absolute else self.path
        group = path.rsplit("/", 1)[0] if "/" in path else ""
        if absolute or not self.base_dir:
            return group
        return self.base_dir if not group else f"{self.base_dir}/{group}"

    def config_path(self) -> str:
        if self.kind == "group":
            return f"{self.group_path()}/{self.name()}"
        assert self.base_dir is not None
        if self.path.startswith("/"):
            return self.path[1:]
        return self.path if not self.base_dir else f"{self.base_dir}/{self.path}"

    def relative_group_path(self) -> str:
        path = self.path[1:] if self.path.startswith("/") else self.path
        if self.kind == "group":
            return path
        return path.rsplit("/", 1)[0] if "/" in path else ""

    def default_package(self) -> str:
        return self.group_path().replace("/", ".")

    def get_package(self, default_to_header: bool = True) -> str | None:
        if self.package is None and default_to_header:
            return self.header
        return self.package

    def final_package(self, default_to_header: bool = True) -> str:
        package = self.get_package(default_to_header)
        if package is None:
            package = self.relative_group_path().replace("/", ".")
        parent = self.parent_package or ""
        full = package if not parent else parent if not package else f"{parent}.{package}"
        index = full.rfind("_global_")
        return full if index < 0 else full[index + len("_global_") + 1 :]

    def override_key(self) -> str:
        key = self.group_path()
        final = self.final_package(default_to_header=False)
        if self.default_package() != final:
            key = f"{key}@{final or '_global_'}"
        return key

    def is_interpolation(self) -> bool:
        if self.kind == "group":
            return isinstance(self.value, str) and "${" in self.value
        return self.kind == "config" and "${" in self.path

    def is_missing(self) -> bool:
        return self.name() == "???"

    def is_hydra(self) -> bool:
        """One of Hydra's own config groups: not part of the run's config."""
        if self.kind != "group":
            return False
        group = self.group_path()
        return group == "hydra" or group.startswith("hydra/")

    def where(self) -> Span:
        """Where the option now chosen was chosen (an override's entry or argument)."""
        return self.chosen_at or self.span

    def shown(self) -> str:
        if self.kind == "group":
            key = self.path if self.package is None else f"{self.path}@{self.package}"
            return f"{key}: {self.value}"
        return self.path


@dataclass(eq=False)
class Tree:
    node: Default
    parent: Tree | None = None
    children: list[Tree | Default] | None = None


@dataclass(eq=False)
class Choice:
    """An override of a group's choice: from a defaults list or the command line."""

    value: Any
    span: Span
    external: bool
    config: str = ""
    used: bool = False


@dataclass(eq=False)
class Deletion:
    name: str | None
    span: Span
    used: bool = False


def choice_text(value: Any) -> str:
    return f"[{','.join(value)}]" if isinstance(value, list) else str(value)


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "text"


def split_package(text: str) -> tuple[str, str | None]:
    """`group@package` (Hydra also accepts `group@package:rename`, keeping `package`)."""
    group, at, package = text.partition("@")
    if not at:
        return text, None
    return group, package.split(":", 1)[0]


def here(package: str | None) -> str | None:
    return "" if package == "_here_" else package


def header(doc: Document) -> tuple[str | None, str | None]:
    """(package, problem) of a file's header, as Hydra's ConfigSource._get_header_dict."""
    text = "\n".join(doc.lines)[:_HEADER_CHARS]
    package = None
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if not _HEADER_LINE.match(line):
            break
        words = [w for w in line.lstrip("#").strip().split(" ") if w]
        if len(words) < 2:
            return package, f"header '{_clip(line)}' is not `# @KEY VALUE`"
        if len(words) > 2:
            return package, f"header '{_clip(line)}' has too many words"
        if words[0] == "@package":
            package = words[1]
    return package, None


def _clip(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def keys(package: str) -> KeyPath:
    """A package as a key path, as OmegaConf splits it (`.t`, from `_group_.t` at the root,
    is the key '' then 't')."""
    return tuple(package.split(".")) if package else ()


def package_problem(package: str) -> str | None:
    """Why a package cannot be used (too deep, not made of names), or None."""
    parts = package.split(".", MAX_PACKAGE_DEPTH + 1)
    shown = package if len(package) <= 40 else package[:37] + "..."
    if len(parts) > MAX_PACKAGE_DEPTH:
        return f"package '{shown}' nests more than {MAX_PACKAGE_DEPTH} levels"
    if not all(_PACKAGE_PART.match(part) for part in parts if part):
        return f"package {shown!r} is not a dotted name"
    return None


def place(data: Any, origins: Origins, package: KeyPath) -> tuple[Any, Origins]:
    """Put a config's content under `package` (a key path)."""
    if not package:
        return data, origins
    for key in reversed(package):
        data = {key: data}
    moved = {(*package, *k): v for k, v in origins.items()}
    root = origins.get(())
    if root:
        for depth in range(1, len(package) + 1):
            moved.setdefault(package[:depth], (None, root[1]))
    return data, moved


def inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def escapes(relative: str) -> bool:
    """Whether a path relative to the config folder leads out of it (by `..`)."""
    depth = 0
    for part in PurePosixPath(relative).parts:
        depth += -1 if part == ".." else 0 if part == "." else 1
        if depth < 0:
            return True
    return False


# -- choices written as interpolations ------------------------------------------------------
class ChoiceError(Exception):
    """A choice's interpolation that OmegaConf cannot evaluate (Hydra stops)."""


# What `evaluate_choice` says of an interpolation only OmegaConf itself would evaluate.
OPAQUE: Any = type("Opaque", (), {"__repr__": lambda self: "OPAQUE"})()
_PIECE = re.compile(r"\$\{([^${}]*)\}")
_ENV = re.compile(r"oc\.env:\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:,(.*))?\Z", re.S)
_CHOICE_KEY = re.compile(r"\s*([\w\-/@.]+)\s*\Z")


def evaluate_choice(
    text: str, known: Mapping[str, Any], environ: Mapping[str, str]
) -> tuple[Any, str | None]:
    """(value, unset variable) of a choice written as an interpolation (`${oc.env:M,small}`,
    `${other_group}`, `x_${g}`), as OmegaConf evaluates it against the choices made so far:
    `oc.env` gives text (its default too, unless null), a choice its option (None for
    `group: null`), and text around them makes text. `OPAQUE` for anything else (another
    resolver, a nested or escaped interpolation). Raises ChoiceError where OmegaConf fails."""
    if "\\" in text:
        return OPAQUE, None
    pieces: list[Any] = []
    position = 0
    for match in _PIECE.finditer(text):
        if text[position : match.start()]:
            pieces.append(text[position : match.start()])
        value, unset = _piece(match.group(1), known, environ)
        if value is OPAQUE or unset is not None:
            return value, unset
        pieces.append(value)
        position = match.end()
    rest = text[position:]
    if "${" in rest:
        return OPAQUE, None
    if rest:
        pieces.append(rest)
    if len(pieces) == 1 and _PIECE.fullmatch(text):
        return pieces[0], None
    return "".join("None" if p is None else str(p) for p in pieces), None


def _piece(
    inner: str, known: Mapping[str, Any], environ: Mapping[str, str]
) -> tuple[Any, str | None]:
    env = _ENV.match(inner.strip())
    if env is not None:
        name, default = env.group(1), env.group(2)
        if name in environ:
            return environ[name], None
        if default is None:
            return None, name
        default = default.strip()
        if default in ("null", "~"):
            return None, None
        if len(default) >= 2 and default[0] == default[-1] and default[0] in "'\"":
            return default[1:-1], None
        return default, None
    key = _CHOICE_KEY.match(inner)
    if key is None or ":" in inner:
        return OPAQUE, None
    name = key.group(1)
    if name.startswith("defaults."):
        raise ChoiceError("the `${defaults.N...}` form is no longer supported by Hydra")
    if name not in known:
        raise ChoiceError(f"'{name}' is no choice known at this point")
    return known[name], None


# -- Hydra's own settings ---------------------------------------------------------------------
# The keys of Hydra 1.3's settings (hydra/conf/__init__.py: HydraConf and the structures it
# holds); None where any key is accepted (a mapping of any keys, or any value).
_ANY = None
HYDRA_SETTINGS: dict[str, Any] = {
    # (Words, not a list: Hydra's `launcher` is also a rule's id, written only in its module.)
    **dict.fromkeys(
        "defaults mode searchpath hydra_logging job_logging sweeper launcher callbacks "  # noqa: SIM905
        "output_subdir verbose".split(),
        _ANY,
    ),
    "run": {"dir": _ANY},
    "sweep": {"dir": _ANY, "subdir": _ANY},
    "help": dict.fromkeys(("app_name", "header", "footer", "template"), _ANY),
    "hydra_help": {"hydra_help": _ANY, "template": _ANY},
    "overrides": {"hydra": _ANY, "task": _ANY},
    "job": {
        **dict.fromkeys(
            ("name", "chdir", "override_dirname", "id", "num", "config_name", "env_set"), _ANY
        ),
        "env_copy": _ANY,
        "config": {"override_dirname": {"kv_sep": _ANY, "item_sep": _ANY, "exclude_keys": _ANY}},
    },
    "runtime": dict.fromkeys(
        ("version", "version_base", "cwd", "config_sources", "output_dir", "choices"), _ANY
    ),
}


def unknown_setting(value: Any, schema: Any = HYDRA_SETTINGS, path: KeyPath = ()) -> KeyPath | None:
    """The first key of a `hydra:` section that Hydra's settings do not have (Hydra refuses
    to merge it), or None."""
    if schema is None or not isinstance(value, dict):
        return None
    for key, item in value.items():
        if key not in schema:
            return (*path, key)
        found = unknown_setting(item, schema[key], (*path, key))
        if found is not None:
            return found
    return None
