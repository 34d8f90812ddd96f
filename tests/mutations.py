"""Mutation scans over composed NexRL recipes: misspell every key in turn, make every value
wrong in turn, and count the mutations that give a new warning or error.

A recipe is composed first (its `defaults` followed, interpolations kept), then written as one
file; each mutation changes one key or one value of that file. Run as a script to print the
detection rate of each recipe of ../shared's corpus and the mutations nothing reported:

    python tests/mutations.py
    python tests/mutations.py --recipes path/to/recipe --version 1.2
"""

from __future__ import annotations

import copy
import io
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from helpers import CLUSTER

from nexrl_cfg import catalogue
from nexrl_cfg.check import Checker, Settings
from nexrl_cfg.compose import Composer, Reader
from nexrl_cfg.layout import Layout

# Mappings NexRL hands on untouched, and names the user chooses: no key there is misspelt.
OPEN = ("hydra", "override_config", "mixed_precision", "dump_options", "remote_api_dump_options")
ENV = CLUSTER
Path_ = tuple[Any, ...]
# libyaml's emitter where PyYAML has it: the same YAML, written a few times faster.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_STR = "tag:yaml.org,2002:str"


@dataclass
class Scan:
    recipe: str
    keys: int = 0
    values: int = 0
    missed_keys: list[str] = field(default_factory=list)
    missed_values: list[str] = field(default_factory=list)

    def rate(self, kind: str) -> float:
        total = self.keys if kind == "keys" else self.values
        missed = self.missed_keys if kind == "keys" else self.missed_values
        return 1.0 if not total else (total - len(missed)) / total


def composed(entry: Path) -> dict[str, Any]:
    data = Composer(Reader()).compose(entry).data
    assert isinstance(data, dict), entry
    return data


def misspell(name: str) -> str:
    """A typo a person makes: two inner letters swapped, or a letter doubled."""
    for i in range(len(name) - 2, 0, -1):
        a, b = name[i], name[i + 1]
        if a != b and a.isalpha() and b.isalpha():
            return name[:i] + b + a + name[i + 2 :]
    return name + name[-1]


def wrong_values(value: Any, registry: bool) -> list[Any]:
    """Values of the wrong type for `value` and, for a name from a registry, a name no
    registry has (any other text is as good as the one written)."""
    if isinstance(value, bool):
        return ["yes"]
    if isinstance(value, (int, float)):
        return ["many"]
    if isinstance(value, str):
        if "${" in value:
            return []
        return [12345, "no_such_value_xyz"] if registry else [12345]
    if isinstance(value, list):
        return [{"not": "a list"}]
    return []


def _keys(node: Any, path: Path_ = ()) -> Iterator[Path_]:
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if not isinstance(key, str) or key in OPEN:
            continue
        named = (
            path[-1:] == ("train_service",) and isinstance(value, dict) and "backend" not in node
        )
        if not named and not (len(path) >= 2 and path[-2:] == ("resource", "train")):
            yield (*path, key)
        yield from _keys(value, (*path, key))


def _leaves(node: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and key not in OPEN:
                yield from _leaves(value, (*path, key))
    elif node is not None and not (isinstance(node, list) and node and isinstance(node[0], dict)):
        yield path, node


def _parent(data: dict[str, Any], path: Path_) -> dict[str, Any]:
    node = data
    for part in path[:-1]:
        node = node[part]
    return node


def _renamed(data: dict[str, Any], path: Path_) -> dict[str, Any]:
    out = copy.deepcopy(data)
    parent = _parent(out, path)
    items = [(misspell(k) if k == path[-1] else k, v) for k, v in parent.items()]
    parent.clear()
    parent.update(items)
    return out


def _replaced(data: dict[str, Any], path: Path_, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    _parent(out, path)[path[-1]] = value
    return out


def _node(value: Any) -> yaml.Node:
    """`value` as the node `yaml.dump(value, sort_keys=False)` writes."""
    return _DUMPER(io.StringIO(), default_flow_style=False, sort_keys=False).represent_data(value)


def _shares(node: Any, seen: set[int] | None = None) -> bool:
    """Whether a mapping or list is reached twice (YAML would write an alias to it)."""
    seen = set() if seen is None else seen
    if not isinstance(node, (dict, list)):
        return False
    if id(node) in seen:
        return True
    seen.add(id(node))
    children = node.values() if isinstance(node, dict) else node
    return any(_shares(child, seen) for child in children)


class _Written:
    """A composed config's YAML nodes, made once. A mutation's file is the nodes with the one
    key or value node on its path replaced (the rest shared), emitted as `yaml.dump` of the
    mutated config writes it, without representing the whole config again for each mutation.
    A config that reaches a mapping or list twice is dumped whole each time (an alias there
    changes with its target)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.root = None if _shares(data) else _node(data)

    def renamed(self, path: Path_) -> str:
        if self.root is None:
            return _dump(_renamed(self.data, path))
        return _emit(self._with(self.root, path, lambda k, v: (_node(misspell(k.value)), v)))

    def replaced(self, path: Path_, value: Any) -> str:
        if self.root is None:
            return _dump(_replaced(self.data, path, value))
        return _emit(self._with(self.root, path, lambda k, v: (k, _node(value))))

    def _with(self, node: yaml.Node, path: Path_, change: Any) -> yaml.Node:
        items = []
        for key, value in node.value:
            if key.tag == _STR and key.value == path[0]:
                key, value = (
                    change(key, value)
                    if len(path) == 1
                    else (key, self._with(value, path[1:], change))
                )
            items.append((key, value))
        return yaml.MappingNode(node.tag, items, flow_style=node.flow_style)


def _dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_DUMPER, sort_keys=False)


def _emit(node: yaml.Node) -> str:
    return yaml.serialize(node, Dumper=_DUMPER)


class Scanner:
    def __init__(self, folder: Path, version: str, environ: Mapping[str, str]) -> None:
        self.folder = folder
        self.version = version
        self.settings = Settings(environ=dict(environ), nexrl_version=version)
        self.count = 0

    def findings(self, text: str) -> set[tuple[str, str, str]]:
        """The warnings and errors of the config written as `text`."""
        self.count += 1
        path = self.folder / f"m{self.count}.yaml"
        path.write_text(text, encoding="utf-8")
        found = Checker(self.settings).check_file(path).findings
        path.unlink()
        return {(f.rule, f.key, f.message) for f in found if f.severity.value != "info"}

    def scan(self, entry: Path, share: tuple[int, int] = (0, 1)) -> Scan:
        """Every mutation of `entry` counted; those of `share` (part i of n: every n-th one
        from the i-th) checked, so that n workers can share one recipe."""
        part, parts = share
        data = composed(entry)
        written = _Written(data)
        base = self.findings(_dump(data))
        result = Scan(str(entry))
        for path in _keys(data):
            result.keys += 1
            if result.keys % parts == part and not self.findings(written.renamed(path)) - base:
                result.missed_keys.append(".".join(map(str, path)))
        layout = Layout(data, catalogue.for_version(self.version))
        for path, value in _leaves(data):
            spec = layout.catalogue.option(layout.spec_path(".".join(map(str, path))))
            registry = spec is not None and bool(spec.choices) and not spec.free_if_set
            for wrong in wrong_values(value, registry):
                result.values += 1
                if result.values % parts != part:
                    continue
                if not self.findings(written.replaced(path, wrong)) - base:
                    result.missed_values.append(f"{'.'.join(map(str, path))} = {wrong!r}")
        return result


ENTRIES = ("self_hosted*.yaml", "tinker.yaml", "weaver*.yaml")


def entries(recipes: Path) -> list[Path]:
    return sorted(p for pattern in ENTRIES for p in recipes.glob(f"*/{pattern}"))


def main(argv: list[str]) -> int:
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipes", type=Path, help="a recipe folder (default: ../shared's)")
    parser.add_argument("--version", help="its NexRL version (with --recipes)")
    args = parser.parse_args(argv)
    shared = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
    if args.recipes is not None:
        corpora = [(args.version or "1.4", args.recipes)]
    else:
        corpora = [(v, shared / f"nexrl-v{v}" / "recipe") for v in ("1.0", "1.4")]
    with tempfile.TemporaryDirectory() as tmp:
        for version, folder in corpora:
            scanner = Scanner(Path(tmp), version, ENV)
            for entry in entries(folder):
                scan = scanner.scan(entry)
                print(
                    f"{version} {entry.parent.name}/{entry.name}: keys {scan.rate('keys'):.1%} "
                    f"of {scan.keys}, values {scan.rate('values'):.1%} of {scan.values}"
                )
                for miss in scan.missed_keys + scan.missed_values:
                    print(f"    missed {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
