"""The read stage reads YAML exactly as OmegaConf (and so NexRL) does, and remembers where
every key and value was written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT_RECIPES, nexrl_recipes
from hypothesis import given, settings
from hypothesis import strategies as st

try:  # omegaconf 2.4 has the loader in its own module; 2.3.0 (NexRL's pin) in _utils
    from omegaconf._yaml import get_yaml_loader
except ImportError:  # pragma: no cover - depends on the installed omegaconf
    from omegaconf._utils import get_yaml_loader  # type: ignore[attr-defined,no-redef]

from nexrl_cfg.read import read_text

SCALARS = [
    "",
    "~",
    "null",
    "Null",
    "true",
    "yes",
    "Off",
    "1",
    "+12",
    "-7",
    "0x1F",
    "0o17",
    "017",
    "1_000",
    "1e-4",
    "1E5",
    "2e+3",
    "1.5",
    "-.5",
    ".5",
    ".inf",
    "-.Inf",
    ".nan",
    "3:25:45",
    "2024-01-01",
    "2024-01-01T10:00:00Z",
    "abc",
    "'1'",
    '"true"',
    "!!str 5",
    "!!float 1",
    "${oc.env:X}",
    "http://x:8000",
    "sk-123",
    "1.0.0",
    "0.1e3",
]


def omegaconf_reads(text: str) -> object:
    return yaml.load(text, Loader=get_yaml_loader())


@pytest.mark.parametrize("scalar", SCALARS)
def test_scalars_are_read_as_omegaconf_reads_them(scalar: str) -> None:
    text = f"value: {scalar}\nlisted:\n  - {scalar}\n"
    assert read_text(text, "x.yaml").data == omegaconf_reads(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789.eE+-_:xo~nulNULtrueyfsaFT ", max_size=12))
def test_any_plain_scalar_is_read_as_omegaconf_reads_it(scalar: str) -> None:
    text = f"value: '{scalar}'\nplain: {scalar.strip() or 'null'}\n"
    doc = read_text(text, "x.yaml")
    try:
        expected = omegaconf_reads(text)
    except yaml.YAMLError:
        return  # not a plain scalar: the YAML itself is malformed
    except ValueError:
        # PyYAML's own int constructor fails on some scalars it resolves as ints ('0x_'):
        # OmegaConf cannot load the file either, so the tool must say so.
        assert doc.findings
        return
    if not doc.findings:
        assert doc.data == expected


def recipe_files() -> list[Path]:
    """The project's recipe-shaped configs, and NexRL's own recipes where they are."""
    folders = [PROJECT_RECIPES, *(f for f in nexrl_recipes().values() if f.is_dir())]
    return sorted(p for folder in folders for p in folder.rglob("*.yaml"))


def test_recipes_are_read_as_omegaconf_reads_them() -> None:
    for path in recipe_files():
        text = path.read_text(encoding="utf-8")
        assert read_text(text, str(path)).data == omegaconf_reads(text), path


def test_keys_and_values_remember_their_position() -> None:
    doc = read_text("service:\n  inference_service:\n    max_tokens: 8192\n", "x.yaml")
    key, value = doc.origins[("service", "inference_service", "max_tokens")]
    assert (key.line, key.column) == (3, 5)
    assert (value.line, value.column) == (3, 17)


def test_pyyaml_s_reader_class_is_compiled_when_used() -> None:
    """`_yaml` leaves a stand-in for PyYAML's non-printable class where `re.compile` finds it
    first: the pattern it stands for is PyYAML's, and used, it finds what PyYAML's finds."""
    import ast

    from nexrl_cfg import _yaml
    from nexrl_cfg.deferred import Deferred

    source = Path(yaml.reader.__file__).read_text(encoding="utf-8")
    (call,) = (
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Assign)
        and any(getattr(t, "id", "") == "NON_PRINTABLE" for t in node.targets)
    )
    assert isinstance(call, ast.Call)
    assert ast.literal_eval(call.args[0]) == _yaml.PYYAML_NON_PRINTABLE
    deferred = Deferred(_yaml.PYYAML_NON_PRINTABLE)
    assert deferred.compiled is None
    text = "plain \x85 \u2028 text\x07 \ud800 \ufffe \U0001f600"
    theirs = re.compile(_yaml.PYYAML_NON_PRINTABLE, re.UNICODE)
    assert deferred.findall(text) == theirs.findall(text) == ["\x07", "\ud800", "\ufffe"]
    assert deferred.pattern == _yaml.PYYAML_NON_PRINTABLE
    # In a run, PyYAML's reader holds the stand-in, not yet compiled.
    code = "import nexrl_cfg.read, yaml\nprint(type(yaml.reader.Reader.NON_PRINTABLE).__name__)"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert shown.strip() == "Deferred"


def test_a_deferred_pattern_copies_and_pickles_as_itself() -> None:
    import copy
    import pickle

    from nexrl_cfg.deferred import Deferred

    deferred = Deferred("[ab]")
    for again in (
        copy.copy(deferred),
        copy.deepcopy(deferred),
        pickle.loads(pickle.dumps(deferred)),
    ):
        assert isinstance(again, Deferred) and again.findall("abc") == ["a", "b"]
    assert deferred.compiled is None
    with pytest.raises(AttributeError):
        deferred.no_such_attribute  # noqa: B018
