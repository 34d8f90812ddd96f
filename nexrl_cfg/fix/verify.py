"""The net under every write: changes to files are written only when, made in memory first,

1. each changed file still reads as YAML, with no read finding it did not have (a syntax
   error, a key given twice);
2. every config that reads a changed file (each config of the run that composed it, and the
   configs beside it that include it, found as `includers` finds them) composes to what its
   judge expects from what it composed before: for fixes, the old composed config with exactly
   the changes their intents declare (a value set, a key renamed), compared type for type
   and value for value, nothing else (see `intended`); for a migration, its own judge;
3. checking those configs again finds no error (by rule and key) that they did not have: a
   fix never makes a config worse, the one it was found in or another that shares the file.
   A fix that would reveal an error its finding hid (an unknown backend corrected, what that
   backend requires is then checked) waits too: the reason names that error, and once it is
   fixed the fix goes through.

Interpolations are resolved from the composed config and the environment alone, so a composed
config that changed only as intended resolves as intended too; the check of step 3 resolves
it and reports what its references then say.

This knows nothing of how the edits were made: it catches a wrong offset, a lost anchor, a
value that reads back as another type or a key written twice, whatever their cause.
"""

from __future__ import annotations

import copy
from collections import ChainMap, Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..check import Checked, Checker
from ..compose import Composed, Recent
from ..config import split
from ..finding import Finding, Intent, SetValue, Severity
from ..read import Document, KeyPath, dotted, read_bytes

# A judge of one config: the config, as composed before and after the changes -> why the
# changes are refused (None when they do what they mean).
Judge = Callable[[Checked, Composed, Composed], str | None]


@dataclass
class Trial:
    """The outcome of trying changes: why they are refused (empty when they pass) and, when
    they pass, the findings of each config that reads a changed file, checked again."""

    reason: str = ""
    findings: dict[Path, list[Finding]] = field(default_factory=dict)


class Net:
    """Trials of changes to the files of one run, against the texts the run read.

    `checker_for(texts)` makes a fresh checker of the run (its settings) that reads the given
    texts (real path -> (name, text)) instead of those files; `configs` are the configs the
    run composed; `texts` the current text of each file that may change."""

    def __init__(
        self,
        checker_for: Callable[[Mapping[Path, tuple[str, str]]], Checker],
        configs: Mapping[Path, Checked],
        texts: Mapping[Path, tuple[str, str]],
        moved: bool = False,
    ) -> None:
        """With `moved`, the changes may move a value (and its finding) to another key: a
        config then may have no more errors than before, wherever they are."""
        self.moved = moved
        self.checker_for = checker_for
        self.configs = dict(configs)
        self.texts = dict(texts)
        self.before = checker_for(self.texts)
        # The latest new texts read back, by text: a diff of them need not read them again.
        self.documents: Recent[str, Document] = Recent(64)
        self._errors: dict[Path, Counter[tuple[str, str]]] = {}
        self._read: dict[Path, Counter[tuple[str, str]]] = {}

    def real(self, name: str) -> Path:
        return self.before.reader.real(Path(name))

    def trial(self, changed: Mapping[Path, str], judge: Judge) -> Trial:
        """Try the new texts of the files in `changed` (real path -> text)."""
        read = []
        for path, text in changed.items():
            doc, reason = self._reads_back(path, text)
            if reason:
                return Trial(reason)
            read.append(doc)
            self.documents[text] = doc
        given = {path: (self.texts[path][0], text) for path, text in changed.items()}
        after = self.checker_for(ChainMap(given, self.texts))
        for doc in read:  # each new text is parsed once
            after.reader.adopt(doc)
        outcome = Trial()
        for real, config in self._reading(set(changed)).items():
            old, new = self.before.compose(config.path), after.compose(config.path)
            refused = judge(config, old, new)
            if refused:
                return Trial(f"{refused} in {config.path}")
            found = after.check_config(config.path, config.mode)
            errors = _errors(found)
            if not errors:  # none added, whatever there was: the old config is not checked
                outcome.findings[real] = found
                continue
            before = self._errors_before(real, config)
            added = errors - before
            if added and (not self.moved or errors.total() > before.total()):
                rule, key = min(added)
                where = f" at {key}" if key else ""
                return Trial(f"it would add an error to {config.path} ({rule}{where})")
            outcome.findings[real] = found
        return outcome

    def _reads_back(self, path: Path, text: str) -> tuple[Document, str]:
        """The new `text` of the file at `path` read, and why it may not be written ("" when
        it may)."""
        name, old_text = self.texts[path]
        new = _read(text, name)
        if not new.ok:
            return new, "the file would no longer read as YAML"
        if path not in self._read:
            self._read[path] = _keys(self._old(name, old_text).findings)
        added = _keys(new.findings) - self._read[path]
        if added:
            rule, key = min(added)
            where = f" at {key}" if key else ""
            return new, f"the file would read with a new finding ({rule}{where})"
        return new, ""

    def _old(self, name: str, text: str) -> Document:
        """The file `name` as it is, `text`, read: as the checker before the changes reads
        it (a document whose data is not a mapping is read afresh: a check adds a finding
        to it)."""
        doc = self.before.reader.cached(name)
        if doc is None or doc.text != text or not isinstance(doc.data, dict):
            doc = _read(text, name)
        return doc

    def _reading(self, changed: set[Path]) -> dict[Path, Checked]:
        """The configs that read a changed file: those of the run, and the configs that
        include the file (checked as entries)."""
        found = {real: c for real, c in self.configs.items() if c.sources & changed}
        for path in sorted(changed):
            for includer in self.before.includers.of(Path(self.texts[path][0])):
                real = self.real(str(includer))
                if real not in found:
                    composed = self.before.compose(includer)
                    sources = frozenset(self.real(s) for s in composed.sources)
                    found[real] = Checked(includer, "entry", sources)
        return found

    def _errors_before(self, real: Path, config: Checked) -> Counter[tuple[str, str]]:
        if real not in self._errors:
            self._errors[real] = _errors(self.before.check_config(config.path, config.mode))
        return self._errors[real]


def _read(text: str, name: str) -> Document:
    """`text` read as the file `name` holding it will be: its bytes."""
    return read_bytes(text.encode("utf-8", "surrogatepass"), name)


def _errors(findings: list[Finding]) -> Counter[tuple[str, str]]:
    return _keys(f for f in findings if f.severity is Severity.ERROR)


def _keys(findings: Any) -> Counter[tuple[str, str]]:
    return Counter((f.rule, f.key) for f in findings)


# -- what fixes mean ----------------------------------------------------------------------------
def intended(
    config: Checked, old: Composed, intents: list[Intent], real: Callable[[str], Path]
) -> tuple[Any, str]:
    """The data `config` should compose to once the fixes with these intents are made: its
    old data with each value set and each key renamed at every path written where the intent
    says (an alias or a merge key copies what is written once: every copy changes). Each
    intent must hold at its own key in the config it was found in. ("", why) when no data
    can be expected."""
    keys, values = _written_at(old, real)
    here = real(str(config.path))
    sets: list[tuple[KeyPath, Any]] = []
    renames: list[tuple[KeyPath, str]] = []
    for intent in intents:
        at = (real(intent.at.file), intent.at.line, intent.at.column)
        if isinstance(intent, SetValue):
            paths = values.get(at, [])
            sets.extend((path, intent.value) for path in paths)
        else:
            paths = keys.get(at, [])
            renames.extend((path, intent.name) for path in paths)
        if real(intent.config) == here and split(intent.key) not in paths:
            return None, f"{intent.key} is not where the fix edits"
    data = copy.deepcopy(old.data)
    for path, value in sets:
        parent = _parent(data, path)
        if parent is None:
            return None, f"{dotted(path)} is not in the config"
        parent[path[-1]] = value
    # Deepest first: a renamed section's own keys are still found by their old paths.
    for path, name in sorted(renames, key=lambda item: -len(item[0])):
        parent = _parent(data, path)
        if not isinstance(parent, dict) or name in parent:
            return None, f"{dotted((*path[:-1], name))} would be written twice"
        renamed = {(name if key == path[-1] else key): item for key, item in parent.items()}
        parent.clear()
        parent.update(renamed)
    return data, ""


def _written_at(
    composed: Composed, real: Callable[[str], Path]
) -> tuple[dict[tuple[Path, int, int], list[KeyPath]], dict[tuple[Path, int, int], list[KeyPath]]]:
    """The paths of a composed config by where their key, and their value, are written."""
    keys: dict[tuple[Path, int, int], list[KeyPath]] = {}
    values: dict[tuple[Path, int, int], list[KeyPath]] = {}
    for path, (key, value) in composed.origins.items():
        if key is not None:
            keys.setdefault((real(key.file), key.line, key.column), []).append(path)
        values.setdefault((real(value.file), value.line, value.column), []).append(path)
    return keys, values


def _parent(data: Any, path: KeyPath) -> Any:
    """The mapping or list that holds `path`'s last part, or None."""
    node = data
    for part in path[:-1]:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
    last = path[-1] if path else None
    if isinstance(node, dict) and last in node:
        return node
    if isinstance(node, list) and isinstance(last, int) and 0 <= last < len(node):
        return node
    return None


def differences(expected: Any, actual: Any, path: KeyPath = ()) -> Iterator[KeyPath]:
    """The paths where two composed configs differ, type for type (1 is not 1.0 nor True, "1"
    is not 1): a key one of them lacks, or a value."""
    if type(expected) is not type(actual):
        yield path
    elif isinstance(expected, dict):
        for key, value in expected.items():
            if key in actual:
                yield from differences(value, actual[key], (*path, key))
            else:
                yield (*path, key)
        yield from ((*path, key) for key in actual if key not in expected)
    elif isinstance(expected, list):
        if len(expected) != len(actual):
            yield path
        else:
            for index, (a, b) in enumerate(zip(expected, actual, strict=True)):
                yield from differences(a, b, (*path, index))
    elif not (expected == actual or (expected != expected and actual != actual)):  # NaN
        yield path
