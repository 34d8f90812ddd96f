"""Checking what is launched: a config and its Hydra overrides, as `python -m nexrl.main
--config-path DIR --config-name NAME overrides...` composes it. The verdict on each launch of
NexRL's recipes is Hydra's own; an override's effect is checked by the rules, a finding about
an argument points at it, a secret given on the command line is never printed, and
`--hydra-check` reports where Hydra itself composes otherwise.

The launches of every recipe (not every fourth): `NEXRL_CFG_LAUNCHES=all`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SHARED
from helpers import cli, write

from nexrl_cfg import app
from nexrl_cfg.finding import COMMAND_LINE, Severity
from nexrl_cfg.launch import Launch, split

CORPUS = SHARED / "corpus"
VERSIONS = {"nexrl-v1.0": "1.0", "nexrl-v1.4": "1.4"}
SECRET = "sk-live-0123456789abcdef"

# Launches over the recipes: (overrides, whether Hydra composes them for most recipes).
LAUNCHES = [
    ([], True),
    (["trainer.total_train_steps=100"], True),
    (["trainer.total_train_step=100"], False),  # a typo: Hydra changes only existing keys
    (["+trainer.total_train_steps=100"], False),  # `+` on a key that is there
    (["++trainer.total_train_steps=100"], True),
    (["+debug.enable_data_dump=true", "+debug.dump_options.trajectory=true"], True),
    (["++rollout_worker.type=mock", "++rollout_worker.resource.num_workers=1"], True),
    (["~trainer.total_train_steps"], True),
    (["~trainer.nowhere"], False),
    (["data.max_response_length=[1,2"], False),  # not override syntax
    (["data.max_response_length=1,2"], False),  # a sweep
    (["data.max_response_length=choice(1,2)"], False),
    (["data={max_response_length: 1024}"], True),  # a mapping merges into data
    (["data={nowhere: 1}"], False),  # ... and adds no key
    (["data=[1]"], False),  # a list does not merge into a mapping
    (["model=large"], False),  # no such key or group
    (["+model=large"], True),  # adds a key `model`
    (["model@pkg=large"], False),  # no such group
    (["'trainer.total_train_steps=100'"], False),
    (["service.inference_service.max_tokens='${data.max_response_length}'"], True),
]


def recipes() -> list[Path]:
    found = sorted(
        path
        for folder in VERSIONS
        for path in (CORPUS / folder / "recipe").glob("*/*.yaml")
        if "defaults" in path.read_text(encoding="utf-8")
    )
    if not found:
        pytest.skip(f"NexRL's recipes are not beside the project ({CORPUS} is missing)")
    return found


def outcome(path: Path, overrides: list[str], **launch: object) -> app.Outcome:
    version = VERSIONS[path.parts[-4]]
    request = app.CheckRequest(
        [str(path)],
        {"nexrl_version": version},
        launch=Launch(overrides=overrides, **launch),  # type: ignore[arg-type]
    )
    return app.check(request)


def composes(result: app.Outcome) -> bool:
    """Whether nexrl-cfg says Hydra composes the launch (no composition error)."""
    return not any(
        f.severity is Severity.ERROR and f.rule in ("defaults", "override", "hydra-check")
        for f in result.findings
    )


def composed(path: Path, overrides: list[str]) -> bool:
    """Whether nexrl-cfg composes the launch without an error (as `check` composes it)."""
    from nexrl_cfg.compose import Composer
    from nexrl_cfg.overrides import parse

    result = Composer().compose(path, parse(overrides) if overrides else None, {})
    return not any(
        f.severity is Severity.ERROR and f.rule in ("defaults", "override") for f in result.findings
    )


@pytest.mark.slow
def test_the_verdict_on_each_launch_of_the_recipes_is_hydras() -> None:
    from nexrl_cfg._hydra import compose

    wrong, verdicts = [], set()
    every = os.environ.get("NEXRL_CFG_LAUNCHES") == "all"
    for path in recipes() if every else recipes()[::4]:
        for overrides, _ in LAUNCHES:
            hydra = compose(path.parent, path.stem, overrides).error is None
            verdicts.add(hydra)
            ours = composed(path, overrides)
            if ours != hydra:
                wrong.append(f"{path.parent.name}/{path.name} {overrides}: Hydra {hydra}")
    assert not wrong, "\n".join(wrong)
    assert verdicts == {True, False}


def test_the_launchers_debug_overrides_compose_every_recipe() -> None:
    # What NexRL's launcher adds for a debug run (cli/common/debug_utils.py@v1.4.0).
    dump = [
        "+debug.enable_data_dump=true",
        "+debug.dump_options.trajectory=true",
        "+debug.dump_options.old_log_probs=false",
        "+debug.dump_options.forward_data=false",
        "+debug.dump_options.loss=false",
        "+debug.dump_dir=${oc.env:EXPERIMENT_PATH}/debug_dump",
    ]
    for path in recipes():
        result = outcome(path, dump, hydra_check=True)
        assert composes(result), [f.message for f in result.findings]


def test_an_overridden_value_is_checked_and_the_finding_points_at_the_argument() -> None:
    path = next(p for p in recipes() if p.name == "self_hosted.yaml" and "v1.4" in str(p))
    result = outcome(
        path, ["trainer.total_train_steps=100", "service.inference_service.max_tokens=4096"]
    )
    [found] = [f for f in result.findings if f.rule == "max-tokens-match"]
    assert (found.file, found.line) == (COMMAND_LINE, 1)
    line = result.source_line(found.file, found.line)
    assert line is not None and line[found.column - 1 :].startswith("service.inference_service")


def test_the_launch_command_as_pasted() -> None:
    path = next(p for p in recipes() if p.name == "self_hosted.yaml" and "v1.4" in str(p))
    folder = str(path.parent)
    for args in (
        [f"--config-path={folder}", "--config-name=self_hosted", "+debug.x=1"],
        ["--config-path", folder, "--config-name", "self_hosted", "+debug.x=1"],
        ["-cp", folder, "-cn", "self_hosted", "+debug.x=1"],
        ["-cp", folder, "-cn", "self_hosted.yaml", "+debug.x=1"],
    ):
        ran = cli(["check", "-q", "--nexrl-version", "1.4", *args])
        assert ran.returncode == 0, (args, ran.text)
    ran = cli(["check", "-cp", folder, "-cn", "self_hosted", "trainer.nowhere=1"])
    assert ran.returncode == 1 and "<command line>:1:1: error [override]" in ran.out


def test_launch_mistakes_are_one_line(tmp_path: Path) -> None:
    write(tmp_path, "run.yaml", "a: 1\n")
    for args, words in (
        (["-cn", "run"], "--config-name needs --config-path"),
        (["-cp", str(tmp_path), "-cn", "nowhere"], "no config 'nowhere'"),
        (["-cp", str(tmp_path / "none"), "-cn", "run"], "config folder not found"),
        ([str(tmp_path), "a=2"], "apply to one config"),
        ([str(tmp_path / "run.yaml"), str(tmp_path / "run.yaml"), "a=2"], "apply to one config"),
    ):
        ran = cli(["check", *args])
        assert ran.returncode == 2 and words in ran.err, (args, ran.err)
        assert ran.err.count("\n") == 1


def test_paths_come_first_and_an_existing_file_is_a_path(tmp_path: Path) -> None:
    write(tmp_path, "a=b.yaml", "a: 1\n")
    with_file = str(tmp_path / "a=b.yaml")
    assert split([with_file, "a=2", "~c", "x.yaml"]) == ([with_file], ["a=2", "~c", "x.yaml"])
    assert split(["run.yaml", "other.yaml"]) == (["run.yaml", "other.yaml"], [])
    ran = cli(["check", "-q", "--nexrl-version", "1.0", with_file, "a=2"], cwd=tmp_path)
    assert "override" not in ran.out


def test_a_secret_on_the_command_line_is_never_printed(tmp_path: Path) -> None:
    path = next(p for p in recipes() if p.name == "self_hosted.yaml" and "v1.4" in str(p))
    arguments = [str(path), f"service.inference_service.api_key={SECRET}", f"nowhere.x={SECRET}"]
    for fmt in ("text", "json", "github", "sarif"):
        ran = cli(["check", "--format", fmt, "--show-notes", "--hydra-check", *arguments])
        assert ran.returncode == 1, ran.text
        assert SECRET not in ran.text and SECRET[:12] not in ran.text, fmt
    ran = cli(["check", str(path), f"service.inference_service.api_key={SECRET}[x"])
    assert "<redacted>" in ran.out and SECRET not in ran.text
    ran = cli(["resolve", "--show-origin", *arguments[:2]])
    assert SECRET not in ran.text and "api_key: <redacted>  # command line" in ran.out


def test_reports_place_a_finding_about_an_argument(tmp_path: Path) -> None:
    config = write(tmp_path, "run.yaml", "a: 1\n")
    ran = cli(["check", "--format", "github", str(config), "b=2"])
    [line] = [x for x in ran.out.splitlines() if "[override]" in x or "(override)" in x]
    assert line.startswith("::error title=nexrl-cfg (override)::command line, column 1: ")
    sarif = json.loads(cli(["check", "--format", "sarif", str(config), "b=2"]).out)
    [result] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "override"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("run.yaml")
    assert result["message"]["text"].startswith("command line, column 1: override 'b=2'")
    found = json.loads(cli(["check", "--format", "json", str(config), "b=2"]).out)["findings"]
    assert [(f["file"], f["line"], f["column"]) for f in found if f["rule"] == "override"] == [
        (COMMAND_LINE, 1, 1)
    ]


def test_resolve_takes_a_launch_and_shows_the_launched_view(tmp_path: Path) -> None:
    write(tmp_path, "model/small.yaml", "size: 1\n")
    write(tmp_path, "model/large.yaml", "size: 8\n")
    config = write(
        tmp_path,
        "run.yaml",
        """
        defaults:
          - model: small
          - _self_
        service:
          train_service:
            backend: nextrainer
            model_tag: policy
        """,
    )
    ran = cli(["resolve", "--show-origin", str(config), "model=large", "+extra=1"])
    assert ran.returncode == 0, ran.text
    assert "size: 8  # " in ran.out and "large.yaml:1" in ran.out
    assert "extra: 1  # command line" in ran.out
    ran = cli(["resolve", "--as-launched", "--nexrl-version", "1.4", str(config)])
    launched = ran.out
    assert "main_actor:" in launched and "role: actor" in launched
    assert "backend: direct-zmq" in launched and "identifier: policy" in launched
    assert f"_config_file_path: {config.resolve()}" in launched
    ran = cli(["resolve", "--as-launched", "--nexrl-version", "1.0", str(config)])
    assert "main_actor" not in ran.out and "_config_file_path" in ran.out
    ran = cli(["resolve", "-cp", str(tmp_path), "-cn", "run", "model=huge"])
    assert ran.returncode == 1 and "huge" in ran.err


def test_hydra_check_reports_where_hydra_differs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nexrl_cfg import _hydra

    config = write(tmp_path, "run.yaml", "defaults: [common, _self_]\na: 1\n")
    write(tmp_path, "common.yaml", "b: [1]\n")
    quiet = cli(["check", "--hydra-check", "--select", "hydra-check", str(config)])
    assert quiet.returncode == 0 and "hydra-check" not in quiet.out

    real = _hydra.compose

    def refusing(folder: object, name: str, overrides: object = ()) -> _hydra.HydraResult:
        return _hydra.HydraResult(error=f"Hydra says no to {name}")

    def differing(folder: object, name: str, overrides: object = ()) -> _hydra.HydraResult:
        result = real(folder, name, overrides)  # type: ignore[arg-type]
        result.data["b"] = {"x": 1}
        return result

    monkeypatch.setattr(_hydra, "compose", refusing)
    ran = cli(["check", "--hydra-check", "--select", "hydra-check", str(config)])
    assert ran.returncode == 1 and "Hydra refuses this config: Hydra says no to run" in ran.out
    monkeypatch.setattr(_hydra, "compose", differing)
    ran = cli(["check", "--hydra-check", "--select", "hydra-check", str(config)])
    assert "warning [hydra-check]" in ran.out and "Hydra composes 'b' differently" in ran.out
    assert "common.yaml:1" in ran.out


def test_hydra_reads_nothing_outside_the_config_folder(tmp_path: Path) -> None:
    outside = write(tmp_path, "secret.yaml", "leaked: sk-outside-0000000000\n")
    folder = tmp_path / "configs"
    config = write(folder, "run.yaml", "defaults:\n  - leak\n  - ../secret\n  - _self_\n")
    (folder / "leak.yaml").symlink_to(outside)
    from nexrl_cfg._hydra import compose

    result = compose(folder, "run")
    assert result.error is not None and "leaked" not in result.error
    ran = cli(["check", "--hydra-check", str(config)])
    assert "sk-outside" not in ran.text and ran.returncode == 1


def test_hydra_is_imported_only_for_a_launch(tmp_path: Path) -> None:
    config = write(tmp_path, "run.yaml", "a: 1\n")
    code = (
        "import sys\n"
        "from nexrl_cfg.cli import main\n"
        f"sys.argv = ['nexrl-cfg', 'check', '-q', {str(config)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in ('hydra', 'antlr4')], 'hydra'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_fixing_never_edits_the_command_line(tmp_path: Path) -> None:
    path = next(p for p in recipes() if p.name == "self_hosted.yaml" and "v1.4" in str(p))
    for name in ("common.yaml", "self_hosted.yaml"):
        write(tmp_path, name, (path.parent / name).read_text(encoding="utf-8"))
    decoy = write(tmp_path, COMMAND_LINE, "service.inference_service.max_tokens=4096\n")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    args = ["self_hosted.yaml", "service.inference_service.max_tokens=4096"]
    ran = cli(["check", "--fix", "--nexrl-version", "1.4", *args], cwd=tmp_path)
    assert ran.returncode == 1 and "max-tokens-match" in ran.out
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    assert decoy.read_text(encoding="utf-8") == "service.inference_service.max_tokens=4096\n"
