"""Where `check --fix` and `migrate --write` may write, and how: through symbolic links to the
file they name (inside what was named), hard links kept one file, owner, mode and extended
attributes kept, read-only files refused, nothing outside the named files and folders, the
bytes compared right before each write, and a failed write reported on one line."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from conftest import SAMPLES
from helpers import cli

from nexrl_cfg.fix import land

BASE = (SAMPLES / "valid" / "self_hosted_dev.yaml").read_text(encoding="utf-8")
V = "1.0"
TYPO, RIGHT = "    backend: sglnag\n", "    backend: sglang\n"
LEGACY = "service:\n  inference_service:\n    model_tag: m\n"


def typo(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(BASE.replace(RIGHT, TYPO, 1), encoding="utf-8")
    return path


def fix(*args: str | Path, cwd: Path | None = None) -> tuple[int, str]:
    ran = cli(["check", "--nexrl-version", V, "--fix", *map(str, args)], cwd=cwd)
    return ran.returncode, ran.err


def test_a_symlink_inside_the_named_folder_is_followed_and_kept(tmp_path: Path) -> None:
    target = typo(tmp_path / "configs" / "real.yaml")
    link = tmp_path / "configs" / "link.yaml"
    link.symlink_to("real.yaml")
    fix(link)
    assert link.is_symlink() and os.readlink(link) == "real.yaml"
    assert RIGHT in target.read_text(encoding="utf-8")


def test_a_symlink_leading_out_of_the_named_folder_is_not_written(tmp_path: Path) -> None:
    outside = typo(tmp_path / "elsewhere" / "real.yaml")
    before = outside.read_bytes()
    named = tmp_path / "named"
    named.mkdir()
    (named / "run.yaml").write_text(BASE, encoding="utf-8")
    (named / "link.yaml").symlink_to(outside)
    fix(named)
    assert outside.read_bytes() == before
    assert (named / "link.yaml").is_symlink()


def test_a_named_symlink_writes_its_target_and_stays_a_link(tmp_path: Path) -> None:
    target = typo(tmp_path / "store" / "real.yaml")
    link = tmp_path / "run.yaml"
    link.symlink_to(target)
    code, _ = fix(link)
    assert code == 0
    assert link.is_symlink() and RIGHT in target.read_text(encoding="utf-8")


def test_a_hard_link_stays_one_file(tmp_path: Path) -> None:
    first = typo(tmp_path / "a" / "run.yaml")
    second = tmp_path / "b" / "run.yaml"
    second.parent.mkdir()
    os.link(first, second)
    inode = first.stat().st_ino
    assert fix(first)[0] == 0
    assert first.stat().st_ino == second.stat().st_ino == inode
    assert first.stat().st_nlink == 2
    assert RIGHT in second.read_text(encoding="utf-8")
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["run.yaml"]


def test_mode_owner_and_extended_attributes_are_kept(tmp_path: Path) -> None:
    path = typo(tmp_path / "run.yaml")
    path.chmod(0o640)
    try:
        os.setxattr(path, "user.origin", b"kept")
    except OSError:
        xattr = False
    else:
        xattr = True
    if os.geteuid() == 0:
        os.chown(path, 1234, 4321)
    before = path.stat()
    assert fix(path)[0] == 0
    after = path.stat()
    assert RIGHT in path.read_text(encoding="utf-8")
    assert (after.st_mode, after.st_uid, after.st_gid) == (
        before.st_mode,
        before.st_uid,
        before.st_gid,
    )
    if xattr:
        assert os.getxattr(path, "user.origin") == b"kept"


def test_a_read_only_file_is_refused_on_one_line(tmp_path: Path) -> None:
    path = typo(tmp_path / "run.yaml")
    path.chmod(0o444)
    before = path.read_bytes()
    code, err = fix(path)
    assert code == 2
    assert path.read_bytes() == before
    assert err.count("\n") == 1 and "read-only" in err and "run.yaml" in err


def test_an_includer_above_a_named_fragment_is_not_rewritten(tmp_path: Path) -> None:
    entry = typo(tmp_path / "run.yaml")
    text = entry.read_text(encoding="utf-8")
    entry.write_text("defaults:\n  - sub/part\n  - _self_\n\n" + text, encoding="utf-8")
    part = tmp_path / "sub" / "part.yaml"
    part.parent.mkdir()
    part.write_text("experiment_name: part\n", encoding="utf-8")
    before = entry.read_bytes()
    code, err = fix(part)
    assert entry.read_bytes() == before
    assert "outside the files and folders named" in err
    assert code == 1


def test_a_composed_file_outside_the_named_set_is_reported_not_written(tmp_path: Path) -> None:
    common = typo(tmp_path / "common.yaml")
    entry = tmp_path / "entry.yaml"
    entry.write_text("defaults:\n  - common\n  - _self_\n\nexperiment_name: e\n", "utf-8")
    before = common.read_bytes()
    code, err = fix(entry)
    assert common.read_bytes() == before
    assert "not fixed" in err and "common.yaml" in err and code == 1


def test_the_bytes_are_compared_right_before_each_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = typo(tmp_path / "a.yaml"), typo(tmp_path / "b.yaml")
    real_land = land.land

    def meddle(path: Path, *args: object, **kwargs: object) -> None:
        if path.name == "a.yaml":
            second.write_text(second.read_text(encoding="utf-8") + "# edited\n", "utf-8")
        real_land(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(land, "land", meddle)
    code, err = fix(tmp_path)
    assert code == 2
    assert RIGHT in first.read_text(encoding="utf-8")
    assert second.read_text(encoding="utf-8").endswith("# edited\n") and TYPO in second.read_text()
    assert "b.yaml changed" in err and "already written: " in err and "a.yaml" in err


@pytest.mark.parametrize("call", ["replace", "write"])
def test_a_full_disk_is_one_line_naming_what_was_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: str
) -> None:
    first, second = typo(tmp_path / "a.yaml"), typo(tmp_path / "b.yaml")
    before = second.read_bytes()
    original, real_land = getattr(os, call), land.land
    full = {"now": False}

    def failing(*args: object) -> object:
        if full["now"]:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return original(*args)

    def landing(path: Path, *args: object, **kwargs: object) -> None:
        full["now"] = path.name == "b.yaml"
        real_land(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, call, failing)
    monkeypatch.setattr(land, "land", landing)
    code, err = fix(tmp_path)
    full["now"] = False
    assert code == 2
    assert err.count("\n") == 1
    assert "No space left on device" in err and "b.yaml" in err
    assert "already written: " in err and "a.yaml" in err
    assert RIGHT in first.read_text(encoding="utf-8")
    assert second.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yaml"]


def test_migrate_writes_only_what_is_named(tmp_path: Path) -> None:
    common = tmp_path / "common.yaml"
    common.write_text(LEGACY, encoding="utf-8")
    entry = tmp_path / "run.yaml"
    entry.write_text("defaults:\n  - common\n  - _self_\n\nexperiment_name: e\n", "utf-8")
    ran = cli(["migrate", "--write", str(entry)])
    assert common.read_text(encoding="utf-8") == LEGACY
    assert "outside the files and folders named" in ran.err and ran.returncode == 1
    ran = cli(["migrate", "--write", str(tmp_path)])
    assert "identifier: m" in common.read_text(encoding="utf-8"), ran.err


def test_migrate_refuses_a_read_only_file(tmp_path: Path) -> None:
    path = tmp_path / "run.yaml"
    path.write_text(LEGACY, encoding="utf-8")
    path.chmod(0o444)
    ran = cli(["migrate", "--write", str(path)])
    assert ran.returncode == 2 and "read-only" in ran.err
    assert path.read_text(encoding="utf-8") == LEGACY
