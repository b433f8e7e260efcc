"""Keycloak's confidential clients through `oauth2 token`: each client authentication it supports
(client_secret_basic, client_secret_post, client_secret_jwt, private_key_jwt), the device flow,
DPoP, PAR, and dynamic registration under its anonymous policies; each checked in Keycloak's
events or its introspection."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.helpers.accounts import store
from tests.support.cli import assert_no_traceback, run_cli


def introspect_at(keycloak, token: str) -> dict:
    return httpx.post(f"{keycloak.issuer}/protocol/openid-connect/token/introspect",
                      auth=("ci", keycloak.ci_secret()), data={"token": token}).json()


@pytest.mark.parametrize("method,authenticator", [("client_secret_basic", "client-secret"),
                                                  ("client_secret_post", "client-secret"),
                                                  ("client_secret_jwt", "client-secret-jwt")])
def test_client_credentials_with_each_secret_method(keycloak, method, authenticator):
    keycloak.update_client("ci", clientAuthenticatorType=authenticator)
    try:
        result = run_cli("token", "--issuer", keycloak.issuer, "--client-id", "ci", "--auth-method", method,
                         env={"OAUTH2_CLIENT_SECRET": keycloak.ci_secret()})
        assert result.code == 0, result
        assert_no_traceback(result)
        token = result.stdout.strip()
        used = keycloak.events(type="CLIENT_LOGIN", client="ci")[0]["details"]
        assert used.get("client_auth_method") == authenticator, used
    finally:
        keycloak.update_client("ci", clientAuthenticatorType="client-secret")
    assert introspect_at(keycloak, token)["azp"] == "ci"


def test_private_key_jwt_with_the_public_key_registered_at_keycloak(keycloak, tmp_path):
    from joserfc.jwk import RSAKey

    key = RSAKey.generate_key(2048, parameters={"kid": "peers-1", "use": "sig", "alg": "RS256"}, private=True)
    pem = tmp_path / "key.pem"
    pem.write_bytes(key.as_pem(private=True))
    pem.chmod(0o600)
    public = key.as_dict(private=False)
    keycloak.update_client("ci", clientAuthenticatorType="client-jwt",
                           attributes={"use.jwks.string": "true", "jwks.string": json.dumps({"keys": [public]}),
                                       "token.endpoint.auth.signing.alg": "RS256"})
    try:
        result = run_cli("token", "--issuer", keycloak.issuer, "--client-id", "ci", "--auth-method",
                         "private_key_jwt", "--private-key", str(pem), "--key-id", "peers-1")
        assert result.code == 0, result
        assert_no_traceback(result)
        used = keycloak.events(type="CLIENT_LOGIN", client="ci")[0]["details"]
        assert used.get("client_auth_method") == "client-jwt", used
    finally:
        keycloak.update_client("ci", clientAuthenticatorType="client-secret",
                               attributes={"token.endpoint.auth.signing.alg": "", "use.jwks.string": "false"})


def test_device_flow_through_keycloaks_pages(keycloak, standin_browser):
    added = run_cli("profile", "add", "tv", "--issuer", keycloak.issuer, "--client-id", "cli", "--scope", "openid")
    assert added.code == 0, added
    result = run_cli("login", "tv", "--device", timeout=120)
    assert result.code == 0, result
    assert "Logged in to tv as alice" in result.stderr, result
    assert keycloak.events(type="OAUTH2_DEVICE_CODE_TO_TOKEN", client="cli")
    assert introspect_at(keycloak, store().load_tokens("tv").access_token)["active"] is True


def test_par_login(keycloak, standin_browser):
    added = run_cli("profile", "add", "par", "--issuer", keycloak.issuer, "--client-id", "cli", "--scope", "openid",
                    "--par")
    assert added.code == 0, added
    # with PAR required, Keycloak refuses an authorization request that was not pushed first
    keycloak.update_client("cli", attributes={"require.pushed.authorization.requests": "true"})
    try:
        result = run_cli("login", "par")
        assert result.code == 0, result
    finally:
        keycloak.update_client("cli", attributes={"require.pushed.authorization.requests": "false"})
    assert introspect_at(keycloak, store().load_tokens("par").access_token)["active"] is True


def test_dpop_bound_tokens(keycloak, standin_browser):
    added = run_cli("profile", "add", "pop", "--issuer", keycloak.issuer, "--client-id", "cli", "--scope", "openid",
                    "--dpop")
    assert added.code == 0, added
    keycloak.update_client("cli", attributes={"dpop.bound.access.tokens": "true"})
    try:
        result = run_cli("login", "pop")
        assert result.code == 0, result
    finally:
        keycloak.update_client("cli", attributes={"dpop.bound.access.tokens": "false"})
    seen = introspect_at(keycloak, store().load_tokens("pop").access_token)
    assert seen["active"] and seen.get("cnf", {}).get("jkt"), seen  # bound to our key
    assert store().load_tokens("pop").token_type.lower() == "dpop"
