"""A store that cannot take a write: full (a 64 KiB tmpfs), read-only (a bind mount), a
read-only config or lock folder. Nothing is sent that the store could not keep, the one
stderr line says what and where, the store's bytes are unchanged, and once the fault is
gone the login still works without a new sign-in."""

from __future__ import annotations

import os
from pathlib import Path

from tests.faults.conftest import (
    add_profile,
    fill,
    log_in,
    one_line,
    snapshot,
    stored_refresh_token,
    wait_until_expired,
)
from tests.support.cli import assert_no_traceback, run_cli


def test_a_full_store_refuses_the_refresh_before_sending_it_and_keeps_the_login(provider, proxy, mounts, file_store):
    data = mounts.tmpfs(Path(os.environ["XDG_DATA_HOME"]))
    add_profile(provider, proxy, "full")
    old = log_in(provider, "full")
    wait_until_expired(old)
    filler = fill(data)
    before = snapshot(file_store)

    result = run_cli("token", "full")

    line = one_line(result)
    assert result.code == 1 and result.stdout == "", result
    assert line.startswith(f"oauth2: error: cannot write the secret file {file_store / 'full.json'}: "
                           "No space left on device; nothing was sent to the server"), line
    assert "free some space" in line, line
    assert proxy.requests_to("/token") == 0  # the refresh token was not spent
    assert snapshot(file_store) == before

    filler.unlink()
    again = run_cli("token", "full")
    assert again.code == 0 and again.stdout.strip() and again.stdout.strip() != old.access_token, again
    assert_no_traceback(again)
    assert stored_refresh_token("full") not in (None, old.refresh_token)


def test_a_nearly_full_store_still_takes_the_answer_it_reserved_room_for(provider, proxy, mounts, file_store):
    data = mounts.tmpfs(Path(os.environ["XDG_DATA_HOME"]))
    add_profile(provider, proxy, "tight")
    old = log_in(provider, "tight")
    wait_until_expired(old)
    filler = fill(data)
    # Room for the reservation and nothing more: the write after the answer must use it.
    os.truncate(filler, filler.stat().st_size - 20 * 1024)

    result = run_cli("token", "tight")

    assert result.code == 0, result
    assert_no_traceback(result)
    assert stored_refresh_token("tight") not in (None, old.refresh_token)
    assert not [p for p in file_store.iterdir() if p.name.endswith(".tmp")]  # no reservation left behind


def test_a_read_only_store_refuses_the_refresh_before_sending_it(provider, proxy, mounts, file_store):
    add_profile(provider, proxy, "ro")
    old = log_in(provider, "ro")
    wait_until_expired(old)
    mounts.read_only(file_store)
    before = snapshot(file_store)

    result = run_cli("token", "ro")

    line = one_line(result)
    assert result.code == 1, result
    assert line.startswith(f"oauth2: error: cannot write the secret file {file_store / 'ro.json'}: "
                           "Read-only file system; nothing was sent to the server"), line
    assert "read-only file system: make it writable" in line, line
    assert proxy.requests_to("/token") == 0
    assert snapshot(file_store) == before

    mounts.writable(file_store)
    again = run_cli("token", "ro")
    assert again.code == 0, again
    assert stored_refresh_token("ro") not in (None, old.refresh_token)


def test_a_read_only_store_still_serves_a_fresh_token(provider, proxy, mounts, file_store):
    add_profile(provider, proxy, "fresh")
    tokens = log_in(provider, "fresh")
    mounts.read_only(file_store)
    result = run_cli("token", "fresh", "--min-ttl", "0")
    assert (result.code, result.stdout, result.stderr) == (0, tokens.access_token + "\n", ""), result


def test_a_read_only_config_refuses_profile_edits_in_one_line_and_lets_reads_work(provider, proxy, mounts, file_store):
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "oauth2cli"
    add_profile(provider, proxy, "cfg")
    old = log_in(provider, "cfg")
    wait_until_expired(old)
    mounts.read_only(config)
    before = snapshot(config)

    for args in (("profile", "add", "other", "--issuer", provider.issuer, "--client-id", "x"),
                 ("profile", "set", "cfg", "scope", "openid")):
        result = run_cli(*args)
        line = one_line(result)
        assert result.code == 1, result
        assert line.startswith(f"oauth2: error: cannot write the config file {config / 'config.toml'}: "
                               "Read-only file system;"), line
    assert snapshot(config) == before

    # Reading commands work: token (with a refresh), status, call.
    token = run_cli("token", "cfg")
    assert token.code == 0 and token.stdout.strip(), token
    assert_no_traceback(token)
    status = run_cli("status")
    assert status.code == 0 and "cfg" in status.stdout, status
    call = run_cli("call", "-p", "cfg", provider.endpoint("userinfo"))
    assert call.code == 0 and '"sub"' in call.stdout, call
    assert snapshot(config) == before


def test_a_read_only_lock_folder_is_a_store_error_not_a_crash(provider, proxy, mounts, file_store):
    add_profile(provider, proxy, "lk")
    old = log_in(provider, "lk")
    wait_until_expired(old)
    state = Path(os.environ["XDG_STATE_HOME"])
    state.mkdir(parents=True, exist_ok=True)
    mounts.read_only(state)
    before = snapshot(file_store)

    result = run_cli("token", "lk")

    line = one_line(result)
    assert result.code == 1, result
    assert line.startswith(f"oauth2: error: cannot open the lock file {state / 'oauth2cli' / 'locks' / 'lk.lock'}: "
                           "Read-only file system;"), line
    assert proxy.requests_to("/token") == 0
    assert snapshot(file_store) == before
    mounts.writable(state)
    assert run_cli("token", "lk").code == 0


def test_temp_files_of_killed_runs_are_swept_but_not_those_in_use(provider, proxy, file_store):
    import fcntl
    import time

    add_profile(provider, proxy, "sweep")
    old = log_in(provider, "sweep")
    dead = file_store / ".sweep.json.dead1234.tmp"
    dead.write_bytes(b"\0" * 16384)
    held = file_store / ".sweep.json.live5678.tmp"
    held.write_bytes(b"\0" * 16384)
    long_ago = time.time() - 60
    for path in (dead, held):
        os.utime(path, (long_ago, long_ago))
    fd = os.open(held, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as a live run holds its reservation
        wait_until_expired(old)
        result = run_cli("token", "sweep")
        assert result.code == 0, result
        assert not dead.exists() and held.exists()
    finally:
        os.close(fd)
