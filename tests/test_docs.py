"""The rule documentation: a page per rule under docs/rules/, generated from the rule
docstrings and fresh; linked from SARIF (`helpUri`), `explain` and the text report. And
`explain` itself: every key a finding prints, at the NexRL version it was checked for, with
NexRL's own documentation named by page and section, never this project's file names."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, SHARED
from helpers import check, cli
from test_samples import expected, version_of

from nexrl_cfg import docs, references
from nexrl_cfg.about import RULE_DOCS, rule_url
from nexrl_cfg.explain import explain
from nexrl_cfg.rules import all_rules

PAGES = ROOT / docs.RULES_DIR
PROJECT = ROOT / "tests" / "fixtures" / "project" / "recipe"
# Findings whose key need not be an option: unknown keys, and reading the YAML (whatever
# key a file has).
UNKNOWN = {"unknown-key"} | {rule.id for rule in all_rules() if rule.stage == "read"}


def test_rule_pages_are_fresh() -> None:
    stale = docs.stale_pages(PAGES)
    assert not stale, f"stale rule pages: {stale}; run `{docs.COMMAND}` and commit docs/rules"


def test_one_page_per_rule_from_its_docstring() -> None:
    names = {p.name for p in PAGES.glob("*.md")}
    assert names == {f"{rule.id}.md" for rule in all_rules()} | {docs.INDEX}
    for rule in all_rules():
        page = (PAGES / f"{rule.id}.md").read_text(encoding="utf-8")
        assert page.startswith(docs.GENERATED) and f"\n# {rule.id}\n" in page
        assert rule.doc.partition("\n")[2].strip() in page
        assert f"Default severity: **{rule.severity.value}**" in page
    index = (PAGES / docs.INDEX).read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)]+\.md)\)", index)
    assert sorted(links) == sorted(f"{rule.id}.md" for rule in all_rules())


def test_the_generator_finds_and_rewrites_stale_pages(tmp_path: Path) -> None:
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    folder = tmp_path / docs.RULES_DIR
    shutil.copytree(PAGES, folder)
    (folder / "max-tokens-match.md").write_text("old\n", encoding="utf-8")
    (folder / "gone-rule.md").write_text("a rule that no longer exists\n", encoding="utf-8")
    (folder / "yaml-tag.md").unlink()
    assert docs.stale_pages(folder) == ["max-tokens-match.md", "yaml-tag.md", "gone-rule.md"]
    assert docs.main([str(tmp_path / "README.md"), "--check"]) == 1
    assert docs.main([str(tmp_path / "README.md")]) == 0
    assert docs.stale_pages(folder) == []
    assert docs.main([str(tmp_path / "README.md"), "--check"]) == 0


def test_rule_urls_name_the_committed_pages() -> None:
    assert RULE_DOCS.startswith("https://github.com/") and RULE_DOCS.endswith(
        "/blob/main/" + docs.RULES_DIR.as_posix() + "/"
    )
    for rule in all_rules():
        assert (PAGES / rule_url(rule.id).removeprefix(RULE_DOCS)).is_file(), rule.id


def test_sarif_links_each_rule_to_its_page() -> None:
    result = cli(["check", "--format", "sarif", "--nexrl-version", "1.0", str(SAMPLES)])
    (run,) = json.loads(result.stdout)["runs"]
    described = run["tool"]["driver"]["rules"]
    assert len(described) > 5
    for rule in described:
        assert rule["helpUri"] == rule_url(rule["id"])


def test_explain_and_the_text_report_link_the_page() -> None:
    text = explain("max-tokens-match")
    assert text is not None and f"Documentation: {rule_url('max-tokens-match')}" in text
    sample = SAMPLES / "invalid" / "max_tokens_match.yaml"
    out = cli(["check", "--nexrl-version", version_of(sample), str(sample)]).stdout.decode()
    assert out.rstrip().endswith(rule_url("max-tokens-match"))
    assert "For more on a rule: nexrl-cfg explain max-tokens-match or" in out


# -- explain takes every key a finding prints ------------------------------------------------


def printed_keys() -> set[tuple[str, str]]:
    """(key, version) of every finding of the samples (as recorded) and of the project's
    recipes, broken in a few ways, at the version each is checked for."""
    found = set()
    for record in sorted((SAMPLES / "invalid").glob("*.expected.json")):
        sample = record.with_name(record.name.replace(".expected.json", ".yaml"))
        version = version_of(sample)
        found |= {(str(r["key"]), version) for r in expected(sample) if r["rule"] not in UNKNOWN}
    for path in sorted(PROJECT.glob("*/*.yaml")):
        for version in ("1.0", "1.4"):
            findings = check(path, nexrl_version=version)
            found |= {(f.key, version) for f in findings if f.rule not in UNKNOWN}
    return {(key, version) for key, version in found if key}


def test_explain_takes_every_key_a_finding_prints() -> None:
    keys = printed_keys()
    assert len(keys) > 50
    assert any(".main_actor." in key or ".policy_trainer." in key for key, _ in keys)
    refused = sorted((key, version) for key, version in keys if explain(key, version) is None)
    assert not refused, refused


@pytest.mark.parametrize(
    ("key", "option"),
    [
        ("service.train_service.main_actor.identifier", "service.train_service.identifier"),
        ("service.train_service.teacher.actor.optim.lr", "service.train_service.actor.optim.lr"),
        ("trainer.teachers.0.base_model", "trainer.teachers[].base_model"),
        ("resource.train.my_pod.world_size", "resource.train.*.world_size"),
        ("logger.backend.1", "logger.backend"),
        ("service.train_service.backend", "service.train_service.backend"),
    ],
)
def test_explain_maps_a_printed_key_to_its_option(key: str, option: str) -> None:
    text = explain(key, "1.4")
    assert text is not None
    assert f"\n{option}\n{'=' * len(option)}\n" in f"\n{text}"


def test_explain_for_one_version() -> None:
    every = explain("service.train_service.backend")
    one = explain("service.train_service.backend", "1.4")
    assert every is not None and one is not None
    assert every.count("\nNexRL: ") == 2 and one.count("\nNexRL: ") == 1
    assert '"direct-zmq"' in one
    old = explain("service.train_service.model_tag", "1.0")
    assert old is not None and "NexRL:       1.0 to 1.1" in old
    gone = explain("trainer.teachers", "1.0")
    assert gone is not None and gone.startswith("NexRL 1.0 does not read trainer.teachers")
    rule = explain("max-sequence-length", "1.0")
    assert rule is not None and "Not checked for NexRL 1.0." in rule


def test_explain_on_the_command_line_with_a_version() -> None:
    result = cli(["explain", "--nexrl-version", "1.4", "service.train_service.main_actor.role"])
    assert result.returncode == 0
    out = result.stdout.decode()
    assert out.startswith("service.train_service.main_actor.role is the option ")
    assert cli(["explain", "--nexrl-version", "0.9", "role"]).returncode == 2


def test_explain_names_nexrl_documentation_not_file_names() -> None:
    text = explain("service.inference_service.backend", "1.4")
    assert text is not None
    assert "NexRL docs:  Service configuration > Inference service options" in text
    assert "spec/" not in text and ".md" not in text
    logger = explain("logger.backend", "1.4")
    assert logger is not None and "NexRL docs:  Complete configuration reference > Logg" in logger
    # The code of the version asked for.
    (code,) = re.findall(r"^NexRL code:  (.*)$", logger, re.M)
    assert "@v1.4.0" in code and "@v1.0.0" not in code


def test_every_reference_page_cited_has_a_title() -> None:
    from nexrl_cfg import catalogue

    titles = references.table()["pages"]
    cited = {page for e in catalogue.all_entries() for page in references.pages_cited(e.source)}
    assert cited and cited <= set(titles)


def test_the_reference_table_is_fresh() -> None:
    spec = SHARED / "spec"
    if not spec.is_dir():
        pytest.skip(f"NexRL's reference pages are not beside the project ({spec} is missing)")
    fresh = references.dumps(references.generate(spec))
    assert references.TABLE.read_text(encoding="utf-8") == fresh, (
        f"run `{references.COMMAND} {spec}`"
    )


def test_sentence_case_keeps_names() -> None:
    assert references.sentence("Inference Service Options") == "Inference service options"
    assert references.sentence("FSDP Configuration") == "FSDP configuration"
    assert references.sentence("Actor Configuration (NexTrainer)") == (
        "Actor configuration (NexTrainer)"
    )
    assert references.sentence("TRAJECTORY POOL CONFIGURATION") == "Trajectory pool configuration"
