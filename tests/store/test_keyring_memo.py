"""The keyring backend keyring chose is remembered, so later runs skip its detection."""

from __future__ import annotations

import os
from pathlib import Path

from tests.support.cli import run_cli

TEST_BACKEND = "tests.support.memkeyring.FileBackedTestKeyring"


def keyringrc(backend: str) -> Path:
    # keyring reads $XDG_CONFIG_HOME/python_keyring/keyringrc.cfg: a choice without the env variable.
    rc = Path(os.environ["XDG_CONFIG_HOME"]) / "python_keyring" / "keyringrc.cfg"
    rc.parent.mkdir(parents=True, exist_ok=True)
    rc.write_text(f"[backend]\ndefault-keyring={backend}\n")
    return rc


def memo() -> Path:
    return Path(os.environ["XDG_CACHE_HOME"]) / "oauth2cli" / "keyring-backend"



def test_the_chosen_backend_is_remembered_and_used(monkeypatch):
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    keyringrc(TEST_BACKEND)
    result = run_cli("--store", "keyring", "status")
    assert result.code == 0, result
    name, key = memo().read_text().splitlines()[:2]
    assert name == TEST_BACKEND and key.startswith("keyringrc=")
    assert memo().stat().st_mode & 0o077 == 0


def test_a_stale_memo_is_not_trusted(monkeypatch):
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    keyringrc(TEST_BACKEND)
    memo().parent.mkdir(parents=True, exist_ok=True)
    # Names a class that does not exist, with the key of the current keyringrc: detection runs again.
    assert run_cli("--store", "keyring", "status").code == 0
    key = memo().read_text().splitlines()[1]
    memo().write_text(f"no.such.module.Keyring\n{key}\n")
    result = run_cli("--store", "keyring", "status")
    assert result.code == 0, result
    assert memo().read_text().splitlines()[0] == TEST_BACKEND


def test_changing_keyringrc_invalidates_the_memo(monkeypatch):
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    rc = keyringrc(TEST_BACKEND)
    assert run_cli("--store", "keyring", "status").code == 0
    first_key = memo().read_text().splitlines()[1]
    os.utime(rc, ns=(rc.stat().st_atime_ns, rc.stat().st_mtime_ns + 5_000_000_000))
    # keyring.backends.fail.Keyring is not a keyring: with --store keyring that is exit 1, whatever the memo said.
    rc.write_text("[backend]\ndefault-keyring=keyring.backends.fail.Keyring\n")
    result = run_cli("--store", "keyring", "status")
    assert result.code == 1, result
    assert "no usable keyring" in result.stderr
    assert memo().read_text().splitlines()[1] == first_key  # nothing new remembered
