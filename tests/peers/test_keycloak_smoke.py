"""Keycloak is fetched, started and answers `oauth2` at all: its realm's discovery, and one grant
whose token Keycloak itself says is active and belongs to the client."""

from __future__ import annotations

import json

import httpx

from tests.support.cli import assert_no_traceback, run_cli


def test_discovery_under_the_realm_path(keycloak):
    result = run_cli("discover", keycloak.issuer)
    assert result.code == 0, result
    metadata = json.loads(result.stdout)
    assert metadata["issuer"] == keycloak.issuer
    assert metadata["token_endpoint"] == f"{keycloak.issuer}/protocol/openid-connect/token"
    assert "urn:ietf:params:oauth:grant-type:device_code" in metadata["grant_types_supported"]


def test_client_credentials_token_is_active_at_keycloak(keycloak):
    secret = keycloak.ci_secret()
    result = run_cli("token", "--issuer", keycloak.issuer, "--client-id", "ci", env={"OAUTH2_CLIENT_SECRET": secret})
    assert result.code == 0, result
    assert_no_traceback(result)
    token = result.stdout.strip()
    assert token.count(".") == 2 and secret not in result.stdout + result.stderr

    seen = httpx.post(f"{keycloak.issuer}/protocol/openid-connect/token/introspect", auth=("ci", secret),
                      data={"token": token}).json()
    assert seen["active"] is True and seen["azp"] == "ci", seen
    assert any(e["type"] == "CLIENT_LOGIN" and e["clientId"] == "ci" for e in keycloak.events(type="CLIENT_LOGIN"))
