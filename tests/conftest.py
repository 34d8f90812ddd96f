from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
# NexRL's own recipes, the ground truth of the real-recipe tests: those of a NexRL checkout
# when NEXRL_CHECKOUT names one (any tag: its recipe/ folder, at the version its
# pyproject.toml gives), else the corpus beside the project (NexRL 1.0 and 1.4).
CHECKOUT = "NEXRL_CHECKOUT"
CORPUS_VERSIONS = ("1.0", "1.4")
# Recipe-shaped configs this project writes itself (NexRL 1.4's shape, every family): for the
# tests that need the shape of a recipe, not NexRL's own.
PROJECT_RECIPES = ROOT / "tests" / "fixtures" / "project" / "recipe"
# What each probe of test_probes.py reports: [area, decided as NexRL, false error].
PROBE_PROPERTY = "probe"
SAMPLES = ROOT / "sample_configs"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update",
        action="store_true",
        default=False,
        help="write the recorded expected outputs (sample_configs/*/*.expected.json, the "
        "README's example outputs, the compiled catalogue and the schemas) from what the "
        "code gives now, instead of comparing them; "
        "review the diff before committing",
    )


# Before xdist's own (trylast): with --update, one process writes the records.
@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: takes seconds; started first, so that no worker is left with it last"
    )
    _build_the_command_line_once()
    if config.getoption("update"):
        _compile_the_catalogue()
    if config.getoption("update") and hasattr(config.option, "dist"):
        # Several tests write one README.md: one after the other.
        config.option.dist = "no"
        config.option.numprocesses = 0


def _compile_the_catalogue() -> None:
    """With --update, the catalogue's section files are compiled before any test reads the
    catalogue, so that the schemas and records written in the same run follow the edit."""
    from nexrl_cfg.catalogue import MODULES
    from nexrl_cfg.catalogue.data import COMPILED, compile_sections

    text = compile_sections(MODULES)
    if COMPILED.read_text(encoding="utf-8") != text:
        COMPILED.write_text(text, encoding="utf-8")


def _build_the_command_line_once() -> None:
    """Typer's test runner builds the command line from the commands' signatures on every
    invoke (about 20 ms, more than checking a small config takes); a run of the program builds
    it once. Here too: once per test process and app, the same command every invoke."""
    import typer.testing

    build = getattr(typer.testing, "_get_command", None)
    if build is None or getattr(build, "built_once", False):
        return
    built: dict[int, tuple[object, object]] = {}

    def once(app: typer.Typer) -> object:
        if id(app) not in built:
            built[id(app)] = (app, build(app))  # the app is held: its id stays its own
        return built[id(app)][1]

    once.built_once = True  # type: ignore[attr-defined]
    typer.testing._get_command = once  # type: ignore[assignment]


Recorded = Callable[[Path, str], None]


@pytest.fixture
def recorded(request: pytest.FixtureRequest) -> Recorded:
    """`recorded(path, now)`: the recorded output at `path` is `now`; with --update, `now` is
    written there (and the path removed when `now` is empty)."""
    update = bool(request.config.getoption("update"))

    def compare(path: Path, now: str) -> None:
        before = path.read_text(encoding="utf-8") if path.exists() else ""
        if update:
            if before != now and now:
                path.write_text(now, encoding="utf-8")
            elif not now and path.exists():
                path.unlink()
            return
        if before == now:
            return
        diff = difflib.unified_diff(
            before.splitlines(), now.splitlines(), "recorded", "now", lineterm="", n=1
        )
        shown = "\n".join(list(diff)[:40])
        pytest.fail(
            f"{path.relative_to(ROOT)} is not what the code gives now; if the change is meant, "
            f"run `python -m pytest --update` and review the diff:\n{shown}",
            pytrace=False,
        )

    return compare


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The same order in every xdist worker (it checks): a stable sort on the marker alone.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def checkout_version(root: Path) -> str:
    """The NexRL version of a checkout, from its pyproject.toml (a release newer than
    nexrl-cfg knows is checked as the newest it knows)."""
    from nexrl_cfg.version import checkout_release, nearest

    found = checkout_release(root.resolve())
    version = nearest(found[0]) if found is not None else None
    if found is None or version is None or Path(found[1]).parent != root.resolve():
        raise pytest.UsageError(
            f"{CHECKOUT}={root}: not a NexRL checkout (no pyproject.toml of the nexrl project "
            "with a version of 1.0 or later at its top)"
        )
    return version


@cache
def nexrl_recipes() -> dict[str, Path]:
    """NexRL version -> the folder of NexRL's own recipes the real-recipe tests check."""
    given = os.environ.get(CHECKOUT)
    if given:
        root = Path(given).expanduser()
        return {checkout_version(root): root / "recipe"}
    return {v: SHARED / "corpus" / f"nexrl-v{v}" / "recipe" for v in CORPUS_VERSIONS}


def recipes_at(version: str) -> Path:
    """NexRL's recipes of `version`; the test is skipped, saying why, when there are none."""
    folder = nexrl_recipes().get(version)
    if folder is None:
        held = " and ".join(nexrl_recipes())
        where = f"the NexRL checkout {CHECKOUT} names" if os.environ.get(CHECKOUT) else "the corpus"
        pytest.skip(f"this test is about NexRL {version}'s recipes; {where} holds {held}'s")
    if not folder.is_dir():
        pytest.skip(
            f"NexRL's {version} recipes are not beside the project ({folder} is missing; "
            f"{CHECKOUT}=/path/to/NexRL runs these tests on a NexRL checkout)"
        )
    return folder


def pytest_report_header() -> str:
    where = ", ".join(f"{v}: {folder}" for v, folder in nexrl_recipes().items())
    return f"NexRL's recipes: {where}"


@pytest.fixture
def recipes() -> Path:
    """NexRL 1.0's own recipes."""
    return recipes_at("1.0")


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
