"""`oauth2 token PROFILE` with short-lived, rotating tokens: refresh once, even under a race.

The provider's `short-public` client gets 2 s access tokens and a new refresh token on
every refresh (the old one is then refused), so a second refresh with a stale refresh
token would fail loudly; the lock must make the racers share one refresh.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path


from tests.support.cli import assert_no_traceback, run_cli
from tests.support.login import code_flow_tokens

RACERS = 20


def store():
    from oauth2cli.deps import Deps
    from oauth2cli.store import Store

    return Store(Deps(environ=dict(os.environ)))


def logged_in_profile(provider, name: str = "short") -> tuple[str, object]:
    """Profile NAME for short-public, with the tokens of a real login saved through the store API."""
    from oauth2cli.core.tokens import TokenSet, token_set_from_json

    added = run_cli("profile", "add", name, "--issuer", provider.issuer, "--client-id", "short-public",
                    "--auth-method", "none")
    assert added.code == 0, added
    answer = code_flow_tokens(provider, "short-public")
    tokens: TokenSet = token_set_from_json(answer, answer["obtained_at"])
    assert tokens.refresh_token and tokens.expires_at - answer["obtained_at"] == 2
    store().save_tokens(name, tokens)
    return name, tokens


def wait_until_expired(tokens) -> None:
    time.sleep(max(0.0, tokens.expires_at - time.time()) + 0.2)


def refresh_grants(provider) -> list[dict]:
    return [e for e in provider.events() if e["type"] == "token.request" and e.get("grant_type") == "refresh_token"]


def test_token_refreshes_an_expired_token_and_saves_the_rotated_one(provider):
    name, old = logged_in_profile(provider)
    wait_until_expired(old)
    provider.reset_events()

    result = run_cli("token", name)

    assert result.code == 0, result
    assert_no_traceback(result)
    new_access = result.stdout.strip()
    assert new_access and new_access != old.access_token
    assert provider.introspect(new_access)["active"] is True
    assert len(refresh_grants(provider)) == 1
    saved = store().load_tokens(name)
    assert saved.access_token == new_access
    assert saved.refresh_token and saved.refresh_token != old.refresh_token  # rotated, and saved


def test_a_fresh_token_is_printed_without_asking_the_server(provider):
    name, tokens = logged_in_profile(provider, "fresh")
    provider.reset_events()
    result = run_cli("token", name, "--min-ttl", "0")
    assert (result.code, result.stdout) == (0, tokens.access_token + "\n"), result
    assert refresh_grants(provider) == []


def _has_open(pid: int, path: Path) -> bool:
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") == str(path):
                return True
        except OSError:
            pass
    return False


def test_twenty_racing_processes_make_one_refresh_and_print_the_same_token(provider):
    from oauth2cli.store.lock import lock_path
    from oauth2cli.store.paths import state_dir

    name, old = logged_in_profile(provider, "race")
    # The provider's tokens live 2 s here: with the default leeway (half of that) a racer that
    # takes the lock a second after the refresh on a busy machine would refresh again.
    assert run_cli("profile", "set", name, "leeway", "0").code == 0
    wait_until_expired(old)
    provider.reset_events()
    lock_file = lock_path(state_dir(os.environ), name)
    command = [sys.executable, "-m", "oauth2cli", "token", name]

    started = time.monotonic()
    # The test holds the profile lock while the racers start, so that every one of them has
    # read the expired token before any refresh happens: the worst case, every time.
    with store().lock(name):
        procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(RACERS)]
        if Path("/proc/self/fd").is_dir():
            deadline = time.monotonic() + 60
            waiting = set(range(RACERS))
            while waiting and time.monotonic() < deadline:
                waiting = {i for i in waiting if procs[i].poll() is None and not _has_open(procs[i].pid, lock_file)}
                time.sleep(0.05)
            assert not waiting, "some racers never reached the lock"
        else:  # pragma: no cover - no /proc: give them time
            time.sleep(10)
        released = time.monotonic()
    outputs = [p.communicate(timeout=60) for p in procs]
    finished = time.monotonic()

    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, f"exit {proc.returncode}\n{out}\n{err}"
        assert "Traceback" not in err
    tokens = {out.strip() for out, _ in outputs}
    assert len(tokens) == 1, tokens
    (new_access,) = tokens
    assert new_access != old.access_token
    assert len(refresh_grants(provider)) == 1, refresh_grants(provider)
    assert [e["type"] for e in provider.events() if e.get("grant_type") == "refresh_token"].count("grant.success") == 1
    assert store().load_tokens(name).access_token == new_access
    sys.stderr.write(f"\nrace: {RACERS} processes, {finished - started:.2f} s in all, "
                     f"{finished - released:.2f} s after the lock was released\n")


def test_a_refused_refresh_asks_for_a_login_and_keeps_the_tokens(provider):
    from dataclasses import replace

    name, old = logged_in_profile(provider, "refused")
    broken = replace(old, refresh_token="not-a-refresh-token", expires_at=time.time() - 10)
    store().save_tokens(name, broken)

    result = run_cli("token", name)

    assert result.code == 7, result
    assert_no_traceback(result)
    assert result.stdout == ""
    assert "invalid_grant" in result.stderr
    assert f"log in again with `oauth2 login {name}`" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert store().load_tokens(name) == broken


def test_no_token_is_exit_7(provider):
    added = run_cli("profile", "add", "nologin", "--issuer", provider.issuer, "--client-id", "short-public")
    assert added.code == 0, added
    result = run_cli("token", "nologin")
    assert result.code == 7, result
    assert "oauth2 login nologin" in result.stderr


def test_client_credentials_profile_gets_a_fresh_grant_and_reuses_it(provider):
    client = provider.clients["cc-only"]
    added = run_cli("profile", "add", "svc", "--issuer", provider.issuer, "--client-id", "cc-only",
                    "--grant", "client_credentials", env={"OAUTH2_CLIENT_SECRET": client["client_secret"]})
    assert added.code == 0, added
    provider.reset_events()
    first = run_cli("token", "svc")
    assert first.code == 0, first
    assert provider.introspect(first.stdout.strip())["active"] is True
    again = run_cli("token", "svc")
    assert again.stdout == first.stdout, again
    grants = [e for e in provider.events() if e["type"] == "token.request"]
    assert [e["grant_type"] for e in grants] == ["client_credentials"]
