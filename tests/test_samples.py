"""sample_configs/: each sample gives exactly the findings recorded beside it.

`valid/` holds every example and pattern of the service configuration reference, completed into
a whole config; each passes with no error, with the environment variables unset and set.
`invalid/` holds one sample per mistake. `<name>.expected.json` lists the findings of
`<name>.yaml` as `{rule, severity, line, column, key}` (plus an optional `contains`: text the
message or hint must include), checked with the variables of ENV set. A valid sample without an
expected file must give no finding at all; with the variables unset, the `env-unset` notes for
them are left out of the comparison (they are tested in test_validate.py).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import SAMPLES
from helpers import VERSION, check, errors

from nexrl_cfg.finding import Finding
from nexrl_cfg.rules import all_rules

VALID = SAMPLES / "valid"
INVALID = SAMPLES / "invalid"

# What a cluster would export; every variable the samples read except the one env_unset.yaml
# leaves unset on purpose.
ENV = {
    "INFERENCE_BASE_URL": "http://inference:8000",
    "NEXRL_MODEL_PATH": "/models",
    "NEXRL_DATA_PATH": "/data",
    "EXPERIMENT_PATH": "/exp",
    "API_SERVER_URL": "trainer",
    "OPENAI_API_KEY": "sk-test-0000000000000000",
    "TINKER_API_KEY": "tk-test-0000000000000000",
}

# The reference's examples and patterns, each completed into a whole config.
SPEC_SAMPLES = (
    "sglang_inference.yaml",  # Inference Service Configuration: SGLang Backend
    "vllm_inference.yaml",  # vLLM Backend
    "openai_inference.yaml",  # OpenAI-Compatible API
    "http_nextrainer.yaml",  # Training Service Configuration: HTTP Backend (NexTrainer)
    "self_hosted_dev.yaml",  # Common Patterns: Self-Hosted Development
    "production_self_hosted.yaml",  # Production Self-Hosted
    "openai_api.yaml",  # OpenAI API
)

# Rules no file can trigger: a failure of the tool itself.
NOT_FROM_A_FILE = {"internal-error"}

Row = tuple[str, str, int, int, str]


def expected(path: Path) -> list[dict[str, object]]:
    record = path.with_name(path.stem + ".expected.json")
    if not record.exists():
        return []
    return json.loads(record.read_text(encoding="utf-8"))


def version_of(path: Path) -> str:
    """The NexRL version a sample is written for: a `# nexrl-version: X` line at its head, else
    the tests' (NexRL 1.0's shape)."""
    head = path.read_text(encoding="utf-8", errors="replace").splitlines()[:5]
    found = [re.match(r"#\s*nexrl-version:\s*(\S+)", line) for line in head]
    return next((m.group(1) for m in found if m), VERSION)


def row(item: Finding | dict[str, object]) -> Row:
    if isinstance(item, Finding):
        return (item.rule, item.severity.value, item.line, item.column, item.key)
    return (
        str(item["rule"]),
        str(item["severity"]),
        int(item["line"]),  # type: ignore[call-overload]
        int(item["column"]),  # type: ignore[call-overload]
        str(item["key"]),
    )


def assert_recorded(path: Path, found: list[Finding]) -> None:
    want = expected(path)
    got = Counter(row(f) for f in found)
    assert got == Counter(row(w) for w in want), (
        f"{path.name}: recorded {sorted(row(w) for w in want)}, got {sorted(got)}: "
        f"{[(f.rule, f.line, f.message) for f in found]}"
    )
    for item in want:
        if "contains" not in item:
            continue
        texts = [f.message + " " + f.hint for f in found if row(f) == row(item)]
        assert any(str(item["contains"]) in t for t in texts), (path.name, item, texts)


def names(folder: Path) -> list[str]:
    """The samples of `folder`; the bases (`base_*.yaml`), which the samples include, pass."""
    return sorted(p.name for p in folder.glob("*.yaml") if not p.name.startswith("base_"))


def test_every_spec_example_has_a_valid_sample() -> None:
    assert set(SPEC_SAMPLES) <= set(names(VALID))


@pytest.mark.parametrize("name", names(VALID))
def test_valid_sample_passes_with_variables_set(name: str) -> None:
    path = VALID / name
    found = check(path, ENV, nexrl_version=version_of(path))
    assert not errors(found), name
    assert_recorded(path, found)


@pytest.mark.parametrize("name", names(VALID))
def test_valid_sample_passes_with_variables_unset(name: str) -> None:
    path = VALID / name
    found = check(path, {}, nexrl_version=version_of(path))
    assert not errors(found), name
    assert all(f.severity.value == "info" for f in found if f.rule == "env-unset")
    assert_recorded(path, [f for f in found if f.rule != "env-unset"])


@pytest.mark.parametrize("name", names(INVALID))
def test_invalid_sample_gives_what_is_recorded(name: str) -> None:
    path = INVALID / name
    assert expected(path), f"{name} has no {path.stem}.expected.json"
    assert_recorded(path, check(path, ENV, nexrl_version=version_of(path)))


def test_every_rule_has_an_invalid_sample() -> None:
    recorded = {str(item["rule"]) for name in names(INVALID) for item in expected(INVALID / name)}
    missing = sorted({r.id for r in all_rules()} - recorded - NOT_FROM_A_FILE)
    assert not missing, (
        f"no invalid sample shows {missing}: add sample_configs/invalid/<name>.yaml and its "
        "<name>.expected.json"
    )


def test_every_record_belongs_to_a_sample() -> None:
    for record in sorted(SAMPLES.glob("*/*.expected.json")):
        assert record.with_name(record.name.replace(".expected.json", ".yaml")).exists(), record
