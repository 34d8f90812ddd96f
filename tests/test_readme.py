"""The README's generated rule table is current, its example outputs are what the command prints
(`python -m pytest --update` writes them), and what its integration section shows works: the
snippets parse, the settings example is accepted, the hook id exists, the library API returns
findings."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from configs import BASE, edit, position
from conftest import PROJECT_RECIPES, Recorded
from helpers import cli, write

from nexrl_cfg import docs
from nexrl_cfg.rules import all_rules
from nexrl_cfg.settings import read_pyproject
from nexrl_cfg.suppress import parse

ROOT = Path(__file__).resolve().parent.parent
README_FILE = ROOT / "README.md"
README = README_FILE.read_text(encoding="utf-8")
# An example output: the block between `<!-- output: nexrl-cfg ARGS -->` and `<!-- /output -->`
# is what `nexrl-cfg ARGS` prints in the project's folder (a text block after `$ nexrl-cfg ARGS`).
OUTPUT = re.compile(
    r"(?P<head><!-- output: nexrl-cfg (?P<args>[^\n]*?) -->\n```(?P<lang>\w+)\n)"
    r"(?P<body>.*?)(?P<tail>```\n<!-- /output -->)",
    re.S,
)


def section(name: str) -> str:
    match = re.search(rf"<!-- section: {name} -->(.*?)<!-- /section: {name} -->", README, re.S)
    assert match, f"README has no {name} section"
    return match.group(1)


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def test_rule_table_is_current(recorded: Recorded) -> None:
    # `python -m nexrl_cfg.docs` writes it too.
    text = README_FILE.read_text(encoding="utf-8")
    recorded(README_FILE, docs.with_table(text))


def printed(example: re.Match[str]) -> str:
    """The example block as the command prints it now: in the project's folder, with no NexRL
    variable set, 100 columns wide."""
    args = example["args"]
    ran = cli(shlex.split(args), ROOT, {"COLUMNS": "100"}, drop=("NEXRL_", "OPENAI_"))
    shown = f"$ nexrl-cfg {args}\n{ran.out}" if example["lang"] == "text" else ran.out
    return example["head"] + shown + example["tail"]


def test_example_outputs_are_what_the_command_prints(recorded: Recorded) -> None:
    text = README_FILE.read_text(encoding="utf-8")
    assert len(OUTPUT.findall(text)) >= 2
    recorded(README_FILE, OUTPUT.sub(printed, text))


def test_rule_table_lists_every_rule_once() -> None:
    table = section("rules")
    for rule in all_rules():
        assert table.count(f"| `{rule.id}` | {rule.severity.value} | {rule.stage} |") == 1


def test_generator_replaces_only_the_table(tmp_path: Path) -> None:
    stale = f"intro\n{docs.BEGIN}\n| old |\n{docs.END}\noutro\n"
    path = write(tmp_path, "README.md", stale)
    assert docs.main([str(path), "--check"]) == 1
    assert docs.main([str(path)]) == 0
    text = path.read_text()
    assert text.startswith(f"intro\n{docs.BEGIN}\n| Rule |") and text.endswith(
        f"{docs.END}\noutro\n"
    )
    assert "| old |" not in text
    assert docs.main([str(path), "--check"]) == 0


def test_yaml_and_json_snippets_parse() -> None:
    text = section("integration")
    yaml_blocks = blocks(text, "yaml")
    assert len(yaml_blocks) >= 4
    for block in yaml_blocks:
        yaml.safe_load(block)
    for block in blocks(text, "json"):
        json.loads(block)


def test_precommit_snippet_names_the_hook() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    config = next(
        yaml.safe_load(b) for b in blocks(section("integration"), "yaml") if "repos:" in b
    )
    assert [h["id"] for h in config["repos"][0]["hooks"]] == [h["id"] for h in hooks]
    assert hooks[0]["entry"] == "nexrl-cfg check --only-nexrl"


def test_settings_snippet_is_accepted(tmp_path: Path) -> None:
    (toml,) = [b for b in blocks(section("integration"), "toml") if "[tool.nexrl-cfg]" in b]
    path = write(tmp_path, "pyproject.toml", toml)
    found = read_pyproject(path)
    assert found["ignore"] == {"unknown-key"}
    assert found["strict"] is True
    assert found["env_file"] == tmp_path / "deploy/ci.env"
    assert found["per_file_ignores"]["common.yaml"] == {"env-unset"}


def test_editor_snippets_start_the_language_server() -> None:
    """Each editor's set-up starts `nexrl-cfg lsp` for YAML files."""
    tomllib = pytest.importorskip("tomllib")
    text = section("integration")
    (helix,) = [b for b in blocks(text, "toml") if "language-server" in b]
    server = tomllib.loads(helix)["language-server"]["nexrl-cfg"]
    assert [server["command"], *server["args"]] == ["nexrl-cfg", "lsp"]
    (neovim,) = blocks(text, "lua")
    assert 'cmd = { "nexrl-cfg", "lsp" }' in neovim and '"yaml"' in neovim
    (code,) = blocks(text, "js")
    assert '{ command: "nexrl-cfg", args: ["lsp"] }' in code and 'language: "yaml"' in code
    assert "pip install 'nexrl-cfg[lsp]'" in text


def test_suppression_snippet_is_understood() -> None:
    block = next(b for b in blocks(section("integration"), "yaml") if "ignore-file" in b)
    found = parse(block.splitlines(), "x.yaml")
    assert [(d.whole_file, d.rules, d.problem) for d in found] == [
        (True, frozenset({"env-unset"}), ""),
        (False, frozenset({"out-of-range"}), ""),
        (False, None, ""),
    ]


# -- the library API --------------------------------------------------------------------------
def test_check_file_returns_findings(tmp_path: Path) -> None:
    from nexrl_cfg import Settings, check_file

    text = edit(BASE, 'base_url: "http://localhost:8000"', 'base_url: "${oc.env:NXL_UNSET_VAR}"')
    text = edit(text, "backend: sglang", "backend: sglan")
    path = write(tmp_path, "run.yaml", text)
    findings = check_file(path, Settings(nexrl_version="1.0"))  # BASE has NexRL 1.0's shape
    assert [(f.rule, f.severity.value, f.line) for f in findings] == [
        ("env-unset", "info", position(text, "NXL_UNSET_VAR")[0]),
        ("invalid-choice", "error", position(text, "sglan\n")[0]),
    ]
    assert findings[1].as_dict()["key"] == "service.inference_service.backend"
    strict = check_file(str(path), Settings(require_env=True, environ={}))
    assert ("env-unset", "error") in {(f.rule, f.severity.value) for f in strict}
    with pytest.raises(OSError):
        check_file(tmp_path / "missing.yaml")


def test_readme_library_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    (example,) = blocks(section("integration"), "python")
    monkeypatch.chdir(PROJECT_RECIPES.parent)  # a project with recipe/math/self_hosted.yaml
    exec(compile(example, "README.md", "exec"), {})


def test_import_is_lazy() -> None:
    code = (
        "import sys, nexrl_cfg; print(sorted(m for m in sys.modules if m.startswith('nexrl_cfg')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['nexrl_cfg']"
