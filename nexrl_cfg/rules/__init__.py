"""The rules: one module each, its docstring the user documentation.

Every module of this package whose name does not start with `_` is a rule; its id is its name
with dashes (`max_tokens_match.py` is `max-tokens-match`), stable, used by --select/--ignore,
suppressions and `explain`. Rules are listed (README, `explain --list`) and run by stage, then
by id; `run` runs the rules of some stages (`pipeline` calls it), one finding per missing key.

Modules starting with `_` are helpers the rules share, not rules: `_entries` (the config walked
beside the catalogue, for the validate rules), `_values` (reading values that may wait on
unset variables: `known`, `differ`, `blame`, `where`), `_startup` (values read the way NexRL's
start-up code reads them) and `_services` (backends, training services, GPUs). NexRL's
version facts and layouts are in `nexrl`, a config's sections in `layout`.

A rule module declares:

* its docstring: the first line a title, then `## What it does`, `## Why is this bad?`,
  `## Example` and `## Use instead` (what `explain` and the README show);
* `SEVERITY` (the default), `SUMMARY` (one line) and `STAGE`: "read", "compose", "resolve",
  "validate", "lint" or "report";
* optionally `SINCE` and `UNTIL`, facts of `nexrl` (`SINCE = NAMED_SERVICES`): the rule
  applies from the NexRL version `SINCE` on, to the versions before `UNTIL`; all by default;
* optionally `NEXRL`: the NexRL code whose check it mirrors, shown by `explain`;
* optionally `DEFERS = True`: its reports of a missing key stand down to any other rule's
  (the launcher's requirements, which only a run started by `nexrl` meets, after NexRL's);
* optionally `NOTE = ("skipped file", "skipped files")`: what one of its notes (info
  findings) is, then several, as the text report's line of the notes it does not list says
  it; by default "<id> note(s)";
* for the validate and lint stages, `check(cfg) -> Iterator[Report]` (see `Config.report`).
  The runner, not the rule, stamps each report with the rule's id and severity; a report
  may carry a weaker severity of its own for a weaker case;
* optionally `fix(cfg, report, files) -> Fix | None`: what fixes one of its reports (below);
* optionally `ID`, the id as a constant, when other modules emit or name the rule: the rules
  of the read, compose and resolve stages are reported by those stages (their modules only
  document them).

A rule's fix. `run` calls `fix` only when the run asks for fixes (`--fix`, `--diff`, a report
that shows them, an editor), once for each report of the rule that names a key and is kept
(see `run`: one report per missing key); a plain check never computes one. `fix` returns a
`finding.Fix`: the edits (`finding.Edit`: a span of a file and the text that replaces it) and
an applicability, `SAFE` (`--fix` applies it, reports carry it), `UNSAFE` (only offered) or
`DISPLAY_ONLY`; None when there is none. It makes its edits with `fix.library`, given the
`files` of the run (each read and parsed once): `rename_key`, `literal(...).replaced`,
`reference` (`key: ${other}`), `one_match` (a typo away from exactly one name); they refuse a
secret or an environment value.
What `fix` needs to know beyond the report's key (which case it is, a key the check found) the
check passes as `data`: `cfg.report(..., data=other)`, read back as `report.data`. A fix that
meets a value of a shape it does not expect (KeyError, ValueError, TypeError) is no fix.

A report about a missing key names that key (`cfg.report(..., key, at="key")` places it at
the key's nearest section), or `covers` it when it is made elsewhere (at a misspelt key):
then `run` keeps one report per missing key, and no two rules report the same absence.

To add a cross-field rule: copy a lint rule such as `max_tokens_match.py` (a check and its fix)
to a new name, and add a sample config showing the mistake, `sample_configs/invalid/<name>.yaml`:
the base of its version and the few lines of the mistake (`defaults: [base_1_4, _self_]`, see
the folder's README); `python -m pytest --update` records its findings (`<name>.expected.json`,
reviewed in the diff) and `python -m nexrl_cfg.docs` updates the README's rule table.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from ..finding import Finding, Fix, Report, Severity
from ..nexrl import OLDEST, VERSIONS, versions
from ..record import Record

if TYPE_CHECKING:
    from ..config import Config
    from ..fix.library import Files

    FixFunction = Callable[[Config, Report, Files], Fix | None]

# The stages, in the order they run: rules are listed in this order, then by id.
STAGES = ("read", "compose", "resolve", "validate", "lint", "report")


def module_names() -> list[str]:
    """The rule modules of this package, by name (helpers, starting with `_`, left out)."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def rule_id(module_name: str) -> str:
    return module_name.rpartition(".")[2].replace("_", "-")


class Rule(Record, by_value=False):
    id: str
    severity: Severity
    summary: str
    stage: str
    doc: str
    check: Callable[[Config], Iterator[Report]] | None
    versions: tuple[str, ...] = VERSIONS
    # The NexRL code whose check the rule mirrors ("" for the tool's own advice).
    nexrl: str = ""
    fix: FixFunction | None = None
    # Its reports of a missing key stand down to any other rule's (see `run`).
    defers: bool = False
    # What one of its notes is, and several (see `NOTE` above).
    note: tuple[str, str] = ("", "")

    def notes(self, count: int) -> str:
        """`count` of its notes in words: "3 skipped files"."""
        one, many = self.note if self.note[0] else (f"{self.id} note", f"{self.id} notes")
        return f"{count} {one if count == 1 else many}"

    def applies_to(self, version: str) -> bool:
        return version in self.versions


def _load(name: str) -> Rule:
    module = importlib.import_module(f"{__name__}.{name}")
    ident = rule_id(name)
    if getattr(module, "ID", ident) != ident:
        raise ValueError(f"rule module {name}: ID {module.ID!r} is not its name, {ident!r}")
    if module.STAGE not in STAGES:
        raise ValueError(f"rule module {name}: STAGE {module.STAGE!r} is none of {STAGES}")
    return Rule(
        id=ident,
        severity=module.SEVERITY,
        summary=module.SUMMARY,
        stage=module.STAGE,
        doc=(module.__doc__ or "").strip(),
        check=getattr(module, "check", None),
        versions=versions(getattr(module, "SINCE", OLDEST), getattr(module, "UNTIL", None)),
        nexrl=getattr(module, "NEXRL", ""),
        fix=getattr(module, "fix", None),
        defers=getattr(module, "DEFERS", False),
        note=getattr(module, "NOTE", ("", "")),
    )


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    """Every rule, by stage and then by id."""
    rules = [_load(name) for name in module_names()]
    return tuple(sorted(rules, key=lambda rule: (STAGES.index(rule.stage), rule.id)))


def by_id() -> dict[str, Rule]:
    return {rule.id: rule for rule in all_rules()}


def for_stage(stage: str, version: str) -> list[Rule]:
    rules = all_rules()
    known = _STAGED.get((stage, version))
    if known is None or known[0] is not rules:  # the rules of this process, not a test's
        known = _STAGED[(stage, version)] = (
            rules,
            [
                rule
                for rule in rules
                if rule.stage == stage and rule.check is not None and rule.applies_to(version)
            ],
        )
    return known[1]


# (stage, version) -> (the rules they were taken from, those of the stage for the version):
# asked for by every config.
_STAGED: dict[tuple[str, str], tuple[tuple[Rule, ...], list[Rule]]] = {}


def run(stages: tuple[str, ...], cfg: Config, files: Files | None = None) -> Run:
    """Run the rules of `stages` that apply to the config's NexRL version, each report
    stamped with its rule's id and severity. Given `files` (the run asks for fixes), each
    report of a rule that has a `fix` carries what that gives.

    One mistake, one finding: of the reports about one missing key (a report names it as its
    key, not written in the config, or `covers` it from the place of a misspelt key; a key
    inside a missing section counts as the section), the runner keeps one, the most severe,
    the misspelt key's before the others, a rule's that `DEFERS` after them, and else the
    first (by stage, then by rule id): the rule that owns it. The others stand down."""
    made = [
        (rule, report)
        for stage in stages
        for rule in for_stage(stage, cfg.version)
        for report in rule.check(cfg)  # type: ignore[misc]
    ]
    kept, missing = _one_per_missing_key(cfg, made)
    findings = [
        report.stamp(rule.id, rule.severity, _fix(rule, cfg, report, files) if files else None)
        for rule, report in kept
    ]
    return Run(findings, missing)


class Run(NamedTuple):
    findings: list[Finding]
    # The missing keys the findings account for.
    missing: frozenset[str]


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def _missing_key(cfg: Config, report: Report) -> str | None:
    """The missing key a report is about: its own key, or what it `covers`, taken at the
    outermost missing section (`rollout_worker.resource` for its missing `num_workers`: one
    missing section, one finding)."""
    key = report.covers or report.key
    if not key or cfg.has(key):
        return None
    parts = key.split(".")
    for end in range(1, len(parts) + 1):
        if not cfg.has(".".join(parts[:end])):
            return ".".join(parts[:end])
    return key


def _one_per_missing_key(
    cfg: Config, made: list[tuple[Rule, Report]]
) -> tuple[list[tuple[Rule, Report]], frozenset[str]]:
    owner: dict[str, int] = {}
    for index, (_, report) in enumerate(made):
        key = _missing_key(cfg, report)
        if key is None:
            continue
        if key not in owner or _rank(made[index]) < _rank(made[owner[key]]):
            owner[key] = index
    dropped = {
        index
        for index, (_, report) in enumerate(made)
        if (key := _missing_key(cfg, report)) is not None and owner[key] != index
    }
    kept = [pair for index, pair in enumerate(made) if index not in dropped]
    return kept, frozenset(owner)


def _rank(made: tuple[Rule, Report]) -> tuple[int, int, int]:
    rule, report = made
    return (_RANK[report.severity or rule.severity], 0 if report.covers else 1, int(rule.defers))


def _fix(rule: Rule, cfg: Config, report: Report, files: Files) -> Fix | None:
    if rule.fix is None or not report.key:
        return None
    try:
        return rule.fix(cfg, report, files)
    except (KeyError, ValueError, TypeError):
        return None  # a value of a shape the fix does not expect: no fix, never a failure
