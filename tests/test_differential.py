"""The composer against Hydra 1.3.2 itself (as NexRL pins it): generated config folders and
command lines, and cases written by hand, composed and resolved by both (see
`differential.py`). Where Hydra composes, nexrl-cfg gives the same config and no error; where
Hydra fails, nexrl-cfg reports an error.

The normal run checks the cases written by hand and a few dozen generated ones (a few
seconds). A larger run: `NEXRL_CFG_DIFFERENTIAL=2000 python -m pytest tests/test_differential.py`
(the number of generated cases; `NEXRL_CFG_DIFFERENTIAL_SEED` moves the first seed), or
`python tests/differential.py --cases 2000` for the counts and the cases that differ.
"""

from __future__ import annotations

import os

import pytest

pytest.importorskip("hydra", reason="hydra-core is needed to compare with Hydra")

import differential

GENERATED = int(os.environ.get("NEXRL_CFG_DIFFERENTIAL", "20"))
FIRST = int(os.environ.get("NEXRL_CFG_DIFFERENTIAL_SEED", "0"))


@pytest.mark.parametrize("index", range(len(differential.CASES) + len(differential.NAMED)))
def test_written_case_agrees_with_hydra(index: int) -> None:
    case = differential.written(index)
    outcome, ours, hydra = differential.compare(case)
    assert outcome == "agree", differential.describe(case, ours, hydra, outcome)


def test_generated_folders_agree_with_hydra() -> None:
    misses = []
    for seed in range(FIRST, FIRST + GENERATED):
        case = differential.generate(seed)
        outcome, ours, hydra = differential.compare(case)
        if outcome != "agree":
            misses.append(differential.describe(case, ours, hydra, outcome))
    # A large run may meet a rare difference; the normal run meets none.
    allowed = GENERATED // 200
    assert len(misses) <= allowed, f"{len(misses)} of {GENERATED} differ:\n\n" + "\n\n".join(
        misses[:5]
    )


def test_the_generator_makes_what_it_says() -> None:
    cases = [differential.generate(seed) for seed in range(40)]
    texts = "".join("".join(case.files.values()) for case in cases)
    for feature in ("override ", "optional ", "_self_", "@package", "???", "${", "null", ": ["):
        assert feature in texts, feature
    arguments = " ".join(" ".join(case.overrides) for case in cases)
    for feature in ("++", " +", "~", "={"):
        assert feature in arguments, feature
