"""Property-based tests: mutated and random configs through the whole pipeline and every output
format, and the fast interpolation path against OmegaConf itself.

Nothing may escape as an exception (an `internal-error` finding is one that did), and the JSON
and SARIF outputs are always well-formed JSON.
"""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from helpers import HARDENING, SEED
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from omegaconf import OmegaConf

from nexrl_cfg.check import Checker, Settings
from nexrl_cfg.compose import Composed
from nexrl_cfg.report import names, render
from nexrl_cfg.report.run import Run
from nexrl_cfg.resolve import _Resolver, resolve

BASE = (HARDENING / "base.yaml").read_text(encoding="utf-8")
ENVIRON = {"NEXRL_DATA_PATH": "/data", "INFERENCE_BASE_URL": "http://inference:8000"}

PROPERTY = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Characters that mean something to YAML or to interpolations, and some that mean nothing.
SPECIAL = ":{}[]&*!|>'\"%@`#,-?\t\n ${}\\.~<=+0123456789"
GARBAGE = st.text(
    alphabet=st.one_of(
        st.sampled_from(SPECIAL),
        st.characters(blacklist_categories=("Cs",)),  # no lone surrogates: not encodable
    ),
    max_size=24,
)
VALUES = st.one_of(
    st.sampled_from(
        [
            "null",
            "~",
            "[1, 2]",
            "{a: 1}",
            '"text"',
            "1e5",
            "true",
            "-1",
            "0",
            "&x 1",
            "*x",
            "!!python/none ''",
            "${oc.env:NEXRL_DATA_PATH}",
            "${data.batch_size}",
            "${.nope}",
            "${oc.select:data.batch_size,1}",
            "${oc.decode:'[1, 2]'}",
            "${oc.env:",
            "'${evil:x}'",
            "<<: *x",
        ]
    ),
    GARBAGE,
)


# -- the pipeline, on a file ------------------------------------------------------------------


@contextmanager
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        path = Path(name)
        (path / "base.yaml").write_text(BASE, encoding="utf-8")
        yield path


def check_everything(content: bytes) -> None:
    """Check `content` as a config and render every format: nothing may escape."""
    with folder() as where:
        path = where / "run.yaml"
        path.write_bytes(content)
        checker = Checker(Settings(environ=ENVIRON))
        result = checker.check_file(path)
        crashed = [f for f in result.findings if f.rule == "internal-error"]
        assert not crashed, crashed[0].message
        run = Run(result.findings, 1, checker.source_line)
        for fmt in names():
            out = render(fmt, run)
            assert isinstance(out, str)
            if fmt in ("json", "sarif"):
                json.loads(out)
        render_resolved(path)


def render_resolved(path: Path) -> None:
    """The `resolve` command's rendering, where it exists: a result or its own error."""
    try:
        from nexrl_cfg.report.resolved import ResolveError, render_config
    except ImportError:
        return
    with suppress(ResolveError):
        render_config(path, ENVIRON)


def mutate(text: str, data: st.DataObject) -> str:
    """One random edit of the text."""
    lines = text.split("\n")
    kind = data.draw(
        st.sampled_from(
            ["delete-line", "cut", "insert", "swap", "value", "delete-key", "indent", "duplicate"]
        )
    )
    if kind == "cut":
        return text[: data.draw(st.integers(0, len(text)))]
    if kind == "insert":
        at = data.draw(st.integers(0, len(text)))
        return text[:at] + data.draw(GARBAGE) + text[at:]
    if kind == "swap" and len(text) > 1:
        i, j = sorted(data.draw(st.lists(st.integers(0, len(text) - 1), min_size=2, max_size=2)))
        return text[:i] + text[j] + text[i + 1 : j] + text[i] + text[j + 1 :]
    index = data.draw(st.integers(0, len(lines) - 1))
    line = lines[index]
    if kind == "value" and ":" in line:
        key = line.split(":", 1)[0]
        lines[index] = f"{key}: {data.draw(VALUES)}"
    elif kind == "delete-key":
        indent = len(line) - len(line.lstrip())
        end = index + 1
        while end < len(lines) and (
            not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent
        ):
            end += 1
        del lines[index:end]
    elif kind == "indent":
        lines[index] = " " * data.draw(st.integers(0, 9)) + line.lstrip()
    elif kind == "duplicate":
        lines.insert(index, line)
    else:
        del lines[index]
    return "\n".join(lines)


@pytest.mark.slow
@PROPERTY
@given(st.data())
def test_mutated_configs_never_crash(data: st.DataObject) -> None:
    text = SEED
    for _ in range(data.draw(st.integers(1, 4))):
        text = mutate(text, data)
    check_everything(text.encode("utf-8"))


@PROPERTY
@given(st.data())
def test_the_first_source_of_a_config_merges_as_key_by_key(data: st.DataObject) -> None:
    """Composing copies the first source whole, with its origins as they are (`Merger.merge`):
    what merging it key by key into an empty config gives, for any text the reader reads
    (anchors, aliases, merge keys, repeated keys, a defaults list, garbage)."""
    from nexrl_cfg.merge import Merger
    from nexrl_cfg.read import read_text

    text = SEED if data.draw(st.booleans()) else BASE
    for _ in range(data.draw(st.integers(0, 4))):
        text = mutate(text, data)
    doc = read_text(text, "run.yaml")
    if not isinstance(doc.data, dict):
        return
    src = {k: v for k, v in doc.data.items() if k != "defaults"}
    origins = {p: o for p, o in doc.origins.items() if not p or p[0] != "defaults"}
    whole = Merger()
    whole.merge(src, origins)
    by_key = Merger()
    by_key._map(by_key.data, src, origins, (), ())
    assert whole.data == by_key.data
    assert whole.origins == by_key.origins
    assert whole.data is not src and all(
        whole.data[k] is not v for k, v in src.items() if isinstance(v, (dict, list))
    )


@PROPERTY
@given(st.data())
def test_a_config_resolved_once_is_not_changed_by_its_check(data: st.DataObject) -> None:
    """A composition resolved without an environment keeps what resolving made (a fix or a
    migration judges it, then checks it): every rule only reads it, so it is what a fresh
    resolve of the same config gives, after the check as before."""
    import copy

    text = SEED
    for _ in range(data.draw(st.integers(0, 3))):
        text = mutate(text, data)
    with folder() as where:
        path = where / "run.yaml"
        path.write_text(text, encoding="utf-8")
        checker = Checker(Settings(environ={}, nexrl_version="1.0"))
        composed = checker.compose(path)
        first = resolve(composed, {})
        before = copy.deepcopy(first.data)
        checker.check_config(path, "entry")
        assert resolve(composed, {}) is first and repr(first.data) == repr(before)
        fresh = Checker(Settings(environ={}, nexrl_version="1.0")).compose(path)
        assert repr(resolve(fresh, {}).data) == repr(before)


@pytest.mark.slow
@PROPERTY
@given(st.data())
def test_mutated_bytes_never_crash(data: st.DataObject) -> None:
    content = bytearray(SEED.encode("utf-8"))
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(content) - 1))
        content[at] = data.draw(st.integers(0, 255))
    check_everything(bytes(content))


# -- random documents shaped like configs -------------------------------------------------------

KEYS = st.sampled_from(
    [
        "defaults",
        "service",
        "inference_service",
        "train_service",
        "data",
        "trainer",
        "weight",
        "backend",
        "max_tokens",
        "max_response_length",
        "api_key",
        "base_url",
        "model",
        "model_tag",
        "weight_type",
        "sync_method",
        "batch_size",
        "actor",
        "_self_",
        "<<",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            "sglang",
            "vllm",
            "EMPTY",
            "sk-live-0123456789abcdef",
            "${data.max_response_length}",
            "${oc.env:NEXRL_DATA_PATH}/x",
            "${oc.env:NEXRL_UNSET}",
            "${service.inference_service.max_tokens}",
            "${.model}",
            "${..backend}",
            "${oc.select:data.batch_size,8}",
            "${oc.decode:${oc.env:NEXRL_UNSET,'8'}}",
            "${evil:x}",
            "${oc.env:",
            "???",
            "base",
            "nowhere",
            "../../etc/passwd",
        ]
    ),
    st.text(max_size=12),
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=5)),
    max_leaves=30,
)


@pytest.mark.slow
@PROPERTY
@given(st.dictionaries(KEYS, DOCUMENTS, max_size=6))
def test_random_config_shaped_documents_never_crash(document: dict[str, Any]) -> None:
    check_everything(yaml.safe_dump(document, allow_unicode=True).encode("utf-8"))


# -- the fast path agrees with OmegaConf --------------------------------------------------------

ENV = {
    "NEXRL_A": "alpha",
    "NEXRL_B": "/b/path",
    "NEXRL_EMPTY": "",
    "NEXRL_KEY": "c",
    "NEXRL_PATH": "a.d.e",
}
LITERAL = st.text(alphabet="abcXYZ019 _./:-", max_size=6)
DEFAULT = st.from_regex(r"[A-Za-z_/.:\-][A-Za-z0-9_/.:\-]{0,6}", fullmatch=True)
TREE = {
    "a": {"b": 5, "c": "text", "d": {"e": 1.5, "f": True}, "g": None},
    "x": {"sib": "sibling", "num": 7},
}
# Interpolations the fast path evaluates, as seen from a value placed at x.<slot>.
PIECES = st.one_of(
    st.sampled_from(
        [
            "${a.b}",
            "${a.c}",
            "${a.d.e}",
            "${a.d.f}",
            "${a.g}",
            "${x.sib}",
            "${.sib}",
            "${.num}",
            "${..a.c}",
            "${..a.d.e}",
            "${oc.env:NEXRL_A}",
            "${oc.env:NEXRL_B}",
            "${oc.env:NEXRL_EMPTY}",
            "${oc.env:NEXRL_A,}",
            "${oc.env:NEXRL_UNSET,}",
        ]
    ),
    DEFAULT.map(lambda d: "${oc.env:NEXRL_UNSET," + d + "}"),
    DEFAULT.map(lambda d: "${oc.env:NEXRL_A," + d + "}"),
)
EXPRESSIONS = st.lists(st.one_of(PIECES, LITERAL), min_size=1, max_size=4).map("".join)


# Forms only OmegaConf evaluates (it calls back for the values they refer to).
OMEGACONF_PIECES = st.sampled_from(
    [
        "${oc.select:a.b}",
        "${oc.select:a.nope,fallback}",
        "${oc.select:.sib}",
        "${oc.env:NEXRL_UNSET,${a.c}}",
        "${oc.env:NEXRL_A,5}",
        "${oc.env:NEXRL_UNSET,5}",
        "${oc.env:NEXRL_UNSET,null}",
        "${oc.decode:'7'}",
        "${oc.decode:${x.num}}",
        "\\${a.b}",
        "${a.${oc.env:NEXRL_KEY}}",
        "${oc.select:${oc.env:NEXRL_PATH}}",
    ]
)


def omegaconf_value(data: dict[str, Any], slot: str) -> tuple[Any, bool]:
    """(value, whether OmegaConf could resolve it) of x.<slot>, by OmegaConf itself."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("NEXRL_")}
    with mock.patch.dict(os.environ, {**environ, **ENV}, clear=True), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # `${oc.env:X,}`: "some elements are missing"
        try:
            value = OmegaConf.select(OmegaConf.create(data), f"x.{slot}", throw_on_missing=True)
        except Exception:
            return None, False
        if OmegaConf.is_config(value):
            value = OmegaConf.to_container(value, resolve=True)
        return value, True


def agree(slots: dict[str, str]) -> None:
    """Each slot resolves to what OmegaConf gives, or is reported where OmegaConf fails."""
    data = {"a": TREE["a"], "x": {**TREE["x"], **slots}}
    ours = resolve(Composed("x.yaml", data, {}), ENV)
    reported = {f.key for f in ours.findings}
    for slot in slots:
        value, resolved = omegaconf_value(data, slot)
        assert (f"x.{slot}" not in reported) == resolved, (slot, slots[slot], ours.findings)
        if resolved:
            assert ours.data["x"][slot] == value, (slots[slot], ours.data["x"][slot], value)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["p", "q", "r", "s"]), EXPRESSIONS, min_size=1))
def test_fast_path_agrees_with_omegaconf(slots: dict[str, str]) -> None:
    assume(all(_Resolver.split(expression) is not None for expression in slots.values()))
    agree(slots)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["p", "q", "r"]),
        st.lists(st.one_of(OMEGACONF_PIECES, PIECES, LITERAL), min_size=1, max_size=3).map("".join),
        min_size=1,
    )
)
def test_omegaconf_path_agrees_with_omegaconf(slots: dict[str, str]) -> None:
    agree(slots)
