"""`check --fix` and `--diff`: the fixes of a run's findings made in memory, round by round,
each round's through the net (`verify`), and written once at the end.

A round takes every fix the check offers (each once, however many findings share it), makes
them together in memory and tries them: when the net refuses the set, it is halved and each
half tried on top of what was accepted, down to the single fixes that fail (one trial when
all pass; a few per fix that fails). A fix that fails is dropped with its reason; one that
touches text another fix changes waits for a later round. A fix that another fix would then
undo is dropped too, so that fixing again reaches the same files. The next round checks the
fixed texts (a fix can reveal another: a key renamed, its value is checked), until a round
accepts nothing.

Planning and making N edits of a file costs one pass over its text and a sort of the edits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from ..check import Checked, Checker
from ..compose import Composed
from ..config import split
from ..finding import Edit, Finding, Intent, RenameKey, SetValue
from ..output import Secrets
from ..read import dotted
from .edits import Overlap, apply, diff
from .land import ANYWHERE, Boundary, land_all
from .verify import Net, Trial, differences, intended


@dataclass(frozen=True)
class Candidate:
    """One fix of a run: the edits it makes and what it means to change, with the finding it
    fixes (the first, when findings of several configs share the fix)."""

    finding: Finding
    edits: tuple[Edit, ...]
    intent: tuple[Intent, ...]


def candidates(findings: Iterable[Finding]) -> list[Candidate]:
    """Each fix of the findings once (findings with the same edits share one, their intents
    joined), in file order."""
    by_edits: dict[frozenset[Edit], Candidate] = {}
    for f in findings:
        if not f.fixes or f.fix is None:  # only a safe fix is made
            continue
        key, intent = frozenset(f.fixes), f.fix.intent
        known = by_edits.get(key)
        if known is None:
            by_edits[key] = Candidate(f, f.fixes, intent)
        else:
            more = tuple(i for i in intent if i not in known.intent)
            by_edits[key] = Candidate(known.finding, known.edits, known.intent + more)
    return sorted(by_edits.values(), key=lambda c: min((e.file, e.start) for e in c.edits))


@dataclass
class Change:
    """A file fixing changes: its name, its text and bytes as first read, its text now."""

    name: str
    old: str
    raw: bytes
    new: str


@dataclass
class Fixes:
    """What fixing a run changes, and the fixes it could not make with why."""

    files: dict[Path, Change] = field(default_factory=dict)
    dropped: list[tuple[Finding, str]] = field(default_factory=list)
    # Where fixes may be written (the files and folders named); a fix elsewhere is not made.
    boundary: Boundary = ANYWHERE
    # The name the text read from standard input stands for: its fixed text is printed, it
    # is never written (see `stdin_text`).
    stdin: str | None = None
    # The real path of every file the fixing runs read.
    read: frozenset[Path] = frozenset()
    # The secret values the runs read: masked in every line shown (see `edits.diff`).
    secrets: Secrets = field(default_factory=Secrets)

    def texts(self) -> dict[Path, tuple[str, str]]:
        """The fixed text of each changed file so far (real path -> (name, text))."""
        return {real: (c.name, c.new) for real, c in self.files.items()}

    def changed(self) -> dict[Path, Change]:
        """The files whose text changed, by name: a diff and the writes take them in the
        order findings are listed."""
        changed = [(c.name, real, c) for real, c in self.files.items() if c.new != c.old]
        return {real: c for _, real, c in sorted(changed, key=lambda item: item[0])}

    def stdin_text(self, read: str) -> str:
        """The fixed text of standard input (`read` as read when no fix changed it)."""
        for change in self.files.values():
            if change.name == self.stdin:
                return change.new
        return read

    def diff(self) -> str:
        return "".join(diff(c.name, c.old, c.new, self.secrets) for c in self.changed().values())

    def write(self) -> Iterator[Path]:
        """Write every fixed file but standard input's (see `land`: inside the boundary,
        each compared with the bytes its fixes were planned on right before it is written)."""
        changes = {
            Path(c.name): (c.new, c.raw) for c in self.changed().values() if c.name != self.stdin
        }
        return land_all(changes, self.boundary)


class Round:
    """One round of fixing: the candidates of one check of the run, tried through the net."""

    def __init__(self, net: Net) -> None:
        self.net = net
        self.accepted: list[Candidate] = []
        self.dropped: list[tuple[Candidate, str]] = []
        self.texts: dict[Path, str] = {}

    def select(self, found: list[Candidate]) -> None:
        """Accept what passes, drop what does not (with why); a fix whose text another fix
        of the round changes waits for the next round."""
        first, waiting = _apart(found, self.net.real)
        self._search(first)
        for one in waiting:
            if self._new_texts([*self.accepted, one]) is not None:
                self._search([one])

    def _search(self, group: list[Candidate]) -> None:
        if not group:
            return
        chosen = [*self.accepted, *group]
        reason = self._try(chosen)
        if not reason:
            self.accepted = chosen
            return
        if len(group) == 1:
            self.dropped.append((group[0], reason))
            return
        half = len(group) // 2
        self._search(group[:half])
        self._search(group[half:])

    def _try(self, chosen: list[Candidate]) -> str:
        texts = self._new_texts(chosen)
        if texts is None:
            return "it changes text another fix changes"
        intents = [i for c in chosen for i in c.intent]
        try:
            trial = self.net.trial(texts, self._judge(intents))
            reason = trial.reason or self._undone(intents, trial)
        except Exception:  # a failure of ours never lets an unverified edit through
            return "it could not be verified"
        if not reason:
            self.texts = texts
        return reason

    def _new_texts(self, chosen: list[Candidate]) -> dict[Path, str] | None:
        by_file: dict[Path, list[Edit]] = {}
        for c in chosen:
            for e in c.edits:
                by_file.setdefault(self.net.real(e.file), []).append(e)
        try:
            return {real: apply(self.net.texts[real][1], edits) for real, edits in by_file.items()}
        except Overlap:
            return None

    def _judge(self, intents: list[Intent]) -> Callable[[Checked, Composed, Composed], str | None]:
        def judge(config: Checked, old: Composed, new: Composed) -> str | None:
            expected, why = intended(config, old, intents, self.net.real)
            if why:
                return why
            found = list(islice(differences(expected, new.data), 100))
            if not found:
                return None
            meant = {split(i.key) for i in intents}
            other = next((where for where in found if where not in meant), None)
            if other is not None:
                return f"it would also change {dotted(other) or 'the whole config'}"
            return f"it would not make {dotted(found[0])} what it means"

        return judge

    def _undone(self, intents: list[Intent], trial: Trial) -> str:
        """Why one of the intents would be undone by a fix the check then offers."""
        for intent in intents:
            after = trial.findings.get(self.net.real(intent.config), [])
            for f in after:
                later = f.fix.intent if f.fix is not None else ()
                if any(_undoes(one, intent, self.net) for one in later):
                    return f"the fix of {f.rule} at {f.key} would undo it"
        return ""


def _undoes(later: Intent, earlier: Intent, net: Net) -> bool:
    """Whether `later` puts back what `earlier` changed (its old value or its old name)."""
    if isinstance(earlier, RenameKey) and isinstance(later, RenameKey):
        parent = earlier.key.rpartition(".")[0]
        renamed = f"{parent}.{earlier.name}" if parent else earlier.name
        return later.key == renamed and later.name == earlier.key.rpartition(".")[2]
    if isinstance(earlier, SetValue) and isinstance(later, SetValue) and later.key == earlier.key:
        old = net.before.compose(Path(earlier.config)).data
        for part in split(earlier.key):
            old = old.get(part) if isinstance(old, dict) else None
        return bool(later.value == old and type(later.value) is type(old))
    return False


def _apart(
    found: list[Candidate], real: Callable[[str], Path]
) -> tuple[list[Candidate], list[Candidate]]:
    """The candidates whose edits touch no text of an earlier one, and the others."""
    spans: dict[Path, list[tuple[int, int]]] = {}
    for c in found:
        for e in c.edits:
            spans.setdefault(real(e.file), []).append((e.start, e.end))
    taken = {path: set(_disjoint(kept)) for path, kept in spans.items()}
    first: list[Candidate] = []
    waiting: list[Candidate] = []
    for c in found:
        ok = all((e.start, e.end) in taken[real(e.file)] for e in c.edits)
        (first if ok else waiting).append(c)
    return first, waiting


def _disjoint(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans, in order, that do not overlap an earlier kept one (each once)."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


def _outside(candidate: Candidate, fixes: Fixes) -> str:
    """Why the candidate may not be made: it edits a file that may not be written (outside
    the files and folders named; standard input's text, where it stands for another file)."""
    for e in candidate.edits:
        if e.file == fixes.stdin:
            continue
        why = fixes.boundary.why_not(e.file)
        if why:
            return f"it would change {e.file}: {why}"
    return ""


def fix_round(
    checker: Checker,
    findings: list[Finding],
    checker_for: Callable[[Mapping[Path, tuple[str, str]]], Checker],
    fixes: Fixes,
) -> bool:
    """One round of fixing the findings of `checker`'s run into `fixes`; whether it changed
    anything."""
    found = candidates(findings)
    files = checker.fix_files
    if not found or files is None:
        fixes.dropped = []
        return False
    texts: dict[Path, tuple[str, str]] = {}
    raw: dict[Path, bytes] = {}
    for name, doc in files.docs.items():
        real = checker.reader.real(Path(name))
        texts.setdefault(real, (name, doc.text))
        raw.setdefault(real, doc.raw)
    net = Net(checker_for, checker.configs, texts)
    round_ = Round(net)
    outside = [(c, _outside(c, fixes)) for c in found]
    round_.select(
        [c for c, why in outside if not why and all(net.real(e.file) in texts for e in c.edits)]
    )
    fixes.dropped = [(c.finding, reason) for c, reason in round_.dropped]
    fixes.dropped += [(c.finding, why) for c, why in outside if why]
    fixes.dropped.sort(key=lambda dropped: dropped[0].sort_key())
    for real, text in round_.texts.items():
        name, old = texts[real]
        fixes.files.setdefault(real, Change(name, old, raw[real], old)).new = text
    return bool(round_.accepted)
