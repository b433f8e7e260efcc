"""SIGKILL of `oauth2 token` at measured moments after the token answer's last byte left the
proxy: wherever the store shows the commit (the rotated refresh token in place), the login
works afterwards without a new sign-in; before it, the store holds its old bytes exactly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from tests.faults.conftest import add_profile, log_in, one_line, snapshot, stored_refresh_token, wait_until_expired
from tests.support.cli import assert_no_traceback, run_cli

# Milliseconds after the answer's last byte; 0 races the client's own read of it.
KILL_POINTS_MS = (0, 1, 2, 3, 5, 8, 12, 20, 35, 60, 100, 200)


def _kill_at(proxy, name: str, delay_ms: float) -> float:
    """Start `oauth2 token NAME`, SIGKILL it `delay_ms` after its answer was delivered; the
    measured delay (ms) at the kill."""
    proxy.clear()
    delivered = proxy.delivered("/token")
    proc = subprocess.Popen([sys.executable, "-m", "oauth2cli", "token", name],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert delivered.wait(30), "the refresh never reached the token endpoint"
        target = delivered.at_ns + int(delay_ms * 1e6)
        while (left := target - time.monotonic_ns()) > 0:
            time.sleep(min(left / 1e9, 0.0005) if left > 1_000_000 else 0)
        os.kill(proc.pid, signal.SIGKILL)
        measured = (time.monotonic_ns() - delivered.at_ns) / 1e6
    finally:
        proc.wait(30)
    return measured


def test_sigkill_after_the_answer_never_loses_a_committed_login(provider, proxy, file_store, capsys):
    names = [f"kill{i}" for i in range(len(KILL_POINTS_MS))]
    olds = {}
    for name in names:
        add_profile(provider, proxy, name)
        olds[name] = log_in(provider, name)
    wait_until_expired(*olds.values())

    rows = []
    for name, delay in zip(names, KILL_POINTS_MS):
        before = snapshot(file_store)[f"{name}.json"]
        measured = _kill_at(proxy, name, delay)
        after_bytes = snapshot(file_store)[f"{name}.json"]
        committed = stored_refresh_token(name) != olds[name].refresh_token
        if not committed:
            assert after_bytes == before, f"{name}: the store changed without the new refresh token"
        later = run_cli("token", name)
        if committed:
            assert later.code == 0 and later.stdout.strip(), f"killed at {measured:.1f} ms after the commit:\n{later}"
            assert_no_traceback(later)
        else:
            # Killed before the commit: the server's rotation was never kept, and this server
            # (no reuse grace period) refuses the old refresh token: the unavoidable window.
            line = one_line(later)
            assert later.code == 7 and "invalid_grant" in line, later
        rows.append((delay, measured, committed))

    with capsys.disabled():
        print("\nkill point (ms after the answer) -> login intact")
        for delay, measured, committed in rows:
            print(f"  {delay:5} ms (measured {measured:7.2f} ms): {'intact' if committed else 'lost (before the commit)'}")
    assert len(rows) >= 10


def test_the_refresh_token_is_saved_before_the_jwks_is_fetched(provider, proxy, file_store):
    """Structure, not timing: with the JWKS endpoint hanging, the process is stuck validating
    the new id_token, and the store already holds the rotated refresh token."""
    add_profile(provider, proxy, "jw")
    old = log_in(provider, "jw")
    wait_until_expired(old)
    proxy.rule("/jwks", "hang")
    proc = subprocess.Popen([sys.executable, "-m", "oauth2cli", "token", "jw"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while proxy.requests_to("/jwks") == 0 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.01)
        assert proxy.requests_to("/jwks") == 1 and proc.poll() is None
        saved = stored_refresh_token("jw")
        assert saved not in (None, old.refresh_token)  # committed while the id_token waits on the network
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(30)
    proxy.clear()
    later = run_cli("token", "jw")
    assert later.code == 0 and later.stdout.strip(), later
    assert_no_traceback(later)
