"""Profiles with real logins, the store as a test reads it, and the provider's grant log."""

from __future__ import annotations

import os

from tests.support.cli import run_cli


def store():
    from oauth2cli.deps import Deps

    return Deps(environ=dict(os.environ)).store


def logged_in(provider, name: str, client_id: str, scope: str = "openid offline_access", **profile: str):
    """Profile NAME for a provider client, with the tokens of a real code-flow login saved through the store."""
    from oauth2cli.core.tokens import token_set_from_json
    from tests.support.login import code_flow_tokens

    added = run_cli("profile", "add", name, "--issuer", provider.issuer, "--client-id", client_id,
                    "--auth-method", "none", "--scope", scope)
    assert added.code == 0, added
    for key, value in profile.items():
        assert run_cli("profile", "set", name, key, value).code == 0
    answer = code_flow_tokens(provider, client_id, scope)
    tokens = token_set_from_json(answer, answer["obtained_at"])
    store().save_tokens(name, tokens)
    return tokens


def token_grants(provider, grant_type: str) -> list[dict]:
    return [e for e in provider.events() if e["type"] == "token.request" and e.get("grant_type") == grant_type]
