"""The shape of the package: no import circles, and no stage that reaches into a later one.

What counts as an import of module A by module B (an edge B -> A):
- an `import` or `from ... import` anywhere in B: at module level or inside a function (a
  function's import runs too, only later); those under `if TYPE_CHECKING:` do not count
  (they never run);
- `from . import name` where `name` is no module: an import of the package's `__init__`;
- a registry: `importlib.import_module(f"{__name__}.{name}_format")` and the like counts an
  edge to every module of the package that the name can stand for.
Python loads a package's `__init__` before any module in it; that alone is no edge (it is no
choice of the code), but importing a name from `__init__` is.

The pipeline, in order: read < compose < resolve < validate < lint < report. A module may
import modules of its own stage and of earlier ones, never of a later one. Where each module
sits (`PLACES`; a new module gets a line there):
- below the pipeline ("base"), what every stage may use: the finding type, file access,
  escaping and redaction (`output`), the tool's own facts (`about`), NexRL's facts (`nexrl`)
  and versions, the options catalogue and the config layout;
- read: reading YAML, telling what a file is (`kinds`) and finding the files (`discovery`);
- compose: `defaults:` lists, and which configs include a file (`includers`);
- resolve: interpolations (`resolve`, its OmegaConf fallback and what the two share) and the
  resolved `config` that validate and lint read;
- validate, lint: their rules. A rule module sits at the stage it declares (`STAGE`): the
  stages that report a rule import its id from it; the helpers the rules share sit with
  validate, and so does `fix.library`, what the rules' fixes are made with (its edit
  engine, `fix.edits`, sits with read); the table of all rules (`rules/__init__`), which
  loads every rule and runs those of a stage, sits with the last of them, report, and so
  does `pipeline`, which runs the stages of one config through it;
- report: the output formats, the `resolve` command's rendering, and the suppression
  comments (`suppress`), applied to the findings of every stage, with their own rule;
- above the pipeline ("run"), what drives it: the checker, the application, settings,
  fixing and migrating, `explain` and `schema`, the command line and the package's face.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE = "nexrl_cfg"
SOURCE = Path(__file__).resolve().parent.parent / PACKAGE

STAGES = ("base", "read", "compose", "resolve", "validate", "lint", "report", "run")

# Where each module sits: the longest name that is the module or a package holding it.
PLACES = {
    "nexrl_cfg.finding": "base",
    "nexrl_cfg.files": "base",
    "nexrl_cfg.output": "base",
    "nexrl_cfg.deferred": "base",
    "nexrl_cfg.record": "base",
    "nexrl_cfg.about": "base",
    "nexrl_cfg.version": "base",
    "nexrl_cfg.nexrl": "base",
    "nexrl_cfg.catalogue": "base",
    "nexrl_cfg.layout": "base",
    "nexrl_cfg.references": "base",
    "nexrl_cfg.read": "read",
    "nexrl_cfg._yaml": "read",
    "nexrl_cfg.kinds": "read",
    "nexrl_cfg.discovery": "read",
    "nexrl_cfg.compose": "compose",
    "nexrl_cfg.defaults_list": "compose",
    "nexrl_cfg.merge": "compose",
    "nexrl_cfg.overrides": "compose",
    "nexrl_cfg.includers": "compose",
    "nexrl_cfg._interpolation": "resolve",
    "nexrl_cfg._omegaconf": "resolve",
    "nexrl_cfg.resolve": "resolve",
    "nexrl_cfg.config": "resolve",
    "nexrl_cfg.launched": "resolve",
    "nexrl_cfg.rules._entries": "validate",
    "nexrl_cfg.rules._services": "validate",
    "nexrl_cfg.rules._startup": "validate",
    "nexrl_cfg.rules._values": "validate",
    "nexrl_cfg.fix.edits": "read",
    "nexrl_cfg.fix.library": "validate",
    "nexrl_cfg.pipeline": "report",
    "nexrl_cfg.rules": "report",
    "nexrl_cfg.suppress": "report",
    "nexrl_cfg.report": "report",
    "nexrl_cfg.check": "run",
    "nexrl_cfg.pool": "run",
    "nexrl_cfg._hydra": "run",
    "nexrl_cfg.hydra_check": "run",
    "nexrl_cfg.launch": "run",
    "nexrl_cfg.app": "run",
    "nexrl_cfg.settings": "run",
    "nexrl_cfg.fix": "run",
    "nexrl_cfg.explain": "run",
    "nexrl_cfg.schema": "run",
    "nexrl_cfg.docs": "run",
    "nexrl_cfg.cli": "run",
    "nexrl_cfg.lsp": "run",
    "nexrl_cfg.__main__": "run",
    "nexrl_cfg": "run",
}

# Edges let through against the rules above, by name, while a move is under way; whoever
# removes one of these imports removes its line here (a test says when one is gone). Empty.
ALLOWED: set[tuple[str, str]] = set()


@dataclass(frozen=True)
class Module:
    name: str
    path: Path

    @property
    def is_package(self) -> bool:
        return self.path.name == "__init__.py"

    @property
    def package(self) -> str:
        return self.name if self.is_package else self.name.rpartition(".")[0]


@cache
def modules() -> dict[str, Module]:
    found = {}
    for path in sorted(SOURCE.rglob("*.py")):
        parts = path.relative_to(SOURCE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = Module(".".join(parts), path)
    return found


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node, leaving out the bodies of `if TYPE_CHECKING:`."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _type_checking(node.test):
            for child in node.orelse:
                yield child
                yield from _nodes(child)
            continue
        yield node
        yield from _nodes(node)


def _absolute(module: Module, level: int, target: str | None) -> str:
    base = module.package.split(".")
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, target] if target else base)


def _constants(tree: ast.Module, module: Module) -> dict[str, str]:
    """The module's text constants (`_SUFFIX = "_format"`), `__name__` and `__package__`."""
    found = {"__name__": module.name, "__package__": module.package}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            found[node.targets[0].id] = node.value.value
    return found


def _registry(call: ast.Call, constants: dict[str, str], known: dict[str, Module]) -> set[str]:
    """The modules an `importlib.import_module(...)` call can load: a part of the name that
    is not a known text stands for any name."""
    if not call.args:
        return set()
    name = call.args[0]
    parts = name.values if isinstance(name, ast.JoinedStr) else [name]
    pattern = ""
    for part in parts:
        if isinstance(part, ast.FormattedValue):
            part = part.value
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            pattern += re.escape(part.value)
        elif isinstance(part, ast.Name) and part.id in constants:
            pattern += re.escape(constants[part.id])
        else:
            pattern += r"[^.]+"
    return {name for name in known if re.fullmatch(pattern, name)}


def imports(module: Module, known: dict[str, Module]) -> set[str]:
    """The package's modules `module` imports (see the module docstring)."""
    tree = ast.parse(module.path.read_text(encoding="utf-8"))
    constants = _constants(tree, module)
    found: set[str] = set()
    for node in _nodes(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(module, node.level, node.module) if node.level else node.module or ""
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                found.add(submodule if submodule in known else target)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
        ):
            found |= _registry(node, constants, known)
    return {name for name in found if name in known and name != module.name}


@cache
def _graph() -> dict[str, frozenset[str]]:
    known = modules()
    return {name: frozenset(imports(module, known)) for name, module in known.items()}


def graph() -> dict[str, set[str]]:
    """module -> the package's modules it imports."""
    return {name: set(imported) for name, imported in _graph().items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


@cache
def place(name: str) -> str | None:
    """The stage of a module: a rule's own `STAGE`, else its line in PLACES."""
    if name.startswith(f"{PACKAGE}.rules."):
        stage = _constants(ast.parse(modules()[name].path.read_text("utf-8")), modules()[name])
        if stage.get("STAGE") in STAGES:
            return stage["STAGE"]
    for prefix in sorted(PLACES, key=len, reverse=True):
        if name == prefix or name.startswith(prefix + "."):
            return PLACES[prefix]
    return None


def test_every_module_has_a_place() -> None:
    unplaced = sorted(name for name in modules() if place(name) is None)
    assert not unplaced, f"say where these sit in PLACES: {unplaced}"


def test_no_import_circles() -> None:
    edges = graph()
    for importer, imported in ALLOWED:
        edges[importer].discard(imported)
    found = cycles(edges)
    assert not found, "import circles:\n" + "\n".join(" <-> ".join(circle) for circle in found)


def later_stage_imports(edges: dict[str, set[str]]) -> list[str]:
    return [
        f"{importer} ({place(importer)}) imports {imported} ({place(imported)})"
        for importer, imports in sorted(edges.items())
        for imported in sorted(imports)
        if (importer, imported) not in ALLOWED
        and STAGES.index(place(importer) or "run") < STAGES.index(place(imported) or "run")
    ]


def test_no_module_imports_a_later_stage() -> None:
    later = later_stage_imports(graph())
    assert not later, "\n".join(later)


def test_the_command_line_only_parses_and_prints() -> None:
    """It calls the application, the report's registry and the declared settings (and names
    NexRL's versions in its help), and knows no stage; `lsp` starts the language server, the
    other front end of the application."""
    allowed = {"app", "report", "report.run", "settings", "output", "about", "nexrl", "lsp"}
    assert graph()["nexrl_cfg.cli"] <= {f"{PACKAGE}.{name}" for name in allowed}


def test_the_allowed_edges_still_exist() -> None:
    edges = graph()
    gone = sorted(edge for edge in ALLOWED if edge[1] not in edges.get(edge[0], set()))
    assert not gone, f"these imports are gone: remove them from ALLOWED: {gone}"


def test_the_analysis_sees_every_kind_of_import() -> None:
    edges = graph()
    # In a function.
    assert "nexrl_cfg._omegaconf" in edges["nexrl_cfg.resolve"]
    # Registries: every format, every rule.
    assert {"nexrl_cfg.report.json_format", "nexrl_cfg.report.sarif_format"} <= edges[
        "nexrl_cfg.report"
    ]
    assert "nexrl_cfg.report.run" not in edges["nexrl_cfg.report"]
    assert "nexrl_cfg.rules.max_tokens_match" in edges["nexrl_cfg.rules"]
    # In a function, again: the catalogue reads its data only when first asked.
    assert "nexrl_cfg.catalogue.data" in edges["nexrl_cfg.catalogue"]
    # Under TYPE_CHECKING: not counted.
    assert "nexrl_cfg.settings" not in edges["nexrl_cfg.discovery"]


def test_a_circle_and_a_later_stage_are_found() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    reaching = {"nexrl_cfg.read": {"nexrl_cfg.report.text_format", "nexrl_cfg.finding"}}
    assert later_stage_imports(reaching) == [
        "nexrl_cfg.read (read) imports nexrl_cfg.report.text_format (report)"
    ]
