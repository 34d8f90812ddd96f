"""A whole self-hosted config that passes, and a way to break one line of it at a time.

BASE and OPENAI are written as NexRL 1.0 wrote them (model_tag, a flat train_service with
world_size), with every key NexRL 1.0 reads without a default.
"""

from __future__ import annotations

from pathlib import Path

from helpers import check, write

from nexrl_cfg.finding import Finding

BASE = """\
project_name: "nexrl-test"
experiment_name: "debug-run"
launch_mode: "local"
resource:
  agent:
    num_workers: 1
    agents_per_worker: 4
  train:
    actor:
      world_size: 2
  inference:
    replicas: 1
    gpus_per_replica: 1
    served_model_name: "debug-model"
    model_path: "models/debug-model"
rollout_worker:
  type: "simple"
  num_workers: 4
  need_llm_inference: true
  temperature: 1.0
data:
  type: "torch"
  seed: 42
  data_files: "data/train.parquet"
  batch_size: 8
  keep_batch_order: true
  max_response_length: 2048
  tokenizer_path: "models/debug-model"
trajectory_pool:
  batch_size: 32
  check_batch_ready_function: "loaded_batch_finished"
trainer:
  type: "self_hosted_grpo"
  total_train_steps: 10
  save_freq: 0
  sync_weight_path: "outputs/sync_weight"
  algorithm:
    use_kl_in_reward: false
weight:
  sync_mode: "sync"
  staleness_threshold: 0
  validate_freq: 0
  sync_method: "disk"
  sync_weight_path: ${trainer.sync_weight_path}
service:
  inference_service:
    model_tag: "default"
    api_key: "EMPTY"
    base_url: "http://localhost:8000"
    model: "debug-model"
    max_tokens: ${data.max_response_length}
    tokenizer: ${data.tokenizer_path}
    backend: sglang
    max_retries: 3
    freeze_for_weight_sync: true
    weight_type: "sglang_nckpt"
  train_service:
    model_tag: "default"
    backend: http
    world_size: 1
    url: "http://localhost:8001"
    actor:
      model:
        path: "models/debug-model"
      ppo_mini_batch_size: 8
      ppo_micro_batch_size: 2
      clip_ratio: 0.2
      entropy_coeff: 1e-4
      ppo_epochs: 1
      optim:
        lr: 5e-6
        lr_warmup_steps_ratio: 0.0
        warmup_style: constant
      checkpoint_manager: dcp
      grad_clip: 1.0
      clip_ratio_low: 0.2
      clip_ratio_high: 0.2
      loss_agg_mode: token-mean
      loss_func_type: NX_20250515
      use_kl_loss: false
      ulysses_sequence_parallel_size: 1
      use_dynamic_bsz: false
      ppo_max_token_len_per_gpu: 16384
      do_old_log_prob_compute: true
      fsdp_config:
        fsdp_size: -1
      rollout:
        n: 4
        temperature: 1.0
        tensor_model_parallel_size: 1
        log_prob_micro_batch_size: 2
        use_weight_provider: false
validate:
  validate_before_train: false
  data:
    type: "mock"
    batch_size: 4
  eval:
    type: "default"
logger:
  backend: console
resume:
  mode: disable
"""

# The same run against the OpenAI API: no weights to synchronise, a mock trainer.
OPENAI = """\
project_name: "nexrl-test"
experiment_name: "debug-run"
launch_mode: "local"
resource:
  agent:
    num_workers: 1
    agents_per_worker: 4
  train:
    actor:
      world_size: 2
  inference:
    replicas: 1
    gpus_per_replica: 1
    served_model_name: "debug-model"
    model_path: "models/debug-model"
rollout_worker:
  type: "simple"
  num_workers: 4
  need_llm_inference: true
  temperature: 1.0
data:
  type: "mock"
  seed: 42
  batch_size: 32
  keep_batch_order: false
  max_response_length: 4096
trajectory_pool:
  batch_size: 128
  check_batch_ready_function: "batch_size_reached"
trainer:
  type: "self_hosted_grpo"
  total_train_steps: 10
  save_freq: 0
  sync_weight_path: "outputs/sync_weight"
  algorithm:
    use_kl_in_reward: false
weight:
  sync_mode: "fully-async"
  staleness_threshold: 0
  validate_freq: 0
  sync_method: "mock"
  sync_weight_path: ${trainer.sync_weight_path}
service:
  inference_service:
    api_key: "${oc.env:OPENAI_API_KEY}"
    base_url: "https://api.openai.com/v1"
    model: "gpt-4"
    max_tokens: ${data.max_response_length}
    backend: openai
    max_retries: 3
    freeze_for_weight_sync: false
    model_tag: "default"
    weight_type: ""
  train_service:
    model_tag: "default"
    backend: mock
    url: "http://localhost:8001"
    world_size: 1
validate:
  validate_before_train: false
  data:
    type: "mock"
    batch_size: 4
  eval:
    type: "default"
logger:
  backend: console
resume:
  mode: disable
"""


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} is not in the config exactly once"
    return text.replace(old, new)


def position(text: str, needle: str, offset: int = 0) -> tuple[int, int]:
    """1-based line and column of `needle` in `text` (plus `offset` columns)."""
    assert text.count(needle) == 1, f"{needle!r} is not in the config exactly once"
    before = text[: text.index(needle)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1 + offset


def value_at(text: str, pair: str) -> tuple[int, int]:
    """Where the value of `key: value` (written once in `text`) starts."""
    return position(text, pair, pair.index(": ") + 2)


def at_version(text: str, version: str) -> str:
    """A config of BASE's shape as NexRL `version` needs it: 1.4 also reads the rollout's
    longest sequence, which no earlier version knows."""
    if version != "1.4" or "max_sequence_length" in text:
        return text
    return text.replace("rollout_worker:\n", "rollout_worker:\n  max_sequence_length: 8192\n", 1)


def run(
    tmp_path: Path, text: str, environ: dict[str, str] | None = None, **settings: object
) -> list[Finding]:
    return check(write(tmp_path, "run.yaml", text), environ, **settings)


def summary(findings: list[Finding]) -> list[tuple[str, str, str, int, int]]:
    return [(f.rule, f.severity.value, f.key, f.line, f.column) for f in findings]
