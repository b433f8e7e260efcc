"""`oauth2 login NAME --ciba` (CIBA poll mode): the real oidc-provider approves login_hint=alice
about a second after the request and denies anyone else (tests/provider/server.js); a stand-in
answers what it will not: a slow_down storm, and expired_token."""

from __future__ import annotations

import httpx
import pytest

from tests.login.conftest import stored_tokens, write_profile
from tests.support.cli import assert_no_traceback, run_cli
from tests.support.standin_server import StandinServer

CIBA_GRANT = "urn:openid:params:grant-type:ciba"


@pytest.fixture(scope="module")
def ciba_client(provider) -> dict:
    """A CIBA poll-mode client, registered at the provider through RFC 7591 (as any RP would be)."""
    response = httpx.post(provider.issuer + "/reg", json={
        "grant_types": [CIBA_GRANT], "response_types": [], "redirect_uris": [],
        "token_endpoint_auth_method": "client_secret_basic", "backchannel_token_delivery_mode": "poll"})
    response.raise_for_status()
    return response.json()


def _profile(provider, ciba_client, name: str = "phone") -> dict[str, str]:
    write_profile(name, issuer=provider.issuer, client_id=ciba_client["client_id"], scope="openid email")
    return {"OAUTH2_CLIENT_SECRET": ciba_client["client_secret"]}


def test_alice_approves_and_the_tokens_are_saved(provider, ciba_client):
    env = _profile(provider, ciba_client)
    provider.reset_events()
    result = run_cli("login", "phone", "--ciba", "--login-hint", "alice", "--binding-message", "Order-42", env=env)
    assert result.code == 0, result
    assert_no_traceback(result)
    lines = result.stderr.splitlines()
    assert lines[0] == "Asked the server to reach alice on their own device (CIBA)."
    assert "The device shows:  Order-42" in lines
    assert lines[-1].startswith("Logged in to phone as alice@example.test")
    tokens = stored_tokens("phone")
    assert tokens.id_token and provider.introspect(tokens.access_token)["sub"] == "alice"
    triggered = [e for e in provider.events() if e["type"] == "ciba.trigger"]
    assert [(t["account"], t["binding_message"]) for t in triggered] == [("alice", "Order-42")]
    polls = [e for e in provider.events() if e["type"] == "token.request"]
    assert {e["grant_type"] for e in polls} == {CIBA_GRANT}
    assert all(e["auth_method"] == "client_secret_basic" for e in polls)
    assert polls[-1]["error"] is None


def test_another_hint_is_denied_with_exit_3(provider, ciba_client):
    env = _profile(provider, ciba_client, "deny")
    result = run_cli("login", "deny", "--ciba", "--login-hint", "mallory", env=env)
    assert result.code == 3, result
    assert result.stderr.splitlines()[-1].startswith("oauth2: error: the authorization server refused: access_denied")
    assert stored_tokens("deny") is None


def test_ciba_needs_a_login_hint_and_a_confidential_client(provider):
    usage = run_cli("login", "x", "--ciba")
    assert usage.code == 2 and "--ciba needs --login-hint HINT" in usage.stderr
    write_profile("pub", issuer=provider.issuer, client_id="public-pkce", scope="openid")
    public = run_cli("login", "pub", "--ciba", "--login-hint", "alice")
    assert public.code == 1 and "CIBA needs a confidential client" in public.stderr, public


def _standin_ciba(server: StandinServer, token_answer, expires_in: int = 3, interval: int = 1) -> None:
    server.route("POST", "/bc-authorize", lambda r: (200, {"auth_req_id": "req-1", "expires_in": expires_in,
                                                            "interval": interval}))
    server.route("POST", "/token", token_answer)


def test_a_slow_down_storm_ends_at_expires_in():
    with StandinServer() as server:
        _standin_ciba(server, lambda r: (400, {"error": "slow_down"}), expires_in=4, interval=1)
        write_profile("storm", issuer=server.issuer, client_id="c", scope="openid")
        result = run_cli("login", "storm", "--ciba", "--login-hint", "alice", env={"OAUTH2_CLIENT_SECRET": "s"},
                         timeout=30)
        polls = server.hits("/token")
    assert result.code == 7, result
    assert result.stderr.splitlines()[-1].startswith(
        "oauth2: error: the authentication request expired before the user approved it (expires_in)")
    # slow_down adds 5 s each time (CIBA §11, RFC 8628 §3.5): in 4 s at most the first poll and one more
    assert 1 <= len(polls) <= 2
    assert all(p.form_dict()["grant_type"] == CIBA_GRANT and p.form_dict()["auth_req_id"] == "req-1" for p in polls)


def test_expired_token_from_the_server_is_exit_3_with_its_text():
    with StandinServer() as server:
        _standin_ciba(server, lambda r: (400, {"error": "expired_token",
                                               "error_description": "the auth_req_id has expired"}), expires_in=60)
        write_profile("late", issuer=server.issuer, client_id="c", scope="openid")
        result = run_cli("login", "late", "--ciba", "--login-hint", "alice", env={"OAUTH2_CLIENT_SECRET": "s"})
    assert result.code == 3, result
    assert result.stderr.splitlines()[-1] == \
        "oauth2: error: the authorization server refused: expired_token: the auth_req_id has expired"


def test_the_polls_carry_the_profiles_resource(provider, ciba_client):
    """Issue #26 row 5: RFC 8707 `resource` in every token request of a profile that has one."""
    env = _profile(provider, ciba_client, "res")
    run_cli("profile", "set", "res", "resources", "http://127.0.0.1:1/api")
    provider.reset_events()
    result = run_cli("login", "res", "--ciba", "--login-hint", "alice", env=env)
    assert result.code == 0, result
    polls = [e for e in provider.events() if e["type"] == "token.request"]
    assert polls and all(e["resource"] == "http://127.0.0.1:1/api" for e in polls), polls
