"""Profiles' stored tokens with token, refresh, revoke and introspect; ad hoc revoke then
introspect. Tokens are stored through the store API in this process (the test keyring is a
file shared with the CLI's processes)."""

from __future__ import annotations

import json
import time

import pytest

from tests.support.cli import assert_no_traceback, run_cli


def write_profile(isolate, name, **values):
    path = isolate / "config" / "oauth2cli" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f"{k} = {json.dumps(v)}\n" for k, v in values.items())
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"[profiles.{name}]\n{body}\n")


def store():
    from oauth2cli.deps import Deps

    return Deps().store


@pytest.fixture
def logged_in(provider, isolate):
    """Profile `work` (public-pkce) with a fresh token set from a real browser login."""
    import httpx

    from oauth2cli.core.tokens import parse_token_response
    from oauth2cli.core.http import HttpResponse
    from tests.test_harness import login_with_browser

    got, _state, verifier, redirect_uri = login_with_browser(provider, "public-pkce")
    resp = httpx.post(provider.endpoint("token"), data={
        "grant_type": "authorization_code", "code": got["code"], "redirect_uri": redirect_uri,
        "client_id": "public-pkce", "code_verifier": verifier})
    tokens = parse_token_response(HttpResponse(resp.status_code, tuple(resp.headers.items()), resp.content), time.time())
    write_profile(isolate, "work", issuer=provider.issuer, client_id="public-pkce")
    store().save_tokens("work", tokens)
    return tokens


def test_token_prints_the_stored_token_without_a_request(provider, logged_in):
    provider.reset_events()
    result = run_cli("token", "work")
    assert result.code == 0, result
    assert result.stdout == logged_in.access_token + "\n"
    assert [e for e in provider.events() if e["type"] == "token.request"] == []


def test_token_refreshes_when_min_ttl_asks_for_more(provider, logged_in):
    result = run_cli("token", "work", "--min-ttl", "7200")
    assert result.code == 0, result
    new = result.stdout.strip()
    assert new != logged_in.access_token
    saved = store().load_tokens("work")
    assert saved.access_token == new
    assert saved.refresh_token and saved.refresh_token != logged_in.refresh_token  # rotated, and saved
    assert saved.id_token  # the provider sends a new one; after_refresh keeps the old one otherwise


def test_refresh_profile_prints_only_a_note(provider, logged_in):
    result = run_cli("refresh", "work")
    assert result.code == 0, result
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("oauth2: refreshed profile work") and "valid for" in lines[0]
    saved = store().load_tokens("work")
    assert saved.access_token != logged_in.access_token
    assert provider.introspect(saved.access_token)["active"] is True
    with_output = run_cli("refresh", "work", "--output", "json")
    assert with_output.code == 0, with_output
    assert json.loads(with_output.stdout)["access_token"] == store().load_tokens("work").access_token


def test_introspect_profile_prints_json(provider, logged_in):
    result = run_cli("introspect", "work")
    assert result.code == 0, result
    answer = json.loads(result.stdout)
    assert answer["active"] is True and answer["client_id"] == "public-pkce" and answer["sub"] == "alice"
    refresh = run_cli("introspect", "work", "--token-type-hint", "refresh_token")
    assert refresh.code == 0 and json.loads(refresh.stdout)["active"] is True, refresh


def test_revoke_profile_revokes_refresh_then_access_token_and_forgets_them(provider, logged_in):
    provider.reset_events()
    result = run_cli("revoke", "work")
    assert result.code == 0, result
    assert result.stdout == ""
    assert result.stderr.strip() == "oauth2: revoked the refresh token and the access token of profile work"
    revocations = [e for e in provider.events() if e["type"] == "revocation.request"]
    assert [e["status"] for e in revocations] == [200, 200]
    assert provider.introspect(logged_in.refresh_token)["active"] is False
    assert provider.introspect(logged_in.access_token)["active"] is False
    assert store().load_tokens("work") is None
    again = run_cli("revoke", "work")
    assert again.code == 7 and "no stored token" in again.stderr, again


def test_ad_hoc_revoke_then_introspect_shows_inactive(provider):
    secret = {"OAUTH2_CLIENT_SECRET": provider.clients["cc-only"]["client_secret"]}
    issued = run_cli("token", "--issuer", provider.issuer, "--client-id", "cc-only", env=secret)
    assert issued.code == 0, issued
    token = issued.stdout.strip()
    common = ["--issuer", provider.issuer, "--client-id", "cc-only"]
    before = run_cli("introspect", *common, "-", input=token + "\n", env=secret)
    assert before.code == 0 and json.loads(before.stdout)["active"] is True, before
    revoked = run_cli("revoke", *common, "--token-type-hint", "access_token", "-", input=token + "\n", env=secret)
    assert revoked.code == 0, revoked
    assert revoked.stdout == "" and revoked.stderr.strip() == "oauth2: revoked the token"
    after = run_cli("introspect", *common, token, env=secret)  # a TOKEN argument works too
    assert after.code == 0, after
    assert json.loads(after.stdout) == {"active": False}


def test_revoke_and_introspect_with_private_key_jwt(provider):
    info = provider.clients["pkjwt-rsa"]
    args = ["--issuer", provider.issuer, "--client-id", "pkjwt-rsa", "--auth-method", "private_key_jwt",
            "--private-key", info["private_key_path"]]
    issued = run_cli("token", *args)
    assert issued.code == 0, issued
    token = issued.stdout.strip()
    assert run_cli("revoke", *args, "-", input=token).code == 0
    after = run_cli("introspect", *args, "-", input=token)
    assert after.code == 0 and json.loads(after.stdout)["active"] is False, after


def test_revoke_with_a_wrong_secret_exits_3(provider):
    result = run_cli("revoke", "--issuer", provider.issuer, "--client-id", "conf-basic", "-", input="x\n",
                     env={"OAUTH2_CLIENT_SECRET": "wrong"})
    assert result.code == 3, result
    assert "revocation endpoint refused: invalid_client" in result.stderr
    assert_no_traceback(result)


def test_revoke_without_anything_to_revoke(provider):
    result = run_cli("revoke", "--issuer", provider.issuer, "--client-id", "conf-basic")
    assert result.code == 1 and "nothing to revoke" in result.stderr, result
