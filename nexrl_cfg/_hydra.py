"""Hydra itself, composing a config the way `python -m nexrl.main --config-path DIR
--config-name NAME overrides...` does, and nothing more.

Imported only for `--hydra-check` (and by the project's differential test). Hydra is confined
to the config folder: its search path is Hydra's own package and the folder, no search-path
plugin or `hydra_plugins` package is discovered (nothing installed beside it runs), a
`hydra.searchpath` is not followed, and the folder's files are read the way every file is read
here (a regular file whose real path is inside the folder, at most `read.MAX_BYTES`). The
config NexRL's task receives is returned without Hydra's own `hydra` node, as plain data with
its interpolations unresolved, or Hydra's error.
"""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hydra._internal.config_loader_impl import ConfigLoaderImpl
from hydra._internal.config_repository import ConfigRepository
from hydra._internal.core_plugins import basic_launcher, basic_sweeper  # noqa: F401 (configs)
from hydra._internal.core_plugins.file_config_source import FileConfigSource
from hydra._internal.core_plugins.importlib_resources_config_source import (
    ImportlibResourcesConfigSource,
)
from hydra._internal.core_plugins.structured_config_source import StructuredConfigSource
from hydra.core.config_search_path import ConfigSearchPath
from hydra.core.object_type import ObjectType
from hydra.core.override_parser.types import Override
from hydra.core.utils import JobRuntime
from hydra.plugins.config_source import ConfigLoadError, ConfigResult, ConfigSource
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf, open_dict, read_write

from .files import read_regular
from .read import MAX_BYTES

# As `hydra.main` names the job of `python -m nexrl.main`.
_JOB = "main"


@dataclass
class HydraResult:
    """What Hydra composed (plain data, interpolations unresolved), or why it failed."""

    data: Any = None
    error: str | None = None
    config: DictConfig | None = None


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class _FolderSource(FileConfigSource):
    """Hydra's file source, reading nothing outside its folder and nothing but regular files."""

    def _real(self, config_path: str) -> str | None:
        root = os.path.realpath(self.path)
        full = os.path.realpath(os.path.join(root, config_path))
        return full if _inside(full, root) else None

    def load_config(self, config_path: str) -> ConfigResult:
        full = self._real(self._normalize_file_name(config_path))
        if full is None or not os.path.isfile(full):
            raise ConfigLoadError(f"Config not found : {config_path}")
        raw = read_regular(full, MAX_BYTES)
        if len(raw) > MAX_BYTES:
            raise ConfigLoadError(f"Config too large : {config_path}")
        text = raw.decode("utf-8")
        header = ConfigSource._get_header_dict(text[:512])
        cfg = OmegaConf.load(io.StringIO(text))
        return ConfigResult(
            config=cfg, path=f"file://{self.path}", provider=self.provider, header=header
        )

    def is_group(self, config_path: str) -> bool:
        full = self._real(config_path)
        return full is not None and os.path.isdir(full)

    def is_config(self, config_path: str) -> bool:
        full = self._real(self._normalize_file_name(config_path))
        return full is not None and os.path.isfile(full)

    def list(self, config_path: str, results_filter: ObjectType | None) -> list[str]:
        return super().list(config_path, results_filter) if self.is_group(config_path) else []


class _Repository(ConfigRepository):
    def initialize_sources(self, config_search_path: ConfigSearchPath) -> None:
        folder = next(p.path for p in config_search_path.get_path() if p.provider == "main")
        assert folder is not None
        self.sources = [
            ImportlibResourcesConfigSource("hydra", "pkg://hydra.conf"),
            _FolderSource("main", folder),
            StructuredConfigSource("schema", "structured://"),
        ]


class _SearchPath(ConfigSearchPath):
    def __init__(self, folder: str) -> None:
        from hydra.core.config_search_path import SearchPathElement

        self.path = [SearchPathElement("main", folder)]

    def get_path(self) -> Any:
        return self.path

    def append(self, provider: str, path: str, anchor: Any = None) -> None:
        raise NotImplementedError

    def prepend(self, provider: str, path: str, anchor: Any = None) -> None:
        raise NotImplementedError


class _Loader(ConfigLoaderImpl):
    def __init__(self, folder: str) -> None:
        self.config_search_path = _SearchPath(folder)
        self.repository = _Repository(self.config_search_path)

    def _process_config_searchpath(
        self, config_name: str | None, parsed_overrides: list[Override], repo: Any
    ) -> None:
        """Hydra's check of the primary config, without following `hydra.searchpath`."""
        if config_name is None:
            return
        loaded = repo.load_config(config_path=config_name)
        if loaded is not None and not OmegaConf.is_dict(loaded.config):
            from hydra.errors import ConfigCompositionException

            raise ConfigCompositionException(
                f"primary config '{config_name}' must be a DictConfig, got "
                f"{type(loaded.config).__name__}"
            )


def compose(folder: str | Path, name: str, overrides: Sequence[str] = ()) -> HydraResult:
    """Compose config `name` of `folder` with `overrides` as NexRL's launch does; the task's
    config (without the `hydra` node), or Hydra's error message."""
    from hydra import version

    # `hydra.main(version_base=None)`, as NexRL's main: Hydra's current defaults.
    version.setbase(None)
    loader = _Loader(os.path.abspath(folder))
    runtime = JobRuntime.instance()
    if OmegaConf.select(runtime.conf, "name") is None:
        runtime.set("name", _JOB)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cfg = loader.load_configuration(name, list(overrides), RunMode.RUN)
            with read_write(cfg), open_dict(cfg):
                del cfg["hydra"]
            data = OmegaConf.to_container(cfg, resolve=False)
    except Exception as exc:  # any failure of Hydra's is the verdict
        return HydraResult(error=_message(exc))
    return HydraResult(data=data, config=cfg)


def _message(exc: BaseException) -> str:
    """Hydra's message, with the cause it wraps (an OmegaConf error says what is wrong)."""
    parts = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        text = str(current).strip()
        if text and text not in parts:
            parts.append(text)
        current = current.__cause__ or current.__context__
    return "\n".join(parts) or type(exc).__name__
