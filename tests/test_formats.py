"""The `check` command end to end: paths (files, folders, several of each), exit codes, and
each output format parsed back: GitHub workflow commands and SARIF 2.1.0. No format ever
prints a secret."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from configs import BASE, edit
from helpers import write
from typer.testing import CliRunner

from nexrl_cfg.cli import app
from nexrl_cfg.report.github_format import escape_data, escape_property

# A whole config that passes.
CLEAN = BASE

# An error in a fragment (reported through the config that includes it), an error and a
# warning in the entry config.
COMMON = """
service:
  inference_service:
    backend: sglan
"""
ENTRY = """
defaults:
  - common
  - _self_
service:
  inference_service:
    model: m
    max_tokens: "many"
    max_retry: 5
"""
K8S = """
apiVersion: v1
kind: ConfigMap
metadata:
  name: x
"""


def pinned(args: tuple[str, ...]) -> list[str]:
    """A check of the configs here, written in NexRL 1.0's shape, for NexRL 1.0."""
    if args[:1] == ("check",) and "--nexrl-version" not in args:
        return ["check", "--nexrl-version", "1.0", *args[1:]]
    return list(args)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, pinned(args))
    return result.exit_code, result.stdout, result.output


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with a broken recipe, a clean one, a foreign YAML and a hidden folder."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "recipes/broken, one/common.yaml", COMMON)
    write(tmp_path, "recipes/broken, one/run.yaml", ENTRY)
    write(tmp_path, "recipes/clean/run.yml", CLEAN)
    write(tmp_path, "deploy/configmap.yaml", K8S)
    write(tmp_path, "deploy/notes.txt", "not yaml: [")
    write(tmp_path, ".git/hidden.yaml", "key: [unclosed")
    return tmp_path


def json_findings(*args: str) -> tuple[int, list[dict[str, object]], dict[str, int]]:
    code, out, _ = invoke("check", "--format", "json", *args)
    document = json.loads(out)
    return code, document["findings"], document["summary"]


# -- paths and exit codes ---------------------------------------------------------------------
def test_clean_file_exits_0(tree: Path) -> None:
    code, findings, summary = json_findings("recipes/clean/run.yml")
    assert (code, findings, summary["files"]) == (0, [], 1)


def test_folder_is_searched_recursively_skipping_hidden_and_foreign(tree: Path) -> None:
    code, findings, summary = json_findings(".")
    assert code == 1
    # run.yaml, common.yaml, run.yml, configmap.yaml; not notes.txt, not .git/
    assert summary["files"] == 4
    files = {Path(str(f["file"])).name for f in findings}
    assert "hidden.yaml" not in files
    skipped = [f for f in findings if f["rule"] == "not-nexrl"]
    assert [Path(str(f["file"])).name for f in skipped] == ["configmap.yaml"]
    assert skipped[0]["severity"] == "info"


def test_several_files_and_folders(tree: Path) -> None:
    code, findings, summary = json_findings(
        "recipes/clean", "deploy/configmap.yaml", "recipes/broken, one/run.yaml"
    )
    assert code == 1
    assert summary["files"] == 3
    by_rule = {str(f["rule"]): Path(str(f["file"])).name for f in findings}
    assert by_rule["invalid-choice"] == "common.yaml"  # through the config including it
    assert by_rule["invalid-type"] == "run.yaml"
    assert by_rule["unknown-key"] == "run.yaml"


def test_foreign_yaml_alone_passes(tree: Path) -> None:
    code, findings, _ = json_findings("deploy")
    assert code == 0
    assert [f["rule"] for f in findings] == ["not-nexrl"]


def test_missing_path_exits_2(tree: Path) -> None:
    code, out, output = invoke("check", "recipes/clean", "no/such.yaml", "gone")
    assert code == 2
    assert out == ""
    assert "path not found: no/such.yaml, gone" in output


def test_unknown_format_exits_2(tree: Path) -> None:
    code, _, output = invoke("check", "--format", "xml", "recipes/clean")
    assert code == 2
    assert "'xml' is not one of" in output


def test_warnings_fail_only_with_strict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        "run.yaml",
        edit(CLEAN, "    max_retries: 3\n", "    max_retries: 3\n    max_retry: 5\n"),
    )
    assert invoke("check", "run.yaml")[0] == 0
    assert invoke("check", "--strict", "run.yaml")[0] == 1


# -- GitHub workflow commands -----------------------------------------------------------------
_COMMAND = re.compile(r"^::(?P<kind>error|warning|notice) (?P<props>[^:]*)::(?P<message>.*)$")


def _unescape(text: str) -> str:
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


def parse_github(out: str) -> list[dict[str, str]]:
    commands = []
    for line in out.splitlines():
        if not line:
            continue
        match = _COMMAND.match(line)
        assert match, f"not a workflow command: {line!r}"
        props = dict(item.split("=", 1) for item in match.group("props").split(","))
        command = {key: _unescape(value) for key, value in props.items()}
        command["kind"] = match.group("kind")
        command["message"] = _unescape(match.group("message"))
        commands.append(command)
    return commands


def test_github_format_one_command_per_finding(tree: Path) -> None:
    _, findings, _ = json_findings(".")
    code, out, _ = invoke("check", "--show-notes", "--format", "github", ".")
    assert code == 1
    commands = parse_github(out)
    kinds = {"error": "error", "warning": "warning", "info": "notice"}
    expected = [
        {
            "kind": kinds[str(f["severity"])],
            "file": str(f["file"]),
            "line": str(f["line"]),
            "col": str(f["column"]),
            "title": f"nexrl-cfg ({f['rule']})",
        }
        for f in findings
    ]
    assert [{k: c[k] for k in ("kind", "file", "line", "col", "title")} for c in commands] == (
        expected
    )
    assert {c["kind"] for c in commands} == {"error", "warning", "notice"}
    for command, finding in zip(commands, findings, strict=True):
        assert command["message"].startswith(str(finding["message"]))
        assert (tree / command["file"]).is_file()
    # The comma in the folder name is escaped in the property.
    assert "file=recipes/broken%2C one/common.yaml," in out


def test_github_escaping() -> None:
    assert escape_data("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext: a,b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_format_clean_prints_no_command(tree: Path) -> None:
    code, out, _ = invoke("check", "--format", "github", "recipes/clean")
    assert code == 0
    assert parse_github(out) == []


# -- SARIF ------------------------------------------------------------------------------------
def sarif(*paths: str) -> tuple[int, dict[str, object]]:
    code, out, _ = invoke("check", "--show-notes", "--format", "sarif", *paths)
    return code, json.loads(out)


def test_sarif_document(tree: Path) -> None:
    _, findings, _ = json_findings(".")
    code, log = sarif(".")
    assert code == 1
    assert log["version"] == "2.1.0"
    assert str(log["$schema"]).endswith("sarif-2.1.0.json")
    runs = log["runs"]
    assert isinstance(runs, list) and len(runs) == 1
    run = runs[0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "nexrl-cfg"
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", driver["version"])
    assert driver["informationUri"].startswith("https://")
    assert run["invocations"] == [{"executionSuccessful": True, "exitCode": 1}]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tree.resolve().as_uri() + "/"

    rules = driver["rules"]
    ids = [rule["id"] for rule in rules]
    assert sorted(ids) == ids
    assert set(ids) == {f["rule"] for f in findings}
    for rule in rules:
        assert rule["shortDescription"]["text"]
        assert rule["fullDescription"]["text"]
        assert "## What it does" in rule["help"]["markdown"]
        assert rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")

    results = run["results"]
    assert len(results) == len(findings)
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for result, finding in zip(results, findings, strict=True):
        assert result["ruleId"] == finding["rule"]
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == levels[str(finding["severity"])]
        assert result["message"]["text"].startswith(str(finding["message"]))
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        artifact = physical["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        uri = artifact["uri"]
        assert "://" not in uri and not uri.startswith("/")
        assert (tree / unquote(uri)).is_file()
        assert unquote(uri) == finding["file"]
        region = physical["region"]
        assert (region["startLine"], region["startColumn"]) == (finding["line"], finding["column"])
        if "endColumn" in region:  # the key or value that starts there, on the same line
            assert region["endLine"] == region["startLine"]
            assert region["endColumn"] > region["startColumn"]
    assert "recipes/broken%2C%20one/common.yaml" in {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results
    }


def test_sarif_clean_run_is_valid_and_empty(tree: Path) -> None:
    code, log = sarif("recipes/clean")
    assert code == 0
    run = log["runs"][0]
    assert run["results"] == []
    assert run["tool"]["driver"]["rules"] == []


def test_sarif_file_outside_the_working_folder(
    tree: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = write(
        tmp_path_factory.mktemp("elsewhere"), "run.yaml", ENTRY.replace("- common\n", "")
    )
    _, log = sarif(str(outside))
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert uris == {outside.resolve().as_uri()}


# -- secrets ----------------------------------------------------------------------------------
SECRET_CONFIG = """
service:
  inference_service:
    base_url: "${oc.env:NXC_SECRET_URL}"
    backend: "${oc.env:NXC_SECRET_BACKEND}"
    model: m
    max_tokens: "${oc.env:NXC_SECRET_TOKENS}"
    api_key: "sk-live-1234567890abcdefLITERALKEY"
  tinker_service:
    api_key: "${oc.env:NXC_SECRET_KEY}"
"""
SECRETS = {
    "NXC_SECRET_URL": "http://secret-host-9f3e:8000",
    "NXC_SECRET_BACKEND": "sglan-secret-77aa",
    "NXC_SECRET_TOKENS": "-918273",
    "NXC_SECRET_KEY": "tk-secret-abc123def456",
}


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_no_secret_in_any_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "run.yaml", SECRET_CONFIG)
    write(tmp_path, "ci.env", "".join(f"export {k}='{v}'\n" for k, v in SECRETS.items()))
    code, _, output = invoke("check", "--format", fmt, "--env-file", "ci.env", "run.yaml")
    assert code == 1  # the findings these values cause are reported ...
    for rule in ("invalid-choice", "invalid-type", "api-key-literal"):
        assert rule in output
    for value in [*SECRETS.values(), "LITERALKEY", "1234567890abcdef"]:
        assert value not in output  # ... without the values
