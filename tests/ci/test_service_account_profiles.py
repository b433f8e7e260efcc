"""Assertion profiles (issue #17): `profile add --service-account` and `--grant jwt-bearer
--private-key`, then `token`, `call -p` and `status`, against the real provider's jwt-bearer
grant (it verifies the assertion's signature, iss, aud and exp)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from tests.ci.conftest import accepted, config_bytes, keyring_entries, make_stale, store, token_events
from tests.support.ci_trust import JWT_BEARER, SA_EMAIL
from tests.support.cli import assert_no_traceback, run_cli

RACERS = 12


def _key_lines(pem: str) -> list[str]:
    return [line for line in pem.splitlines() if line and not line.startswith("-----")]


def add_service_account(provider, tmp_path: Path, name: str = "svc", *extra: str):
    sa = provider.trust.service_account_file(tmp_path, provider.endpoint("token"))
    added = run_cli("profile", "add", name, "--service-account", str(sa), *extra)
    assert added.code == 0, added
    assert_no_traceback(added)
    return sa


def test_service_account_profile_keeps_its_key_in_the_store_not_in_config(provider, tmp_path):
    sa = add_service_account(provider, tmp_path, "svc", "--sub", "alice@example.test")
    pem = provider.trust.sa_key.as_pem(private=True).decode()

    config = config_bytes()
    assert b"PRIVATE KEY" not in config
    for line in _key_lines(pem):  # not one line of the key's body, byte for byte
        assert line.encode() not in config
    assert str(sa).encode() not in config  # nor a path that the profile would depend on
    assert SA_EMAIL.encode() in config and b"alice@example.test" in config
    assert store().secrets.get("svc", "private_key") == pem  # the key itself, in the secret store
    os.remove(sa)  # the profile no longer needs the file

    provider.reset_events()
    result = run_cli("token", "svc")
    assert result.code == 0, result
    assert_no_traceback(result)
    token = result.stdout.strip()
    assert provider.introspect(token)["active"] is True
    (seen,) = accepted(provider)
    assert (seen["iss"], seen["sub"], seen["aud"]) == (SA_EMAIL, "alice@example.test", provider.endpoint("token"))
    # RFC 7523 §3.1: no client authentication; the provider's stand-in client took the request.
    (request,) = token_events(provider, grant_type=JWT_BEARER)
    assert request["client_id"] == "assertion-public" and request["status"] == 200


def test_token_is_reused_while_fresh_and_renewed_with_a_new_assertion_when_stale(provider, tmp_path):
    add_service_account(provider, tmp_path)
    first = run_cli("token", "svc")
    assert first.code == 0, first
    provider.reset_events()
    again = run_cli("token", "svc")
    assert again.stdout == first.stdout and token_events(provider) == []

    make_stale("svc", 30)  # within the 60 s leeway
    renewed = run_cli("token", "svc")
    assert renewed.code == 0, renewed
    assert renewed.stdout != first.stdout
    assert len(accepted(provider)) == 1
    assert store().load_tokens("svc").access_token == renewed.stdout.strip()


def test_call_with_a_service_account_profile_sends_its_token(provider, tmp_path, resource):
    add_service_account(provider, tmp_path)
    result = run_cli("call", "-p", "svc", resource.base + "/echo")
    assert result.code == 0, result
    assert_no_traceback(result)
    (request,) = resource.requests
    stored = store().load_tokens("svc")
    assert request["headers"]["Authorization"] == f"Bearer {stored.access_token}"
    assert provider.introspect(stored.access_token)["active"] is True


def test_status_shows_a_service_account(provider, tmp_path):
    add_service_account(provider, tmp_path)
    before = run_cli("status")
    assert before.code == 0, before
    (line,) = [ln for ln in before.stdout.splitlines() + before.stderr.splitlines() if ln.startswith("svc")]
    assert "service account" in line and "not logged in" not in line
    assert run_cli("token", "svc").code == 0
    after = run_cli("status", "--json")
    import json

    (entry,) = json.loads(after.stdout)["profiles"]
    assert entry["service_account"] is True and entry["logged_in"] is True and entry["expires_in"] > 3000


def test_jwt_bearer_profile_from_a_private_key(provider, tmp_path):
    key_file = tmp_path / "key.pem"
    pem = provider.trust.sa_key.as_pem(private=True).decode()
    key_file.write_text(pem)
    added = run_cli("profile", "add", "app", "--grant", "jwt-bearer", "--private-key", str(key_file),
                    "--iss", SA_EMAIL, "--sub", "bob", "--token-url", provider.endpoint("token"))
    assert added.code == 0, added
    config = config_bytes()
    assert b"PRIVATE KEY" not in config and str(key_file).encode() not in config
    assert all(line.encode() not in config for line in _key_lines(pem))
    assert store().secrets.get("app", "private_key") == pem
    key_file.unlink()

    provider.reset_events()
    result = run_cli("token", "app")
    assert result.code == 0, result
    assert provider.introspect(result.stdout.strip())["active"] is True
    (seen,) = accepted(provider)
    assert (seen["iss"], seen["sub"]) == (SA_EMAIL, "bob")


def test_a_key_the_server_does_not_trust_is_exit_3_with_its_words(provider, tmp_path):
    from tests.support.ci_trust import foreign_key

    key_file = tmp_path / "other.pem"
    key_file.write_bytes(foreign_key().as_pem(private=True))
    added = run_cli("profile", "add", "bad", "--grant", "jwt-bearer", "--private-key", str(key_file),
                    "--iss", SA_EMAIL, "--token-url", provider.endpoint("token"))
    assert added.code == 0, added
    result = run_cli("token", "bad")
    assert result.code == 3, result
    assert_no_traceback(result)
    assert "invalid_grant" in result.stderr and "signature verification failed" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert store().load_tokens("bad") is None


def test_bad_profile_add_input_is_one_line(provider, tmp_path):
    missing = run_cli("profile", "add", "x", "--grant", "jwt-bearer", "--private-key", str(tmp_path / "nope.pem"),
                      "--iss", "a", "--token-url", provider.endpoint("token"))
    assert missing.code == 1, missing
    assert "nope.pem" in missing.stderr and len(missing.stderr.strip().splitlines()) == 1
    not_key = tmp_path / "not-a-key.pem"
    not_key.write_text("hello\n")
    wrong = run_cli("profile", "add", "x", "--grant", "jwt-bearer", "--private-key", str(not_key), "--iss", "a",
                    "--token-url", provider.endpoint("token"))
    assert wrong.code == 1, wrong
    assert_no_traceback(wrong)
    bad_sa = tmp_path / "sa.json"
    bad_sa.write_text('{"type": "authorized_user"}')
    sa = run_cli("profile", "add", "x", "--service-account", str(bad_sa))
    assert sa.code == 1 and "service_account" in sa.stderr, sa
    assert config_bytes() == b"" and keyring_entries() in ({}, {"oauth2cli": {}})  # nothing half-made


def _has_open(pid: int, path: Path) -> bool:
    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}") == str(path) for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return False


def test_racing_processes_make_one_grant(provider, tmp_path):
    from oauth2cli.store.lock import lock_path
    from oauth2cli.store.paths import state_dir

    add_service_account(provider, tmp_path, "race")
    assert run_cli("token", "race").code == 0
    old = store().load_tokens("race")
    store().save_tokens("race", replace(old, expires_at=time.time() - 1))
    provider.reset_events()
    lock_file = lock_path(state_dir(os.environ), "race")
    with store().lock("race"):  # every racer reads the expired token before anyone renews it
        procs = [subprocess.Popen([sys.executable, "-m", "oauth2cli", "token", "race"], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(RACERS)]
        deadline = time.monotonic() + 90
        waiting = set(range(RACERS))
        while waiting and time.monotonic() < deadline:
            waiting = {i for i in waiting if procs[i].poll() is None and not _has_open(procs[i].pid, lock_file)}
            time.sleep(0.05)
        assert not waiting, "some racers never reached the lock"
    outputs = [p.communicate(timeout=90) for p in procs]
    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    assert len({out for out, _ in outputs}) == 1
    assert len(token_events(provider, grant_type=JWT_BEARER)) == 1
    assert store().load_tokens("race").access_token == outputs[0][0].strip()


def test_a_401_invalid_token_gets_one_new_assertion_and_one_replay(provider, tmp_path, resource):
    add_service_account(provider, tmp_path)
    assert run_cli("token", "svc").code == 0
    refused = store().load_tokens("svc").access_token
    resource.refused.add(refused)
    provider.reset_events()
    result = run_cli("call", "-p", "svc", resource.base + "/echo")
    assert result.code == 0, result
    sent = [r["headers"]["Authorization"] for r in resource.requests]
    new = store().load_tokens("svc").access_token
    assert sent == [f"Bearer {refused}", f"Bearer {new}"] and new != refused
    assert len(token_events(provider, grant_type=JWT_BEARER)) == 1


def test_a_ci_profile_whose_token_the_server_refuses_is_exit_3_not_a_login(provider, resource):
    added = run_cli("profile", "add", "ci", "--issuer", provider.issuer, "--client-id", "ci-public",
                    "--grant", "token-exchange", "--subject-token-source", "env:CI_JWT")
    assert added.code == 0, added
    expired = provider.trust.ci_token(lifetime=-30)
    result = run_cli("call", "-p", "ci", resource.base + "/echo", env={"CI_JWT": expired})
    assert result.code == 3, result
    assert_no_traceback(result)
    assert "invalid_grant" in result.stderr and '"exp" claim timestamp check failed' in result.stderr
    assert "login" not in result.stderr and expired not in result.stderr
    assert resource.requests == []
    fresh = run_cli("call", "-p", "ci", resource.base + "/echo", env={"CI_JWT": provider.trust.ci_token()})
    assert fresh.code == 0, fresh
    assert resource.requests[0]["headers"]["Authorization"] == f"Bearer {store().load_tokens('ci').access_token}"
