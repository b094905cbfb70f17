"""``applying.write``: atomic replacement that keeps owner and mode, backups, and failures that
leave the original intact with no temporary file behind."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from configgen import files
from configgen.apply import plan as apply
from configgen.apply import run as applying
from configgen.apply.plan import ApplyError
from configgen.apply.run import ApplyRequest
from configgen.spec.model import TokenSpec

TOKEN = "Zq3xV8pL2mN7rT4wY9bK6cF1hJ5sD0gA"
SPEC = TokenSpec(TOKEN, ("stackstate-power-user",), "24h")
VALUES = "# values\nstackstate:\n  authentication:\n    adminPassword: x\n"


def values_file(tmp_path: Path, mode: int = 0o644, text: str = VALUES) -> Path:
    path = tmp_path / "values.yaml"
    path.write_text(text)
    path.chmod(mode)
    return path


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_existing_file_is_replaced_and_readable_modes_are_tightened(tmp_path: Path) -> None:
    path = values_file(tmp_path, 0o644)
    result = apply.apply(SPEC, path, "helm")
    written = applying.write(result)
    assert written.written
    assert path.read_text() == result.new_text
    assert mode_of(path) == 0o600
    assert written.mode == 0o600
    assert written.notes == (
        "mode 0644 let the group and other users read it, and it now holds a token: "
        "tightened to 0600",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["values.yaml"]


@pytest.mark.parametrize(("before", "after"), [(0o600, 0o600), (0o400, 0o400), (0o640, 0o600)])
def test_modes_without_group_or_other_access_are_kept(
    tmp_path: Path, before: int, after: int
) -> None:
    path = values_file(tmp_path, before)
    applying.write(apply.apply(SPEC, path, "helm"))
    assert mode_of(path) == after


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_owner_and_group_are_kept(tmp_path: Path) -> None:
    path = values_file(tmp_path, 0o600)
    os.chown(path, 4321, 8765)
    applying.write(apply.apply(SPEC, path, "helm"))
    info = path.stat()
    assert (info.st_uid, info.st_gid) == (4321, 8765)


def test_a_new_file_is_created_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "authentication.yaml"
    written = applying.write(apply.apply(SPEC, path, "helm"))
    assert written.written
    assert mode_of(path) == 0o600


def test_an_unchanged_file_is_not_touched_but_a_readable_one_is_reported(
    tmp_path: Path,
) -> None:
    path = values_file(tmp_path, 0o644)
    applying.write(apply.apply(SPEC, path, "helm"))
    path.chmod(0o644)
    before = path.stat().st_mtime_ns
    written = applying.write(apply.apply(SPEC, path, "helm"))
    assert not written.written
    assert path.stat().st_mtime_ns == before
    assert "lets the group and other users read it, and it holds a token" in written.notes[0]


def test_backups_never_replace_an_existing_backup(tmp_path: Path) -> None:
    path = values_file(tmp_path, 0o644)
    original = path.read_bytes()
    (tmp_path / "values.yaml.bak").write_text("an older backup\n")
    first = applying.write(apply.apply(SPEC, path, "helm"), backup=True)
    assert first.backup == tmp_path / "values.yaml.bak.1"
    assert first.backup.read_bytes() == original
    assert mode_of(first.backup) == 0o600  # it holds the old token: tightened too
    assert (tmp_path / "values.yaml.bak").read_text() == "an older backup\n"
    other = TokenSpec("c" * 40, ("stackstate-guest",), "1h")
    second = applying.write(apply.apply(other, path, "helm"), backup=True)
    assert second.backup == tmp_path / "values.yaml.bak.2"
    assert TOKEN in second.backup.read_text()


def test_a_symbolic_link_is_followed(tmp_path: Path) -> None:
    real = values_file(tmp_path, 0o600)
    link = tmp_path / "link.yaml"
    link.symlink_to(real.name)
    written = applying.write(apply.apply(SPEC, link, "helm"))
    assert link.is_symlink()
    assert TOKEN in real.read_text()
    assert "symbolic link" in written.notes[0]


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path: Path) -> None:
    path = values_file(tmp_path)
    result = apply.apply(SPEC, path, "helm")
    path.write_text(VALUES + "late: edit\n")
    with pytest.raises(ApplyError, match="changed since it was read"):
        applying.write(result)
    assert path.read_text() == VALUES + "late: edit\n"


def test_a_new_file_that_appeared_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "authentication.yaml"
    result = apply.apply(SPEC, path, "helm")
    path.write_text("someone else's\n")
    with pytest.raises(files.OutputExists):
        applying.write(result)
    assert path.read_text() == "someone else's\n"


# -- failure injection -------------------------------------------------------------------------


class Interrupted(Exception):
    """Stands for anything that stops the program between writing and renaming."""


def failing(error: BaseException) -> Callable[..., Any]:
    def fail(*_args: Any, **_kwargs: Any) -> Any:
        raise error

    return fail


FAILURES: dict[str, tuple[str, BaseException]] = {
    "replace-permission": ("replace", PermissionError(errno.EACCES, "Permission denied")),
    "replace-enospc": ("replace", OSError(errno.ENOSPC, "No space left on device")),
    "link-permission": ("link", PermissionError(errno.EPERM, "Operation not permitted")),
    "link-enospc": ("link", OSError(errno.ENOSPC, "No space left on device")),
    "fsync-enospc": ("fsync", OSError(errno.ENOSPC, "No space left on device")),
    "fsync-permission": ("fsync", PermissionError(errno.EACCES, "Permission denied")),
    "fchmod-interrupted": ("fchmod", Interrupted()),
    "link-interrupted": ("link", Interrupted()),
    "replace-keyboard-interrupt": ("replace", KeyboardInterrupt()),
}


@pytest.mark.parametrize("kind", ["helm", "hocon"])
@pytest.mark.parametrize("failure", FAILURES)
def test_the_original_is_intact_after_any_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str, kind: str
) -> None:
    name = "values.yaml" if kind == "helm" else "application_stackstate.conf"
    text = VALUES if kind == "helm" else "stackstate.web.port = 7070\n"
    path = tmp_path / name
    path.write_text(text)
    path.chmod(0o644)
    original, listing = path.read_bytes(), sorted(os.listdir(tmp_path))
    result = apply.apply(SPEC, path, kind)
    function, error = FAILURES[failure]
    monkeypatch.setattr(os, function, failing(error))
    with pytest.raises((OSError, Interrupted, KeyboardInterrupt)) as caught:
        applying.write(result, backup=True)
    monkeypatch.undo()
    if isinstance(error, OSError):
        assert isinstance(caught.value, files.WriteError)
        assert "nothing was changed" in str(caught.value)
        assert TOKEN not in str(caught.value)
    assert path.read_bytes() == original
    assert mode_of(path) == 0o644
    assert sorted(os.listdir(tmp_path)) == listing  # no temporary file, no backup left


@pytest.mark.parametrize("function", ["link", "fsync"])
def test_a_new_file_is_all_or_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, function: str
) -> None:
    path = tmp_path / "authentication.yaml"
    result = apply.apply(SPEC, path, "helm")
    monkeypatch.setattr(os, function, failing(OSError(errno.ENOSPC, "No space left on device")))
    with pytest.raises(files.WriteError, match="No space left"):
        applying.write(result)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == []


def test_a_backup_made_before_a_failed_rename_is_removed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = values_file(tmp_path)
    result = apply.apply(SPEC, path, "helm")
    seen: list[list[str]] = []

    def fail(*_args: Any) -> None:
        seen.append(sorted(os.listdir(tmp_path)))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(files.WriteError):
        applying.write(result, backup=True)
    monkeypatch.undo()
    assert "values.yaml.bak" in seen[0]
    assert any(name.endswith(".tmp") for name in seen[0])
    assert sorted(os.listdir(tmp_path)) == ["values.yaml"]
    assert path.read_text() == VALUES


def test_keeping_another_owner_is_refused_when_not_possible(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = values_file(tmp_path)
    result = apply.apply(SPEC, path, "helm")
    real_stat = os.stat

    def other_owner(target: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        info = real_stat(target, *args, **kwargs)
        if Path(target) == path:
            fields = list(info)
            fields[stat.ST_UID] = info.st_uid + 1
            return os.stat_result(fields)
        return info

    monkeypatch.setattr(os, "stat", other_owner)
    monkeypatch.setattr(os, "fchown", failing(PermissionError(errno.EPERM, "not permitted")))
    with pytest.raises(files.WriteError, match="nothing was changed"):
        applying.write(result)
    monkeypatch.undo()
    assert path.read_text() == VALUES
    assert sorted(os.listdir(tmp_path)) == ["values.yaml"]


# -- the whole command -------------------------------------------------------------------------


def test_run_plans_every_file_and_write_all_writes_them(tmp_path: Path) -> None:
    spec_file = tmp_path / "spec.yaml"
    spec_file.write_text(f"token: {TOKEN}\nroles: [stackstate-power-user]\n")
    values = values_file(tmp_path)
    conf = tmp_path / "application_stackstate.conf"
    conf.write_text("stackstate.web.port = 7070\n")
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: [\n")
    unknown = tmp_path / "settings.txt"
    unknown.write_text("x\n")
    request = ApplyRequest(
        str(spec_file), (str(values), str(conf), str(broken), str(unknown), "new.yaml")
    )
    run = applying.run(request)
    assert [r.path.name for r in run.results] == [
        "values.yaml",
        "application_stackstate.conf",
        "new.yaml",
    ]
    assert [e.name for e in run.errors] == [str(broken), str(unknown)]
    assert "use --kind" in run.errors[1].message
    written = applying.write_all(run.results[:2])
    assert [w.written for w in written] == [True, True]
    assert TOKEN in values.read_text()
    assert TOKEN in conf.read_text()


def test_write_all_says_which_files_were_already_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(VALUES)
    second.write_text(VALUES)
    results = [apply.apply(SPEC, p, "helm") for p in (first, second)]
    real_replace = os.replace

    def fail_second(source: Any, target: Any) -> None:
        if Path(target) == second:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", fail_second)
    with pytest.raises(files.WriteError) as caught:
        applying.write_all(results)
    assert caught.value.replaced == [first]
    assert second.read_text() == VALUES


def test_other_hard_links_are_reported(tmp_path: Path) -> None:
    path = values_file(tmp_path, 0o600)
    os.link(path, tmp_path / "second-name.yaml")
    written = applying.write(apply.apply(SPEC, path, "helm"))
    assert "other hard links" in written.notes[0]
    assert TOKEN not in (tmp_path / "second-name.yaml").read_text()


# -- backups, links and modes (issue #13) ----------------------------------------------------


def test_row_11_a_backup_does_not_change_the_mode_of_another_hard_link(tmp_path: Path) -> None:
    """The backup was a hard link to the previous file, then tightened to 0600: every other
    name of that inode changed mode too.  It is a copy now."""
    path = values_file(tmp_path, 0o644)
    other = tmp_path / "other-name.yaml"
    os.link(path, other)
    written = applying.write(apply.apply(SPEC, path, "helm"), backup=True)
    assert mode_of(other) == 0o644
    assert other.read_text() == VALUES
    assert written.backup is not None
    assert written.backup.read_text() == VALUES
    assert mode_of(written.backup) == 0o600
    assert written.backup.stat().st_ino != other.stat().st_ino
    assert mode_of(path) == 0o600


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_a_backup_keeps_the_owner(tmp_path: Path) -> None:
    path = values_file(tmp_path, 0o600)
    os.chown(path, 4321, 8765)
    written = applying.write(apply.apply(SPEC, path, "helm"), backup=True)
    assert written.backup is not None
    info = written.backup.stat()
    assert (info.st_uid, info.st_gid) == (4321, 8765)


@pytest.mark.parametrize(
    ("mode", "note"),
    [
        (0o620, "mode 0620 let the group write it, and it now holds a token: tightened to 0600"),
        (0o711, "mode 0711 let the group and other users execute it, and it now holds a token: "
                "tightened to 0700"),
        (0o640, "mode 0640 let the group read it, and it now holds a token: tightened to 0600"),
        (0o664, "mode 0664 let the group read and write it and other users read it, and it now "
                "holds a token: tightened to 0600"),
    ],
)  # fmt: skip
def test_the_mode_note_says_what_the_mode_allowed(tmp_path: Path, mode: int, note: str) -> None:
    """Decision (#13, seen items): 0620 and 0711 were reported as "let other users read"."""
    path = values_file(tmp_path, mode)
    written = applying.write(apply.apply(SPEC, path, "helm"))
    assert note in written.notes


@pytest.mark.parametrize(("mode", "after"), [(0o4600, 0o600), (0o2640, 0o600), (0o6755, 0o700)])
def test_setuid_and_setgid_bits_are_dropped(tmp_path: Path, mode: int, after: int) -> None:
    """Decision (#13, seen items): a configuration file does not need set-user/group-ID; the
    file now holds a token, and writing drops them anyway (the kernel does on write)."""
    path = values_file(tmp_path, 0o600)
    os.chmod(path, mode)
    written = applying.write(apply.apply(SPEC, path, "helm"))
    assert mode_of(path) == after
    assert any("which a configuration file does not need: dropped" in n for n in written.notes)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
@pytest.mark.parametrize("where", ["the file", "a directory on the way"])
def test_a_symbolic_link_of_another_user_is_not_written_through(tmp_path: Path, where: str) -> None:
    """Decision (#13, seen items): as root, apply followed any link -- one planted by another
    user too, into a root-owned file elsewhere, tightening its mode.  A link that belongs to
    neither the user nor root is refused; the user's own links are still followed."""
    elsewhere = tmp_path / "etc"
    elsewhere.mkdir()
    real = values_file(elsewhere, 0o644)
    if where == "the file":
        link = tmp_path / "values.yaml"
        link.symlink_to(real)
        os.lchown(link, 4321, 4321)
    else:
        (tmp_path / "conf").symlink_to(elsewhere)
        os.lchown(tmp_path / "conf", 4321, 4321)
        link = tmp_path / "conf" / "values.yaml"
    with pytest.raises(ApplyError, match="belongs to another user"):
        apply.apply(SPEC, link, "helm")
    assert real.read_text() == VALUES
    assert mode_of(real) == 0o644
