"""Suppression comments: on a line, for a whole file, through the configs that include a
fragment; an unused, unknown or garbled one is a note."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import check, rules, write

from nexrl_cfg.check import Checker, Settings
from nexrl_cfg.suppress import parse

BROKEN = """
service:
  inference_service:
    backend: sglan{line3}
  train_service:
    backend: nextrainer
    max_retry: 5{line6}
"""


def broken(tmp_path: Path, line3: str = "", line6: str = "", head: str = "") -> Path:
    return write(tmp_path, "run.yaml", head + BROKEN.format(line3=line3, line6=line6))


def test_unsuppressed_config_has_both_findings(tmp_path: Path) -> None:
    found = rules(check(broken(tmp_path)))
    assert "invalid-choice" in found
    assert "unknown-key" in found


def test_ignore_one_rule_on_its_line(tmp_path: Path) -> None:
    found = check(broken(tmp_path, line3="  # nexrl-cfg: ignore[invalid-choice]"))
    assert "invalid-choice" not in rules(found)
    assert "unknown-key" in rules(found)
    assert "unused-suppression" not in rules(found)


def test_ignore_list_and_bare_ignore(tmp_path: Path) -> None:
    found = check(
        broken(
            tmp_path,
            line3="  # nexrl-cfg: ignore[unknown-key, invalid-choice]",
            line6="  # nexrl-cfg: ignore",
        )
    )
    assert "invalid-choice" not in rules(found)
    assert "unknown-key" not in rules(found)
    # invalid-choice was used on line 3; unknown-key was not.
    unused = [f for f in found if f.rule == "unused-suppression"]
    assert [(f.line, f.severity.value) for f in unused] == [(3, "info")]
    assert "unknown-key" in unused[0].message


def test_suppression_on_another_line_does_not_apply(tmp_path: Path) -> None:
    found = check(broken(tmp_path, line6="  # nexrl-cfg: ignore[invalid-choice]"))
    assert "invalid-choice" in rules(found)
    unused = [f for f in found if f.rule == "unused-suppression"]
    assert [f.line for f in unused] == [6]


def test_ignore_file(tmp_path: Path) -> None:
    found = check(broken(tmp_path, head="# nexrl-cfg: ignore-file[unknown-key]\n"))
    assert "unknown-key" not in rules(found)
    assert "invalid-choice" in rules(found)
    assert "unused-suppression" not in rules(found)


def test_ignore_file_everything(tmp_path: Path) -> None:
    found = check(broken(tmp_path, head="# nexrl-cfg: ignore-file\n"))
    assert rules(found, "error") == []
    assert rules(found, "warning") == []


def test_unknown_rule_and_garbled_comment_are_noted(tmp_path: Path) -> None:
    found = check(
        broken(tmp_path, line3="  # nexrl-cfg: ignore[no-such-rule]", head="# nexrl-cfg: ignor\n")
    )
    notes = sorted((f.line, f.message) for f in found if f.rule == "unused-suppression")
    assert len(notes) == 2
    assert "not understood" in notes[0][1]
    assert "no-such-rule" in notes[1][1]
    assert "invalid-choice" in rules(found)


def test_text_inside_a_quoted_value_is_not_a_comment(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "run.yaml",
        """
        service:
          inference_service:
            backend: "sglan#nexrl-cfg: ignore"
        """,
    )
    assert "invalid-choice" in rules(check(path))


def test_fragment_suppression_applies_through_its_includers(tmp_path: Path) -> None:
    write(
        tmp_path,
        "common.yaml",
        """
        service:
          inference_service:
            backend: sglan  # nexrl-cfg: ignore[invalid-choice]
            max_tokens: 10  # nexrl-cfg: ignore[out-of-range]
        """,
    )
    entry = write(
        tmp_path,
        "run.yaml",
        """
        defaults:
          - common
          - _self_
        service:
          train_service:
            backend: nextrainer
        """,
    )
    # Checked through the entry: suppressed, and the fragment's unused comment is not judged
    # (other configs may include it).
    assert "invalid-choice" not in rules(check(entry))
    assert "unused-suppression" not in rules(check(entry))
    # Checked itself, through every includer: the unused comment is noted.
    found = check(tmp_path / "common.yaml")
    assert "invalid-choice" not in rules(found)
    assert [f.line for f in found if f.rule == "unused-suppression"] == [4]
    # Without the comment the finding is there.
    common = tmp_path / "common.yaml"
    common.write_text(common.read_text().replace("# nexrl-cfg: ignore[invalid-choice]", ""))
    assert "invalid-choice" in rules(check(entry))


def test_select_and_suppression_together(tmp_path: Path) -> None:
    path = broken(tmp_path, line3="  # nexrl-cfg: ignore[invalid-choice]")
    found = check(path, select=frozenset({"unknown-key"}))
    assert rules(found) == ["unknown-key"]


def test_parse_forms() -> None:
    lines = [
        "a: 1  # nexrl-cfg: ignore[x, y]",
        "# nexrl-cfg: ignore-file",
        "b: 2 # nexrl-cfg:ignore because reasons",
        "c: 3  # nexrl-cfg: ignore[]",
        "d: x#nexrl-cfg: ignore",
    ]
    found = parse(lines, "f.yaml")
    assert [(d.span.line, d.whole_file, d.rules, d.problem) for d in found] == [
        (1, False, frozenset({"x", "y"}), ""),
        (2, True, None, ""),
        (3, False, None, ""),
        (4, False, frozenset(), "names no rule"),
    ]


def test_one_file_spelt_two_ways_is_one_set_of_comments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = broken(tmp_path, line3="  # nexrl-cfg: ignore[invalid-choice]")
    monkeypatch.chdir(tmp_path)
    checker = Checker(Settings(environ={}))
    relative = checker.check_file("run.yaml").findings
    absolute = checker.check_file(path).findings
    for found in (relative, absolute):
        assert "invalid-choice" not in rules(found)
        assert "unused-suppression" not in rules(found)
