"""Hydra's flows through `oauth2`: a login through our login-and-consent app with PKCE, refresh with
rotation, revocation, dynamic registration, RP-initiated logout, and the JWT-bearer grant under a
trust relationship (v2.3.0 has no device flow), each checked at Hydra (its admin port's introspection and clients, and what
the app was asked to accept)."""

from __future__ import annotations

import json

import pytest

from tests.helpers.accounts import store
from tests.support.loopback_http import free_port
from tests.support.cli import assert_no_traceback, run_cli

REDIRECT = "http://127.0.0.1/callback"  # Hydra (fosite) takes any port on a loopback redirect URI


@pytest.fixture(autouse=True)
def login_app_is_the_provider_side(hydra, monkeypatch):
    """The stand-in browser must not take our login-and-consent app for the client's callback, and
    knows Hydra for its server when the first URL is ours (logout's one-shot loopback hand-off)."""
    monkeypatch.setenv("STANDIN_PROVIDER", hydra.issuer)
    monkeypatch.setenv("STANDIN_PROVIDER_ALSO", hydra.app.base)


@pytest.fixture
def public_client(hydra):
    return hydra.create_client(client_name="oauth2cli", token_endpoint_auth_method="none",
                               grant_types=["authorization_code", "refresh_token"], response_types=["code"],
                               scope="openid offline_access email", redirect_uris=[REDIRECT],
                               post_logout_redirect_uris=[REDIRECT])


@pytest.fixture
def hy_profile(hydra, public_client, standin_browser):
    added = run_cli("profile", "add", "hy", "--issuer", hydra.issuer, "--client-id", public_client["client_id"],
                    "--scope", "openid offline_access email")
    assert added.code == 0, added
    result = run_cli("login", "hy")
    assert result.code == 0, result
    assert_no_traceback(result)
    return result


def test_login_through_our_app_with_pkce(hydra, hy_profile, public_client):
    assert "Logged in to hy as alice" in hy_profile.stderr, hy_profile
    assert hydra.app.logins[-1] == {"subject": "alice", "skipped": False}
    assert "offline_access" in hydra.app.consents[-1]["scope"]
    tokens = store().load_tokens("hy")
    seen = hydra.introspect(tokens.access_token)
    assert seen["active"] and seen["sub"] == "alice" and seen["client_id"] == public_client["client_id"], seen
    # the client is public and Hydra enforces PKCE for it only if told: it was sent anyway
    assert hydra.introspect(tokens.refresh_token)["token_use"] == "refresh_token"


def test_refresh_rotates_and_the_old_refresh_token_is_dead(hydra, hy_profile):
    first = store().load_tokens("hy")
    for _ in range(2):
        result = run_cli("refresh", "hy")
        assert result.code == 0, result
    now = store().load_tokens("hy")
    assert now.refresh_token != first.refresh_token
    assert hydra.introspect(first.refresh_token)["active"] is False
    assert hydra.introspect(now.refresh_token)["active"] is True
    assert hydra.introspect(now.access_token)["active"] is True


def test_revoke_kills_the_refresh_token_at_hydra(hydra, hy_profile):
    tokens = store().load_tokens("hy")
    result = run_cli("revoke", "hy")
    assert result.code == 0, result
    assert hydra.introspect(tokens.refresh_token)["active"] is False


def test_introspect_command_against_the_public_port_says_what_hydra_says(hydra, hy_profile):
    # Hydra serves introspection on its admin port only; the public discovery names none
    result = run_cli("introspect", "hy")
    assert result.code != 0 and "Traceback" not in result.stderr, result
    assert "introspection" in result.stderr.lower(), result
    given = run_cli("introspect", "hy", "--introspection-url", f"{hydra.admin_url}/oauth2/introspect")
    assert given.code == 0, given
    assert json.loads(given.stdout)["active"] is True


def test_dynamic_registration_then_login(hydra, standin_browser):
    added = run_cli("profile", "add", "reg", "--issuer", hydra.issuer, "--register", "--scope", "openid")
    assert added.code == 0, added
    client_id = json.loads(run_cli("profile", "show", "reg", "--json").stdout)["settings"]["client_id"]["value"]
    registered = hydra.admin("GET", f"/clients/{client_id}").json()
    assert registered["client_name"] == "oauth2cli", registered
    result = run_cli("login", "reg")
    assert result.code == 0, result
    assert hydra.introspect(store().load_tokens("reg").access_token)["client_id"] == client_id


def test_logout_end_session_with_the_registered_fixed_redirect(hydra, standin_browser):
    # Hydra matches post_logout_redirect_uri exactly (the loopback port too, unlike redirect_uri):
    # the profile needs a fixed --redirect-uri, registered as a post-logout redirect as well
    fixed = f"http://127.0.0.1:{free_port()}/callback"
    client = hydra.create_client(token_endpoint_auth_method="none", grant_types=["authorization_code"],
                                 response_types=["code"], scope="openid", redirect_uris=[fixed],
                                 post_logout_redirect_uris=[fixed])
    added = run_cli("profile", "add", "out", "--issuer", hydra.issuer, "--client-id", client["client_id"],
                    "--scope", "openid", "--redirect-uri", fixed)
    assert added.code == 0, added
    assert run_cli("login", "out").code == 0
    before = len(hydra.app.logouts)
    result = run_cli("logout", "out", "--end-session")
    assert result.code == 0, result
    assert_no_traceback(result)
    assert len(hydra.app.logouts) == before + 1 and hydra.app.logouts[-1]["subject"] == "alice"
    assert store().load_tokens("out") is None


def test_jwt_bearer_grant_under_a_trust_relationship(hydra, tmp_path):
    import datetime

    from joserfc.jwk import RSAKey

    key = RSAKey.generate_key(2048, parameters={"kid": "peers-app-1", "alg": "RS256", "use": "sig"}, private=True)
    pem = tmp_path / "app.pem"
    pem.write_bytes(key.as_pem(private=True))
    pem.chmod(0o600)
    expires = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    trust = hydra.admin("POST", "/trust/grants/jwt-bearer/issuers", json={
        "issuer": "peers-app", "subject": "alice", "scope": ["read"], "expires_at": expires,
        "jwk": key.as_dict(private=False)})
    assert trust.status_code == 201, trust.text
    client = hydra.create_client(grant_types=["urn:ietf:params:oauth:grant-type:jwt-bearer"], scope="read",
                                 token_endpoint_auth_method="client_secret_basic")
    result = run_cli("assertion", "--iss", "peers-app", "--sub", "alice", "--private-key", str(pem),
                     "--key-id", "peers-app-1", "--issuer", hydra.issuer, "--client-id", client["client_id"],
                     "--scope", "read", env={"OAUTH2_CLIENT_SECRET": client["client_secret"]})
    assert result.code == 0, result
    assert_no_traceback(result)
    seen = hydra.introspect(result.stdout.strip())
    assert seen["active"] and seen["sub"] == "alice" and seen["client_id"] == client["client_id"], seen
