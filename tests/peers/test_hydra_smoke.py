"""Hydra is built, started and answers `oauth2` at all: discovery, and a client-credentials token
that Hydra's admin port says is active and belongs to the client."""

from __future__ import annotations

import json

from tests.support.cli import assert_no_traceback, run_cli


def test_discovery(hydra):
    result = run_cli("discover", hydra.issuer)
    assert result.code == 0, result
    metadata = json.loads(result.stdout)
    assert metadata["issuer"] == hydra.issuer
    assert metadata["token_endpoint"] == f"{hydra.issuer}oauth2/token"


def test_client_credentials_token_is_active_at_hydra(hydra):
    client = hydra.create_client(grant_types=["client_credentials"], scope="read write",
                                 token_endpoint_auth_method="client_secret_basic")
    result = run_cli("token", "--issuer", hydra.issuer, "--client-id", client["client_id"], "--scope", "read",
                     env={"OAUTH2_CLIENT_SECRET": client["client_secret"]})
    assert result.code == 0, result
    assert_no_traceback(result)
    seen = hydra.introspect(result.stdout.strip())
    assert seen["active"] is True and seen["client_id"] == client["client_id"], seen
    assert seen["scope"] == "read"
