"""The pre-commit hook, run for real by `pre-commit run` on a user's repository of recipes: clean
recipes pass; a broken `common.yaml` fails, also when it is the only file given (it is checked
through the configs that include it). The configs are the README's own, verbatim but for the
repository and commit they pin: the remote hook pinned to a commit SHA, and the local hook.

pre-commit builds the hook's environment from this repository (and its dependencies from the
package index), so the test snapshots the working tree (committed or not) into a temporary git
repository first: it tests the code as it is, in a fresh clone or a work in progress alike. The
config names that snapshot as `try-repo` would, but in a pre-commit home of its own, so that the
environment is built once for the three runs (`try-repo` builds it again for each).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "tests" / "fixtures" / "project"
GIT_ID = ["-c", "user.name=nexrl-cfg tests", "-c", "user.email=tests@nexrl-cfg.invalid"]


def _env() -> dict[str, str]:
    # Variables of an enclosing git command (a hook running the tests) would point git here.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.pop("NO_COLOR", None)
    return env


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        ["git", *GIT_ID, *args], cwd=cwd, env=_env(), capture_output=True, text=True, check=True
    )
    return done.stdout


def commit_all(folder: Path) -> None:
    git("init", "-q", cwd=folder)
    git("add", "-A", cwd=folder)
    git("commit", "-q", "--no-verify", "-m", "snapshot", cwd=folder)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """This repository's working tree (tracked and new files, not ignored ones), committed;
    removed after the module with the pre-commit home its hook was installed in (thousands of
    files: removed here, in the worker, rather than by a later session's clean-up)."""
    if importlib.util.find_spec("pre_commit") is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]' installs it)")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    try:
        listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    except subprocess.CalledProcessError:
        pytest.skip("the project is not a git checkout: pre-commit installs hooks from git")
    snapshot = tmp_path_factory.mktemp("hook-repo")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    assert (snapshot / ".pre-commit-hooks.yaml").is_file()
    commit_all(snapshot)
    yield snapshot
    shutil.rmtree(snapshot, ignore_errors=True)
    shutil.rmtree(home(snapshot), ignore_errors=True)


def home(hook_repo: Path) -> Path:
    """The pre-commit home of the module's runs (its hook environment built once for them)."""
    return hook_repo.parent / f"{hook_repo.name}-pre-commit-home"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A user's repository holding recipes in NexRL 1.4's shape (this project's own: every
    family, entry configs over a shared common.yaml, a NexAU agent definition beside them)."""
    shutil.copytree(PROJECT / "recipe", tmp_path / "recipe")
    (tmp_path / "pyproject.toml").write_text('[tool.nexrl-cfg]\nnexrl-version = "1.4"\n')
    commit_all(tmp_path)
    return tmp_path


def readme_configs() -> list[str]:
    """The `.pre-commit-config.yaml` examples of the README, as written there."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if "repos:" in b]
    assert len(found) == 2, "the README shows a pinned remote hook and a local one"
    return found


def pinned(hook_repo: Path) -> str:
    """The README's remote hook, pinned to the snapshot's commit as the README says."""
    config = readme_configs()[0]
    rev = git("rev-parse", "HEAD", cwd=hook_repo).strip()
    config, repos = re.subn(
        r"repo: https://github\.com/nexrl-cfg/nexrl-cfg\b", f"repo: {hook_repo}", config
    )
    config, revs = re.subn(r"rev: FULL-COMMIT-SHA\b", f"rev: {rev}", config)
    assert repos == revs == 1, config
    return config


def try_repo(
    hook_repo: Path, project: Path, *selection: str, config_text: str | None = None
) -> tuple[int, str]:
    """`pre-commit run` of the hook on `project`, by the README's pinned config by default."""
    config = project.parent / "pre-commit-config.yaml"
    config.write_text(config_text or pinned(hook_repo), encoding="utf-8")
    env = _env()
    env["PRE_COMMIT_HOME"] = str(home(hook_repo))
    # pip installs the hook's environment without compiling every module of its dependencies
    # to bytecode first (a quarter of the install); a run compiles what it imports.
    env["PIP_COMPILE"] = "0"
    # The local hook runs the nexrl-cfg installed beside these tests.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--config", str(config), *selection],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return done.returncode, done.stdout + done.stderr


def break_common(project: Path) -> Path:
    common = sorted(project.glob("recipe/*/common.yaml"))[0]
    text, count = re.subn(
        r"^(\s+batch_size:\s*)\d+", r"\1thirty-two", common.read_text(), count=1, flags=re.M
    )
    assert count == 1, f"no batch_size to break in {common}"
    common.write_text(text)
    git("add", "-A", cwd=project)
    return common


@pytest.mark.slow
def test_hook_passes_on_recipes_and_fails_on_a_broken_common(
    hook_repo: Path, project: Path
) -> None:
    code, output = try_repo(hook_repo, project, "--all-files")
    assert code == 0, output
    assert re.search(r"^nexrl-cfg\.+Passed$", output, re.M), output

    common = break_common(project)
    code, output = try_repo(hook_repo, project, "--all-files")
    assert code == 1, output
    assert re.search(r"^nexrl-cfg\.+Failed$", output, re.M), output
    rel = common.relative_to(project).as_posix()
    assert re.search(rf"^{re.escape(rel)}:\d+:\d+: error \[invalid-type\]", output, re.M), output

    # Only the fragment staged: it is checked through the configs that include it.
    code, output = try_repo(hook_repo, project, "--files", rel)
    assert code == 1, output
    assert f"{rel}:" in output and "[invalid-type]" in output, output


@pytest.mark.slow
def test_the_readme_local_hook_runs_the_installed_copy(hook_repo: Path, project: Path) -> None:
    local = readme_configs()[1]
    code, output = try_repo(hook_repo, project, "--all-files", config_text=local)
    assert code == 0, output
    assert re.search(r"^nexrl-cfg\.+Passed$", output, re.M), output
    common = break_common(project)
    code, output = try_repo(hook_repo, project, "--all-files", config_text=local)
    assert code == 1, output
    assert f"{common.relative_to(project).as_posix()}:" in output, output
