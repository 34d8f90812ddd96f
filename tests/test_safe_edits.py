"""Edits that never damage a file: each kind of YAML a fix may meet is either edited correctly
(anchors, tags and comments kept) or not fixed; every write is verified first (the net), a fix
that would make a config worse is not made, fixing again changes nothing, and N edits cost one
pass over the text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import SAMPLES
from typer.testing import CliRunner

from nexrl_cfg import app as application
from nexrl_cfg.app import CheckRequest
from nexrl_cfg.cli import app
from nexrl_cfg.finding import Edit
from nexrl_cfg.fix import edits
from nexrl_cfg.read import read_text

BASE = (SAMPLES / "valid" / "self_hosted_dev.yaml").read_text(encoding="utf-8")
V = "1.0"


def config(
    tmp_path: Path, *changes: tuple[str, str], text: str = BASE, name: str = "run.yaml"
) -> Path:
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def run(path: Path, *extra: str, version: str = V) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        app,
        ["check", "--nexrl-version", version, "--fix", *extra, str(path)],
        env={"NO_COLOR": "1"},
    )
    return result.exit_code, result.stdout, result.stderr


def loaded(path: Path) -> object:
    return yaml.safe_load(path.read_bytes().decode("utf-8-sig"))


def inference(path: Path) -> dict[str, object]:
    data = loaded(path)
    assert isinstance(data, dict)
    return data["service"]["inference_service"]  # type: ignore[no-any-return]


TYPO = ("    backend: sglang\n", "    backend: sglnag\n")


# -- block scalars ------------------------------------------------------------------------------
@pytest.mark.parametrize("header", ["|", "|-", ">", ">-", "|2", "|  # the backend", "|-\n"])
def test_a_block_scalar_value_is_made_one_line_and_the_next_key_stays(
    tmp_path: Path, header: str
) -> None:
    # Before: the edit swallowed the block's line break: `backend: sglang    max_retries: 1`.
    path = config(tmp_path, ("    backend: sglang\n", f"    backend: {header}\n      sglnag\n"))
    run(path)
    text = path.read_text(encoding="utf-8")
    comment = "  # the backend" if "#" in header else ""
    assert f"    backend: sglang{comment}\n    max_retries: 1\n" in text
    assert inference(path)["backend"] == "sglang"
    assert inference(path)["max_retries"] == 1


@pytest.mark.parametrize("header", ["|+", ">+"])
def test_a_block_scalar_that_keeps_its_line_breaks_is_left_alone(
    tmp_path: Path, header: str
) -> None:
    # Its value ends in line breaks: no allowed value is a typo away, nothing is written.
    path = config(tmp_path, ("    backend: sglang\n", f"    backend: {header}\n      sglnag\n\n"))
    before = path.read_bytes()
    run(path)
    assert path.read_bytes() == before


def test_a_fix_next_to_a_block_scalar_keeps_both_lines(tmp_path: Path) -> None:
    path = config(
        tmp_path,
        ('    model: "debug-model"\n', "    model: |-\n      debug-model\n"),
        TYPO,
        ("    max_retries: 1\n", "    max_retires: 1\n"),
    )
    run(path)
    text = path.read_text(encoding="utf-8")
    assert "    model: |-\n      debug-model\n    backend: sglang\n    max_retries: 1\n" in text


def test_the_first_key_of_a_section_is_found_where_its_section_starts(tmp_path: Path) -> None:
    # A section's value starts where its first key does: both are looked up by their side.
    path = config(
        tmp_path, ('    model_tag: "default"\n    api_key', '    model_tga: "default"\n    api_key')
    )
    run(path)
    assert '    model_tag: "default"\n    api_key' in path.read_text(encoding="utf-8")


# -- line breaks ------------------------------------------------------------------------------
@pytest.mark.parametrize("brk", ["\u2028", "\u2029", "\x85"])
def test_a_comment_ending_in_a_yaml_line_break_does_not_shift_later_edits(
    tmp_path: Path, brk: str
) -> None:
    # Before: every later edit landed one line early, and the file no longer parsed.
    first = "# Self-hosted development: one GPU, local SGLang and NexTrainer servers.\n"
    path = config(
        tmp_path,
        (first, f"# Self-hosted development{brk}\n"),
        TYPO,
        ("    max_retries: 1\n", "    max_retires: 1\n"),
    )
    before = path.read_text(encoding="utf-8")
    run(path)
    after = path.read_text(encoding="utf-8")
    assert after == before.replace("sglnag", "sglang").replace("max_retires", "max_retries")


def test_reports_place_a_fix_where_the_finding_is(tmp_path: Path) -> None:
    # Lines and columns of a fix come from the parser's marks, as the finding's do: after a
    # comment ending in U+2028 both count one line more than a count of "\n" would.
    first = "# Self-hosted development: one GPU, local SGLang and NexTrainer servers.\n"
    path = config(tmp_path, (first, "# Self-hosted development\u2028\n"), TYPO)
    result = CliRunner().invoke(
        app, ["check", "--nexrl-version", V, "-f", "json", str(path)], env={"NO_COLOR": "1"}
    )
    (finding,) = json.loads(result.stdout)["findings"]
    (fix,) = finding["fixes"]
    assert (fix["line"], fix["column"]) == (finding["line"], finding["column"])
    written_at = BASE[: BASE.index("    backend: sglang")].count("\n") + 1
    assert fix["line"] == written_at + 1


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_files_keep_their_line_breaks(tmp_path: Path, newline: str) -> None:
    text = BASE.replace(*TYPO).replace("\n", newline)
    path = tmp_path / "run.yaml"
    path.write_bytes(text.encode("utf-8"))
    run(path)
    assert path.read_bytes() == text.replace("sglnag", "sglang").encode("utf-8")


def test_a_byte_order_mark_is_kept(tmp_path: Path) -> None:
    text = BASE.replace(*TYPO)
    path = tmp_path / "run.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    run(path)
    assert path.read_bytes() == b"\xef\xbb\xbf" + text.replace("sglnag", "sglang").encode()


# -- anchors, aliases, tags -----------------------------------------------------------------------
def test_an_anchored_value_keeps_its_anchor_and_its_alias_follows(tmp_path: Path) -> None:
    # Before: `&b` was replaced with the value, and `*b` below no longer parsed.
    path = config(
        tmp_path,
        ("    backend: sglang\n", "    backend: &b sglnag\n"),
        ("logger:\n", "run_note: *b\nlogger:\n"),
    )
    run(path)
    assert "    backend: &b sglang\n" in path.read_text(encoding="utf-8")
    data = loaded(path)
    assert isinstance(data, dict) and data["run_note"] == "sglang"


# -- what stands around the text a fix replaces stays ------------------------------------------
IN_PLACE = {
    "tag": ("    backend: !!str sglnag\n", "    backend: !!str sglang\n"),
    "anchored-key": ("    &k max_retires: 1\n", "    &k max_retries: 1\n"),
    "comments": (
        "    # which\n    backend: sglnag  # here\n",
        "    # which\n    backend: sglang  # here\n",
    ),
    "tab": ("    backend:\tsglnag\n", "    backend:\tsglang\n"),
    "single-quotes": ("    backend: 'sglnag'\n", "    backend: 'sglang'\n"),
    "double-quotes": ('    backend: "sglnag"\n', '    backend: "sglang"\n'),
}


@pytest.mark.parametrize(("written", "fixed"), IN_PLACE.values(), ids=IN_PLACE)
def test_only_the_text_of_the_value_is_replaced(tmp_path: Path, written: str, fixed: str) -> None:
    old = "    max_retries: 1\n" if "max_retires" in written else "    backend: sglang\n"
    path = config(tmp_path, (old, written))
    run(path)
    assert fixed in path.read_text(encoding="utf-8")


def test_a_flow_mapping_is_edited_in_place(tmp_path: Path) -> None:
    path = config(tmp_path, ("logger:\n  backend: console\n", "logger: {backend: consle}\n"))
    run(path)
    assert "logger: {backend: console}\n" in path.read_text(encoding="utf-8")


def test_a_reference_written_into_a_flow_mapping_is_quoted(tmp_path: Path) -> None:
    path = config(
        tmp_path,
        ("weight:\n", "weight: {sync_weight_path: /tmp/w}\nweight_old:\n"),
        ("  sync_weight_path: ${trainer.sync_weight_path}\n", ""),
    )
    run(path)
    text = path.read_text(encoding="utf-8")
    assert 'weight: {sync_weight_path: "${trainer.sync_weight_path}"}\n' in text


def test_an_explicit_key_is_renamed(tmp_path: Path) -> None:
    path = config(tmp_path, ("    max_retries: 1\n", "    ? max_retires\n    : 1\n"))
    run(path)
    assert "    ? max_retries\n    : 1\n" in path.read_text(encoding="utf-8")
    assert inference(path)["max_retries"] == 1


@pytest.mark.parametrize(
    "written",
    [
        "    backend:\n      sglnag\n",
        '    backend: "sgl\n      nag"\n',
        "    backend: sgl\n      nag\n",
    ],
)
def test_a_value_over_several_lines_is_replaced_whole(tmp_path: Path, written: str) -> None:
    path = config(tmp_path, ("    backend: sglang\n", written))
    run(path)
    assert inference(path)["backend"] == "sglang"
    assert inference(path)["max_retries"] == 1


# -- the net ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda e: e._replace(start=e.start - 1), id="one-character-early"),
        pytest.param(lambda e: e._replace(end=e.end + 1), id="swallows-the-line-break"),
        pytest.param(lambda e: e._replace(text=e.text + " x"), id="other-text"),
        pytest.param(lambda e: e._replace(text='"' + e.text), id="does-not-parse"),
        pytest.param(lambda e: e._replace(text="1"), id="another-type"),
    ],
)
def test_a_wrong_edit_is_caught_and_the_file_left_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: object
) -> None:
    made = edits._edit

    def broken(*args: object) -> Edit:
        return damage(made(*args))  # type: ignore[operator,arg-type]

    monkeypatch.setattr(edits, "_edit", broken)
    path = config(tmp_path, TYPO)
    before = path.read_bytes()
    _, _, err = run(path)
    assert path.read_bytes() == before
    assert "not fixed: " in err and "invalid-choice" in err
    assert "fixed " + str(path) not in err


def test_a_fix_that_would_change_another_value_is_not_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An edit that lands on the wrong key (the one after it) changes a value nobody meant to.
    made = edits._edit

    def wrong_place(tree: edits.Tree, start: int, end: int, text: str) -> Edit:
        later = tree.text.index("1", end)
        return made(tree, later, later + 1, "2")

    monkeypatch.setattr(edits, "_edit", wrong_place)
    path = config(tmp_path, TYPO)
    before = path.read_bytes()
    _, _, err = run(path)
    assert path.read_bytes() == before
    assert "would also change service.inference_service.max_retries" in err


def test_a_fix_that_adds_an_error_is_not_made(tmp_path: Path) -> None:
    # Renamed, the value of `max_retires` would be read, and it is no number.
    path = config(tmp_path, ("    max_retries: 1\n", '    max_retires: "many"\n'))
    before = path.read_bytes()
    _, _, err = run(path)
    assert path.read_bytes() == before
    assert "would add an error" in err and "max_retries" in err


def test_a_fix_that_breaks_another_config_sharing_the_file_is_not_made(tmp_path: Path) -> None:
    # Renamed in common.yaml, max_prompt_length no longer fits the second config's sequence.
    common = config(
        tmp_path,
        (
            "  max_prompt_length: 1024\n  max_response_length",
            "  max_prompt_lenght: 1024\n  max_response_length",
        ),
        text=(SAMPLES / "valid" / "self_hosted_dev_1_4.yaml").read_text(encoding="utf-8"),
        name="common.yaml",
    )
    first = tmp_path / "first.yaml"
    first.write_text("defaults:\n  - common\n  - _self_\n\nexperiment_name: first\n")
    second = tmp_path / "second.yaml"
    second.write_text(
        "defaults:\n  - common\n  - _self_\n\nrollout_worker:\n  max_sequence_length: 2048\n"
    )
    before = common.read_bytes()
    _, _, err = run(first, str(common), version="1.4")
    assert common.read_bytes() == before
    assert "second.yaml (max-sequence-length at rollout_worker.max_sequence_length)" in err
    second.unlink()
    run(first, str(common), version="1.4")
    assert b"  max_prompt_length: 1024\n" in common.read_bytes()


def test_a_typo_of_a_name_another_fix_renames_away_is_fixed_to_the_new_name(
    tmp_path: Path,
) -> None:
    # NexRL 1.2 renamed model_tag to identifier: a misspelt model_tag is fixed to identifier,
    # never to model_tag (which the deprecation's fix would rename, or leave beside it).
    text = BASE.replace(
        '    model_tag: "default"\n    api_key', '    model_tga: "default"\n    api_key', 1
    )
    path = config(tmp_path, text=text)
    run(path, version="1.4")
    after = path.read_text(encoding="utf-8")
    assert '    identifier: "default"\n    api_key' in after
    assert "model_tag" not in after.split("train_service")[0]


def test_a_fix_another_fix_would_undo_is_not_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A rule whose fix flips the logger's backend between two names: each fix undoes the
    # other, so neither is made, and fixing again changes nothing either.
    from nexrl_cfg import rules
    from nexrl_cfg.finding import Severity
    from nexrl_cfg.fix.library import literal

    flips = {"console": "wandb", "wandb": "console"}
    key = "logger.backend"

    def check(cfg: Any) -> Iterator[Any]:
        if cfg.get(key) in flips:
            yield cfg.report("flip it", key)

    def fix(cfg: Any, report: Any, files: Any) -> Any:
        found = literal(cfg, files, report.key)
        return None if found is None else found.replaced(flips[found.text])

    flip = rules.Rule("flip", Severity.WARNING, "flips", "lint", "", check, fix=fix)
    real = rules.all_rules()
    monkeypatch.setattr(rules, "all_rules", lambda: (*real, flip))
    path = config(tmp_path)
    before = path.read_bytes()
    _, _, err = run(path)
    assert path.read_bytes() == before
    assert "the fix of flip at logger.backend would undo it" in err
    run(path)
    assert path.read_bytes() == before


def test_fixing_again_changes_nothing(tmp_path: Path) -> None:
    path = config(
        tmp_path,
        TYPO,
        ("    max_retries: 1\n", "    max_retires: 1\n"),
        ("  backend: console", "  backend: consle"),
    )
    run(path)
    once = path.read_bytes()
    assert b"sglnag" not in once and b"max_retires" not in once and b"consle" not in once
    run(path)
    assert path.read_bytes() == once


def test_diff_shows_what_fix_writes(tmp_path: Path) -> None:
    # Renamed, need_llm_inference would be read, and "maybe" is no boolean: not fixed.
    path = config(
        tmp_path, TYPO, ("  need_llm_inference: true\n", '  need_llm_infrence: "maybe"\n')
    )
    before = path.read_bytes()
    result = CliRunner().invoke(
        app, ["check", "--nexrl-version", V, "--diff", str(path)], env={"NO_COLOR": "1"}
    )
    assert path.read_bytes() == before
    assert "+    backend: sglang\n" in result.stdout and "need_llm" not in result.stdout
    assert "not fixed: " in result.stderr and "need_llm_inference" in result.stderr
    run(path)
    assert path.read_bytes() == before.replace(b"sglnag", b"sglang")
    fixes = application.fix(CheckRequest([str(path)], {"nexrl_version": V}))
    assert fixes.diff() == ""


# -- bounded work -------------------------------------------------------------------------------
class Counting(str):
    """A text that counts the characters copied out of it by slicing."""

    copied = 0

    def __getitem__(self, index: object) -> str:  # type: ignore[override]
        part = str.__getitem__(self, index)  # type: ignore[index]
        Counting.copied += len(part)
        return part


@pytest.mark.parametrize("count", [1_000, 10_000])
def test_edits_are_made_in_one_pass(count: int) -> None:
    text = "".join(f"key_{i}: value_{i}\n" for i in range(count))
    tree = edits.Tree.parse("big.yaml", text)
    made = [
        edits.edit(tree, value, f"fixed_{i}") for i, (_, value) in enumerate(tree.pairs.values())
    ]
    assert all(made)
    Counting.copied = 0
    new = edits.apply(Counting(text), [e for e in made if e is not None])
    # Each character of the text is copied once: no edit re-reads what came before it.
    assert Counting.copied <= len(text)
    assert new == "".join(f"key_{i}: fixed_{i}\n" for i in range(count))


def test_many_fixes_of_one_file_cost_one_trial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nexrl_cfg.fix import verify

    trials = []
    real = verify.Net.trial

    def counted(self: verify.Net, *args: object) -> verify.Trial:
        trials.append(1)
        return real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(verify.Net, "trial", counted)
    names = ["max_retries", "base_url", "model", "tokenizer", "weight_type"]
    changes = [(f"    {n}:", f"    {n[:-2] + n[-1] + n[-2]}:") for n in names]
    path = config(tmp_path, TYPO, *changes)
    run(path)
    assert inference(path)["backend"] == "sglang"
    assert set(names) <= set(inference(path))
    # Round one makes the six fixes in one trial; round two finds nothing more to fix.
    assert len(trials) == 1


def test_a_file_with_two_documents_gets_no_edit() -> None:
    tree = edits.Tree.parse("two.yaml", "a: 1\n---\nb: 2\n")
    assert not tree.ok


def test_positions_count_yaml_line_breaks() -> None:
    text = "# a\u2028\nkey: x\r\nother: y\rlast: z\n"
    lines = edits.Lines(text)
    doc = read_text(text, "t.yaml")
    for key in ("key", "other", "last"):
        span = doc.origins[(key,)][0]
        assert span is not None
        assert lines.position(lines.offset(span.line, span.column)) == (span.line, span.column)
        assert text[lines.offset(span.line, span.column) :].startswith(key)


@pytest.mark.parametrize(
    "old",
    [
        "service:\n  api_key: sk-live-1234\n  url: http://a\n",
        "service:\n  api_key: 'sk-live-1234\n  url: http://a\n",  # does not parse: scanned
        "a: 1\n---\nb: 2\napi_key: sk-live-1234\n",  # several documents: scanned
    ],
)
def test_a_diff_of_texts_already_read_is_the_diff_of_texts_read_again(old: str) -> None:
    """A diff handed the documents of its texts masks the same secrets, line for line."""
    new = old.replace("api_key", "seed: 1\n  api_key", 1)
    parsed = {text: read_text(text, "run.yaml") for text in (old, new)}
    again = edits.diff("run.yaml", old, new)
    assert edits.diff("run.yaml", old, new, parsed=parsed) == again
    assert "sk-live-1234" not in again and again
    assert parsed[old].text == old  # what was handed in is not changed


def test_a_secret_past_where_the_scanner_stops_is_redacted_in_every_line_shown() -> None:
    """A file of several documents is read by the scanner for its secrets; a later document
    that does not scan still has its secret values redacted, line by line."""
    text = "a: 1\n---\nb: 2\nseed: 1\n  api_key: sk-live-1234\n"
    doc = read_text(text, "run.yaml")
    shown = [doc.redact_line(n, line) for n, line in enumerate(doc.lines, 1)]
    assert shown[-1] == "  api_key: <redacted>" and "sk-live" not in "".join(shown)
