"""The config a launch composes: `python -m nexrl.main --config-path DIR --config-name NAME
overrides...`, or a config file and overrides (`check run.yaml trainer.total_train_steps=100`).

`split` tells a command line's paths from its overrides; `locate` finds the config a launch
names, as Hydra does: config NAME (`NAME.yaml`, maybe in a subfolder) of the config folder
DIR. NexRL's `main` names `rl_train` when no `--config-name` is given. A relative DIR is read
from the working folder here (Hydra reads a relative `--config-path` inside the nexrl package
when launched with `python -m nexrl.main`; NexRL's launcher passes an absolute one).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from .record import Record

# NexRL's `@hydra.main(config_path="config", config_name="rl_train")`.
DEFAULT_NAME = "rl_train"


class LaunchError(Exception):
    """The launch names no config that can be checked (one line for the user)."""


class Launch(Record, by_value=False):
    """What a launch was given: a config folder and name (`--config-path`, `--config-name`),
    or a config file, and the overrides; `hydra_check` composes it with Hydra too."""

    folder: str | None = None
    name: str | None = None
    overrides: Sequence[str] = ()
    hydra_check: bool = False

    def __bool__(self) -> bool:
        return bool(self.folder or self.name or self.overrides or self.hydra_check)


class Located(Record, by_value=False):
    """The config a launch composes: its file, its config folder and its name there."""

    file: Path
    folder: Path
    name: str
    overrides: Sequence[str] = ()
    hydra_check: bool = False


def is_override(word: str) -> bool:
    """Whether a word of the command line reads as an override (`k=v`, `+k=v`, `~k`)."""
    return "=" in word or word.startswith("~")


def split(words: Sequence[str]) -> tuple[list[str], list[str]]:
    """(paths, overrides) of the words after `check` or `resolve`: paths come first; the
    first word that reads as an override (holds `=` or starts with `~`) and is not an
    existing file or folder starts the overrides, and every word after it is one."""
    for index, word in enumerate(words):
        if is_override(word) and not os.path.lexists(word):
            return list(words[:index]), list(words[index:])
    return list(words), []


def locate(launch: Launch, paths: Sequence[str]) -> Located:
    """The config `launch` composes: config `name` of `folder`, or the one file of `paths`."""
    overrides, hydra = tuple(launch.overrides), launch.hydra_check
    if launch.folder is None and launch.name is not None:
        raise LaunchError(
            "--config-name needs --config-path: without it NexRL composes the configs it "
            "ships, which are not here"
        )
    if launch.folder is not None:
        if paths:
            raise LaunchError(
                f"give either --config-path and --config-name, or a config file ({paths[0]})"
            )
        folder = Path(launch.folder)
        if not folder.is_dir():
            raise LaunchError(f"config folder not found: {launch.folder}")
        name = launch.name or DEFAULT_NAME
        relative = name if name.endswith(".yaml") else f"{name}.yaml"
        file = folder / relative
        if name.startswith("/") or ".." in Path(relative).parts or not file.is_file():
            raise LaunchError(
                f"no config '{name}' in {launch.folder} (Hydra looks for {relative} there)"
            )
        return Located(file, folder, name.removesuffix(".yaml"), overrides, hydra)
    if len(paths) != 1 or paths[0] == "-" or Path(paths[0]).is_dir():
        raise LaunchError(
            "overrides and --hydra-check apply to one config: give one config file (or "
            "--config-path and --config-name)"
        )
    file = Path(paths[0])
    return Located(file, file.parent, file.stem, overrides, hydra)
