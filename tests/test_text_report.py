"""The text report as a user meets it: quiet by default (errors, then warnings; the notes one
line of the summary), the errors on the first screen, counts that say what was checked and
what was skipped, and `--statistics` that agree with the JSON report."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import PROJECT_RECIPES, recipes_at
from helpers import write
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from nexrl_cfg.cli import app

# What a terminal shows before it scrolls.
SCREEN = 24
_HEAD = re.compile(r"^\S.*:\d+:\d+: (error|warning|info) \[([a-z-]+)\]")


@pytest.fixture(autouse=True)
def laptop(clean_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No NexRL variable set, no colour asked for, and back in the working folder after."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.chdir(tmp_path)


def cli(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def heads(text: str) -> list[tuple[int, str, str]]:
    """(line index, severity, rule) of each finding's first line."""
    return [
        (i, m.group(1), m.group(2))
        for i, line in enumerate(text.splitlines())
        if (m := _HEAD.match(line))
    ]


def assert_errors_on_first_screen(folder: Path) -> list[tuple[int, str, str]]:
    os.chdir(folder)
    result = cli("check", ".")
    assert result.exit_code == 1, result.output
    shown = heads(result.stdout)
    errors = [h for h in shown if h[1] == "error"]
    assert errors, result.stdout
    # The report starts with an error, and the first screen holds errors only.
    assert shown[0][0] == 0 and shown[0][1] == "error", result.stdout[:2000]
    assert all(severity == "error" for i, severity, _ in shown if i < SCREEN)
    assert len([h for h in shown if h[0] < SCREEN]) >= min(2, len(errors))
    # Errors before every warning; no note listed.
    assert max(i for i, *_ in errors) < min(
        (i for i, s, _ in shown if s != "error"), default=1 << 30
    )
    assert not [h for h in shown if h[1] == "info"]
    # Every error of the JSON report is listed, and the summary counts errors first.
    document = json.loads(cli("check", "--format", "json", ".").stdout)
    expected = Counter(f["rule"] for f in document["findings"] if f["severity"] == "error")
    assert Counter(rule for _, _, rule in errors) == expected
    summary = result.stdout.split("\n\n")[-1]
    found = summary.index("Found ")
    assert found < summary.index("notes not shown"), summary
    return shown


def test_nexrl_14_recipes_show_their_errors_on_the_first_screen() -> None:
    folder = recipes_at("1.4")
    shown = assert_errors_on_first_screen(folder)
    # Far from the 600 lines of one note per key NexRL's recipes write and no version reads.
    assert len(shown) < 20


def test_the_project_shows_its_errors_on_the_first_screen(tmp_path: Path) -> None:
    # The project's recipes warn in several families; errors made in the last file of the
    # folder (by name) still open the report.
    project = tmp_path / "recipe"
    shutil.copytree(PROJECT_RECIPES, project)
    last = project / "pig_latin" / "tinker.yaml"
    text = last.read_text(encoding="utf-8")
    text = text.replace(
        "    backend: tinker\n    max_retries", "    backend: tinkr\n    max_retries"
    )
    text = text.replace('type: "remote_api_cross_entropy"', 'type: "remote_api_cross_entropi"')
    last.write_text(text, encoding="utf-8")
    shown = assert_errors_on_first_screen(project)
    assert "invalid-choice" in {rule for _, severity, rule in shown if severity == "error"}
    assert [h for h in shown if h[1] == "warning"], "the project's warnings come after"


def test_show_notes_lists_the_notes_after_the_warnings(tmp_path: Path) -> None:
    shutil.copytree(PROJECT_RECIPES, tmp_path / "recipe")
    os.chdir(tmp_path)
    quiet = cli("check", "recipe").stdout
    assert "--show-notes lists them." in " ".join(quiet.split())
    listed = cli("check", "--show-notes", "recipe").stdout
    severities = [s for _, s, _ in heads(listed)]
    assert "info" in severities
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    assert "notes not shown" not in listed
    notes = json.loads(cli("check", "--format", "json", "recipe").stdout)["summary"]["infos"]
    assert f"{notes} notes not shown" in " ".join(quiet.split())


# -- counts -----------------------------------------------------------------------------------
CONFIG = """
service:
  inference_service:
    backend: sglang
rollout_worker:
  type: nexau
"""


def test_the_counts_say_checked_and_skipped(tmp_path: Path) -> None:
    os.chdir(tmp_path)
    shutil.copytree(PROJECT_RECIPES / "math", tmp_path / "recipe")
    write(tmp_path, "recipe/deploy.yaml", "apiVersion: v1\nkind: ConfigMap\n")
    outside = write(tmp_path, "elsewhere/run.yaml", CONFIG)
    (tmp_path / "recipe" / "link.yaml").symlink_to(outside)
    entries = len(list((tmp_path / "recipe").glob("*.yaml"))) - 2
    summary = json.loads(cli("check", "--format", "json", "recipe").stdout)["summary"]
    assert (summary["files"], summary["checked"], summary["skipped"]) == (entries + 2, entries, 2)
    text = " ".join(cli("check", "recipe").stdout.split())
    assert f"({entries} checked, 2 skipped)" in text
    assert "2 skipped files" in text
    # A clean run too.
    clean = " ".join(
        cli("check", "--ignore", "deprecated,nextrainer-no-effect", "recipe").stdout.split()
    )
    assert f"All checks passed ({entries} files checked, 2 skipped)." in clean


# -- --statistics -----------------------------------------------------------------------------
def statistics(*args: str) -> tuple[dict[str, int], dict[str, int]]:
    text = cli("check", "--statistics", *args).stdout
    rows = [line.split() for line in text.splitlines()]
    as_text = {row[1]: int(row[0]) for row in rows}
    as_json = json.loads(cli("check", "--statistics", "--format", "json", *args).stdout or "[]")
    return as_text, {row["code"]: row["count"] for row in as_json}


@pytest.mark.parametrize("flags", [(), ("--quiet",), ("--show-notes",)])
def test_statistics_agree_between_text_and_json(tmp_path: Path, flags: tuple[str, ...]) -> None:
    shutil.copytree(PROJECT_RECIPES, tmp_path / "recipe")
    os.chdir(tmp_path)
    as_text, as_json = statistics(*flags, "recipe")
    assert as_text == as_json
    # They count what the JSON report lists: notes too, unless --quiet.
    findings = json.loads(cli("check", "--format", "json", *flags, "recipe").stdout)["findings"]
    assert as_json == dict(Counter(f["rule"] for f in findings))
    assert ("env-unset" in as_json) is (flags != ("--quiet",))


def test_statistics_agree_on_nexrl_14_recipes() -> None:
    os.chdir(recipes_at("1.4"))
    as_text, as_json = statistics(".")
    assert as_text == as_json
    assert as_json["not-nexrl"] >= 1 and as_json["env-unset"] >= 1


def test_a_check_tells_its_progress_file_by_file(tmp_path: Path) -> None:
    from nexrl_cfg import app as application

    for index in range(3):
        write(tmp_path, f"c{index}/run.yaml", "data:\n  max_response_length: 8\n")
    calls: list[tuple[int, int]] = []
    request = application.CheckRequest(
        [str(tmp_path)], {"nexrl_version": "1.4"}, progress=lambda *c: calls.append(c)
    )
    application.check(request)
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_the_progress_line_waits_a_second_and_is_cleared(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io
    import sys

    from nexrl_cfg import cli as command

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    monkeypatch.setattr(sys, "stderr", stream)
    progress = command._Progress.on_terminal()
    assert progress is not None
    now = iter([0.5, 1.2, 1.25, 1.4]).__next__
    progress._clock = now
    progress._next = 1.0
    progress(1, 9)  # within the first second: nothing
    progress(2, 9)
    progress(3, 9)  # within a tenth of a second of the last line: nothing
    progress(4, 9)
    progress.clear()
    assert stream.getvalue() == (
        "\rnexrl-cfg: 2/9 files checked\rnexrl-cfg: 4/9 files checked\r\x1b[K"
    )
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert command._Progress.on_terminal() is None


# Words as a report's text holds them: printable (control characters are shown escaped).
_WORDS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=" "),
    min_size=1,
    max_size=40,
)


@settings(max_examples=500, deadline=None)
@given(
    words=st.lists(_WORDS, min_size=1, max_size=30),
    width=st.integers(10, 120),
    first=st.sampled_from(["", "  ", "   = hint: "]),
    rest=st.sampled_from(["", "  ", "           "]),
)
def test_messages_wrap_as_textwrap_wraps_them(
    words: list[str], width: int, first: str, rest: str
) -> None:
    """The report's own wrapping of words with one space between them gives what textwrap
    gives (any other text goes to textwrap itself)."""
    from nexrl_cfg.report.text_format import _textwrap, _wrap

    text = " ".join(words)
    assert _wrap(text, width, first, rest) == _textwrap(text, width, first, rest)


def _escaped_by_pattern(text: str) -> str:
    """`output.printable` by its patterns alone, without the shortcut for plain text."""
    from nexrl_cfg import output

    pattern = output._UNPRINTABLE_ASCII if text.isascii() else output._UNPRINTABLE
    text = pattern.sub(lambda m: output._escape(m.group()), text)
    return output._COMMAND.sub(lambda m: (m.group(1) or "") + output._escape(m.group()[-1]), text)


@given(
    st.lists(
        st.sampled_from(["::", "##", "##vso[", "##[", "#", ":", " ", "\t", "\x1b", "\x7f", "é"])
        | st.text(max_size=6),
        max_size=8,
    ).map("".join)
)
@settings(max_examples=3000)
def test_plain_text_is_shown_as_the_patterns_would_show_it(text: str) -> None:
    """A message with nothing to escape is shown as it is, at once; anything else as the
    patterns escape it."""
    from nexrl_cfg.output import printable

    assert printable(text) == _escaped_by_pattern(text)
