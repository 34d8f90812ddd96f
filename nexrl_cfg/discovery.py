"""Discovery: which files a run checks. A path named is checked as it is; a folder is searched
for *.yaml and *.yml, leaving out hidden folders, what git ignores there and what the
`exclude` globs of the settings that apply there (and `--exclude`) match. Used by `check`,
`migrate` and anything else that is handed files and folders (an editor's workspace)."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .finding import Finding, Severity, Span

if TYPE_CHECKING:
    from .settings import Settings

# What a config file is called.
YAML_SUFFIXES = (".yaml", ".yml")


def iter_yaml_files(
    paths: Iterable[str | Path],
    outside: list[tuple[Path, Path]] | None = None,
    excluded: Callable[[Path], bool] | None = None,
) -> Iterable[Path]:
    """Files as given; directories searched for *.yaml and *.yml (see `walk`)."""
    for path, _ in walk(paths, excluded, outside):
        yield path


def walk(
    paths: Iterable[str | Path],
    excluded: Callable[[Path], bool] | None = None,
    outside: list[tuple[Path, Path]] | None = None,
) -> Iterator[tuple[Path, bool]]:
    """(file, named on the command line): files as given; directories searched for *.yaml and
    *.yml at any depth, leaving out hidden folders, symbolic links to folders, what git
    ignores there and what `excluded` says (called with each folder and file found). A folder
    that cannot be listed raises OSError: what is below it would go unchecked. A symbolic link
    that leads out of the folder searched is not read; it is added to `outside` with that
    folder."""
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            yield path, True
            continue
        ignored = _git_ignored(path)
        top = os.path.realpath(path)
        stack = [path]
        while stack:
            folder = stack.pop()
            try:
                with os.scandir(folder) as listing:
                    entries = sorted(listing, key=lambda e: e.name)
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, str(folder)) from None
            folders = []
            for entry in entries:
                found = folder / entry.name
                if _is_folder(entry):
                    if not entry.name.startswith(".") and not _left_out(
                        found, ignored, excluded, "/"
                    ):
                        folders.append(found)
                elif entry.name.endswith(YAML_SUFFIXES) and not _left_out(found, ignored, excluded):
                    if entry.is_symlink() and not _inside(os.path.realpath(found), top):
                        if outside is not None:
                            outside.append((found, path))
                        continue
                    yield found, False
            stack.extend(reversed(folders))


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _inside(real: str, folder: str) -> bool:
    return real == folder or real.startswith(folder.rstrip(os.sep) + os.sep)


def outside_note(link: Path, folder: Path) -> Finding:
    """The note for a symbolic link, found in a folder searched, that leads out of it."""
    from .rules.not_nexrl import ID as NOT_NEXRL  # not on the path of --version and --help

    return Finding(
        NOT_NEXRL,
        Severity.INFO,
        f"a symbolic link to a file outside {folder}; not read",
        Span(str(link)),
        hint="Check the file it points to by its own name, if it is a config.",
    )


def _left_out(
    path: Path, ignored: set[str], excluded: Callable[[Path], bool] | None, slash: str = ""
) -> bool:
    if ignored and os.path.normpath(path).replace(os.sep, "/") + slash in ignored:
        return True
    return excluded is not None and excluded(path)


def _git_ignored(folder: Path) -> set[str]:
    """What git ignores under `folder` (ignored folders as one entry ending in "/"), as paths
    joined to `folder`; empty outside a git work tree or without git. One git call per folder
    named on the command line."""
    import shutil
    import subprocess

    git = shutil.which("git")
    if git is None:
        return set()
    command = [git, "ls-files", "-z", "--others", "--ignored", "--exclude-standard"]
    try:
        done = subprocess.run(
            [*command, "--directory", "--", "."],
            cwd=folder,
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return set()
    if done.returncode != 0:  # not a work tree
        return set()
    names = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    base = os.path.normpath(folder).replace(os.sep, "/")
    return {f"{base}/{name}" if base != "." else name for name in names if name}


def excluder(settings_for: Callable[[Path], Settings], cwd: Path | None) -> Callable[[Path], bool]:
    """Whether a path found in a folder is left out by `exclude` (of the settings that apply
    in its folder, `settings_for(folder)`): a glob matches the name, or the path from the
    working folder `cwd` or from the settings' root."""
    from fnmatch import fnmatch

    def excluded(path: Path) -> bool:
        settings = settings_for(path.parent)
        if not settings.exclude:
            return False
        absolute = Path(os.path.abspath(path))
        roots = {root for root in (cwd, settings.root) if root is not None}
        names = {path.name, *(_posix(absolute, root) for root in roots)}
        return any(fnmatch(name, glob.rstrip("/")) for name in names for glob in settings.exclude)

    return excluded


def _posix(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def unreadable(given: str) -> str | None:
    """Why a path named on the command line cannot be checked ("missing" when it does not
    exist), or None."""
    try:
        os.stat(given)
    except FileNotFoundError:
        return "a symbolic link to a missing file" if os.path.islink(given) else "missing"
    except OSError as exc:
        return "a symbolic link loop" if exc.errno == errno.ELOOP else str(exc.strerror or exc)
    except ValueError:  # a NUL character in the name
        return "missing"
    return None
