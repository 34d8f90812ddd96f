from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
RECIPES = SHARED / "corpus" / "nexrl-v1.0" / "recipe"
# What each probe of test_probes.py reports: [area, decided as NexRL, false error].
PROBE_PROPERTY = "probe"
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


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """With -s, one line per area of tests/probes: the probes decided as NexRL decides them,
    and the false errors (an error for a config NexRL runs)."""
    if config.getoption("capture") != "no":
        return
    areas: dict[str, list[tuple[bool, bool]]] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "call":
                continue
            for name, value in getattr(report, "user_properties", ()):
                if name == PROBE_PROPERTY:
                    area, right, false_error = value
                    areas.setdefault(area, []).append((bool(right), bool(false_error)))
    for area, results in sorted(areas.items()):
        right = sum(r for r, _ in results)
        false_errors = sum(f for _, f in results)
        terminalreporter.write_line(
            f"probes {area}: {right}/{len(results)} as NexRL decides "
            f"({100 * right / len(results):.0f}%), {false_errors} false error(s)"
        )
