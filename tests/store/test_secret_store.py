"""The secret store: keyring entries kept small, the file store's modes and atomicity, the lock."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time

import pytest

from oauth2cli.core.errors import StoreError
from oauth2cli.store import lock as lock_mod
from oauth2cli.store import secrets as sec
from tests.support.memkeyring import FileBackedTestKeyring


@pytest.fixture
def backend(tmp_path):
    return FileBackedTestKeyring(tmp_path / "kr.json")


def test_short_values_are_one_entry(backend):
    store = sec.KeyringStore(backend)
    store.set("work", "client_secret", "s3cret")
    assert backend.entries() == {"oauth2cli": {"work:client_secret": "s3cret"}}
    assert store.get("work", "client_secret") == "s3cret"


def test_a_long_token_set_is_chunked_under_the_windows_limit(backend):
    store = sec.KeyringStore(backend)
    value = json.dumps({"access_token": "a" * 3000, "id_token": "é" * 4000, "refresh_token": "r" * 900})
    store.set("work", "tokens", value)
    entries = backend.entries()["oauth2cli"]
    assert len(entries) > 3
    for username, stored in entries.items():
        # Windows stores UTF-16: 2,560 bytes at most per credential blob.
        assert len(stored.encode("utf-16-le")) <= 2560, username
    assert entries["work:tokens"].startswith("oauth2cli-chunked:v1:")
    assert store.get("work", "tokens") == value

    # Replacing it leaves no orphan chunks behind; deleting leaves nothing.
    store.set("work", "tokens", "short")
    assert backend.entries()["oauth2cli"] == {"work:tokens": "short"}
    store.set("work", "tokens", value)
    store.delete("work", "tokens")
    assert backend.entries() == {}


def test_a_value_that_looks_like_a_chunk_header_survives(backend):
    store = sec.KeyringStore(backend)
    store.set("p", "client_secret", "oauth2cli-chunked:v1:abc:3")
    assert store.get("p", "client_secret") == "oauth2cli-chunked:v1:abc:3"


@pytest.mark.parametrize("module, name, usable", [
    ("keyring.backends.fail", "Keyring", False),
    ("keyring.backends.null", "Keyring", False),
    ("keyrings.alt.file", "PlaintextKeyring", False),
    ("keyrings.alt.file", "EncryptedKeyring", False),
    ("keyring.backends.SecretService", "Keyring", True),
    ("keyring.backends.macOS", "Keyring", True),
], ids=lambda v: str(v))
def test_which_backends_count_as_a_keyring(module, name, usable):
    fake = type(name, (), {"__module__": module})()
    assert (sec.unusable_reason(fake) is None) is usable


def test_a_chainer_of_nothing_usable_is_no_keyring():
    null = type("Keyring", (), {"__module__": "keyring.backends.null"})()
    real = type("Keyring", (), {"__module__": "keyring.backends.SecretService"})()
    chainer = type("ChainerBackend", (), {"__module__": "keyring.backends.chainer"})
    assert sec.unusable_reason(type("C", (chainer,), {"__module__": "keyring.backends.chainer", "backends": [null]})())
    assert sec.unusable_reason(type("C", (chainer,), {"__module__": "keyring.backends.chainer", "backends": [real]})()) is None


def test_a_hung_keyring_call_times_out():
    started = time.monotonic()
    with pytest.raises(StoreError, match="did not answer within 0.3 s"):
        sec.with_timeout(lambda: time.sleep(30), 0.3, "reading")
    assert time.monotonic() - started < 2


def test_file_store_modes(tmp_path):
    store = sec.FileStore(tmp_path / "data" / "oauth2cli" / "secrets")
    store.set("work", "tokens", "{}")
    store.set("work", "client_secret", "s")
    assert stat.S_IMODE(os.stat(store.directory).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(store.directory / "work.json").st_mode) == 0o600
    assert store.get("work", "client_secret") == "s"
    store.delete("work", "client_secret")
    store.delete("work", "tokens")
    assert not (store.directory / "work.json").exists()
    assert [p.name for p in store.directory.iterdir() if not p.name.startswith(".")] == []


WRITER = """
import sys
from pathlib import Path
from oauth2cli.store.secrets import FileStore
store = FileStore(Path(sys.argv[1]))
i = 0
while True:
    i += 1
    store.set("victim", "tokens", str(i) + ":" + "x" * 4_000_000)
    sys.stdout.write(f"{i}\\n"); sys.stdout.flush()
"""


def test_a_writer_killed_mid_write_leaves_a_readable_store(tmp_path):
    directory = tmp_path / "secrets"
    store = sec.FileStore(directory)
    store.set("victim", "tokens", "0:" + "x" * 4_000_000)
    for delay in (0.15, 0.3, 0.45, 0.6, 0.8):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(directory)], stdout=subprocess.PIPE)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        value = store.get("victim", "tokens")  # parses the whole JSON file
        counter, _, body = value.partition(":")
        assert counter.isdigit() and body == "x" * 4_000_000
        assert stat.S_IMODE(os.stat(directory / "victim.json").st_mode) == 0o600
    # Leftover temp files of killed writers are never read as the store.
    assert {p.name for p in directory.iterdir() if not p.name.startswith(".")} == {"victim.json"}


def test_the_lock_file_is_private_and_exclusive(tmp_path):
    with lock_mod.profile_lock(tmp_path, "work") as path:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
        other = subprocess.run(
            [sys.executable, "-c",
             "import sys; from pathlib import Path; from oauth2cli.store.lock import profile_lock\n"
             "try:\n  profile_lock(Path(sys.argv[1]), 'work', wait=0.3).__enter__()\n"
             "except Exception as e: print(type(e).__name__, e); sys.exit(3)",
             str(tmp_path)], capture_output=True, text=True, timeout=30)
        assert other.returncode == 3, other
        assert "StoreError profile 'work' is locked by another oauth2 process" in other.stdout
    # Released: the next one gets it at once.
    with lock_mod.profile_lock(tmp_path, "work", wait=0.1):
        pass


def test_a_killed_holder_releases_the_lock(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from oauth2cli.store.lock import profile_lock\n"
         "with profile_lock(Path(sys.argv[1]), 'work'):\n  print('held', flush=True); time.sleep(60)",
         str(tmp_path)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    with lock_mod.profile_lock(tmp_path, "work", wait=2):
        pass


CONCURRENT_WRITER = """
import sys
from pathlib import Path
from oauth2cli.store.secrets import FileStore
store = FileStore(Path(sys.argv[1]))
for i in range(40):
    store.set("p", sys.argv[2], str(i))
"""


def test_file_store_writers_of_different_kinds_lose_nothing(tmp_path):
    directory = tmp_path / "secrets"
    kinds = ["tokens", "client_secret", "dpop_key", "private_key"]
    procs = [subprocess.Popen([sys.executable, "-c", CONCURRENT_WRITER, str(directory), kind]) for kind in kinds]
    assert [p.wait(timeout=60) for p in procs] == [0] * len(kinds)
    store = sec.FileStore(directory)
    assert {kind: store.get("p", kind) for kind in kinds} == {kind: "39" for kind in kinds}
