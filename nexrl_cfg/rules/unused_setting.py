"""A setting NexRL does not act on in this config: it reads it only in another mode, or never
applies it.

## What it does
Reports an option set to a value that would change what NexRL does, where NexRL does not act
on it:

- it reads the option only on another path (the catalogue's `used_if`), and the key that
  decides the path is written: `trainer.algorithm` with a remote trainer, `resume.mode` and
  `resume_path` on a Tinker or Weaver run, `trainer.save_freq` with a remote trainer, the
  training hyperparameters of `service.train_service.<name>.config` with a self-hosted
  trainer, `config.loss_fn` with `remote_api_cross_entropy` from NexRL 1.2;
- it reads the option but never applies it: `validate.data.rollout_repeat_n` and
  `validate.data.keep_batch_order`, `trainer.algorithm.use_kl_in_reward` (no NexRL version
  computes the reference log-probabilities it needs).

Values that leave things as they are (`resume.mode: disable`, `save_freq: 0`, an option's
default) are not reported: NexRL's own recipes write them for every kind of run; nor is the
value of an option NexRL reads without a default where it reads it (`max_retries` in a Tinker
recipe is what the OpenAI client would need, not a request). A bad value is reported by
`invalid-type`, `invalid-choice` or `out-of-range` instead.

## Why is this bad?
The run goes on without the setting: no checkpoint is loaded, no learning rate changed, no
KL penalty applied, and nothing in NexRL's log says so.

## Example
```yaml
trainer:
  type: remote_api_grpo
  save_freq: 10
```

## Use instead
```yaml
trainer:
  type: remote_api_grpo
  save_freq: 0
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..catalogue import NO_DEFAULT, Condition, Option
from ..config import ABSENT, Config, show_value
from ..finding import Report, Severity
from ._entries import Entry, acceptable, condition_words, options
from ._values import where

SEVERITY = Severity.WARNING
SUMMARY = "A setting NexRL reads only in another mode, or never applies"
STAGE = "lint"
NEXRL = (
    "nexrl/trainer/remote_api_trainer.py; nexrl/trainer/self_hosted_trainer.py; "
    "nexrl/controller.py (_load_initial_checkpoint); nexrl/data_loader/data_loader.py; "
    "nexrl/trainer/self_hosted_grpo_trainer.py"
)


def check(cfg: Config) -> Iterator[Report]:
    for opt, entry in options(cfg):
        if not (opt.used_if or opt.no_effect):
            continue  # nothing it could be reported for
        if opt.ignored or opt.unread or not _acts(opt, entry.value):
            continue
        section = entry.path.rpartition(".")[0]
        decided = [c for c in opt.used_if if _decided_against(cfg, c, section)]
        if decided:
            yield _elsewhere(cfg, opt, entry, decided[0], section)
        elif opt.no_effect:
            yield cfg.report(
                f"'{opt.name}' is {cfg.show(entry.path)}, but NexRL {cfg.version} never acts "
                f"on it: {opt.no_effect}",
                entry.path,
                f"Remove `{opt.name}`.",
            )


def _acts(opt: Option, value: object) -> bool:
    """Whether the value asks for something NexRL would not do without it: a right value
    other than the option's default or inert ones. An option NexRL reads without a default
    (where it reads it) has nothing to compare with: what is written for another mode is
    not judged."""
    if opt.inert is None and opt.default is NO_DEFAULT:
        return False
    return opt.acts(value) and acceptable(opt, value)


def _decided_against(cfg: Config, condition: Condition, section: str) -> bool:
    """Whether the condition certainly fails by a value the config holds (written, or the
    catalogue's default) and that is itself right (a misspelt backend is its own finding):
    not by a key left out, whose meaning may be a custom module's."""
    path = _absolute(condition, section)
    value = cfg.get(path)
    if value is ABSENT or cfg.holds(condition, section) is not False:
        return False
    spec = cfg.catalogue.option(cfg.layout.spec_path(path))
    return spec is None or acceptable(spec, value)


def _absolute(condition: Condition, section: str) -> str:
    return f"{section}{condition.path}" if condition.path.startswith(".") else condition.path


def _elsewhere(
    cfg: Config, opt: Option, entry: Entry, condition: Condition, section: str
) -> Report:
    path = _absolute(condition, section)
    shown = cfg.show(path) if cfg.has(path) else f"{show_value(cfg.get(path))} (the default)"
    return cfg.report(
        f"'{opt.name}' is {cfg.show(entry.path)}, but it has no effect here: NexRL "
        f"{cfg.version} uses it only where {condition_words(condition, section)}, and {path} "
        f"is {shown} ({where(cfg, path)})",
        entry.path,
        f"Remove `{opt.name}`, or check {path}.",
    )
