"""Fixtures for the helpers other programs run (git-credential, kube-credential, exec)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.cli import run_cli
from tests.support.shim import oauth2_bin, path_with


@pytest.fixture
def oauth2_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`oauth2` on PATH, as git and kubectl find it; git reads only the isolated HOME's config."""
    directory = oauth2_bin(tmp_path / "bin")
    monkeypatch.setenv("PATH", path_with(directory))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_TERMINAL_PROMPT", "0")  # a failed helper must not hang on a prompt
    # Never inside this checkout: a stray `git config --local` would land in the developer's repository.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return directory


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
