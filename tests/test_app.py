"""The application layer: a check as one call, a request in and an outcome out, the same for
the command line and any other front end."""

from __future__ import annotations

from pathlib import Path

import pytest
from configs import BASE, edit
from helpers import write

from nexrl_cfg import app
from nexrl_cfg.app import CheckRequest, Failed
from nexrl_cfg.check import Checker, Settings

V10 = {"nexrl_version": "1.0"}
# A key NexRL does not read: one warning, with a safe fix (the key it was meant to be).
TYPO = "      enable_memory_tracin: true\n"
MISSPELT = edit(BASE, "      ppo_micro_batch_size: 2\n", "      ppo_micro_batch_size: 2\n" + TYPO)


@pytest.fixture(autouse=True)
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def request(*paths: str, **settings: object) -> CheckRequest:
    return CheckRequest(paths, {**V10, **settings})


def test_a_check_is_one_call() -> None:
    write(Path(), "configs/good.yaml", BASE)
    write(Path(), "configs/bad.yaml", MISSPELT)
    outcome = app.check(request("configs"))
    assert outcome.files == 2
    assert [(Path(f.file).name, f.rule) for f in outcome.findings] == [("bad.yaml", "unknown-key")]
    assert outcome.targets == [("1.0", "--nexrl-version")]
    assert (outcome.exit_code, outcome.reason) == (app.EXIT_OK, "")
    (finding,) = outcome.findings
    assert "enable_memory_tracin" in (outcome.source_line(finding.file, finding.line) or "")


def test_the_exit_code_follows_the_settings_of_each_file() -> None:
    write(Path(), "strict/run.yaml", MISSPELT)
    write(Path(), "strict/pyproject.toml", "[tool.nexrl-cfg]\nstrict = true\n")
    write(Path(), "lax/run.yaml", MISSPELT)
    assert app.check(request("lax")).exit_code == app.EXIT_OK
    assert app.check(request("strict")).exit_code == app.EXIT_FINDINGS
    assert app.check(request("strict", strict=False)).exit_code == app.EXIT_OK
    exit_zero = CheckRequest(("strict",), V10, exit_zero=True)
    assert app.check(exit_zero).exit_code == app.EXIT_OK


def test_what_stops_a_check_is_one_line() -> None:
    write(Path(), "empty/notes.txt", "")
    for given, message in (
        (request("missing.yaml"), "path not found: missing.yaml"),
        (request("empty"), "no YAML files (*.yaml, *.yml) found in empty"),
        (request("empty", nexrl_version="0.9"), "unknown NexRL version '0.9'"),
        (request("empty", select="no-such-rule"), "unknown rule id: no-such-rule"),
        (CheckRequest(("empty",), config="nowhere.toml"), "settings file not found"),
    ):
        with pytest.raises(Failed, match=r"^[^\n]*$") as failed:
            app.check(given)
        assert message in str(failed.value)


def test_a_fragment_is_reported_once_whoever_includes_it() -> None:
    write(Path(), "recipe/common.yaml", "trainer:\n  total_train_step: -1\n")
    for name in ("a", "b"):
        write(Path(), f"recipe/{name}.yaml", f"defaults:\n  - common\n  - _self_\n{BASE}")
    outcome = app.check(request("recipe/a.yaml", "recipe/b.yaml", "recipe/common.yaml"))
    in_common = [f for f in outcome.findings if f.file.endswith("common.yaml")]
    assert in_common and len(in_common) == len(set(in_common))
    # The checker alone: the same, file by file.
    checker = Checker(Settings(environ={}, nexrl_version="1.0"))
    results = list(checker.check_files((Path(f"recipe/{n}.yaml"), True) for n in "ab"))
    assert results[0].findings and not [f for f in results[1].findings if f in in_common]


def test_stdin_is_read_once_and_only_when_named() -> None:
    write(Path(), "configs/run.yaml", MISSPELT)
    reads: list[int] = []

    def stdin() -> bytes:
        reads.append(1)
        return MISSPELT.encode()

    named = CheckRequest(("-",), V10, stdin=stdin, stdin_name="configs/piped.yaml")
    (finding,) = app.check(named).findings
    assert finding.file == "configs/piped.yaml" and reads == [1]
    app.check(CheckRequest(("configs",), V10, stdin=stdin))
    assert reads == [1]


def test_fix_and_diff() -> None:
    path = write(Path(), "run.yaml", MISSPELT)
    diff = app.diff(request("run.yaml"))
    assert "-      enable_memory_tracin: true" in diff and path.read_text() == MISSPELT
    fixes = app.fix(request("run.yaml"))
    assert fixes.diff() == diff and path.read_text() == MISSPELT
    assert app.write_fixes(fixes) == [path]
    assert TYPO not in path.read_text()
    assert app.check(request("run.yaml")).findings == []
    assert app.write_fixes(app.fix(request("run.yaml"))) == []


def test_secrets_are_masked_once_every_file_is_read() -> None:
    secret = "sk-live-0123456789abcdef"
    # The literal is a secret of the second file only; the first quotes it.
    first = edit(BASE, 'launch_mode: "local"', f'launch_mode: "{secret}"')
    write(Path(), "a/first.yaml", first)
    write(Path(), "b/second.yaml", edit(BASE, 'api_key: "EMPTY"', f'api_key: "{secret}"'))
    outcome = app.check(request("a/first.yaml", "b/second.yaml"))
    quoting = [f for f in outcome.findings if f.file.endswith("first.yaml")]
    assert quoting
    for f in quoting:
        assert secret not in f.message + f.hint
        assert secret not in (outcome.source_line(f.file, f.line) or "")
    # The checker itself leaves masking to the outcome, so that a fix writes the real text.
    raw = Checker(Settings(environ={}, nexrl_version="1.0")).check_file("a/first.yaml")
    assert any(secret in (f.message + f.hint) for f in raw.findings)


def test_the_library_call_masks_secrets_too() -> None:
    secret = "sk-live-0123456789abcdef"
    text = edit(BASE, 'api_key: "EMPTY"', f'api_key: "{secret}"')
    path = write(Path(), "run.yaml", edit(text, 'launch_mode: "local"', f'launch_mode: "{secret}"'))
    found = app.check_file(path, Settings(environ={}, nexrl_version="1.0"))
    assert found and not any(secret in f.message + f.hint for f in found)


def test_resolve_migrate_explain_schema() -> None:
    write(Path(), "run.yaml", BASE)
    rendered = app.resolve("run.yaml")
    assert "project_name: nexrl-test" in rendered.text and rendered.exit_code == app.EXIT_OK
    with pytest.raises(Failed, match=r"path not found: nowhere\.yaml"):
        app.resolve("nowhere.yaml")
    assert app.migrate(["run.yaml"], "1.2").problems  # a GPU count it cannot derive
    with pytest.raises(Failed, match=r"nothing to migrate to for NexRL 1\.1"):
        app.migrate(["run.yaml"], "1.1")
    assert "max-tokens-match" in app.explain(None)
    with pytest.raises(Failed, match="Did you mean"):
        app.explain("max-token-match")
    assert '"$schema"' in app.schema("1.2")
    with pytest.raises(Failed, match="unknown NexRL version '5'"):
        app.schema("5")
