"""NexRL's start-up assertions, each a rule, on composed configs (a common.yaml and an entry
config that includes it): the rule, the key, the file and the line of every finding."""

from __future__ import annotations

from pathlib import Path

import pytest
from configs import base, position, put, split
from helpers import CLUSTER, check, errors, write

from nexrl_cfg.finding import Finding

# The 1.0 base cut in two as recipes are: common.yaml, and an entry config that includes it
# and writes the trainer, the weight sync's method and paths, the services and their GPUs.
ENTRY_KEYS = (
    "resource.train",
    "resource.inference",
    "trainer.type",
    "trainer.sync_weight_path",
    "trainer.algorithm",
    "weight.sync_method",
    "weight.sync_weight_path",
    "service",
)
COMMON, _ENTRY = split(
    put(base("1.0"), "trainer.sync_weight_path", '"${oc.env:EXPERIMENT_PATH}/sync_weight"'),
    ENTRY_KEYS,
)
SELF_HOSTED = "defaults:\n  - common\n  - _self_\n" + _ENTRY

TINKER = """
defaults:
  - common
  - _self_

trainer:
  type: "remote_api_grpo"

weight:
  sync_method: "tinker"

service:
  inference_service:
    model_tag: "default"
    model: "Qwen/Qwen3-8B"
    max_tokens: ${data.max_response_length}
    tokenizer: null
    backend: tinker
    weight_type: ""

  tinker_service:
    base_url: null
    lora_rank: 32
    api_key: "${oc.env:TINKER_API_KEY}"

  train_service:
    model_tag: "default"
    backend: tinker
    config:
      loss_fn: "importance_sampling"
      learning_rate: 1e-4
"""

ENV = CLUSTER

STARTUP_RULES = {
    "batch-ready-order",
    "sync-mode-order",
    "batch-size-pool",
    "sync-weight-path",
    "remote-backend",
    "weight-provider",
    "max-tokens-match",
    "model-tag-match",
}


def recipe(
    folder: Path,
    entry: str = SELF_HOSTED,
    common: str = COMMON,
    edit_common: tuple[str, str] | None = None,
    edit_entry: tuple[str, str] | None = None,
) -> tuple[Path, Path]:
    """A recipe folder: common.yaml and entry.yaml, each with at most one text replaced."""
    if edit_common:
        assert edit_common[0] in common, edit_common
        common = common.replace(*edit_common)
    if edit_entry:
        assert edit_entry[0] in entry, edit_entry
        entry = entry.replace(*edit_entry)
    return write(folder, "common.yaml", common), write(folder, "entry.yaml", entry)


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [n for n, line in enumerate(lines, 1) if text in line]
    if len(found) > 1:
        found = [n for n in found if lines[n - 1].strip().startswith(text)]
    assert len(found) == 1, (text, found)
    return found[0]


def startup(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule in STARTUP_RULES]


def only(findings: list[Finding], rule: str) -> Finding:
    found = startup(findings)
    assert [f.rule for f in found] == [rule], [(f.rule, f.key, f.line, f.message) for f in found]
    assert found[0].severity.value == "error"
    return found[0]


@pytest.mark.parametrize("environ", [{}, ENV], ids=["env-unset", "env-set"])
@pytest.mark.parametrize("entry", [SELF_HOSTED, TINKER], ids=["self_hosted", "tinker"])
def test_consistent_recipe_has_no_error(tmp_path: Path, entry: str, environ: dict) -> None:
    _, path = recipe(tmp_path, entry)
    assert not errors(check(path, environ)), [(f.rule, f.message) for f in check(path, environ)]


# -- keep_batch_order and check_batch_ready_function --------------------------------------
def test_loaded_batch_check_needs_keep_batch_order_in_common(tmp_path: Path) -> None:
    # Both values come from common.yaml: the finding is there, at keep_batch_order.
    common, entry = recipe(
        tmp_path,
        edit_common=("keep_batch_order: true", "keep_batch_order: false"),
    )
    found = [f for f in startup(check(entry, ENV)) if f.rule == "batch-ready-order"]
    assert len(found) == 1
    assert (found[0].key, found[0].file, found[0].line) == (
        "data.keep_batch_order",
        str(common),
        line_of(common, "keep_batch_order: false"),
    )
    assert "trajectory_pool.check_batch_ready_function" in found[0].message


def test_batch_ready_function_overridden_in_entry_is_blamed(tmp_path: Path) -> None:
    # keep_batch_order comes from common.yaml; the entry overrides the function: report there.
    _, entry = recipe(
        tmp_path,
        edit_entry=(
            "weight:\n",
            'trajectory_pool:\n  check_batch_ready_function: "batch_size_reached"\n\nweight:\n',
        ),
    )
    found = only(check(entry, ENV), "batch-ready-order")
    assert (found.key, found.file, found.line) == (
        "trajectory_pool.check_batch_ready_function",
        str(entry),
        line_of(entry, "batch_size_reached"),
    )
    assert "data.keep_batch_order" in found.message


def test_keep_batch_order_needs_loaded_batch_check(tmp_path: Path) -> None:
    common, entry = recipe(
        tmp_path,
        edit_common=('"loaded_batch_finished"', '"batch_size_reached"'),
    )
    found = only(check(entry, ENV), "batch-ready-order")
    assert (found.key, found.file, found.line) == (
        "trajectory_pool.check_batch_ready_function",
        str(common),
        line_of(common, "batch_size_reached"),
    )


def test_combined_batch_ready_function_keeps_order(tmp_path: Path) -> None:
    _, entry = recipe(
        tmp_path,
        edit_common=('"loaded_batch_finished"', '"batch_size_reached_and_loaded_batch_finished"'),
    )
    assert not startup(check(entry, ENV))


# -- data.batch_size <= trajectory_pool.batch_size ------------------------------------------
def test_data_batch_size_larger_than_pool(tmp_path: Path) -> None:
    common, entry = recipe(tmp_path, edit_common=("batch_size: 32", "batch_size: 4"))
    found = only(check(entry, ENV), "batch-size-pool")
    # Both in common.yaml: reported at data.batch_size, naming the pool's key.
    assert (found.key, found.file, found.line) == (
        "data.batch_size",
        str(common),
        line_of(common, "batch_size: 8"),
    )
    assert "trajectory_pool.batch_size" in found.message


def test_data_batch_size_overridden_in_entry(tmp_path: Path) -> None:
    _, entry = recipe(tmp_path, edit_entry=("weight:\n", "data:\n  batch_size: 512\n\nweight:\n"))
    found = only(check(entry, ENV), "batch-size-pool")
    assert (found.key, found.file, found.line) == (
        "data.batch_size",
        str(entry),
        line_of(entry, "batch_size: 512"),
    )


def test_equal_batch_sizes_pass(tmp_path: Path) -> None:
    _, entry = recipe(tmp_path, edit_common=("batch_size: 32", "batch_size: 8"))
    assert not startup(check(entry, ENV))


# -- keep_batch_order and weight.sync_mode ---------------------------------------------------
@pytest.mark.parametrize("mode", ["fully-async"])
def test_fully_async_mode_overridden_in_entry(tmp_path: Path, mode: str) -> None:
    _, entry = recipe(
        tmp_path,
        edit_entry=('  sync_method: "disk"', f'  sync_method: "disk"\n  sync_mode: "{mode}"'),
    )
    found = only(check(entry, ENV), "sync-mode-order")
    assert (found.key, found.file, found.line) == (
        "weight.sync_mode",
        str(entry),
        line_of(entry, mode),
    )
    assert "data.keep_batch_order" in found.message


def test_batch_async_mode_keeps_order(tmp_path: Path) -> None:
    _, entry = recipe(tmp_path, edit_common=('sync_mode: "sync"', 'sync_mode: "batch-async"'))
    assert not startup(check(entry, ENV))


def test_unordered_batches_in_sync_mode(tmp_path: Path) -> None:
    common, entry = recipe(
        tmp_path,
        edit_common=("keep_batch_order: true", "keep_batch_order: false"),
    )
    found = startup(check(entry, ENV))
    # Both assertions NexRL makes about keep_batch_order fail, both at the same value.
    assert sorted(f.rule for f in found) == ["batch-ready-order", "sync-mode-order"]
    for f in found:
        assert (f.key, f.file, f.line) == (
            "data.keep_batch_order",
            str(common),
            line_of(common, "keep_batch_order: false"),
        )


def test_fully_async_without_kept_order_passes(tmp_path: Path) -> None:
    common = (
        COMMON.replace("keep_batch_order: true", "keep_batch_order: false")
        .replace('"loaded_batch_finished"', '"batch_size_reached"')
        .replace('sync_mode: "sync"', 'sync_mode: "fully-async"')
    )
    _, entry = recipe(tmp_path, common=common)
    assert not startup(check(entry, ENV))


# -- sync_weight_path -------------------------------------------------------------------------
def test_sync_weight_paths_differ(tmp_path: Path) -> None:
    _, entry = recipe(
        tmp_path,
        edit_entry=(
            "  sync_weight_path: ${trainer.sync_weight_path}",
            '  sync_weight_path: "/elsewhere/sync_weight"',
        ),
    )
    # Unset, EXPERIMENT_PATH could be /elsewhere: not judged.
    assert not startup(check(entry, {}))
    found = only(check(entry, ENV), "sync-weight-path")
    assert (found.key, found.file, found.line) == (
        "weight.sync_weight_path",
        str(entry),
        line_of(entry, 'sync_weight_path: "/elsewhere'),
    )
    assert "trainer.sync_weight_path" in found.message
    # The environment's value is never printed; the expression is.
    assert "/exp/" not in found.message
    assert "${oc.env:EXPERIMENT_PATH}/sync_weight" in found.message


def test_same_unset_expression_is_equal(tmp_path: Path) -> None:
    # Both written as the same env expression: equal without knowing EXPERIMENT_PATH.
    _, entry = recipe(
        tmp_path,
        edit_entry=(
            "  sync_weight_path: ${trainer.sync_weight_path}",
            '  sync_weight_path: "${oc.env:EXPERIMENT_PATH}/sync_weight"',
        ),
    )
    assert not startup(check(entry, {}))


def test_different_unset_expressions_are_not_judged(tmp_path: Path) -> None:
    _, entry = recipe(
        tmp_path,
        edit_entry=(
            "  sync_weight_path: ${trainer.sync_weight_path}",
            '  sync_weight_path: "${oc.env:SYNC_DIR}/sync_weight"',
        ),
    )
    assert not startup(check(entry, {}))
    # Once set, the two are known and differ.
    found = only(check(entry, {**ENV, "SYNC_DIR": "/other"}), "sync-weight-path")
    assert found.key == "weight.sync_weight_path"


def test_empty_trainer_sync_weight_path(tmp_path: Path) -> None:
    _, entry = recipe(
        tmp_path,
        edit_entry=(
            '  sync_weight_path: "${oc.env:EXPERIMENT_PATH}/sync_weight"',
            '  sync_weight_path: ""',
        ),
    )
    found = only(check(entry, ENV), "sync-weight-path")
    assert (found.key, found.line) == ("trainer.sync_weight_path", line_of(entry, '""'))
    assert "empty" in found.message


def test_trainer_path_without_weight_path(tmp_path: Path) -> None:
    _, entry = recipe(
        tmp_path, edit_entry=("  sync_weight_path: ${trainer.sync_weight_path}\n", "")
    )
    found = only(check(entry, ENV), "sync-weight-path")
    # Reported at the section where the key is missing.
    assert (found.key, found.file, found.line) == (
        "weight.sync_weight_path",
        str(entry),
        line_of(entry, "weight:"),
    )


def test_null_trainer_path_is_not_checked(tmp_path: Path) -> None:
    _, entry = recipe(
        tmp_path,
        edit_entry=(
            '  sync_weight_path: "${oc.env:EXPERIMENT_PATH}/sync_weight"',
            "  sync_weight_path: null",
        ),
    )
    assert not [f for f in check(entry, ENV) if f.rule == "sync-weight-path"]


# -- tinker and weaver ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "key, old, new",
    [
        ("weight.sync_method", 'sync_method: "tinker"', 'sync_method: "disk"'),
        (
            "service.inference_service.backend",
            "backend: tinker\n    weight_type",
            "backend: sglang",
        ),
        ("service.train_service.backend", "backend: tinker\n    config", "backend: http"),
    ],
)
def test_tinker_needs_all_three(tmp_path: Path, key: str, old: str, new: str) -> None:
    rest = old.partition("\n")[1:]
    _, entry = recipe(tmp_path, TINKER, edit_entry=(old, new + "".join(rest)))
    found = only(check(entry, ENV), "remote-backend")
    assert (found.key, found.file, found.line) == (key, str(entry), line_of(entry, new))
    assert '"tinker"' in found.message


def test_one_tinker_part_in_a_self_hosted_run_is_the_odd_one(tmp_path: Path) -> None:
    _, entry = recipe(tmp_path, edit_entry=('sync_method: "disk"', 'sync_method: "tinker"'))
    found = only(check(entry, ENV), "remote-backend")
    assert (found.key, found.line) == ("weight.sync_method", line_of(entry, '"tinker"'))
    assert "service.train_service.backend" in found.message
    assert "service.inference_service.backend" in found.message


def test_weaver_needs_all_three(tmp_path: Path) -> None:
    weaver = TINKER.replace("tinker", "weaver").replace("TINKER", "WEAVER")
    _, entry = recipe(
        tmp_path, weaver, edit_entry=('sync_method: "weaver"', 'sync_method: "tinker"')
    )
    found = startup(check(entry, ENV))
    assert [(f.rule, f.key) for f in found] == [("remote-backend", "weight.sync_method")]
    assert '"weaver"' in found[0].message


@pytest.mark.parametrize("service", ["tinker", "weaver"])
def test_empty_api_key(tmp_path: Path, service: str) -> None:
    text = TINKER.replace("tinker", service).replace("TINKER", service.upper())
    expression = f'"${{oc.env:{service.upper()}_API_KEY}}"'
    _, entry = recipe(tmp_path, text, edit_entry=(expression, '""'))
    found = only(check(entry, ENV), "remote-backend")
    assert (found.key, found.line) == (
        f"service.{service}_service.api_key",
        line_of(entry, 'api_key: ""'),
    )


def test_api_key_empty_from_environment_is_not_printed(tmp_path: Path) -> None:
    _, entry = recipe(
        tmp_path, TINKER, edit_entry=('"${oc.env:TINKER_API_KEY}"', '"${oc.env:TINKER_API_KEY,}"')
    )
    assert not startup(check(entry, ENV))  # set: a real key
    found = only(check(entry, {}), "remote-backend")  # unset: the default, empty
    assert found.key == "service.tinker_service.api_key"
    assert "${oc.env:TINKER_API_KEY,}" in found.message


def test_api_key_unset_variable_is_not_judged(tmp_path: Path) -> None:
    _, entry = recipe(tmp_path, TINKER)
    assert not startup(check(entry, {}))


def test_missing_tinker_service(tmp_path: Path) -> None:
    start = TINKER.index("  tinker_service:")
    text = TINKER[:start] + TINKER[TINKER.index("  train_service:") :]
    assert "tinker_service" not in text
    _, entry = recipe(tmp_path, text)
    # One missing section, one finding: missing-required's; remote-backend's missing api_key
    # inside it stands down.
    findings = check(entry, ENV)
    assert not startup(findings)
    (found,) = [f for f in findings if f.rule == "missing-required"]
    assert found.key == "service.tinker_service"
    assert found.line == line_of(entry, "service:")
    assert ENV["TINKER_API_KEY"][3:11] not in found.message


def test_api_key_value_is_never_printed(tmp_path: Path) -> None:
    _, entry = recipe(tmp_path, TINKER, edit_entry=('sync_method: "tinker"', 'sync_method: "disk"'))
    for f in check(entry, ENV):
        assert ENV["TINKER_API_KEY"][3:11] not in f.message + f.hint


# -- network weight sync ----------------------------------------------------------------------
def test_network_sync_needs_weight_provider(tmp_path: Path) -> None:
    _, entry = recipe(tmp_path, edit_entry=('sync_method: "disk"', 'sync_method: "network"'))
    found = only(check(entry, ENV), "weight-provider")
    assert (found.key, found.file, found.line) == (
        "service.train_service.actor.rollout.use_weight_provider",
        str(entry),
        line_of(entry, "use_weight_provider: false"),
    )


def test_network_sync_with_weight_provider_passes(tmp_path: Path) -> None:
    _, entry = recipe(tmp_path, edit_entry=('sync_method: "disk"', 'sync_method: "network"'))
    entry.write_text(entry.read_text().replace("provider: false", "provider: true"))
    assert not startup(check(entry, ENV))


def test_network_sync_without_rollout_section(tmp_path: Path) -> None:
    _, entry = recipe(tmp_path, edit_entry=('sync_method: "disk"', 'sync_method: "network"'))
    entry.write_text(put(entry.read_text(), "service.train_service.actor.rollout", None))
    # The missing section is missing-required's; weight-provider's finding about the
    # use_weight_provider it lacks stands down (one finding per missing key).
    findings = check(entry, ENV)
    assert not startup(findings)
    (found,) = [f for f in findings if f.rule == "missing-required"]
    assert found.key == "service.train_service.actor.rollout"
    assert found.line == position(entry.read_text(), "    actor:\n      model:")[0]


def test_network_sync_nested_train_service(tmp_path: Path) -> None:
    text = SELF_HOSTED.replace('sync_method: "disk"', 'sync_method: "network"').replace(
        '  train_service:\n    model_tag: "default"\n    backend: http',
        '  train_service:\n    main_actor:\n      role: actor\n      model_tag: "default"\n'
        "      backend: http",
    )
    # Re-indent the rest of the service under main_actor.
    head, _, tail = text.partition("      backend: http\n")
    tail = "".join("  " + line if line.strip() else line for line in tail.splitlines(True))
    _, entry = recipe(tmp_path, head + "      backend: http\n" + tail)
    found = [f for f in check(entry, ENV) if f.rule == "weight-provider"]
    assert [f.key for f in found] == [
        "service.train_service.main_actor.actor.rollout.use_weight_provider"
    ]


# -- all at once, and the trainer decides what is required ------------------------------------
def test_every_violation_is_reported_at_once(tmp_path: Path) -> None:
    common = COMMON.replace("keep_batch_order: true", "keep_batch_order: false").replace(
        "batch_size: 32", "batch_size: 4"
    )
    entry_text = (
        SELF_HOSTED.replace('sync_method: "disk"', 'sync_method: "network"')
        .replace("  sync_weight_path: ${trainer.sync_weight_path}", '  sync_weight_path: "/x"')
        .replace("max_tokens: ${data.max_response_length}", "max_tokens: 4096")
    )
    _, entry = recipe(tmp_path, entry_text, common)
    rules = sorted({f.rule for f in errors(check(entry, ENV))})
    assert rules == [
        "batch-ready-order",
        "batch-size-pool",
        "max-tokens-match",
        "sync-mode-order",
        "sync-weight-path",
        "weight-provider",
    ]


SFT = """
defaults:
  - common
  - _self_

trainer:
  type: "self_hosted_cross_entropy"
  sync_weight_path: "${oc.env:EXPERIMENT_PATH}/sync_weight"

weight:
  sync_method: "disk"
  sync_weight_path: ${trainer.sync_weight_path}

service:
  train_service:
    model_tag: "default"
    backend: http
    world_size: 8
    url: "http://${oc.env:API_SERVER_URL}:8000"
    actor:
      model:
        path: "${oc.env:NEXRL_MODEL_PATH}/model"
      micro_batch_size: 4
      optim:
        lr: 1e-4
"""


def test_cross_entropy_trainer_without_inference_service(tmp_path: Path) -> None:
    # NexRL registers no self_hosted_cross_entropy trainer and reads the inference service
    # at start-up whatever the trainer (NexRL's own pig_latin/self_hosted.yaml fails so).
    _, entry = recipe(tmp_path, SFT)
    found = {(f.rule, f.key) for f in errors(check(entry, ENV))}
    assert ("missing-required", "service.inference_service") in found


def test_micro_batch_size_is_read_by_no_nexrl(tmp_path: Path) -> None:
    _, entry = recipe(tmp_path, SFT)
    found = [f for f in check(entry, ENV) if f.key.endswith(".micro_batch_size")]
    # NexRL's own SFT recipe writes it: a note that it has no effect.
    assert [(f.rule, f.severity.value) for f in found] == [("unknown-key", "info")]


def test_rl_trainer_needs_ppo_batch_sizes(tmp_path: Path) -> None:
    _, entry = recipe(
        tmp_path, SFT, edit_entry=('"self_hosted_cross_entropy"', '"self_hosted_grpo"')
    )
    keys = {f.key for f in errors(check(entry, ENV)) if f.rule == "missing-required"}
    assert {
        "service.train_service.actor.ppo_micro_batch_size",
        "service.train_service.actor.ppo_mini_batch_size",
    } <= keys


def test_model_tag_of_the_nested_actor_service(tmp_path: Path) -> None:
    text = TINKER.replace(
        '  train_service:\n    model_tag: "default"\n    backend: tinker\n    config:\n'
        '      loss_fn: "importance_sampling"\n      learning_rate: 1e-4\n',
        '  train_service:\n    main_actor:\n      role: actor\n      identifier: "student"\n'
        "      backend: tinker\n",
    )
    assert "main_actor" in text
    _, entry = recipe(tmp_path, text)
    # Named services are NexRL 1.2's; 1.4 asserts the tags match at start-up.
    found = only(check(entry, ENV, nexrl_version="1.4"), "model-tag-match")
    assert (found.key, found.line) == (
        "service.train_service.main_actor.identifier",
        line_of(entry, 'identifier: "student"'),
    )
    # A named actor service without a tag is not compared, as in NexRL.
    entry.write_text(entry.read_text().replace('      identifier: "student"\n', ""))
    assert not startup(check(entry, ENV, nexrl_version="1.4"))


def test_same_model_tag_with_a_group_identifier_passes(tmp_path: Path) -> None:
    # Older recipes named the resource group `identifier` beside an equal model_tag.
    _, entry = recipe(
        tmp_path,
        edit_entry=(
            '  train_service:\n    model_tag: "default"\n',
            '  train_service:\n    identifier: "nexrl-group-1"\n    model_tag: "default"\n',
        ),
    )
    assert not startup(check(entry, ENV))


@pytest.mark.parametrize(
    "old, new",
    [
        ("batch_size: 8", "batch_size: ${oc.env:DATA_BATCH}"),
        ("keep_batch_order: true", "keep_batch_order: ${oc.env:KEEP_ORDER}"),
        ('sync_mode: "sync"', "sync_mode: ${oc.env:SYNC_MODE}"),
    ],
)
def test_values_waiting_on_unset_variables_are_not_judged(
    tmp_path: Path, old: str, new: str
) -> None:
    _, entry = recipe(tmp_path, edit_common=(old, new))
    assert not startup(check(entry, ENV))
