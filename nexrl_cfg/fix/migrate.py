"""`nexrl-cfg migrate`: rewrite configs written for NexRL 1.0/1.1 in the layout of 1.2 and later,
as the 1.4 migration guide asks and as NexRL's own in-memory conversion does
(`migrate_legacy_config`, nexrl/utils/config_utils.py@v1.4.0:211-451):

* `service.inference_service.model_tag` -> `identifier`;
* the flat `service.train_service` -> a named service `main_actor` with `role: "actor"`, its
  `model_tag` -> `identifier`, `backend: http`/`nextrainer` -> `direct-zmq` (1.3 and later);
* `resource.train.<id>` -> the service's `resource` (matched by identifier, or the only one);
  the flat `world_size` (GPUs, no longer read) is dropped once the resource says it;
* `resource.inference.{served_model_name, model_path}` -> `service.inference_service.{model,
  model_path}`, its other keys -> `service.inference_service.resource`;
* `resource.agent.{num_workers, agents_per_worker}` -> `rollout_worker.resource`;
* `trainer.max_prompt_length`/`max_response_length` (no longer read) removed;
* 1.4: `rollout_worker.max_sequence_length` (required) added as prompt + response length;
* references (`${resource.inference.model_path}`) follow the keys they name.

A folder is migrated as NexRL composes its configs: each change goes into the file where the
value is written, once however many configs include it. What needs a choice (a GPU count with
no pod size, identifiers that do not match) is reported and that config's files are left
alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import Any

from ..check import Checked, Checker
from ..compose import Composed, Composer, Reader
from ..config import Config
from ..discovery import iter_yaml_files
from ..kinds import classify
from ..nexrl import (
    ACTOR,
    DIRECT_ZMQ,
    MIGRATED_ACTOR,
    NAMED_SERVICES,
    NEWEST,
    OLD_NEXTRAINER_BACKENDS,
    OLDEST,
    REMOTE_BACKENDS,
    SEQUENCE_LENGTHS,
    at_least,
    is_flat,
)
from ..pipeline import prepare
from ..pool import MIN_FILES, folder_groups, shared_out, workers
from ..read import Document, KeyPath, dotted
from ..resolve import resolve
from ..settings import Settings
from .edits import Tree, diff, scalar_text
from .land import ANYWHERE, Boundary, land_all
from .legacy import read_as
from .plan import Conflict, FilePlan
from .verify import Net, differences

INFERENCE = ("service", "inference_service")
TRAIN_PATH = ("service", "train_service")
_REF = re.compile(r"\$\{([A-Za-z_][\w.-]*)\}")
_DIGITS = re.compile(r"(\d+)")


@dataclass
class Outcome:
    """What a migration changes and what it could not decide."""

    plans: dict[Path, FilePlan] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    blocked: set[Path] = field(default_factory=set)
    # What the migration adds that NexRL's own conversion does not: (the file it is written
    # in, the path in every config that reads that file, the value). See `Migration.verify`.
    added: list[tuple[Path, KeyPath, Any]] = field(default_factory=list)
    # Where the migration may write: the files and folders named (see `land`).
    boundary: Boundary = ANYWHERE
    # Each plan's new text, rendered once: it is asked for after the migration has run (to
    # verify, show and write it), when the plans no longer change.
    rendered: dict[Path, str] = field(default_factory=dict, repr=False)
    # Once the migration is done: what it changes, and each change as a diff (the outcome of
    # a migration shared out between processes holds these, not the plans).
    final: dict[Path, tuple[str, str, bytes]] | None = field(default=None, repr=False)
    diffs: dict[Path, str] = field(default_factory=dict, repr=False)

    def finish(self) -> None:
        """Fix what the migration changes: the plans change no more."""
        self.final = self.changes()
        self.order()

    def order(self) -> None:
        """Problems, notes and additions in one order, however the work was shared out."""
        self.problems.sort(key=_natural)
        self.notes.sort(key=_natural)
        self.added.sort(key=lambda added: (str(added[0]), tuple(map(str, added[1]))))

    def changes(self) -> dict[Path, tuple[str, str, bytes]]:
        if self.final is not None:
            return self.final
        out = {}
        for path, plan in sorted(self.plans.items()):
            if path in self.blocked:
                continue
            new = self.rendered.get(path)
            if new is None:
                new = self.rendered[path] = plan.render()
            if new != plan.text:
                out[path] = (plan.text, new, plan.raw)
        return out

    def diff(self) -> str:
        return "".join(self.diff_of(path) for path in self.changes())

    def diff_of(self, path: Path, parsed: Mapping[str, Document] | None = None) -> str:
        """The change to `path` as a diff; `parsed`: texts already read (see `edits.diff`)."""
        found = self.diffs.get(path)
        if found is None:
            old, new, _ = self.changes()[path]
            found = self.diffs[path] = diff(str(path), old, new, parsed=parsed)
        return found

    def writes(self) -> Iterator[Path]:
        """Write the migrated files, each as it is written (see `land`)."""
        changes = {p: (new, raw) for p, (_, new, raw) in self.changes().items()}
        return land_all(changes, self.boundary)

    def write(self) -> list[Path]:
        return list(self.writes())


def _natural(text: str) -> tuple[str | int, ...]:
    """`text` sorted with its numbers as numbers: `run.yaml:9` before `run.yaml:10`."""
    return tuple(int(part) if odd % 2 else part for odd, part in enumerate(_DIGITS.split(text)))


@dataclass
class _Entry:
    path: Path
    composed: Composed
    # "entry", or "fragment" for a part composed on its own.
    mode: str = "entry"

    @cached_property
    def cfg(self) -> Config | None:
        """The config resolved, when a step needs its values (few do)."""
        return prepare(self.composed, {}, OLDEST)[1]


class Migration:
    def __init__(self, target: str = NEWEST, jobs: int | None = None) -> None:
        self.target = target
        # Worker processes that verify the families of changed files (None: one per core).
        self.jobs = jobs
        self.out = Outcome()
        self.entries: list[_Entry] = []
        self.reader = Reader(256, nodes=True)
        # Each file once, whatever name it is reached by (as `Path.samefile` compares), and
        # the configs that read it: looked up for every file, so kept, not searched.
        self._identities: dict[str, tuple[int, int] | str] = {}
        self._plans: dict[tuple[int, int] | str, FilePlan] = {}
        self._readers: dict[tuple[int, int] | str, list[_Entry]] = {}
        # What the migration adds on purpose (`Outcome.added`), by the real path of its file.
        self.added: list[tuple[Path, KeyPath, Any]] = []
        # The latest migrated texts the verification read, by text (see `parsed`).
        self.read_back: Mapping[str, Document] = {}

    def at_least(self, since: str) -> bool:
        return at_least(self.target, since)

    # -- gathering ------------------------------------------------------------------------------
    def gather(self, paths: Iterable[str | Path]) -> None:
        composer = Composer(self.reader)
        for path in iter_yaml_files(paths):
            self._plan(path)
            doc = self.reader.read(path)
            kind, _ = classify(doc)
            if kind not in ("entry", "part") or path not in self.out.plans:
                continue
            composed = composer.compose(path)
            for source in composed.sources:
                self._plan(Path(source))
            entry = _Entry(path, composed, "entry" if kind == "entry" else "fragment")
            self.entries.append(entry)
            for file in dict.fromkeys(self._identity(s) for s in composed.sources):
                self._readers.setdefault(file, []).append(entry)

    def _identity(self, path: str | Path) -> tuple[int, int] | str:
        """The file at `path` as `Path.samefile` tells files apart (device and inode); its
        name when it cannot be read."""
        name = str(path)
        found = self._identities.get(name)
        if found is None:
            try:
                stat = Path(name).stat()
                found = (stat.st_dev, stat.st_ino)
            except OSError:
                found = name
            self._identities[name] = found
        return found

    def _plan(self, path: Path) -> None:
        if path in self.out.plans or self._identity(path) in self._plans:
            return
        try:
            doc = self.reader.read(path)
        except OSError:
            return
        if not doc.ok:
            return
        kind, _ = classify(doc)
        if kind in ("entry", "part"):
            # Planned on the nodes the reader parsed the text into: each file is parsed once.
            tree = Tree.parse(str(path), doc.text, doc.node)
            plan = self.out.plans[path] = FilePlan(path, doc.text, doc.raw, tree)
            self._plans[self._identity(path)] = plan

    def read(self) -> set[tuple[int, int] | str]:
        """Every file the migration read: planned, or composed into a config."""
        return set(self._plans) | set(self._readers)

    def plan_for(self, file: str) -> FilePlan | None:
        return self._plans.get(self._identity(file))

    def entries_of(self, plan: FilePlan) -> list[_Entry]:
        return list(self._readers.get(self._identity(plan.path), ()))

    def family(self, plan: FilePlan) -> list[FilePlan]:
        """The files composed together with this one (itself when no config includes it)."""
        found = {plan.path: plan}
        for entry in self.entries_of(plan):
            for source in entry.composed.sources:
                other = self.plan_for(source)
                if other is not None:
                    found.setdefault(other.path, other)
        return list(found.values())

    def problem(self, message: str, *files: Path) -> None:
        self.out.problems.append(message)
        self.out.blocked.update(files)

    # -- the composed view ----------------------------------------------------------------------
    def train_raw(self, plan: FilePlan) -> list[dict[str, Any]]:
        """The composed `service.train_service` of every config that includes the file."""
        found = []
        for entry in self.entries_of(plan) or []:
            value = _get(entry.composed.data, TRAIN_PATH)
            if isinstance(value, dict):
                found.append(value)
        return found

    def flat(self, plan: FilePlan) -> bool:
        composed = self.train_raw(plan)
        if composed:
            return any(is_flat(v) for v in composed)
        own = plan.children(TRAIN_PATH) if plan.mapping(TRAIN_PATH) else []
        return is_flat(dict.fromkeys(own))

    def composed_value(self, plan: FilePlan, path: KeyPath) -> Any:
        for entry in self.entries_of(plan):
            value = _get(entry.composed.data, path)
            if value is not None:
                return value
        return None

    # -- verifying ------------------------------------------------------------------------------
    def verify(self) -> None:
        """Refuse, with why, the files of every config the migration would change otherwise
        than it means (see `fix.verify`): each migrated file must read as YAML, and every
        config that reads one must, read by NexRL `target` (its own conversion of the legacy
        layout, see `fix.legacy`), be what it was but for what the migration adds on purpose
        (`Outcome.added`); none may have more errors than before."""
        changes = self.out.changes()
        if not changes:
            return
        real = self.reader.real  # `Path.resolve`, each folder once
        texts = {real(p): (str(p), plan.text) for p, plan in self.out.plans.items()}
        configs = {
            real(e.path): Checked(
                e.path, e.mode, frozenset(self.reader.real_name(s) for s in e.composed.sources)
            )
            for e in self.entries
        }
        # By real path, worked out once: each config's judge looks through all of them.
        self.added = [(real(file), path, value) for file, path, value in self.out.added]
        net = Net(self.checker_for, configs, texts, moved=True)
        # The net starts from the texts gathered: read and composed as they were.
        for path in self.out.plans:
            doc = self.reader.cached(path)
            if doc is not None:
                net.before.reader.adopt(doc)
        for entry in self.entries:
            net.before.adopt(entry.path, entry.composed)
        families = _families(list(changes), configs, real)
        # Each family is tried on its own (no config reads across two): on every core.
        refusals = shared_out(partial(self._refusal, net, changes), families, workers(self.jobs))
        self.read_back = net.documents  # those read in this process
        for family, refused in zip(families, refusals, strict=True):
            if refused:
                self.problem(refused, *family)

    def _refusal(
        self, net: Net, changes: Mapping[Path, tuple[str, str, bytes]], family: list[Path]
    ) -> str | None:
        """Why the files of `family` may not be migrated; None when they may."""
        outside = next((p for p in family if self.out.boundary.why_not(p)), None)
        if outside is not None:
            why = self.out.boundary.why_not(outside)
            return f"{outside}: not migrated: {why}; name it to migrate it"
        new = {self.reader.real(path): changes[path][1] for path in family}
        refused = net.trial(new, self.judge).reason
        return f"{family[0]}: not migrated: {refused}" if refused else None

    def parsed(self) -> dict[str, Document]:
        """The texts already read, old and migrated, by text: a diff of them reads neither
        again."""
        found = dict(self.read_back)
        for path in self.out.plans:
            doc = self.reader.cached(path)
            if doc is not None:
                found.setdefault(doc.text, doc)
        return found

    def checker_for(self, texts: Mapping[Path, tuple[str, str]]) -> Checker:
        checker = Checker(Settings(environ={}, nexrl_version=self.target))
        checker.reader.follow(self.reader)
        checker.serve(texts)
        return checker

    def judge(self, config: Checked, old: Composed, new: Composed) -> str | None:
        """Why a config migrated as `new` is not what NexRL read of it as `old`."""
        expected = read_as(self._resolved(old), self.target)
        for file, path, value in self.added:
            if file in config.sources and isinstance(expected, dict):
                node = expected
                for part in path[:-1]:
                    node = node.setdefault(part, {}) if isinstance(node, dict) else None
                if isinstance(node, dict):
                    node[path[-1]] = value
        actual = read_as(resolve(new, {}).data, self.target)
        where = next(differences(expected, actual), None)
        if where is None:
            return None
        return f"NexRL {self.target} would read {dotted(where) or 'the config'} otherwise"

    def _resolved(self, composed: Composed) -> Any:
        """The data of `composed` resolved; an entry's own composition as its steps
        resolved it (`_Entry.cfg`), once."""
        entry = self._by_composed.get(id(composed))
        if entry is not None and entry.composed is composed and entry.cfg is not None:
            return entry.cfg.resolved.data
        return resolve(composed, {}).data

    @cached_property
    def _by_composed(self) -> dict[int, _Entry]:
        return {id(entry.composed): entry for entry in self.entries}

    # -- running --------------------------------------------------------------------------------
    def run(self) -> Outcome:
        for plan in self.out.plans.values():
            plan.rewrite = self.rewriter(plan)
        for plan in list(self.out.plans.values()):
            try:
                self.migrate_file(plan)
            except Conflict as exc:
                self.problem(str(exc), plan.path)
        if self.at_least(SEQUENCE_LENGTHS):
            self.sequence_lengths()
        return self.out

    def migrate_file(self, plan: FilePlan) -> None:
        if not self.at_least(NAMED_SERVICES):
            return
        for section in (("service",), INFERENCE, TRAIN_PATH, ("rollout_worker",)):
            if plan.has(section) and plan.flow(section) and plan.has(("resource",)):
                raise Conflict(
                    f"{plan.path}:{plan.line(section) + 1}: {dotted(section)} is written in "
                    "flow style ({...}), where the migration adds keys; write it as a block "
                    "(a key per line) to migrate it"
                )
        _rename(plan, (*INFERENCE, "model_tag"), "identifier")
        train = TrainService(self, plan)
        train.migrate()
        self.inference_resources(plan)
        self.agent_resources(plan)
        self.drop_resource(plan)
        if self.at_least(SEQUENCE_LENGTHS):
            self.drop_trainer_lengths(plan)

    # -- references -------------------------------------------------------------------------------
    def rewriter(self, plan: FilePlan) -> Any:
        flat = self.flat(plan)
        names = self.train_resource_names(plan)

        def move(ref: str) -> str:
            parts = ref.split(".")
            head = ".".join(parts[:2])
            if ref == "resource.inference.served_model_name":
                return "service.inference_service.model"
            if ref == "resource.inference.model_path":
                return "service.inference_service.model_path"
            if head == "resource.inference" and len(parts) > 2:
                return "service.inference_service.resource." + ".".join(parts[2:])
            if head == "resource.agent" and len(parts) > 2:
                return "rollout_worker.resource." + ".".join(parts[2:])
            if head == "resource.train" and len(parts) > 3 and parts[2] in names:
                return f"service.train_service.{names[parts[2]]}.resource." + ".".join(parts[3:])
            if ref == "service.inference_service.model_tag":
                return "service.inference_service.identifier"
            if flat and head == "service.train_service" and len(parts) > 2:
                rest = ["identifier" if parts[2] == "model_tag" else parts[2], *parts[3:]]
                return f"service.train_service.{MIGRATED_ACTOR}." + ".".join(rest)
            return ref

        def rewrite(text: str) -> str:
            if "${" not in text or text.lstrip().startswith("#"):
                return text
            return _REF.sub(lambda m: "${" + move(m.group(1)) + "}", text)

        return rewrite

    def train_resource_names(self, plan: FilePlan) -> dict[str, str]:
        """Legacy `resource.train` ids -> the training service they were matched to, in the
        configs that include the file."""
        names: dict[str, str] = {}
        for entry in self.entries_of(plan):
            resource = _get(entry.composed.data, ("resource", "train"))
            train = _get(entry.composed.data, TRAIN_PATH)
            if not isinstance(resource, dict) or not isinstance(train, dict):
                continue
            match = _match_resources(train, resource)
            if match:
                names.update(match)
        return names

    # -- inference and agent resources ----------------------------------------------------------
    def inference_resources(self, plan: FilePlan) -> None:
        old = ("resource", "inference")
        if not plan.mapping(old):
            return
        served = _child_source(plan, old, "served_model_name")
        model_path = _child_source(plan, old, "model_path")
        lines = []
        unset = self.composed_value(plan, (*INFERENCE, "model")) is None
        if served is not None and not self._use_served(plan, served) and unset:
            lines.append(f"model: {served}")
        if model_path is not None and self.composed_value(plan, (*INFERENCE, "model_path")) is None:
            lines.append(f"model_path: {model_path}")
        skip = ("served_model_name", "model_path")
        rest = [name for name in plan.children(old) if name not in skip]
        model = (*INFERENCE, "model")
        if lines and plan.has(model):
            pad = " " * plan.indent(model)
            plan.insert_after(plan.last(model), [pad + line for line in lines])
            lines = []
        section = ["resource:"] if rest else []
        self.into_section(plan, INFERENCE, lines, section, old, skip)
        plan.delete(old)

    def _use_served(self, plan: FilePlan, served: str) -> bool:
        """Write the served model name where `model: ${resource.inference.served_model_name}`
        is written; False when no file refers to it so."""
        used = False
        for other in self.family(plan):
            path = (*INFERENCE, "model")
            if other.has(path) and other.value(path).value == (
                "${resource.inference.served_model_name}"
            ):
                other.sub(other.value(path), served)
                used = True
        return used

    def into_section(
        self,
        plan: FilePlan,
        section: KeyPath,
        scalars: list[str],
        nested: list[str],
        source: KeyPath,
        skip: tuple[str, ...],
        more: tuple[str, ...] = (),
    ) -> None:
        """Add `scalars` (`key: value` lines) and, under the `nested` heading, the children of
        `source` to `section` of this file (made when the file has none)."""
        if plan.mapping(section):
            indent = plan.child_indent(section)
            body = [" " * indent + line for line in scalars]
            if nested:
                body += ["", " " * indent + nested[0]]
                body += plan.block(source, indent + plan.step(), skip)
                body += [" " * (indent + plan.step()) + line for line in more]
            plan.insert_after(plan.last(section), body, order=2)
            return
        step = plan.step()
        depth = len(section)
        heads = [" " * (step * i) + f"{name}:" for i, name in enumerate(section)]
        exists = [i for i in range(1, depth) if plan.mapping(section[:i])]
        start = max(exists, default=0)
        body = [" " * (step * depth) + line for line in scalars]
        if nested:
            body += [" " * (step * depth) + nested[0]]
            body += plan.block(source, step * (depth + 1), skip)
            body += [" " * (step * (depth + 1)) + line for line in more]
        if start:
            plan.insert_after(plan.last(section[:start]), heads[start:] + body, order=2)
        else:
            plan.insert_before(plan.line(source[:1]), [*heads, *body, ""], order=2)

    def agent_resources(self, plan: FilePlan) -> None:
        old = ("resource", "agent")
        if not plan.mapping(old):
            return
        kept = ("num_workers", "agents_per_worker")
        dropped = [name for name in plan.children(old) if name not in kept]
        for name in dropped:
            self.out.notes.append(
                f"{plan.path}:{plan.line((*old, name)) + 1}: resource.agent.{name} is not read "
                "by NexRL 1.2 and later; removed"
            )
        self.into_section(plan, ("rollout_worker",), [], ["resource:"], old, tuple(dropped))
        plan.delete(old)

    def drop_resource(self, plan: FilePlan) -> None:
        top = ("resource",)
        if not plan.has(top):
            return
        moved = {"train", "inference", "agent"}
        left = [name for name in plan.children(top) if name not in moved]
        if not plan.mapping(top) or not left:
            plan.delete(top)
            return
        for name in left:
            self.out.notes.append(
                f"{plan.path}:{plan.line((*top, name)) + 1}: resource.{name} is not read by "
                "NexRL 1.2 and later; left as it is"
            )

    def drop_trainer_lengths(self, plan: FilePlan) -> None:
        for name in ("max_prompt_length", "max_response_length"):
            path = ("trainer", name)
            if plan.has(path) and not self.referenced(plan, f"trainer.{name}"):
                plan.delete(path)

    def referenced(self, plan: FilePlan, dotted: str) -> bool:
        return any("${" + dotted + "}" in p.text for p in self.family(plan))

    # -- rollout_worker.max_sequence_length -------------------------------------------------------
    def sequence_lengths(self) -> None:
        wanted: dict[tuple[Path, int], tuple[list[str], int, Path]] = {}
        added: dict[Path, list[tuple[str, int]]] = {}
        unknown: list[_Entry] = []
        for entry in self.entries:
            found = self.sequence_length(entry)
            if found is None:
                continue
            if isinstance(found, _Entry):
                unknown.append(found)
                continue
            plan, line, lines, total, values = found
            known = wanted.get((plan.path, line))
            if known is not None and known[1] != total:
                self.problem(
                    f"{plan.path}:{line + 1}: rollout_worker.max_sequence_length is needed "
                    f"(NexRL 1.4), but the configs that include this file need different "
                    f"values ({known[1]} for {known[2].name}, {total} for {entry.path.name}); "
                    "set it in each config",
                    plan.path,
                )
                continue
            wanted[(plan.path, line)] = (lines, total, entry.path)
            added[plan.path] = values
        for (path, line), (lines, _, _) in wanted.items():
            self.out.plans[path].insert_after(line, lines, order=1)
            self.out.added.extend(
                (path, ("rollout_worker", name), value) for name, value in added[path]
            )
        placed = {path for path, _ in wanted}
        for entry in unknown:
            if not placed & {Path(s) for s in entry.composed.sources}:
                self.problem(
                    f"{entry.path}: rollout_worker.max_sequence_length is needed (NexRL 1.4) "
                    "but data.max_prompt_length + max_response_length cannot be computed "
                    "without running; add it (at least their sum)",
                    *[Path(s) for s in entry.composed.sources],
                )

    def sequence_length(self, entry: _Entry) -> Any:
        if _get(entry.composed.data, ("rollout_worker", "max_sequence_length")) is not None:
            return None  # written (whatever it resolves to): nothing to add
        cfg = entry.cfg
        if cfg is None or cfg.has("rollout_worker.max_sequence_length"):
            return None
        if not isinstance(cfg.raw("rollout_worker"), dict):
            return None
        prompt = cfg.lookup(("data", "max_prompt_length"))
        has_response = cfg.has("rollout_worker.max_response_length")
        response = cfg.lookup(("rollout_worker" if has_response else "data", "max_response_length"))
        if not all(type(v) is int for v in (prompt, response)):
            return entry
        anchor = next(
            (
                k
                for k in ("max_response_length", "max_prompt_length")
                if cfg.has(f"rollout_worker.{k}")
            ),
            None,
        )
        if anchor is None:
            return entry
        span = cfg.key_span(f"rollout_worker.{anchor}")
        plan = self.plan_for(span.file)
        if plan is None or not plan.has(("rollout_worker", anchor)):
            return entry
        path = ("rollout_worker", anchor)
        pad = " " * plan.indent(path)
        lines = [] if has_response else [pad + "max_response_length: ${data.max_response_length}"]
        lines += [
            f"{pad}# max_sequence_length must be >= max_prompt_length + max_response_length "
            f"({prompt} + {response}).",
            f"{pad}max_sequence_length: {prompt + response}",
        ]
        values = [] if has_response else [("max_response_length", response)]
        values.append(("max_sequence_length", prompt + response))
        return plan, plan.last(path), lines, prompt + response, values


class TrainService:
    """The training service of one file, flat or named, and its legacy resources."""

    def __init__(self, migration: Migration, plan: FilePlan) -> None:
        self.m = migration
        self.plan = plan

    def migrate(self) -> None:
        plan = self.plan
        if plan.mapping(TRAIN_PATH) and self.m.flat(plan):
            self.nest()
        elif plan.mapping(TRAIN_PATH):
            for name in plan.children(TRAIN_PATH):
                if plan.mapping((*TRAIN_PATH, name)):
                    self.service((*TRAIN_PATH, name), 0, single=False)
        self.resources()

    def nest(self) -> None:
        plan = self.plan
        step = plan.step()
        plan.indent_block(TRAIN_PATH, step)
        head = " " * (plan.indent(TRAIN_PATH) + step) + f"{MIGRATED_ACTOR}:"
        plan.insert_after(plan.line(TRAIN_PATH), [head], order=-1)
        self.service(TRAIN_PATH, step, single=True)

    def service(self, path: KeyPath, shift: int, single: bool) -> None:
        plan = self.plan
        names = plan.children(path)
        indent = plan.child_indent(path) + shift
        _rename(plan, (*path, "model_tag"), "identifier")
        role = " " * indent + f'role: "{ACTOR}"'
        if "role" not in names and (single or is_flat(dict.fromkeys(names))):
            anchor = next((n for n in ("model_tag", "identifier") if n in names), None)
            if anchor is not None:
                plan.insert_after(plan.last((*path, anchor)), [role])
            elif "backend" in names:
                plan.insert_before(plan.line((*path, "backend")), [role])
        backend = (*path, "backend")
        if self.m.at_least(DIRECT_ZMQ) and plan.has(backend):
            node = plan.value(backend)
            if getattr(node, "value", None) in OLD_NEXTRAINER_BACKENDS:
                plan.sub(node, scalar_text("direct-zmq", node))

    # -- resource.train -> <service>.resource ---------------------------------------------
    def resources(self) -> None:
        plan = self.plan
        old = ("resource", "train")
        flat_size = (*TRAIN_PATH, "world_size")
        if plan.mapping(old):
            self.move_resources(old)
        elif (
            plan.has(flat_size)
            and self.m.flat(plan)
            and self.m.composed_value(plan, ("resource", "train")) is None
        ):
            self.m.problem(
                f"{plan.path}:{plan.line(flat_size) + 1}: service.train_service.world_size "
                f"({plan.source(flat_size)} GPUs) is no longer read; NexRL 1.2 and later need "
                "resource.world_size (pods) and resource.gpus_per_pod (their product is the "
                "GPU count) under the service: choose them and write them there",
                plan.path,
            )
            return
        if plan.has(flat_size) and self.m.flat(plan):
            plan.delete(flat_size)

    def move_resources(self, old: KeyPath) -> None:
        plan = self.plan
        names = self.m.train_resource_names(plan)
        for rid in plan.children(old):
            if not plan.mapping((*old, rid)):
                continue
            service = names.get(rid)
            if service is None:
                ids = ", ".join(plan.children(old))
                self.m.problem(
                    f"{plan.path}:{plan.line((*old, rid)) + 1}: resource.train.{rid} matches no "
                    f"training service's identifier (resource.train has: {ids}); rename the "
                    "entries to the identifiers of the services",
                    plan.path,
                )
                continue
            self.add_resource((*old, rid), service)
        plan.delete(old)

    def add_resource(self, source: KeyPath, service: str) -> None:
        plan = self.plan
        pods = self.pods(source)
        if pods is None:
            return
        resource = (*TRAIN_PATH, service, "resource")
        self.m.out.added.extend((plan.path, (*resource, k), v) for k, v in pods.items())
        extra = [f"{name}: {value}" for name, value in pods.items()]
        target = (*TRAIN_PATH, service)
        flat = self.m.flat(plan) and plan.mapping(TRAIN_PATH)
        if flat or plan.mapping(target):
            where = TRAIN_PATH if flat else target
            shift = plan.step() if flat else 0
            indent = plan.child_indent(where) + shift
            body = [" " * indent + "resource:"]
            body += plan.block(source, indent + plan.step())
            body += [" " * (indent + plan.step()) + line for line in extra]
            anchor = _first_section(plan, where)
            if anchor is None:
                plan.insert_after(plan.last(where), body, order=2)
            else:
                plan.insert_before(anchor, [*body, ""], order=2)
            return
        self.m.into_section(plan, target, [], ["resource:"], source, (), tuple(extra))

    def pods(self, source: KeyPath) -> dict[str, int] | None:
        """What to add beside a moved resource: `gpus_per_pod` when only the flat GPU count
        gives it; None (and a problem) when it cannot be known."""
        plan = self.plan
        if "gpus_per_pod" in plan.children(source) or not plan.has((*source, "world_size")):
            return {}
        backend = self.m.composed_value(plan, (*TRAIN_PATH, "backend"))
        if backend in REMOTE_BACKENDS:
            return {}
        pods = plan.value((*source, "world_size")).value
        gpus = self.m.composed_value(plan, (*TRAIN_PATH, "world_size"))
        if str(pods).isdigit() and isinstance(gpus, int) and int(pods) and gpus % int(pods) == 0:
            return {"gpus_per_pod": gpus // int(pods)}
        self.m.problem(
            f"{plan.path}:{plan.line(source) + 1}: resource.gpus_per_pod is needed (NexRL 1.2 "
            "and later multiply it by world_size) and cannot be derived; add it",
            plan.path,
        )
        return None


# -- helpers ------------------------------------------------------------------------------------
def _families(
    files: list[Path], configs: Mapping[Path, Checked], real: Callable[[Path], Path]
) -> list[list[Path]]:
    """The changed files in groups that no config reads across: each group is written, or
    refused, as one."""
    by_real = {real(path): path for path in files}
    parent = {path: path for path in files}

    def root(path: Path) -> Path:
        while parent[path] != path:
            parent[path] = parent[parent[path]]
            path = parent[path]
        return path

    for config in configs.values():
        read = [by_real[real] for real in config.sources if real in by_real]
        for path in read[1:]:
            parent[root(path)] = root(read[0])
    out: dict[Path, list[Path]] = {}
    for path in files:
        out.setdefault(root(path), []).append(path)
    return list(out.values())


def _get(data: Any, path: KeyPath) -> Any:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def _rename(plan: FilePlan, path: KeyPath, new: str) -> None:
    if plan.has(path) and not plan.has((*path[:-1], new)):
        plan.sub(plan.key(path), new)


def _child_source(plan: FilePlan, section: KeyPath, name: str) -> str | None:
    path = (*section, name)
    return plan.source(path) if plan.has(path) else None


def _first_section(plan: FilePlan, path: KeyPath) -> int | None:
    """The line before which a new child section goes: the first child that is a mapping,
    above the comments written over it."""
    for name in plan.children(path):
        if plan.mapping((*path, name)):
            line = plan.line((*path, name))
            while line > 0 and plan.lines[line - 1].lstrip().startswith("#"):
                line -= 1
            return line
    return None


def _match_resources(train: dict[str, Any], resource: dict[str, Any]) -> dict[str, str] | None:
    """resource.train ids -> service names, as NexRL matches them (by identifier, or the only
    entry to the only service); None where it cannot."""
    if is_flat(train):
        services = {MIGRATED_ACTOR: train}
    else:
        services = {k: v for k, v in train.items() if isinstance(v, dict)}
    out = {}
    for name, spec in services.items():
        ident = spec.get("identifier", spec.get("model_tag"))
        if ident in resource:
            out[str(ident)] = name
        elif len(services) == 1 and len(resource) == 1:
            out[next(iter(resource))] = name
    return out or None


def migrate(paths: Iterable[str | Path], target: str = NEWEST, jobs: int | None = None) -> Outcome:
    """Migrate the configs at `paths` to NexRL `target`, on `jobs` processes (None: one per
    core). The files are shared out by folder group (see `pool.groups`), each group migrated
    on its own as one process would; should two groups read one file, the shares are dropped
    and the whole migrated in one process, so that the outcome is always one migration's."""
    paths = list(paths)
    files = list(iter_yaml_files(paths))
    count = workers(jobs)
    groups = [[files[i] for i in group] for group in folder_groups(files)]
    if count > 1 and len(files) >= MIN_FILES and len(groups) > 1:
        shares = shared_out(partial(_share, paths, target), groups, count)
        merged = _merged(shares, Boundary.named(paths))
        if merged is not None:
            return merged
    return _migrate(paths, files, target, jobs).out


def _migrate(
    paths: list[str | Path], files: list[Path], target: str, jobs: int | None
) -> Migration:
    migration = Migration(target, jobs)
    migration.out.boundary = Boundary.named(paths)
    migration.gather(files)
    migration.run()
    migration.verify()
    migration.out.finish()
    return migration


@dataclass
class _Share:
    """What migrating one group of files found: its changes, each as a diff, its problems and
    notes, what it added on purpose, and every file it read (as `Migration._identity` tells
    them apart)."""

    changes: dict[Path, tuple[str, str, bytes]]
    diffs: dict[Path, str]
    problems: list[str]
    notes: list[str]
    added: list[tuple[Path, KeyPath, Any]]
    read: set[tuple[int, int] | str]


def _share(paths: list[str | Path], target: str, files: list[Path]) -> _Share:
    # One process to a group: the processes are already one per core.
    migration = _migrate(paths, files, target, jobs=1)
    out = migration.out
    parsed = migration.parsed()
    diffs = {path: out.diff_of(path, parsed) for path in out.changes()}
    return _Share(out.changes(), diffs, out.problems, out.notes, out.added, migration.read())


def _merged(shares: list[_Share], boundary: Boundary) -> Outcome | None:
    """The outcome of the groups' migrations together; None when two of them read one file
    (each decided on it without the configs of the other)."""
    seen: set[tuple[int, int] | str] = set()
    for share in shares:
        if seen & share.read:
            return None
        seen |= share.read
    out = Outcome(boundary=boundary)
    out.final = dict(sorted(kv for share in shares for kv in share.changes.items()))
    for share in shares:
        out.diffs.update(share.diffs)
        out.problems.extend(share.problems)
        out.notes.extend(share.notes)
        out.added.extend(share.added)
    out.order()
    return out
