"""A key, value or layout the checked NexRL version still reads, but deprecates.

## What it does
Reports, at the NexRL version checked for:

- a key whose catalogue entry is deprecated at that version (`model_tag`, where newer
  versions read `identifier`; legacy `resource.*` locations), naming what replaces it;
- a value NexRL maps to another with a deprecation warning (`backend: http` or
  `nextrainer`, which newer versions run as `direct-zmq`);
- from NexRL 1.2, the flat `service.train_service` layout (`backend` or `url` directly
  under it), which NexRL migrates to one named service with `role: actor`, and a single
  named service without a `role`, which NexRL takes for the actor.

Keys a version no longer reads at all are `unknown-key`'s.

## Why is this bad?
NexRL still runs, with a DeprecationWarning in its log; the next release may no longer
accept the old form, and the migrated config NexRL actually runs differs from the file.

## Example
```yaml
service:
  train_service:
    model_tag: "default"
    backend: http
    url: "http://${oc.env:API_SERVER_URL}:8000"
```

## Use instead
The named layout, with its identifier and a backend NexRL 1.4 keeps
(`nexrl-cfg migrate --to 1.4 --write FILE` writes it):
```yaml
service:
  train_service:
    main_actor:
      role: actor
      identifier: "default"   # was model_tag
      backend: direct-zmq     # was http
      url: "http://${oc.env:API_SERVER_URL}:8000"
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..catalogue import Option
from ..config import Config, show_value
from ..finding import Fix, Report, Severity
from ..layout import TRAIN
from ..nexrl import NAMED_SERVICES, at_least, is_flat, named_services
from ..output import display_path
from ._entries import entries
from ._startup import train_service

if TYPE_CHECKING:
    from ..fix.library import Files

SEVERITY = Severity.WARNING
SUMMARY = "A key, value or layout the NexRL version deprecates"
STAGE = "validate"
NEXRL = "nexrl/utils/validate_config.py; nexrl/utils/config_utils.py"


def check(cfg: Config) -> Iterator[Report]:
    flagged = cfg.catalogue.deprecations()
    for entry in entries(cfg):
        if id(entry.spec) not in flagged:
            continue
        assert entry.spec is not None
        if entry.spec.deprecated_in(cfg.version):
            yield _key(cfg, entry.path, entry.spec.deprecated or "", entry.spec.replaced_by)
        if isinstance(entry.spec, Option) and entry.spec.deprecated_choices:
            yield from _choice(cfg, entry.spec, entry.path, entry.value)
    if at_least(cfg.version, NAMED_SERVICES):
        yield from _layout(cfg)


def migrate(cfg: Config, path: str) -> str:
    """The command that rewrites the file where `path` is written for the config's version."""
    return f"`nexrl-cfg migrate --to {cfg.version} --write {display_path(cfg.span(path).file)}`"


def _key(cfg: Config, path: str, since: str, replacement: str) -> Report:
    name = path.rsplit(".", 1)[-1]
    use = f"; use {replacement} instead" if replacement else ""
    return cfg.report(
        f"'{name}' is deprecated since NexRL {since}{use}; NexRL {cfg.version} still reads it "
        "with a deprecation warning",
        path,
        f"Write {replacement} in its place." if replacement else "Remove it.",
        at="key",
    )


def _choice(cfg: Config, opt: Option, path: str, value: object) -> Iterator[Report]:
    for old, new in opt.deprecated_choices:
        if type(value) is type(old) and value == old:
            yield cfg.report(
                f"'{opt.name}: {show_value(old)}' is deprecated; NexRL {cfg.version} runs it "
                f"as {show_value(new)} with a deprecation warning",
                path,
                f"Write `{opt.name}: {new}`, or run {migrate(cfg, path)}.",
            )


def _layout(cfg: Config) -> Iterator[Report]:
    train = train_service(cfg)
    if train is None:
        return
    if is_flat(train):
        yield cfg.report(
            "the flat service.train_service layout is deprecated since NexRL "
            f"{NAMED_SERVICES}; NexRL {cfg.version} migrates it to a named service "
            "'main_actor' with role: actor",
            TRAIN,
            f"Run {migrate(cfg, TRAIN)}: it moves the keys under `main_actor:` with "
            "`role: actor` and `identifier:` (or do so by hand, under a name of your choice).",
            at="key",
        )
        return
    names = named_services(train)
    if len(names) == 1 and not train[names[0]].get("role"):
        yield cfg.report(
            f"train service '{names[0]}' has no role; NexRL {cfg.version} assumes "
            "role: actor with a deprecation warning",
            f"{TRAIN}.{names[0]}",
            f"Add `role: actor` under `service.train_service.{names[0]}`.",
            at="key",
        )


def fix(cfg: Config, report: Report, files: Files) -> Fix | None:
    """A value the catalogue maps to another (`deprecated_choices`) is replaced by it; else a
    deprecated key whose `replaced_by` is in the same section is renamed to it, unless that
    key is already set."""
    from ..fix.library import rename_key, replacement

    key = report.key
    spec = cfg.layout.spec_path(".".join(p for p in key.split(".") if not p.isdigit()))
    entry = cfg.catalogue.entry(spec)
    if isinstance(entry, Option) and entry.deprecated_choices:
        replaced = _replaced_choice(cfg, files, key, entry)
        if replaced is not None:
            return replaced
    new = replacement(cfg, spec)
    parent = key.rpartition(".")[0]
    if new is None or cfg.has(f"{parent}.{new}" if parent else new):
        return None
    return rename_key(cfg, files, key, new)


def _replaced_choice(cfg: Config, files: Files, key: str, opt: Option) -> Fix | None:
    from ..fix.library import literal

    found = literal(cfg, files, key)
    if found is None:
        return None
    for old, new in opt.deprecated_choices:
        if found.text == old and isinstance(new, str):
            return found.replaced(new)
    return None
