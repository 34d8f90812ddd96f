"""`migrate --write` on legacy configs written in every YAML style a config may use: after the
migration, the file is byte for byte what it was, or it parses and what NexRL reads of it
(its own conversion of the legacy layout, `fix.legacy`) is what it read before, but for what
the migration declares it adds.

A legacy config (a flat training service, `resource.train/inference/agent`, `model_tag`s) is
written with a style drawn for each section and value: block or flow sections, plain, single-
or double-quoted scalars, comments before keys and after values, an anchor on a section or a
value with an alias to it elsewhere, CRLF or LF, a byte-order mark or none.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from unittest.mock import patch

import yaml
from helpers import write_path_examples
from hypothesis import event, given
from hypothesis import strategies as st

from nexrl_cfg import app as application
from nexrl_cfg.fix import migrate as migrating
from nexrl_cfg.fix.legacy import read_as

TARGETS = ["1.2", "1.3", "1.4"]


def legacy(draw: Any) -> dict[str, Any]:
    tag = draw(st.sampled_from(["actor", "m1", "policy-7"]))
    pods = draw(st.integers(1, 4))
    config: dict[str, Any] = {
        "service": {
            "inference_service": {
                "backend": draw(st.sampled_from(["sglang", "vllm"])),
                "model_tag": draw(st.sampled_from(["m", "served", "x-1"])),
            },
            "train_service": {
                "model_tag": tag,
                "backend": draw(st.sampled_from(["http", "nextrainer"])),
                "world_size": pods * draw(st.integers(1, 8)),
            },
        },
        "resource": {
            "train": {tag: {"world_size": pods}},
            "inference": {
                "served_model_name": draw(st.sampled_from(["qwen", "model-a"])),
                "model_path": draw(st.sampled_from(["/models/q", "models/a b"])),
                "replicas": draw(st.integers(1, 3)),
            },
            "agent": {"num_workers": draw(st.integers(1, 4)), "agents_per_worker": 2},
        },
        "data": {"max_prompt_length": 512, "max_response_length": 256},
        "rollout_worker": {"max_response_length": 256},
    }
    if draw(st.booleans()):
        del config["resource"]["agent"]
    return config


class Writer:
    """YAML text of a config, a style drawn for each node."""

    def __init__(self, draw: Any) -> None:
        self.draw = draw
        self.anchors = 0
        self.anchored: list[str] = []  # names of anchored scalars, aliased at the end

    def scalar(self, value: Any) -> str:
        if not isinstance(value, str):
            return str(value)
        style = self.draw(st.sampled_from(["plain", "single", "double"]))
        if style == "single" or (style == "plain" and " " in value):
            return "'" + value.replace("'", "''") + "'"
        if style == "double":
            return '"' + value + '"'
        return value

    def flow(self, value: Any) -> str:
        if isinstance(value, dict):
            return "{" + ", ".join(f"{k}: {self.flow(v)}" for k, v in value.items()) + "}"
        return self.scalar(value)

    def block(self, data: dict[str, Any], indent: int, depth: int) -> list[str]:
        lines = []
        pad = " " * indent
        for key, value in data.items():
            if self.draw(st.integers(0, 5)) == 0:
                lines.append(f"{pad}# about {key}")
            if isinstance(value, dict):
                flow = depth >= 1 and self.draw(st.integers(0, 3)) == 0
                if flow:
                    lines.append(f"{pad}{key}: {self.flow(value)}")
                else:
                    lines.append(f"{pad}{key}:{self.anchor(depth)}")
                    lines.extend(self.block(value, indent + 2, depth + 1))
            else:
                comment = "  # note" if self.draw(st.integers(0, 4)) == 0 else ""
                lines.append(f"{pad}{key}: {self.value_anchor()}{self.scalar(value)}{comment}")
        return lines

    def anchor(self, depth: int) -> str:
        if depth >= 1 and self.draw(st.integers(0, 8)) == 0:
            self.anchors += 1
            name = f"s{self.anchors}"
            self.anchored.append(name)
            return f" &{name}"
        return ""

    def value_anchor(self) -> str:
        if self.draw(st.integers(0, 8)) == 0:
            self.anchors += 1
            name = f"v{self.anchors}"
            self.anchored.append(name)
            return f"&{name} "
        return ""

    def write(self, data: dict[str, Any]) -> str:
        lines = self.block(data, 0, 0)
        if self.anchored:
            lines.append("aliases:")
            lines.extend(f"  - *{name}" for name in self.anchored)
        return "\n".join(lines) + "\n"


def _added(data: Any, added: list[tuple[Path, tuple[Any, ...], Any]]) -> Any:
    for _, path, value in added:
        node = data
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value
    return data


@write_path_examples(25)
@given(st.data())
def test_a_migrated_file_parses_and_nexrl_reads_the_same(data: st.DataObject) -> None:
    target = data.draw(st.sampled_from(TARGETS))
    text = Writer(data.draw).write(legacy(data.draw))
    if data.draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    raw = (b"\xef\xbb\xbf" if data.draw(st.booleans()) else b"") + text.encode("utf-8")
    before = yaml.safe_load(raw.decode("utf-8-sig"))

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "run.yaml"
        path.write_bytes(raw)
        migration = application.migrate([str(path)], target)
        application.write_migration(migration)
        after = path.read_bytes()

    if after == raw:
        event("byte for byte" + (" (needs a choice)" if migration.problems else ""))
        return
    event("migrated")
    assert after.startswith(b"\xef\xbb\xbf") == raw.startswith(b"\xef\xbb\xbf")
    migrated = yaml.safe_load(after.decode("utf-8-sig"))
    expected = _added(read_as(before, target), migration.added)
    assert read_as(migrated, target) == expected


@write_path_examples(10)
@given(st.data())
def test_a_folder_migrated_on_every_core_is_migrated_as_in_one_process(
    data: st.DataObject,
) -> None:
    """Configs in folders of their own, migrated by two processes (a group of folders each),
    come out as one process migrates them, files, diff, problems and additions alike."""
    target = data.draw(st.sampled_from(TARGETS))
    texts = [
        Writer(data.draw).write(legacy(data.draw)) for _ in range(data.draw(st.integers(2, 4)))
    ]
    outcomes = []
    for jobs in (1, 2):
        with tempfile.TemporaryDirectory() as folder, patch.object(migrating, "MIN_FILES", 2):
            root = Path(folder)
            for index, text in enumerate(texts):
                (root / f"r{index}").mkdir()
                (root / f"r{index}" / "run.yaml").write_text(text, encoding="utf-8")
            out = migrating.migrate([root], target, jobs=jobs)
            outcomes.append(
                (
                    {p.relative_to(root): c for p, c in out.changes().items()},
                    out.diff().replace(str(root), "<root>"),
                    [line.replace(str(root), "<root>") for line in out.problems],
                    [(p.relative_to(root), k, v) for p, k, v in out.added],
                )
            )
    assert outcomes[0] == outcomes[1]
