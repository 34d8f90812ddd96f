from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
RECIPES = SHARED / "corpus" / "nexrl-v1.0" / "recipe"
SAMPLES = ROOT / "sample_configs"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: takes seconds; started first, so that no worker is left with it last"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The same order in every xdist worker (it checks): a stable sort on the marker alone.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture
def recipes() -> Path:
    if not RECIPES.is_dir():
        pytest.skip(f"NexRL's recipes are not beside the project ({RECIPES} is missing)")
    return RECIPES


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No NexRL variable set, as on a laptop."""
    for name in list(os.environ):
        if name.startswith(
            (
                "NEXRL_",
                "INFERENCE_",
                "API_SERVER",
                "EXPERIMENT_",
                "TINKER_",
                "WEAVER_",
                "OPENAI_",
                "FEISHU_",
            )
        ):
            monkeypatch.delenv(name)
