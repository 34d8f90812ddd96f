"""Composition follows Hydra's defaults lists; every value keeps the file and line it came from,
and whatever cannot be composed is a `defaults` finding, never an exception."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from helpers import check, errors, write

from nexrl_cfg.compose import Composed, Composer, Reader
from nexrl_cfg.read import read_bytes


def compose(path: Path) -> Composed:
    return Composer().compose(path)


def origin(composed: Composed, dotted: str) -> tuple[str, int]:
    span = composed.span(tuple(dotted.split(".")))
    return Path(span.file).name, span.line


def defaults_findings(composed: Composed) -> list[tuple[str, str, int, str]]:
    return [
        (f.severity.value, Path(f.file).name, f.line, f.message)
        for f in composed.findings
        if f.rule == "defaults"
    ]


# -- order -------------------------------------------------------------------------------------
def test_self_last_overrides_the_defaults(tmp_path: Path) -> None:
    write(tmp_path, "common.yaml", "a: 1\nb: 1\n")
    entry = write(tmp_path, "entry.yaml", "defaults:\n  - common\n  - _self_\nb: 2\n")
    composed = compose(entry)
    assert composed.data == {"a": 1, "b": 2}
    assert origin(composed, "a") == ("common.yaml", 1)
    assert origin(composed, "b") == ("entry.yaml", 4)


def test_self_first_is_overridden_by_the_defaults(tmp_path: Path) -> None:
    write(tmp_path, "common.yaml", "a: 1\nb: 1\n")
    entry = write(tmp_path, "entry.yaml", "defaults:\n  - _self_\n  - common\nb: 2\n")
    composed = compose(entry)
    assert composed.data == {"a": 1, "b": 1}
    assert origin(composed, "b") == ("common.yaml", 2)


def test_without_self_the_file_comes_last(tmp_path: Path) -> None:
    write(tmp_path, "common.yaml", "b: 1\n")
    entry = write(tmp_path, "entry.yaml", "defaults:\n  - common\nb: 2\n")
    assert compose(entry).data == {"b": 2}


def test_sources_merge_in_list_order_key_by_key(tmp_path: Path) -> None:
    write(tmp_path, "one.yaml", "data:\n  x: 1\n  y: 1\n")
    write(tmp_path, "two.yaml", "data:\n  y: 2\n  z: 2\n")
    entry = write(tmp_path, "entry.yaml", "defaults: [one, two, _self_]\ndata:\n  z: 3\n")
    composed = compose(entry)
    assert composed.data == {"data": {"x": 1, "y": 2, "z": 3}}
    assert origin(composed, "data.x") == ("one.yaml", 2)
    assert origin(composed, "data.y") == ("two.yaml", 2)
    assert origin(composed, "data.z") == ("entry.yaml", 3)


def test_a_section_given_again_takes_the_later_position(tmp_path: Path) -> None:
    # A key missing from `weight` is reported where it would be added: in the entry.
    write(tmp_path, "common.yaml", "weight:\n  sync_mode: sync\n")
    entry = write(tmp_path, "entry.yaml", "defaults: [common, _self_]\n\nweight:\n  x: 1\n")
    composed = compose(entry)
    key = composed.key_span(("weight", "sync_weight_path"))
    assert (Path(key.file).name, key.line) == ("entry.yaml", 3)
    assert origin(composed, "weight.sync_mode") == ("common.yaml", 2)


def test_null_replaces_a_section_and_a_section_replaces_null(tmp_path: Path) -> None:
    write(tmp_path, "common.yaml", "service: null\nother:\n  a: 1\n")
    entry = write(
        tmp_path, "entry.yaml", "defaults: [common, _self_]\nservice:\n  x: 1\nother: null\n"
    )
    composed = compose(entry)
    assert composed.data == {"service": {"x": 1}, "other": None}
    assert ("other", "a") not in composed.origins


def test_nested_defaults_and_a_shared_include(tmp_path: Path) -> None:
    write(tmp_path, "base.yaml", "a: base\n")
    write(tmp_path, "left.yaml", "defaults: [base, _self_]\nb: left\n")
    write(tmp_path, "right.yaml", "defaults: [base, _self_]\nc: right\n")
    entry = write(tmp_path, "entry.yaml", "defaults: [left, right, _self_]\n")
    composed = compose(entry)
    assert composed.data == {"a": "base", "b": "left", "c": "right"}
    assert not defaults_findings(composed)


def test_hydra_settings_are_not_part_of_the_config(tmp_path: Path) -> None:
    entry = write(
        tmp_path,
        "entry.yaml",
        "defaults:\n  - override hydra/job_logging: disabled\n  - _self_\n"
        "hydra:\n  run:\n    dir: out\na: 1\n",
    )
    composed = compose(entry)
    assert composed.data == {"a": 1}
    assert not defaults_findings(composed)


# -- where configs are looked up ------------------------------------------------------------
def test_names_are_relative_to_the_listing_file(tmp_path: Path) -> None:
    write(tmp_path, "shared.yaml", "root_shared: 1\n")
    write(tmp_path, "parts/shared.yaml", "part_shared: 1\n")
    write(tmp_path, "parts/main.yaml", "defaults:\n  - shared\n  - /shared\n  - _self_\nm: 1\n")
    entry = write(tmp_path, "entry.yaml", "defaults:\n  - parts/main\n  - _self_\n")
    composed = compose(entry)
    # A config in a folder goes under that folder's key, as in Hydra.
    assert composed.data == {"parts": {"part_shared": 1, "root_shared": 1, "m": 1}}
    assert not defaults_findings(composed)


def test_yaml_suffix_in_an_entry(tmp_path: Path) -> None:
    write(tmp_path, "common.yaml", "a: 1\n")
    entry = write(tmp_path, "entry.yaml", "defaults: [common.yaml, _self_]\n")
    assert compose(entry).data == {"a": 1}


def test_group_option_goes_under_the_group(tmp_path: Path) -> None:
    write(tmp_path, "model/small.yaml", "size: 1\n")
    entry = write(tmp_path, "entry.yaml", "defaults:\n  - model: small\n  - _self_\n")
    composed = compose(entry)
    assert composed.data == {"model": {"size": 1}}
    assert origin(composed, "model.size") == ("small.yaml", 1)


@pytest.mark.parametrize(
    "entry_key, header, expected",
    [
        ("model@policy", "", {"policy": {"size": 1}}),
        ("model@_global_", "", {"size": 1}),
        ("model", "# @package _global_\n", {"size": 1}),
        ("model", "# @package trainer.model\n", {"trainer": {"model": {"size": 1}}}),
    ],
)
def test_group_packages(tmp_path: Path, entry_key: str, header: str, expected: dict) -> None:
    write(tmp_path, "model/small.yaml", f"{header}size: 1\n")
    entry = write(tmp_path, "entry.yaml", f"defaults:\n  - {entry_key}: small\n  - _self_\n")
    assert compose(entry).data == expected


def test_group_null_and_list_of_options(tmp_path: Path) -> None:
    write(tmp_path, "extra/a.yaml", "a: 1\n")
    write(tmp_path, "extra/b.yaml", "b: 2\n")
    entry = write(
        tmp_path, "entry.yaml", "defaults:\n  - extra: [a, b]\n  - model: null\n  - _self_\n"
    )
    composed = compose(entry)
    assert composed.data == {"extra": {"a": 1, "b": 2}}
    assert not defaults_findings(composed)


def test_optional_missing_group_is_fine(tmp_path: Path) -> None:
    entry = write(tmp_path, "entry.yaml", "defaults:\n  - optional model: large\n  - _self_\n")
    composed = compose(entry)
    assert composed.data == {}
    assert not defaults_findings(composed)


def test_override_changes_a_choice_made_in_an_included_file(tmp_path: Path) -> None:
    write(tmp_path, "model/small.yaml", "size: 1\nsmall_only: true\n")
    write(tmp_path, "model/large.yaml", "size: 8\n")
    write(tmp_path, "common.yaml", "defaults:\n  - model: small\n  - _self_\n")
    entry = write(
        tmp_path,
        "entry.yaml",
        "defaults:\n  - common\n  - _self_\n  - override model: large\n",
    )
    composed = compose(entry)
    assert composed.data == {"model": {"size": 8}}
    assert not defaults_findings(composed)


# -- what cannot be composed ------------------------------------------------------------------
def test_missing_default_is_reported_at_its_entry(tmp_path: Path) -> None:
    entry = write(tmp_path, "entry.yaml", "defaults:\n  - comon\n  - _self_\na: 1\n")
    composed = compose(entry)
    assert composed.data == {"a": 1}
    [(severity, name, line, message)] = defaults_findings(composed)
    assert (severity, name, line) == ("error", "entry.yaml", 2)
    assert "comon" in message


def test_missing_group_option(tmp_path: Path) -> None:
    write(tmp_path, "model/small.yaml", "size: 1\n")
    entry = write(tmp_path, "entry.yaml", "defaults:\n  - _self_\n  - model: smal\n")
    [(severity, name, line, message)] = defaults_findings(compose(entry))
    assert (severity, name, line) == ("error", "entry.yaml", 3)
    assert "model/smal.yaml" in message


def test_missing_default_in_an_included_file_points_there(tmp_path: Path) -> None:
    write(tmp_path, "common.yaml", "defaults:\n  - _self_\n  - nowhere\na: 1\n")
    entry = write(tmp_path, "entry.yaml", "defaults: [common, _self_]\n")
    [(_, name, line, _)] = defaults_findings(compose(entry))
    assert (name, line) == ("common.yaml", 3)


@pytest.mark.parametrize(
    "files",
    [
        {"entry.yaml": "defaults: [entry]\na: 1\n"},
        {
            "entry.yaml": "defaults: [a, _self_]\n",
            "a.yaml": "defaults: [b]\n",
            "b.yaml": "defaults: [a]\n",
        },
    ],
    ids=["self-include", "a-b-a"],
)
def test_cycles_are_findings(tmp_path: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        write(tmp_path, name, text)
    composed = compose(tmp_path / "entry.yaml")
    found = defaults_findings(composed)
    assert len(found) == 1 and "cycle" in found[0][3], found


def test_path_outside_the_config_folder(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b" / "c"
    write(tmp_path, "secret.yaml", "x: 1\n")
    entry = write(folder, "entry.yaml", "defaults:\n  - ../../../secret\n  - _self_\n")
    composed = compose(entry)
    assert composed.data == {}
    [(severity, _, line, message)] = defaults_findings(composed)
    assert (severity, line) == ("error", 2)
    assert "outside the config folder" in message


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("defaults: common\na: 1\n", 1, "must be a list"),
        ("defaults:\n  common: x\na: 1\n", 2, "must be a list"),
        ("defaults:\n  - 42\n  - _self_\na: 1\n", 2, "not a config name"),
        ("defaults:\n  - [a, b]\n  - _self_\na: 1\n", 2, "not a config name"),
        ("defaults:\n  - {a: x, b: y}\na: 1\n", 2, "several keys"),
        ("defaults:\n  - model: 3\na: 1\n", 2, "a choice is an option name"),
        ("defaults:\n  - _self_\n  - _self_\na: 1\n", 3, "more than once"),
    ],
)
def test_malformed_defaults_are_findings(tmp_path: Path, text: str, line: int, words: str) -> None:
    entry = write(tmp_path, "entry.yaml", text)
    composed = compose(entry)
    assert composed.data == {"a": 1}
    found = defaults_findings(composed)
    assert [(f[0], f[2]) for f in found] == [("error", line)], found
    assert words in found[0][3]


def test_an_unknown_word_before_a_group_is_ignored_as_hydra_ignores_it(tmp_path: Path) -> None:
    write(tmp_path, "model/x.yaml", "size: 1\n")
    entry = write(tmp_path, "entry.yaml", "defaults:\n  - weird model: x\n  - _self_\n")
    composed = compose(entry)
    assert composed.data == {"model": {"size": 1}}
    [(severity, _, line, message)] = defaults_findings(composed)
    assert (severity, line) == ("warning", 2) and "ignores 'weird'" in message


def test_unused_override_and_override_not_at_the_end(tmp_path: Path) -> None:
    write(tmp_path, "common.yaml", "a: 1\n")
    entry = write(
        tmp_path, "entry.yaml", "defaults:\n  - override model: large\n  - common\n  - _self_\n"
    )
    found = defaults_findings(compose(entry))
    assert sorted((f[2], "override" in f[3]) for f in found) == [(2, True), (3, True)]


def test_group_chosen_twice(tmp_path: Path) -> None:
    write(tmp_path, "model/small.yaml", "size: 1\n")
    write(tmp_path, "model/large.yaml", "size: 8\n")
    entry = write(
        tmp_path, "entry.yaml", "defaults:\n  - model: small\n  - model: large\n  - _self_\n"
    )
    found = defaults_findings(compose(entry))
    assert len(found) == 1 and "chosen twice" in found[0][3]


def test_unreadable_included_file_is_a_finding(tmp_path: Path) -> None:
    write(tmp_path, "common.yaml", "a: [1\n")
    entry = write(tmp_path, "entry.yaml", "defaults: [common, _self_]\nb: 1\n")
    found = check(entry)
    assert [(f.rule, Path(f.file).name) for f in errors(found)] == [("yaml-syntax", "common.yaml")]


# -- findings land where the value was written ------------------------------------------------
RUN = """
data:
  batch_size: 32
  keep_batch_order: true
  max_response_length: 2048
trajectory_pool:
  batch_size: 256
  check_batch_ready_function: "loaded_batch_finished"
weight:
  sync_mode: "sync"
  sync_method: "disk"
service:
  inference_service:
    model: "policy"
    base_url: "http://inference:8000"
    max_tokens: 4096
    backend: sglang
"""


def test_mistake_in_common_is_reported_in_common(tmp_path: Path) -> None:
    common = write(tmp_path, "common.yaml", RUN)
    entry = write(tmp_path, "entry.yaml", "defaults: [common, _self_]\nproject_name: x\n")
    [found] = [f for f in check(entry) if f.rule == "max-tokens-match"]
    assert (found.file, found.line) == (str(common), 15)


def test_mistake_overridden_in_entry_is_reported_in_entry(tmp_path: Path) -> None:
    write(tmp_path, "common.yaml", RUN.replace("max_tokens: 4096", "max_tokens: 2048"))
    entry = write(
        tmp_path,
        "entry.yaml",
        "defaults: [common, _self_]\nservice:\n  inference_service:\n    max_tokens: 1024\n",
    )
    [found] = [f for f in check(entry) if f.rule == "max-tokens-match"]
    assert (found.file, found.line) == (str(entry), 4)


def test_invalid_value_in_common_is_reported_in_common(tmp_path: Path) -> None:
    common = write(tmp_path, "common.yaml", RUN.replace("backend: sglang", "backend: sglng"))
    entry = write(tmp_path, "entry.yaml", "defaults: [common, _self_]\n")
    [found] = [f for f in check(entry) if f.rule == "invalid-choice"]
    assert (found.file, found.line, found.key) == (
        str(common),
        16,
        "service.inference_service.backend",
    )


# -- fragments: files other configs include -----------------------------------------------------
def test_common_is_checked_through_the_configs_that_include_it(tmp_path: Path) -> None:
    # Alone, this common.yaml lacks max_tokens; the entry adds it.
    common = write(
        tmp_path,
        "common.yaml",
        "service:\n  inference_service:\n    model: policy\n    backend: sglng\n"
        "    base_url: http://inference:8000\n",
    )
    write(
        tmp_path,
        "entry.yaml",
        "defaults: [common, _self_]\nservice:\n  inference_service:\n    max_tokens: 512\n",
    )
    # The stub entry lacks the other sections NexRL needs; those are reported in entry.yaml.
    found = [f for f in errors(check(common)) if f.file == str(common)]
    assert [(f.rule, f.file, f.line) for f in found] == [("invalid-choice", str(common), 4)]


def test_fragment_with_null_service_and_no_includer(tmp_path: Path) -> None:
    # Only what it defines is checked: no required options, no cross-field rules.
    fragment = write(
        tmp_path,
        "base.yaml",
        "service: null\ndata:\n  batch_size: 64\n  keep_batch_order: false\n"
        "trajectory_pool:\n  batch_size: 8\n  check_batch_ready_function: loaded_batch_finished\n"
        "weight:\n  sync_mode: sync\n  sync_method: disc\n",
    )
    found = errors(check(fragment))
    assert [(f.rule, f.key, f.line) for f in found] == [
        ("invalid-choice", "weight.sync_method", 10)
    ]


def test_group_option_is_checked_through_the_config_above(tmp_path: Path) -> None:
    option = write(tmp_path, "inference/fast.yaml", "max_tokens: 100\nbackend: sglang\n")
    write(
        tmp_path,
        "entry.yaml",
        "defaults:\n  - inference@service.inference_service: fast\n  - _self_\n"
        "data:\n  max_response_length: 200\n"
        "service:\n  inference_service:\n    model: m\n    base_url: http://x:1\n",
    )
    found = [f for f in errors(check(option)) if f.rule == "max-tokens-match"]
    assert [(f.file, f.line) for f in found] == [(str(option), 1)]


def test_file_without_nexrl_keys_is_a_fragment_not_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "tuning.yaml", "learning_notes: fast\n")
    assert [f.rule for f in check(path)] == []


# -- not NexRL configs ------------------------------------------------------------------------
FOREIGN = {
    "workflow.yaml": """
        name: CI
        on:
          push:
            branches: [main]
        defaults:
          run:
            shell: bash
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - run: pytest
        """,
    "deployment.yaml": """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: nexrl
        spec:
          replicas: 1
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: nexrl
        """,
    "configmap.yaml": """
        apiVersion: v1
        kind: ConfigMap
        data:
          batch_size: "32"
        """,
    "agent_workspace/agent_config.yaml": """
        type: agent
        name: helper
        system_prompt: "You help."
        llm_config:
          temperature: 0.7
        """,
    "agent_workspace/tools/Search.yaml": """
        type: tool
        name: Search
        description: Search the web.
        input_schema:
          type: object
        """,
}


@pytest.mark.parametrize("name", sorted(FOREIGN))
def test_foreign_yaml_is_skipped_with_a_note(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, FOREIGN[name])
    found = check(path)
    assert [(f.rule, f.severity.value) for f in found] == [("not-nexrl", "info")]


def test_repeated_includes_are_bounded(tmp_path: Path) -> None:
    # Each level includes the next twice: 2**30 configs if followed blindly.
    for level in range(30):
        write(tmp_path, f"l{level}.yaml", f"defaults: [l{level + 1}, l{level + 1}, _self_]\n")
    write(tmp_path, "l30.yaml", "a: 1\n")
    entry = write(tmp_path, "entry.yaml", "defaults: [l0, _self_]\n")
    found = defaults_findings(compose(entry))
    assert len(found) == 1 and "more than" in found[0][3]


def test_deep_chain_is_bounded(tmp_path: Path) -> None:
    for level in range(200):
        write(tmp_path, f"c{level}.yaml", f"defaults: [c{level + 1}, _self_]\n")
    write(tmp_path, "c200.yaml", "a: 1\n")
    found = defaults_findings(compose(tmp_path / "c0.yaml"))
    assert len(found) == 1 and "deeper than" in found[0][3]


def test_well_known_top_level_lists_are_skipped(tmp_path: Path) -> None:
    hooks = write(tmp_path, ".pre-commit-hooks.yaml", "- id: x\n  name: x\n  entry: x\n")
    playbook = write(tmp_path, "site.yml", "- hosts: all\n  tasks: []\n")
    for path in (hooks, playbook):
        assert [f.rule for f in check(path)] == ["not-nexrl"], path


def test_any_other_top_level_list_is_an_error(tmp_path: Path) -> None:
    config = write(tmp_path, "run.yaml", "- service\n- data\n")
    assert [f.rule for f in check(config)] == ["not-a-config"]


def test_hydras_own_settings_are_checked_by_their_keys(tmp_path: Path) -> None:
    from nexrl_cfg.defaults_list import HYDRA_SETTINGS

    hydra_conf = pytest.importorskip("hydra.conf")
    assert set(HYDRA_SETTINGS) == set(hydra_conf.HydraConf.__dataclass_fields__)
    assert set(HYDRA_SETTINGS["job"]) == set(hydra_conf.JobConf.__dataclass_fields__)
    entry = write(tmp_path, "entry.yaml", "hydra:\n  run:\n    dir: out\n  jbo:\n    name: x\n")
    [(severity, _, line, message)] = defaults_findings(compose(entry))
    assert (severity, line) == ("error", 4) and "'hydra.jbo'" in message


def test_a_real_path_is_the_one_resolve_gives(tmp_path: Path) -> None:
    """`files.real_path` keeps each folder's real path: files, links to files and to folders,
    `..` through a link, missing files and link loops come out as `Path.resolve` has them."""
    from nexrl_cfg.files import real_path

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "f.yaml").write_text("x: 1\n", encoding="utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "a")
    (tmp_path / "a" / "g.yaml").symlink_to(tmp_path / "a" / "f.yaml")
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    folders: dict[str, str] = {}
    for path in (
        tmp_path / "a" / "f.yaml",
        tmp_path / "link" / "f.yaml",
        tmp_path / "a" / "g.yaml",
        tmp_path / "link" / ".." / "a" / "f.yaml",
        tmp_path / "a" / "missing.yaml",
        tmp_path / "a",
    ):
        assert real_path(path, folders) == path.resolve(), path
    with pytest.raises((RuntimeError, OSError)):
        (tmp_path / "loop.yaml").resolve(strict=True)
    if sys.version_info < (3, 13):
        with pytest.raises(RuntimeError):
            real_path(tmp_path / "loop.yaml", folders)


def test_a_reader_adopts_a_document_read_from_the_bytes_it_serves(tmp_path: Path) -> None:
    """A document read elsewhere stands for a served file only when it was read from the
    very bytes served, under the same name: anything else is parsed from what is served."""
    path = tmp_path / "run.yaml"
    path.write_text("data:\n  seed: 1\n", encoding="utf-8")
    real = path.resolve()
    same = read_bytes(b"data:\n  seed: 1\n", str(path))
    with_mark = read_bytes(b"\xef\xbb\xbfdata:\n  seed: 1\n", str(path))
    elsewhere = read_bytes(b"data:\n  seed: 1\n", str(tmp_path / "other.yaml"))
    for doc, adopted in ((same, True), (with_mark, False), (elsewhere, False)):
        reader = Reader()
        reader.serve({real: (str(path), "data:\n  seed: 1\n")})
        reader.adopt(doc)
        assert (reader.read(path) is doc) is adopted
        assert reader.read(path).data == {"data": {"seed": 1}}


def test_readers_that_follow_one_another_resolve_each_folder_once(tmp_path: Path) -> None:
    """A reader that follows another of the same run takes the real paths it worked out."""
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    first, second = Reader(), Reader()
    second.follow(first)
    assert first.real(tmp_path / "link" / "a.yaml") == (tmp_path / "real" / "a.yaml").resolve()
    assert second._real_folders is first._real_folders and str(tmp_path / "link") in (
        second._real_folders
    )
    assert second.real(tmp_path / "link" / "b.yaml") == (tmp_path / "real" / "b.yaml").resolve()
