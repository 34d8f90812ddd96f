"""The language server: pygls wiring, the scheduling of checks, and each feature's handler.

Checks run on one worker thread, never on the event loop, so that hover, completion and
definitions answer while a check of a large file runs. A change is checked 300 ms after the
last keystroke (`DEBOUNCE`); a change that arrives while a check runs stops it at the next
config (its configs are checked again with the new text), and a check whose texts are no
longer the editor's is never published. Every handler answers with nothing rather than an
error: a broken buffer, a binary file or a failure of ours never reaches the client as a
traceback.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from ..about import NAME, VERSION
from ..finding import Finding
from . import features
from .results import Root, Round, collect, real, uri_of

# Seconds after the last change before a check starts.
DEBOUNCE = 0.3
YAML = (".yaml", ".yml")
# A settings file: when it is saved, every open config is checked again.
SETTINGS = "pyproject.toml"
logger = logging.getLogger(__name__)
T = TypeVar("T")


def guarded(default: Any = None) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """A handler that answers `default` instead of failing: one line in the server's log,
    never a traceback to the client."""

    def wrap(handler: Callable[..., T]) -> Callable[..., T]:
        if asyncio.iscoroutinefunction(handler):

            @functools.wraps(handler)
            async def run_async(*args: Any) -> Any:
                try:
                    return await handler(*args)
                except Exception as exc:
                    _failed(handler, exc)
                    return default

            return run_async  # type: ignore[return-value]

        @functools.wraps(handler)
        def run(*args: Any) -> Any:
            try:
                return handler(*args)
            except Exception as exc:
                _failed(handler, exc)
                return default

        return run

    return wrap


def _failed(handler: Callable[..., Any], exc: Exception) -> None:
    # The type alone: an exception's text may quote a value of the config.
    logger.warning("%s failed (%s); please report it", handler.__name__, type(exc).__name__)


class Server(LanguageServer):
    """The open documents' checks and their results."""

    def __init__(self) -> None:
        super().__init__(
            NAME, VERSION, text_document_sync_kind=types.TextDocumentSyncKind.Incremental
        )
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nexrl-cfg-check")
        # Each open file (real path) -> the configs it was last checked through.
        self.asked: dict[Path, list[Path]] = {}
        # The last result of each config checked, by real path.
        self.roots: dict[Path, Root] = {}
        self.pending: set[Path] = set()
        self.timer: asyncio.TimerHandle | None = None
        self.running: asyncio.Future[Round | None] | None = None
        self.stop: threading.Event | None = None
        self.published: dict[str, int] = {}
        self.delay = DEBOUNCE

    def report_server_error(self, error: Exception, source: Any) -> None:
        logger.warning("server error (%s)", type(error).__name__)

    # -- the open documents ------------------------------------------------------------------
    @property
    def cwd(self) -> Path | None:
        root = self.workspace.root_path if self.protocol.workspace is not None else None
        return Path(root) if root else None

    @property
    def encoding(self) -> str:
        kind = self.workspace.position_encoding
        return str(getattr(kind, "value", kind) or "utf-16")

    def open_files(self) -> dict[Path, tuple[str, str]]:
        """Each open YAML file (as its URI names it) -> (uri, text)."""
        found = {}
        for uri, doc in self.workspace.text_documents.items():
            path = path_of(uri)
            if path is not None and path.suffix in YAML:
                found[path] = (uri, doc.source)
        return found

    # -- checks ------------------------------------------------------------------------------
    def changed(self, uri: str, delay: float | None = None) -> None:
        path = path_of(uri)
        if path is not None and path.name == SETTINGS:
            self.pending |= set(self.asked)  # new settings: every open config again
        elif path is not None and path.suffix in YAML:
            self.pending.add(real(path))
        else:
            return
        if self.stop is not None:
            self.stop.set()  # superseded: its configs are checked again with the new text
        if self.timer is not None:
            self.timer.cancel()
        loop = asyncio.get_running_loop()
        self.timer = loop.call_later(self.delay if delay is None else delay, self._start)

    def _start(self) -> None:
        self.timer = None
        if self.running is not None and not self.running.done():
            return  # started again when it ends
        if not self.pending:
            return
        changed, self.pending = self.pending, set()
        files = self.open_files()
        by_real = {real(path): path for path in files}
        wanted = [by_real[p] for p in self._affected(changed) if p in by_real]
        if not wanted:
            return
        buffers = {path: text for path, (_, text) in files.items()}
        uris = {path: uri for path, (uri, _) in files.items()}
        stop = self.stop = threading.Event()
        loop = asyncio.get_running_loop()
        self.running = loop.run_in_executor(
            self.executor, collect, wanted, buffers, uris, self.cwd, self.encoding, stop.is_set
        )
        self.running.add_done_callback(functools.partial(self._done, changed, buffers))

    def _affected(self, changed: set[Path]) -> list[Path]:
        """The open files to check again: those changed, and those checked through a config
        that reads a changed file."""
        found = set(changed)
        for path, roots in self.asked.items():
            for root in roots:
                result = self.roots.get(root)
                if result is not None and result.sources & changed:
                    found.add(path)
        return sorted(found)

    def _done(
        self, changed: set[Path], buffers: dict[Path, str], future: asyncio.Future[Round | None]
    ) -> None:
        self.running = None
        try:
            result = future.result()
        except Exception as exc:
            _failed(collect, exc)
            result = None
        current = {path: text for path, (_, text) in self.open_files().items()}
        if result is None or any(current.get(p) != t for p, t in buffers.items()):
            self.pending |= changed  # superseded: checked again with the editor's texts
        else:
            self._merge(result)
        if self.pending and self.timer is None:
            self.timer = asyncio.get_running_loop().call_later(self.delay, self._start)

    def _merge(self, result: Round) -> None:
        touched: set[Path] = set(result.asked)
        for path, roots in result.asked.items():
            self.asked[path] = roots
        for path, root in result.roots.items():
            old = self.roots.get(path)
            if old is not None:
                touched |= set(old.diagnostics)
            touched |= set(root.diagnostics) | root.sources | {path}
            self.roots[path] = root
        touched |= self._forget()
        self._publish(touched, result)

    def _forget(self) -> set[Path]:
        """Drop the results of configs no open file is checked through; the files they
        had diagnostics for."""
        kept = {root for roots in self.asked.values() for root in roots}
        gone = [path for path in self.roots if path not in kept]
        touched: set[Path] = set()
        for path in gone:
            touched |= set(self.roots.pop(path).diagnostics) | {path}
        return touched

    def _publish(self, files: Iterable[Path], result: Round | None = None) -> None:
        open_uris = {real(path): uri for path, (uri, _) in self.open_files().items()}
        for file in sorted(set(files)):
            uri = open_uris.get(file)
            if uri is None:
                uri = uri_of(result, file) if result is not None else file.as_uri()
            diagnostics = self.diagnostics(file, result)
            if not diagnostics and uri not in self.published and file not in open_uris:
                continue  # nothing to say about a file never mentioned
            self.published[uri] = len(diagnostics)
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics)
            )

    def diagnostics(self, file: Path, result: Round | None = None) -> list[types.Diagnostic]:
        out: list[types.Diagnostic] = []
        seen: set[tuple[Any, ...]] = set()
        if result is not None and result.problem and file in result.asked:
            out.append(features.settings_problem(result.problem))
        for root in self.roots.values():
            for diagnostic in root.diagnostics.get(file, ()):
                start = diagnostic.range.start
                key = (start.line, start.character, diagnostic.code, diagnostic.message)
                if key not in seen:
                    seen.add(key)
                    out.append(diagnostic)
        return out

    def closed(self, uri: str) -> None:
        path = path_of(uri)
        if path is None:
            return
        file = real(path)
        self.asked.pop(file, None)
        self.pending.discard(file)
        touched = self._forget() | {file}
        self._publish(touched)

    # -- what the handlers read --------------------------------------------------------------
    def document(self, uri: str) -> features.Buffer | None:
        doc = self.workspace.text_documents.get(uri)
        if doc is None:
            return None
        path = path_of(uri)
        return features.buffer(uri, path, doc.source, doc.version, self.encoding)

    def results_for(self, file: Path, text: str) -> list[Root]:
        """The results that hold for `file` as it is now: the configs that read it, checked
        with this very text; the file's own first."""
        found = [
            root
            for root in self.roots.values()
            if file in root.sources and root.round.text(file) in (None, text)
        ]
        return sorted(found, key=lambda root: root.path != file)

    def fixable(self, file: Path, text: str) -> list[tuple[Root, Finding]]:
        """The findings written in `file` with a safe fix, from results that hold for it and
        for every file their fix edits."""
        found = []
        open_texts = {real(path): body for path, (_, body) in self.open_files().items()}
        for root in self.results_for(file, text):
            for finding in root.findings:
                if not finding.fixes or real(finding.file) != file:
                    continue
                edited = {real(e.file) for e in finding.fixes}
                if all(open_texts.get(p, root.round.text(p)) == root.round.text(p) for p in edited):
                    found.append((root, finding))
        return found

    async def verified(self, found: list[tuple[Root, Finding]]) -> list[tuple[Root, Finding]]:
        """Those whose fix the net accepts (in the worker: it checks configs again)."""
        by_round: dict[int, tuple[Round, list[tuple[Root, Finding]]]] = {}
        for root, finding in found:
            by_round.setdefault(id(root.round), (root.round, []))[1].append((root, finding))
        loop = asyncio.get_running_loop()
        out: list[tuple[Root, Finding]] = []
        for run, pairs in by_round.values():
            ok = await loop.run_in_executor(
                self.executor, run.verify, [finding for _, finding in pairs]
            )
            out.extend(pair for pair in pairs if id(pair[1]) in ok)
        return out


def path_of(uri: str) -> Path | None:
    """The file a URI names (None for an unsaved buffer or another scheme)."""
    if not uri.startswith("file:"):
        return None
    try:
        found = to_fs_path(uri)
    except Exception:
        return None
    return Path(found) if found else None


def _check_again(server: Server, delay: float | None) -> Callable[[Any], None]:
    """The handler of a notification that a buffer was opened, changed or saved."""

    def handler(params: Any) -> None:
        server.changed(params.text_document.uri, delay=delay)

    return handler


def build() -> Server:
    server = Server()

    @server.feature(types.INITIALIZED)
    @guarded()
    def initialized(params: types.InitializedParams) -> None:
        # Load the rules and the catalogue now, off the event loop: the first check is then
        # as quick as the next.
        server.executor.submit(features.warm_up)

    # A buffer opened or saved is checked at once; one being typed in, after a pause.
    for feature, delay in (
        (types.TEXT_DOCUMENT_DID_OPEN, 0.0),
        (types.TEXT_DOCUMENT_DID_CHANGE, None),
        (types.TEXT_DOCUMENT_DID_SAVE, 0.0),
    ):
        server.feature(feature)(guarded()(_check_again(server, delay)))

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded()
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        server.closed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guarded()
    def hover(params: types.HoverParams) -> types.Hover | None:
        buffer = server.document(params.text_document.uri)
        if buffer is None:
            return None
        roots = server.results_for(buffer.real, buffer.source) if buffer.real else []
        return features.hover(buffer, params.position, roots, server.cwd)

    @server.feature(types.TEXT_DOCUMENT_COMPLETION)
    @guarded()
    def completion(params: types.CompletionParams) -> types.CompletionList | None:
        buffer = server.document(params.text_document.uri)
        if buffer is None:
            return None
        return features.completion(buffer, params.position, server.cwd)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    @guarded()
    def definition(params: types.DefinitionParams) -> list[types.Location] | None:
        buffer = server.document(params.text_document.uri)
        if buffer is None or buffer.real is None:
            return None
        roots = server.results_for(buffer.real, buffer.source)
        return features.definition(buffer, params.position, roots, server.open_files())

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]
        ),
    )
    @guarded()
    async def code_action(params: types.CodeActionParams) -> list[types.CodeAction] | None:
        buffer = server.document(params.text_document.uri)
        if buffer is None or buffer.real is None:
            return None
        found = features.in_range(server.fixable(buffer.real, buffer.source), buffer, params)
        if not found:
            return None
        verified = await server.verified(found)
        return features.code_actions(verified, buffer, params, server.open_files()) or None

    return server


def serve() -> int:
    """Serve an editor on standard input and output; the exit status."""
    logging.basicConfig(level=logging.WARNING, format=f"{NAME} lsp: %(message)s")
    server = build()
    server.start_io()
    # pygls keeps whether `shutdown` came before `exit` to itself.
    return 0 if getattr(server.protocol, "_shutdown", True) else 1
