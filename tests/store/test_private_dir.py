"""store.paths.private_dir: folders it makes are 0700; existing ones are closed to others at
most, never opened further, and a folder someone chose is left alone."""

from __future__ import annotations

import os
import stat

from oauth2cli.store.paths import private_dir


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_new_folders_of_ours_are_0700(tmp_path):
    made = private_dir(tmp_path / "x" / "oauth2cli" / "secrets")
    assert mode(made) == 0o700 and mode(made.parent) == 0o700


def test_an_open_folder_of_ours_is_closed_to_others_without_gaining_write(tmp_path):
    ours = tmp_path / "oauth2cli"
    ours.mkdir(mode=0o755)
    os.chmod(ours, 0o755)
    readonly = ours / "secrets"
    readonly.mkdir()
    os.chmod(readonly, 0o555)
    private_dir(readonly)
    assert mode(readonly) == 0o500  # still not writable: a store its owner made read-only stays so
    assert mode(ours) == 0o700


def test_a_folder_someone_chose_is_not_touched(tmp_path):
    chosen = tmp_path / "shared"
    chosen.mkdir()
    os.chmod(chosen, 0o755)
    private_dir(chosen)
    assert mode(chosen) == 0o755


def test_a_private_folder_is_not_chmodded_at_all(tmp_path, monkeypatch):
    ours = tmp_path / "oauth2cli"
    ours.mkdir(mode=0o700)
    os.chmod(ours, 0o700)
    calls = []
    monkeypatch.setattr(os, "chmod", lambda *a, **k: calls.append(a))
    private_dir(ours)
    assert calls == []  # nothing to fail on a read-only mount
