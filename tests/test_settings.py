"""`[tool.nexrl-cfg]` in pyproject.toml, env files, and the command line over both."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer.main as typer_main
from configs import BASE, edit
from helpers import write
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from nexrl_cfg.cli import app
from nexrl_cfg.settings import SettingsError, build, find_pyproject, read_env_file

# One warning (unknown-key), one unset variable (a note, or an error with require-env).
CONFIG = edit(
    edit(BASE, 'base_url: "http://localhost:8000"', 'base_url: "${oc.env:NXC_TEST_URL}"'),
    "    max_retries: 3\n",
    "    max_retries: 3\n    max_retry: 5\n",
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NXC_TEST_URL", raising=False)
    write(tmp_path, "configs/run.yaml", CONFIG)
    return tmp_path


def pyproject(folder: Path, body: str) -> Path:
    return write(folder, "pyproject.toml", "[project]\nname = 'x'\n\n[tool.nexrl-cfg]\n" + body)


def run(*args: str) -> tuple[int, list[dict[str, object]], str]:
    # The configs are written in NexRL 1.0's shape.
    result = CliRunner().invoke(app, ["check", "--nexrl-version", "1.0", "--format", "json", *args])
    if result.exit_code == 2:
        return 2, [], result.output
    return result.exit_code, json.loads(result.stdout)["findings"], result.output


def rule_ids(findings: list[dict[str, object]]) -> list[object]:
    return [f["rule"] for f in findings]


def test_no_settings_file(project: Path) -> None:
    code, findings, _ = run("configs")
    assert code == 0
    assert sorted(rule_ids(findings)) == ["env-unset", "unknown-key"]


def test_nearest_pyproject_with_the_table_wins(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pyproject(project, 'ignore = ["unknown-key"]\n')
    sub = project / "configs"
    write(sub, "pyproject.toml", "[project]\nname = 'inner'\n")  # no table: looked past
    assert find_pyproject(sub) == project / "pyproject.toml"
    monkeypatch.chdir(sub)
    _, findings, _ = run("run.yaml")
    assert rule_ids(findings) == ["env-unset"]
    pyproject(sub, 'select = ["unknown-key"]\n')
    assert find_pyproject(sub) == sub / "pyproject.toml"
    assert rule_ids(run("run.yaml")[1]) == ["unknown-key"]


def test_a_project_that_only_names_the_package_has_no_settings(project: Path) -> None:
    write(
        project,
        "pyproject.toml",
        '[project]\nname = "nexrl-cfg"\ndependencies = ["nexrl-cfg>=0.1"]\n',
    )
    assert find_pyproject(project) is None


def test_select_and_ignore_from_file_and_flags(project: Path) -> None:
    pyproject(project, 'select = ["env-unset"]\n')
    assert rule_ids(run("configs")[1]) == ["env-unset"]
    # The command line wins.
    assert rule_ids(run("configs", "--select", "unknown-key")[1]) == ["unknown-key"]
    pyproject(project, 'ignore = ["env-unset"]\n')
    assert rule_ids(run("configs")[1]) == ["unknown-key"]
    assert rule_ids(run("configs", "--ignore", "unknown-key")[1]) == ["env-unset"]


def test_strict_and_require_env(project: Path) -> None:
    pyproject(project, "strict = true\n")
    assert run("configs")[0] == 1
    assert run("configs", "--no-strict")[0] == 0
    pyproject(project, "require-env = true\n")
    code, findings, _ = run("configs")
    assert code == 1
    assert [f["severity"] for f in findings if f["rule"] == "env-unset"] == ["error"]
    assert run("configs", "--allow-unset-env")[0] == 0


def test_per_file_ignores(project: Path) -> None:
    write(project, "other/run.yaml", CONFIG)
    pyproject(project, '[tool.nexrl-cfg.per-file-ignores]\n"configs/*" = ["unknown-key"]\n')
    _, findings, _ = run("configs", "other")
    located = sorted((Path(str(f["file"])).parent.name, f["rule"]) for f in findings)
    assert located == [
        ("configs", "env-unset"),
        ("other", "env-unset"),
        ("other", "unknown-key"),
    ]
    # A pattern without a slash matches the file name in any folder.
    pyproject(project, '[tool.nexrl-cfg.per-file-ignores]\n"run.yaml" = ["env-unset"]\n')
    assert sorted(rule_ids(run("configs", "other")[1])) == ["unknown-key", "unknown-key"]


def test_env_file_from_settings_and_flag(project: Path) -> None:
    write(project, "ci.env", "NXC_TEST_URL=http://from-file:8000\n")
    write(project, "other.env", "# nothing\n")
    pyproject(project, 'env-file = "ci.env"\n')
    assert rule_ids(run("configs")[1]) == ["unknown-key"]
    assert sorted(rule_ids(run("configs", "--env-file", "other.env")[1])) == [
        "env-unset",
        "unknown-key",
    ]


def test_env_file_relative_to_the_pyproject(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(project, "ci.env", "NXC_TEST_URL=http://from-file:8000\n")
    pyproject(project, 'env-file = "ci.env"\n')
    monkeypatch.chdir(project / "configs")
    assert rule_ids(run("run.yaml")[1]) == ["unknown-key"]


def test_the_environment_wins_over_the_env_file(project: Path) -> None:
    env = write(project, "ci.env", "A=from-file\nB=from-file\n")
    settings = build(project, env_file=env, environ={"A": "from-env"})
    assert settings.environ == {"A": "from-env", "B": "from-file"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('selct = ["x"]\n', "unknown setting selct"),
        ('select = ["no-such-rule"]\n', "unknown rule id: no-such-rule"),
        ('select = "unknown-key"\n', "expected a list of rule ids"),
        ('strict = "yes"\n', "strict: expected true or false"),
        ('[tool.nexrl-cfg.per-file-ignores]\n"*.yaml" = ["nope"]\n', "unknown rule id: nope"),
        ("select = [\n", "not valid TOML"),
    ],
)
def test_bad_settings_exit_2(project: Path, body: str, message: str) -> None:
    pyproject(project, body)
    code, _, output = run("configs")
    assert code == 2
    assert message in output
    assert "pyproject.toml" in output or "unknown rule id" in output


def test_unknown_rule_on_the_command_line(project: Path) -> None:
    code, _, output = run("configs", "--ignore", "unknown-key,nope")
    assert code == 2
    assert "unknown rule id: nope" in output


def test_missing_env_file(project: Path) -> None:
    code, _, output = run("configs", "--env-file", "missing.env")
    assert code == 2
    assert "env file not found: missing.env" in output


def test_env_file_syntax(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        ".env",
        """
        # a comment
        PLAIN=value
        export EXPORTED=yes
        SPACED = padded  # trailing comment
        DOUBLE="two words # not a comment"
        SINGLE='single $quoted'
        ESCAPED="line\\none \\"quoted\\""
        HASH=abc#def
        EMPTY=

        """,
    )
    values = read_env_file(path)
    assert values == {
        "PLAIN": "value",
        "EXPORTED": "yes",
        "SPACED": "padded",
        "DOUBLE": "two words # not a comment",
        "SINGLE": "single $quoted",
        "ESCAPED": 'line\none "quoted"',
        "HASH": "abc#def",
        "EMPTY": "",
    }


def test_bad_env_line_names_the_line_not_the_value(tmp_path: Path) -> None:
    path = write(tmp_path, ".env", "GOOD=1\nthis is sk-very-secret-value\n")
    with pytest.raises(SettingsError) as err:
        read_env_file(path)
    assert ".env:2: expected KEY=VALUE" in str(err.value)
    assert "secret" not in str(err.value)


# -- the table --------------------------------------------------------------------------------
def test_each_flag_is_declared_once_with_its_setting() -> None:
    from nexrl_cfg.settings import KEYS, SETTINGS

    command = typer_main.get_command(app).commands["check"]
    options = {p.name: p for p in command.params}
    for name, setting in SETTINGS.items():
        if setting.flag is None:
            assert setting.key is not None, name
            continue
        option = options[name]
        flags = {*option.opts, *option.secondary_opts}
        assert flags == {*setting.flag.split("/"), *filter(None, [setting.short])}, name
        assert option.help == setting.help and option.metavar == setting.metavar, name
    assert tuple(s.key for s in SETTINGS.values() if s.key) == KEYS


def test_sources_in_order(project: Path) -> None:
    """The command line, then the --config file (the nearest pyproject.toml is not read),
    then the default."""
    pyproject(project, 'select = ["env-unset"]\nignore = ["env-unset"]\n')
    other = write(project, "other.toml", 'select = ["unknown-key"]\n')
    assert rule_ids(run("configs")[1]) == []
    assert rule_ids(run("configs", "--config", str(other))[1]) == ["unknown-key"]
    found = run("configs", "--config", str(other), "--select", "env-unset")[1]
    assert rule_ids(found) == ["env-unset"]
    settings = build(project, config=other, select="env-unset,unknown-key")
    assert settings.select == {"env-unset", "unknown-key"} and settings.ignore == frozenset()
    assert not settings.strict and settings.exclude == ()
    assert build(project, exclude=["b"]).exclude == ("b",)
    pyproject(project, 'exclude = ["a"]\n')
    assert build(project, exclude=["b"]).exclude == ("a", "b")  # the flag adds to the file


_HEADERS = [
    "",
    "[tool]",
    "[ tool ]",
    '["tool"]',
    "[tool.nexrl-cfg]",
    '[tool."nexrl-cfg"]',
    "[tool.nexrl-cfg.per-file-ignores]",
    "[project.scripts]",
    "[nexrl-cfg]",
    "[tool.poetry.dependencies]",
    "[project]",
]
_KEYS = ["nexrl-cfg", '"nexrl-cfg"', "nexrl-cfg.select", "tool.nexrl-cfg.select", "name", "x"]
_VALUES = ['"x"', "1", "[]", '{select = ["max-tokens-match"]}', '"""\n[tool]\n"""']


@given(
    st.lists(
        st.tuples(st.sampled_from(_HEADERS), st.sampled_from(_KEYS), st.sampled_from(_VALUES)),
        max_size=5,
    )
)
@settings(max_examples=2000)
def test_a_pyproject_with_the_table_is_never_passed_over(
    tables: list[tuple[str, str, str]],
) -> None:
    """The cheap look at a pyproject.toml (is the table maybe there?) says yes for every text
    that holds `[tool.nexrl-cfg]`, however it is written."""
    import tomllib

    from nexrl_cfg.settings import _may_hold_table

    text = "\n".join(f"{header}\n{key} = {value}" for header, key, value in tables)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return
    tool = document.get("tool")
    if isinstance(tool, dict) and "nexrl-cfg" in tool:
        assert _may_hold_table(text)
