"""`nexrl-cfg lsp` end to end: a client (pytest-lsp) starts the server as an editor does, opens
a recipe-shaped entry config and its `common.yaml` (the project's own fixtures, copied), edits,
hovers, completes, fixes and follows references, as a user would."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import sys
import time
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the language server needs the lsp extra (pygls)")
pytest_lsp = pytest.importorskip("pytest_lsp", reason="the language server tests need pytest-lsp")
import pytest_asyncio  # noqa: E402  (installed with pytest-lsp)
from conftest import PROJECT_RECIPES  # noqa: E402
from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

# Diagnostics for every config an edit affects arrive within this (the debounce included).
PROMPT = 2.0
SECRET = "sk-live-4f9a8b7c6d5e4f3a2b1c"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The editor's workspace: a folder of projects, one for each test."""
    return tmp_path_factory.mktemp("workspace")


@pytest.fixture
def project(workspace: Path, request: pytest.FixtureRequest) -> Path:
    """A copy of the project's recipes, with the settings of a project (NexRL 1.4), in a
    folder of the workspace of the test's own."""
    folder = workspace / request.node.name
    shutil.copytree(PROJECT_RECIPES, folder / "recipe")
    (folder / "pyproject.toml").write_text(
        '[tool.nexrl-cfg]\nnexrl-version = "1.4"\n', encoding="utf-8"
    )
    return folder


# One server for the module, as one editor session holds several projects: starting a server
# (Python, pygls and lsprotocol imported) took longer than most tests. Each test works in a
# project of its own and closes the documents it opened.
@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=[sys.executable, "-m", "nexrl_cfg", "lsp"]),
)
async def client(lsp_client: LanguageClient, workspace: Path):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=workspace.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="workspace")],
        )
    )
    yield
    await lsp_client.shutdown_session()


OPENED: list[str] = []


@pytest_asyncio.fixture(autouse=True, loop_scope="module")
async def closing(client: LanguageClient) -> AsyncIterator[None]:
    """The documents a test opened are closed after it, as an editor closes its tabs."""
    yield
    for uri in OPENED:
        client.text_document_did_close(
            types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri))
        )
    OPENED.clear()


# -- helpers ----------------------------------------------------------------------------------
def open_file(client: LanguageClient, path: Path, text: str | None = None) -> str:
    uri = path.as_uri()
    OPENED.append(uri)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(
                uri=uri,
                language_id="yaml",
                version=1,
                text=path.read_text(encoding="utf-8") if text is None else text,
            )
        )
    )
    return uri


def replace_all(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def diagnostics(
    client: LanguageClient,
    uri: str,
    until: Callable[[Sequence[types.Diagnostic]], bool] = lambda _: True,
    timeout: float = 10.0,
    since: object = None,
) -> Sequence[types.Diagnostic]:
    """The diagnostics of `uri` once a publication for it (after the one `since`, as
    `client.diagnostics` held it) satisfies `until`."""
    deadline = time.monotonic() + timeout
    while True:
        found = client.diagnostics.get(uri)
        if found is not None and found is not since and until(found):
            return found
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"no diagnostics as expected for {uri}: {found}")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), left
            )


def rules(found: Sequence[types.Diagnostic]) -> set[str]:
    return {str(d.code) for d in found}


def position(text: str, needle: str, into: int = 0) -> types.Position:
    """The position of the first `needle` in `text`, `into` characters into it."""
    index = text.index(needle) + into
    line = text.count("\n", 0, index)
    return types.Position(line, index - (text.rfind("\n", 0, index) + 1))


def apply(text: str, edits: Sequence[types.TextEdit]) -> str:
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(p: types.Position) -> int:
        return starts[p.line] + p.character

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


# -- the session a user has -------------------------------------------------------------------
@pytest.mark.asyncio(loop_scope="module")
async def test_a_typo_in_common_shows_in_the_entry_config_and_is_fixed(
    client: LanguageClient, project: Path
) -> None:
    math = project / "recipe" / "math"
    entry = open_file(client, math / "self_hosted.yaml")
    common_text = (math / "common.yaml").read_text(encoding="utf-8")
    common = open_file(client, math / "common.yaml")
    first = await diagnostics(client, entry)
    assert not [d for d in first if d.severity == types.DiagnosticSeverity.Error]
    seen = client.diagnostics[entry]

    typo = common_text.replace("  mode: disable\n", "  mode: disabel\n")
    started = time.monotonic()
    replace_all(client, common, typo, 2)
    found = await diagnostics(client, entry, lambda ds: "invalid-choice" in rules(ds), since=seen)
    assert time.monotonic() - started < PROMPT

    # In the entry config: at the defaults entry that brings common.yaml in, pointing there.
    (summary,) = [d for d in found if d.code == "invalid-choice"]
    assert summary.severity == types.DiagnosticSeverity.Error
    assert "common.yaml:17:9" in summary.message and "disabel" in summary.message
    assert summary.range.start == position((math / "self_hosted.yaml").read_text(), "common")
    assert summary.related_information and summary.related_information[0].location.uri == common
    # In common.yaml itself: the value, to its end, with the rule's page.
    in_common = await diagnostics(client, common, lambda ds: "invalid-choice" in rules(ds))
    (own,) = [
        d
        for d in in_common
        if d.code == "invalid-choice" and d.severity == types.DiagnosticSeverity.Error
    ]
    at = position(typo, "disabel")
    assert (own.range.start, own.range.end) == (at, types.Position(at.line, at.character + 7))
    assert own.source == "nexrl-cfg"
    assert own.code_description is not None
    assert own.code_description.href.endswith("docs/rules/invalid-choice.md")

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(common),
            range=own.range,
            context=types.CodeActionContext(diagnostics=[own]),
        )
    )
    assert actions
    (fix,) = [a for a in actions if isinstance(a, types.CodeAction) and a.diagnostics]
    assert fix.kind == types.CodeActionKind.QuickFix
    assert fix.edit is not None and fix.edit.changes is not None
    fixed = apply(typo, fix.edit.changes[common])
    assert fixed == common_text

    seen = client.diagnostics[entry]
    replace_all(client, common, fixed, 3)
    after = await diagnostics(client, entry, since=seen)
    assert "invalid-choice" not in rules(after)


@pytest.mark.asyncio(loop_scope="module")
async def test_hover_explains_the_key_for_the_files_version(
    client: LanguageClient, project: Path
) -> None:
    path = project / "recipe" / "math" / "self_hosted.yaml"
    text = path.read_text(encoding="utf-8")
    uri = open_file(client, path)
    await diagnostics(client, uri)
    hover = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), position(text, "lr: 1.0e-6", 1))
    )
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    shown = hover.contents.value
    # The named training service's key, explained as the option it is, for NexRL 1.4.
    assert "service.train_service.actor.optim.lr" in shown
    on_value = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), position(text, "1.0e-6"))
    )
    assert on_value is not None and on_value.contents == hover.contents
    nothing = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(0, 3))
    )
    assert nothing is None


@pytest.mark.asyncio(loop_scope="module")
async def test_completion_offers_missing_keys_and_allowed_values(
    client: LanguageClient, project: Path
) -> None:
    path = project / "recipe" / "math" / "common.yaml"
    text = path.read_text(encoding="utf-8")
    edited = text.replace("  save_freq: 0\n", "  save_freq: 0\n  \n")
    uri = open_file(client, path, edited)
    at = position(edited, "  save_freq: 0\n  \n", len("  save_freq: 0\n  "))
    keys = await client.text_document_completion_async(
        types.CompletionParams(types.TextDocumentIdentifier(uri), at)
    )
    assert isinstance(keys, types.CompletionList)
    labels = {item.label for item in keys.items}
    # The trainer's keys NexRL 1.4 reads, less those written (the section's own name list).
    assert {"type", "checkpoint_path", "teachers"} <= labels
    assert not labels & {"total_train_steps", "save_freq", "algorithm"}
    assert labels <= set(_children("trainer"))

    value = position(edited, "  mode: disable", len("  mode: "))
    values = await client.text_document_completion_async(
        types.CompletionParams(types.TextDocumentIdentifier(uri), value)
    )
    assert isinstance(values, types.CompletionList)
    assert {item.label for item in values.items} == {"disable", "auto", "from_path"}


def _children(section: str) -> list[str]:
    from nexrl_cfg.catalogue import for_version

    return list(for_version("1.4").children(section))


@pytest.mark.asyncio(loop_scope="module")
async def test_definition_of_a_reference_and_of_a_defaults_entry(
    client: LanguageClient, project: Path
) -> None:
    math = project / "recipe" / "math"
    text = (math / "self_hosted.yaml").read_text(encoding="utf-8")
    common_text = (math / "common.yaml").read_text(encoding="utf-8")
    uri = open_file(client, math / "self_hosted.yaml")
    await diagnostics(client, uri)
    found = await client.text_document_definition_async(
        types.DefinitionParams(
            types.TextDocumentIdentifier(uri),
            position(text, "${data.max_response_length}", 3),
        )
    )
    assert isinstance(found, list)
    (where,) = found
    assert isinstance(where, types.Location)
    assert where.uri == (math / "common.yaml").as_uri()
    assert where.range.start == position(common_text, "max_response_length: ${")
    included = await client.text_document_definition_async(
        types.DefinitionParams(types.TextDocumentIdentifier(uri), position(text, "- common", 3))
    )
    assert isinstance(included, list)
    assert [loc.uri for loc in included if isinstance(loc, types.Location)] == [
        (math / "common.yaml").as_uri()
    ]


@pytest.mark.asyncio(loop_scope="module")
async def test_a_large_file_never_holds_up_hover(client: LanguageClient, project: Path) -> None:
    math = project / "recipe" / "math"
    text = (math / "self_hosted.yaml").read_text(encoding="utf-8")
    uri = open_file(client, math / "self_hosted.yaml")
    await diagnostics(client, uri)
    # Just under 2 MB: many keys NexRL does not know, each checked.
    big = "service: {}\nrollout_worker:\n" + "".join(
        f"  key_{i}: {'x' * 40}\n" for i in range(40_000)
    )
    big_uri = open_file(client, math / "big.yaml", big)
    started = time.monotonic()
    hover = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), position(text, "lr: 1.0e-6", 1))
    )
    assert hover is not None
    assert time.monotonic() - started < 1.0
    in_big = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(big_uri), types.Position(1, 3))
    )
    assert in_big is not None and "rollout_worker" in str(in_big.contents)
    await diagnostics(client, big_uri, timeout=30)


@pytest.mark.asyncio(loop_scope="module")
async def test_bad_buffers_get_diagnostics_or_nothing(
    client: LanguageClient, project: Path
) -> None:
    math = project / "recipe" / "math"
    broken = "defaults:\n  - common\nservice:\n  inference_service: [\n"
    uri = open_file(client, math / "broken.yaml", broken)
    found = await diagnostics(client, uri)
    assert "yaml-syntax" in rules(found)
    binary = open_file(client, math / "binary.yaml", "service:\x00\x01\x02\n")
    await diagnostics(client, binary)
    for where in (uri, binary):
        for at in (types.Position(0, 0), types.Position(3, 5), types.Position(99, 99)):
            ident = types.TextDocumentIdentifier(where)
            await client.text_document_hover_async(types.HoverParams(ident, at))
            await client.text_document_completion_async(types.CompletionParams(ident, at))
            await client.text_document_definition_async(types.DefinitionParams(ident, at))
    assert client.error is None


@pytest.mark.asyncio(loop_scope="module")
async def test_secrets_are_never_sent(client: LanguageClient, project: Path) -> None:
    path = project / "recipe" / "math" / "self_hosted.yaml"
    text = path.read_text(encoding="utf-8").replace(
        'api_key: "EMPTY"', f'api_key: "{SECRET}"\n    api_kye: "{SECRET}"'
    )
    uri = open_file(client, path, text)
    found = await diagnostics(client, uri)
    assert found and all(SECRET not in d.message for d in found)
    hover = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), position(text, SECRET))
    )
    assert hover is not None and SECRET not in str(hover.contents)
    assert "api_key" in str(hover.contents)


@pytest.mark.asyncio(loop_scope="module")
async def test_the_version_comes_from_the_projects_settings(
    client: LanguageClient, project: Path
) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.nexrl-cfg]\nnexrl-version = "1.1"\n', encoding="utf-8"
    )
    path = project / "recipe" / "math" / "common.yaml"
    text = path.read_text(encoding="utf-8")
    uri = open_file(client, path)
    hover = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), position(text, "  mode: disable", 2))
    )
    assert isinstance(hover, types.Hover) and isinstance(hover.contents, types.MarkupContent)
    # resume.mode as NexRL 1.0 and 1.1 read it (1.2 changed what it takes).
    assert "NexRL:       1.0 to 1.1" in hover.contents.value
