"""sample_configs/: each sample gives exactly the findings recorded beside it.

`valid/` holds every example and pattern of the service configuration reference, completed into
a whole config; each passes with no error, with the environment variables unset and set.
`invalid/` holds one sample per mistake, most of them a few lines over the base of their
version (`defaults: [base_1_4, _self_]`, the bases in the same folder). `<name>.expected.json`
records every finding of `<name>.yaml` as the JSON report gives it, with its fixes (files
relative to the sample's folder), with the variables of ENV set: `python -m pytest --update`
writes it from what the code gives now, for review in the diff. A valid sample without an
expected file must give no finding at all; with the variables unset, the `env-unset` notes for
them are left out of the comparison (they are tested in test_validate.py).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLES, Recorded
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
# Rules a file alone cannot show: a failure of the tool, a command-line override, a
# difference from Hydra (--hydra-check).
NOT_FROM_A_FILE = {"internal-error", "override", "hydra-check"}


def record_of(path: Path) -> Path:
    return path.with_name(path.stem + ".expected.json")


def expected(path: Path) -> list[dict[str, Any]]:
    record = record_of(path)
    if not record.exists():
        return []
    return json.loads(record.read_text(encoding="utf-8"))


def version_of(path: Path) -> str:
    """The NexRL version a sample is written for: a `# nexrl-version: X` line at its head, else
    the tests' (NexRL 1.0's shape)."""
    head = path.read_text(encoding="utf-8", errors="replace").splitlines()[:5]
    found = [re.match(r"#\s*nexrl-version:\s*(\S+)", line) for line in head]
    return next((m.group(1) for m in found if m), VERSION)


def as_recorded(finding: Finding, folder: Path) -> dict[str, Any]:
    """A finding as the JSON report gives it, its files relative to the sample's folder."""
    item = finding.as_dict()
    item["file"] = os.path.relpath(str(item["file"]), folder)
    item["fixes"] = [{**e, "file": os.path.relpath(e["file"], folder)} for e in item["fixes"]]  # type: ignore[attr-defined]
    return item


def record(path: Path, found: list[Finding]) -> str:
    """The text of `path`'s record: its findings in file order, or nothing when none."""
    items = sorted(
        (as_recorded(f, path.parent) for f in found),
        key=lambda i: (i["file"] != path.name, i["file"], i["line"], i["column"], i["rule"]),
    )
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n" if items else ""


def names(folder: Path) -> list[str]:
    """The samples of `folder`; the bases (`base_*.yaml`), which the samples include, pass."""
    return sorted(p.name for p in folder.glob("*.yaml") if not p.name.startswith("base_"))


def test_every_spec_example_has_a_valid_sample() -> None:
    assert set(SPEC_SAMPLES) <= set(names(VALID))


@pytest.mark.parametrize("name", names(VALID))
def test_valid_sample_passes_with_variables_set(name: str, recorded: Recorded) -> None:
    path = VALID / name
    found = check(path, ENV, fixes=True, nexrl_version=version_of(path))
    assert not errors(found), name
    recorded(record_of(path), record(path, found))


@pytest.mark.parametrize("name", names(VALID))
def test_valid_sample_passes_with_variables_unset(name: str) -> None:
    path = VALID / name
    found = check(path, {}, fixes=True, nexrl_version=version_of(path))
    assert not errors(found), name
    assert all(f.severity.value == "info" for f in found if f.rule == "env-unset")
    found = [f for f in found if f.rule != "env-unset"]
    assert record(path, found) == (record_of(path).read_text("utf-8") if expected(path) else "")


@pytest.mark.parametrize("name", names(INVALID))
def test_invalid_sample_gives_what_is_recorded(name: str, recorded: Recorded) -> None:
    path = INVALID / name
    found = check(path, ENV, fixes=True, nexrl_version=version_of(path))
    assert found, f"{name} gives no finding: an invalid sample shows a mistake"
    recorded(record_of(path), record(path, found))


def test_every_rule_has_an_invalid_sample() -> None:
    recorded = {str(item["rule"]) for name in names(INVALID) for item in expected(INVALID / name)}
    missing = sorted({r.id for r in all_rules()} - recorded - NOT_FROM_A_FILE)
    assert not missing, (
        f"no invalid sample shows {missing}: add sample_configs/invalid/<name>.yaml (the base of "
        "its version and a few lines) and record its findings: python -m pytest --update"
    )


def test_every_record_belongs_to_a_sample() -> None:
    for path in sorted(SAMPLES.glob("*/*.expected.json")):
        assert path.with_name(path.name.replace(".expected.json", ".yaml")).exists(), path
