"""`profile add --register` (RFC 7591) and `profile remove` de-registering (RFC 7592), against the
real oidc-provider; broken registration endpoints against a stand-in."""

from __future__ import annotations

import json
import re
import os
import time
from pathlib import Path

import httpx
import pytest

from tests.login.conftest import stored_tokens, write_profile
from tests.support.cli import assert_no_traceback, run_cli
from tests.support.standin_server import StandinServer


def _config() -> str:
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "oauth2cli" / "config.toml"
    return path.read_text("utf-8") if path.exists() else ""


def _profile(name: str) -> dict:
    from oauth2cli.deps import Deps

    return dict(Deps().store.profile(name))


def _secret(name: str, kind: str) -> str | None:
    from oauth2cli.deps import Deps

    return Deps().store.secrets.get(name, kind)


def _client_works(provider, client_id: str, **auth) -> str | None:
    """The error a token request with this client gets (None: the client exists and authenticated)."""
    response = httpx.post(provider.endpoint("token"), data={"grant_type": "refresh_token", "refresh_token": "x",
                                                            "client_id": client_id}, **auth)
    error = response.json().get("error")
    return None if error == "invalid_grant" else error


def test_public_client_registers_logs_in_and_deregisters(provider, standin_browser):
    added = run_cli("profile", "add", "mcp", "--issuer", provider.issuer, "--register", "--client-name", "My CLI",
                    "--scope", "openid email")
    assert added.code == 0, added
    assert_no_traceback(added)
    profile = _profile("mcp")
    client_id = profile["client_id"]
    assert added.stderr.splitlines()[0] == f"oauth2: registered client {client_id!r} (none); registration access " \
                                           f"token in {_secret_store_name()}"
    assert profile["auth_method"] == "none"
    assert profile["registration"]["registration_client_uri"].endswith("/reg/" + client_id)
    token = _secret("mcp", "registration_access_token")
    assert token and token not in _config()
    # what the server registered: a native public client with the one loopback redirect URI, port included
    registered = httpx.get(profile["registration"]["registration_client_uri"],
                           headers={"Authorization": f"Bearer {token}"}).json()
    assert registered["application_type"] == "native" and registered["token_endpoint_auth_method"] == "none"
    assert registered["grant_types"] == ["authorization_code", "refresh_token"]
    assert registered["client_name"] == "My CLI"
    assert registered["redirect_uris"] == [profile["redirect_uri"]]  # issue #26 row 2: exact, saved, reused
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/callback", profile["redirect_uri"])

    login = run_cli("login", "mcp")
    assert login.code == 0, login
    assert provider.authorizations()[-1]["redirect_uri"] == profile["redirect_uri"]
    tokens = stored_tokens("mcp")
    assert provider.introspect(tokens.access_token)["client_id"] == client_id
    assert provider.authorizations()[-1]["code_challenge_method"] == "S256"

    shown = run_cli("profile", "show", "mcp")
    assert shown.code == 0, shown
    assert "  client registered at " in shown.stdout and "registration managed at " in shown.stdout
    assert token not in shown.stdout

    assert _client_works(provider, client_id) is None
    removed = run_cli("profile", "remove", "mcp")
    assert removed.code == 0, removed
    assert f"oauth2: mcp: de-registered client {client_id!r} at the server (RFC 7592)" in removed.stderr
    assert _client_works(provider, client_id) == "invalid_client"  # gone at the server
    assert "mcp" not in _config() and _secret("mcp", "registration_access_token") is None


def _secret_store_name() -> str:
    from oauth2cli.deps import Deps

    return Deps().store.secrets.name


def test_confidential_client_keeps_its_secret_in_the_store(provider, standin_browser):
    added = run_cli("profile", "add", "conf", "--issuer", provider.issuer, "--register",
                    "--auth-method", "client_secret_basic", "--scope", "openid")
    assert added.code == 0, added
    secret = _secret("conf", "client_secret")
    assert secret and secret not in _config()
    client_id = _profile("conf")["client_id"]
    login = run_cli("login", "conf")
    assert login.code == 0, login
    events = [e for e in provider.events() if e["type"] == "token.request" and e["client_id"] == client_id]
    assert [(e["auth_method"], e["error"]) for e in events] == [("client_secret_basic", None)]
    # --keep-registration: the profile goes, the client stays usable at the server
    kept = run_cli("profile", "remove", "conf", "--keep-registration")
    assert kept.code == 0 and "de-registered" not in kept.stderr, kept
    assert _client_works(provider, client_id, auth=(client_id, secret)) is None


def test_private_key_jwt_client_signs_with_its_generated_key(provider, standin_browser):
    added = run_cli("profile", "add", "pk", "--issuer", provider.issuer, "--register",
                    "--auth-method", "private_key_jwt", "--scope", "openid")
    assert added.code == 0, added
    private = json.loads(_secret("pk", "private_key"))
    assert private["kty"] == "EC" and private["d"] and private["d"] not in _config()
    profile = _profile("pk")
    registered = httpx.get(profile["registration"]["registration_client_uri"],
                           headers={"Authorization": f"Bearer {_secret('pk', 'registration_access_token')}"}).json()
    public = registered["jwks"]["keys"][0]
    assert public["kid"] == private["kid"] and "d" not in public
    login = run_cli("login", "pk")
    assert login.code == 0, login
    events = [e for e in provider.events() if e["type"] == "token.request" and e["client_id"] == profile["client_id"]]
    assert [(e["auth_method"], e["error"]) for e in events] == [("private_key_jwt", None)]
    assert run_cli("profile", "remove", "pk").code == 0


def test_expired_client_secret_is_said(provider):
    write_profile("old", issuer=provider.issuer, client_id="conf-basic")
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "oauth2cli" / "config.toml"
    past = int(time.time()) - 3600
    path.write_text(path.read_text() + f"[profiles.old.registration]\nclient_id_issued_at = {past - 86400}\n"
                    f"client_secret_expires_at = {past}\n")
    shown = run_cli("profile", "show", "old")
    assert shown.code == 0, shown
    assert "  client secret EXPIRED at " + time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(past)) in shown.stdout
    as_json = json.loads(run_cli("profile", "show", "old", "--json").stdout)
    assert as_json["registration"]["client_secret_expired"] is True


def test_register_needs_an_issuer_and_no_client_id(provider):
    both = run_cli("profile", "add", "x", "--issuer", provider.issuer, "--register", "--client-id", "mine")
    assert both.code == 1 and "--register gets a client id from the server" in both.stderr, both
    none = run_cli("profile", "add", "x", "--register", "--token-url", provider.endpoint("token"))
    assert none.code == 1 and "--register needs --issuer" in none.stderr, none
    assert _config() == ""


@pytest.mark.parametrize("answer, message", [
    ((400, {"error": "invalid_redirect_uri", "error_description": "loopback not allowed"}),
     "oauth2: error: the registration endpoint refused: invalid_redirect_uri: loopback not allowed"),
    ((201, {"client_secret": "s3cr3t", "token_endpoint_auth_method": "none"}),
     "oauth2: error: the registration endpoint answered without a client_id (RFC 7591 §3.2.1); nothing was saved"),
    ((500, b"<html><title>Internal Server Error</title></html>", {"Content-Type": "text/html"}),
     "oauth2: error: the registration endpoint failed: HTTP 500, text/html: 'Internal Server Error'"),
], ids=["error-object", "no-client-id", "500"])
def test_broken_registration_endpoint_is_refused_and_nothing_stored(answer, message):
    with StandinServer() as server:
        server.route("POST", "/register", lambda request: answer)
        result = run_cli("profile", "add", "bad", "--issuer", server.issuer, "--register")
        assert server.hits("/register")[0].json()["application_type"] == "native"
    assert result.code == 3, result
    assert_no_traceback(result)
    assert result.stderr.strip().splitlines() == [message]
    assert _config() == "" and _secret("bad", "client_secret") is None


def test_registration_token_env_sends_the_initial_access_token(monkeypatch):
    with StandinServer() as server:
        server.route("POST", "/register", lambda request: (201, {"client_id": "made", "token_endpoint_auth_method": "none"}))
        missing = run_cli("profile", "add", "t", "--issuer", server.issuer, "--register", "--registration-token-env", "IAT")
        assert missing.code == 1 and "--registration-token-env names IAT, which is not set" in missing.stderr
        result = run_cli("profile", "add", "t", "--issuer", server.issuer, "--register",
                         "--registration-token-env", "IAT", env={"IAT": "initial-123"})
        assert result.code == 0, result
        assert server.hits("/register")[-1].headers["authorization"] == "Bearer initial-123"
    assert "initial-123" not in _config()
    # no registration_client_uri: remove says the client stays registered, and removes the profile
    removed = run_cli("profile", "remove", "t")
    assert removed.code == 0 and "the client stays registered there" in removed.stderr, removed


def test_verbose_trace_masks_what_registration_returns():
    answer = {"client_id": "c-1", "client_secret": "the-secret-value-42", "registration_access_token": "rat-value-43",
              "registration_client_uri": "http://127.0.0.1:1/reg/c-1", "token_endpoint_auth_method": "client_secret_basic"}
    with StandinServer() as server:
        server.route("POST", "/register", lambda request: (201, answer))
        result = run_cli("-v", "profile", "add", "v", "--issuer", server.issuer, "--register", "--auth-method",
                         "client_secret_basic")
    assert result.code == 0, result
    assert "< " in result.stderr and '"client_id": "c-1"' in result.stderr  # the answer is traced...
    assert "the-secret-value-42" not in result.stderr and "rat-value-43" not in result.stderr  # ...masked
    assert _secret("v", "client_secret") == "the-secret-value-42"
    assert _secret("v", "registration_access_token") == "rat-value-43"


def test_a_failing_deregistration_keeps_the_profile():
    with StandinServer() as server:
        server.route("POST", "/register", lambda request: (201, {
            "client_id": "c-2", "registration_access_token": "rat-2", "token_endpoint_auth_method": "none",
            "registration_client_uri": server.issuer + "/reg/c-2"}))
        server.route("DELETE", "/reg/c-2", lambda request: (500, b"<title>Oops</title>", {"Content-Type": "text/html"}))
        assert run_cli("profile", "add", "d", "--issuer", server.issuer, "--register").code == 0
        failed = run_cli("profile", "remove", "d")
        assert server.hits("/reg/c-2")[0].headers["authorization"] == "Bearer rat-2"
        assert failed.code == 3, failed
        assert_no_traceback(failed)
        assert failed.stderr.strip().splitlines() == [
            "oauth2: error: the client configuration endpoint did not delete the client: HTTP 500, text/html: 'Oops'; "
            "the profile is kept; `oauth2 profile remove d --keep-registration` removes it and leaves the "
            "client registered"]
        assert _secret("d", "registration_access_token") == "rat-2" and "[profiles.d]" in _config()
        kept = run_cli("profile", "remove", "d", "--keep-registration")
        assert kept.code == 0 and len(server.hits("/reg/c-2")) == 1, kept
    assert "[profiles.d]" not in _config() and _secret("d", "registration_access_token") is None
