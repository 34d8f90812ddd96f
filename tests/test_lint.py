"""Comparing values that wait on unset environment variables: judged only when certain."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import check, write

from nexrl_cfg.config import ABSENT
from nexrl_cfg.resolve import Unknown
from nexrl_cfg.rules._values import differ

EXP = Unknown("\x00env:EXPERIMENT_PATH\x00/sync_weight", ("EXPERIMENT_PATH",))
OTHER = Unknown("\x00env:OTHER\x00/sync_weight", ("OTHER",))
BROKEN = Unknown("\x00error:a.b\x00", ())


@pytest.mark.parametrize(
    ("a", "b", "certain"),
    [
        (1, 1, False),
        (1, 2, True),
        ("x", ABSENT, False),
        (EXP, EXP, False),  # the same expression
        (EXP, OTHER, False),  # two unset variables may hold the same value
        (EXP, "/tmp/other", True),  # no value of EXPERIMENT_PATH ends it in /tmp/other
        (EXP, "/exp/sync_weight", False),
        ("/tmp/other", EXP, True),
        (EXP, 8192, False),
        (BROKEN, "x", False),  # an unresolvable value is not judged
    ],
)
def test_differ_only_when_certain(a: object, b: object, certain: bool) -> None:
    assert differ(a, b) is certain


def test_a_literal_path_that_no_variable_can_match_is_an_error(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        "run.yaml",
        """
        trainer:
          sync_weight_path: "${oc.env:EXPERIMENT_PATH}/sync_weight"
        weight:
          sync_weight_path: "/tmp/other"
        service:
          train_service:
            backend: mock
        """,
    )
    found = [(f.rule, f.key, f.line) for f in check(config) if f.severity.value == "error"]
    assert ("sync-weight-path", "weight.sync_weight_path", 4) in found


def test_a_literal_path_a_variable_can_match_is_not_judged(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        "run.yaml",
        """
        trainer:
          sync_weight_path: "${oc.env:EXPERIMENT_PATH}/sync_weight"
        weight:
          sync_weight_path: "/exp/sync_weight"
        service:
          train_service:
            backend: mock
        """,
    )
    assert not [f for f in check(config) if f.rule == "sync-weight-path"]
