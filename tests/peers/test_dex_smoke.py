"""Dex is built, started and answers `oauth2` at all: discovery, and a password-grant token for
the static user that Dex's own introspection endpoint says is active."""

from __future__ import annotations

import json

import httpx

from tests.support.cli import assert_no_traceback, run_cli


def test_discovery(dex):
    result = run_cli("discover", dex.issuer)
    assert result.code == 0, result
    metadata = json.loads(result.stdout)
    assert metadata["issuer"] == dex.issuer
    assert metadata["device_authorization_endpoint"] == f"{dex.issuer}/device/code"


def test_password_grant_token_is_active_at_dex(dex):
    result = run_cli("token", "--issuer", dex.issuer, "--client-id", "ci", "--grant", "password",
                     "--username", "alice@example.test", "--password-env", "ALICE_PASSWORD", "--scope", "openid email",
                     env={"OAUTH2_CLIENT_SECRET": dex.secret("ci"), "ALICE_PASSWORD": "password"})
    assert result.code == 0, result
    assert_no_traceback(result)
    seen = httpx.post(f"{dex.issuer}/token/introspect", auth=("ci", dex.secret("ci")),
                      data={"token": result.stdout.strip()}).json()
    assert seen["active"] is True and seen["client_id"] == "ci", seen
    assert seen["ext"]["email"] == "alice@example.test" or seen.get("email") == "alice@example.test", seen
