"""The torch data loader needs data files it can read, and a tokenizer to filter prompts.

## What it does
For `data` and `validate.data` with `type: torch`, checks that `data_files` is set, not
empty and a list (NexRL reads one string character by character), that each file ends in
`.parquet`, `.csv` or `.jsonl` (case does not matter), and that `filter_prompts: true` comes
with a `tokenizer_path`. A file path waiting on an unset
variable is judged by its written ending only (`${oc.env:DATA}/train.json` is certainly a
`.json` file; `${oc.env:TRAIN_FILE}` could be anything).

## Why is this bad?
NexRL builds both data loaders at start-up. The torch loader raises "data_files must be
specified in config", "Unsupported file format: ...", and asserts "tokenizer is required
when filter_prompts is True".

## Example
```yaml
data:
  type: "torch"
  data_files:
    - "${oc.env:NEXRL_DATA_PATH}/math/train.json"
  filter_prompts: true
```

## Use instead
```yaml
data:
  type: "torch"
  data_files:
    - "${oc.env:NEXRL_DATA_PATH}/math/train.jsonl"
  filter_prompts: true
  tokenizer_path: "${oc.env:NEXRL_MODEL_PATH}/Qwen/Qwen3-8B"
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..config import Config, split
from ..finding import Fix, Report, Severity
from ..layout import DATA, VALIDATE
from ._services import certain_tail, empty

if TYPE_CHECKING:
    from ..fix.library import Files

SEVERITY = Severity.ERROR
SUMMARY = "The torch data loader needs .parquet/.csv/.jsonl data_files, and a tokenizer to filter"
STAGE = "lint"
NEXRL = "nexrl/data_loader/torch_data_loader.py"

FORMATS = ("parquet", "csv", "jsonl")
ONE_STRING = "one string"


def check(cfg: Config) -> Iterator[Report]:
    for section in (DATA, f"{VALIDATE}.data"):
        if cfg.get(f"{section}.type", None) == "torch":
            yield from _files(cfg, section)
            yield from _filter(cfg, section)


def _files(cfg: Config, section: str) -> Iterator[Report]:
    key = f"{section}.data_files"
    files = cfg.get(key, None)
    if files is None or empty(files):
        state = f"is {cfg.show(key)}" if cfg.has(key) else "is not set"
        yield cfg.report(
            f"{key} {state}: the torch data loader raises 'data_files must be specified'",
            key,
            "List the training files, e.g. `- ${oc.env:NEXRL_DATA_PATH}/train.parquet`.",
            at="written",
        )
        return
    if not isinstance(files, list):
        if _one_string(cfg, key):
            yield cfg.report(
                f"{key} is one string, {cfg.show(key)}, not a list: the torch data loader "
                "iterates it character by character and stops at start-up on the first "
                f"('Unsupported file format: {_first(cfg, key)}')",
                key,
                "Write it as a list of one file: `data_files: [...]`.",
                data=ONE_STRING,
            )
        return
    for item, value in [(f"{key}.{i}", f) for i, f in enumerate(files)]:
        tail = certain_tail(value)
        if tail is not None and _unsupported(tail, whole=isinstance(value, str)):
            yield cfg.report(
                f"data file {cfg.show(item)} is not .parquet, .csv or .jsonl: the torch data "
                "loader raises 'Unsupported file format'",
                item,
                "Convert the file to Parquet, CSV or JSON Lines.",
            )


def _one_string(cfg: Config, key: str) -> bool:
    """Whether `data_files` is a single string (an environment value is one too)."""
    return isinstance(cfg.raw(key), str)


def _first(cfg: Config, key: str) -> str:
    """The 'format' NexRL finds first: the first character, when it may be shown."""
    value = cfg.get(key)
    return value[0] if isinstance(value, str) and not cfg.is_secret(split(key)) else "..."


def fix(cfg: Config, report: Report, files: Files) -> Fix | None:
    """A single data file written as a list of one."""
    from ..fix.library import literal

    if report.data != ONE_STRING:
        return None
    found = literal(cfg, files, report.key)
    return None if found is None else found.listed()


def _unsupported(tail: str, whole: bool) -> bool:
    """Whether a path ending in `tail` (the whole path when `whole`) is certainly not one of
    the formats: the loader takes the text after the last '.', lower-cased."""
    if whole or "." in tail:
        return tail.lower().rsplit(".", 1)[-1] not in FORMATS
    return not any(fmt.endswith(tail.lower()) for fmt in FORMATS) and tail != ""


def _filter(cfg: Config, section: str) -> Iterator[Report]:
    key, tokenizer = f"{section}.filter_prompts", f"{section}.tokenizer_path"
    if cfg.get(key, None) is not True:
        return
    value = cfg.get(tokenizer, None)
    if cfg.has(tokenizer) and not empty(value):
        return
    yield cfg.report(
        f"filter_prompts is true but {tokenizer} is "
        f"{cfg.show(tokenizer) if cfg.has(tokenizer) else 'not set'}: the torch data loader "
        "asserts a tokenizer to measure prompts",
        key,
        f"Set {tokenizer}, or `filter_prompts: false`.",
    )
