"""Fixtures for issue #17: the GitHub Actions stand-in, the echo resource, the test keyring's file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.call.resource import other_resource, resource  # noqa: F401 - fixtures
from tests.ci.github_actions import GitHubActionsTokenService


@pytest.fixture
def github(provider):
    with GitHubActionsTokenService(provider.trust) as service:
        yield service


def config_bytes() -> bytes:
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "oauth2cli" / "config.toml"
    return path.read_bytes() if path.exists() else b""


def keyring_entries() -> dict:
    path = Path(os.environ["OAUTH2CLI_TEST_KEYRING_FILE"])
    return json.loads(path.read_text()) if path.exists() else {}


def store():
    from oauth2cli.deps import Deps
    from oauth2cli.store import Store

    return Store(Deps(environ=dict(os.environ)))


def token_events(provider, **match) -> list[dict]:
    return [e for e in provider.events() if e["type"] == "token.request"
            and all(e.get(k) == v for k, v in match.items())]


def accepted(provider) -> list[dict]:
    return [e for e in provider.events() if e["type"] == "assertion.accepted"]


def make_stale(profile: str, remaining: float = 30.0) -> None:
    """The stored token as it is an hour after it was saved: `remaining` seconds left, within the leeway."""
    import time
    from dataclasses import replace

    from oauth2cli.deps import Deps
    from oauth2cli.store import Store

    now = time.time()
    tokens = store().load_tokens(profile)
    Store(Deps(environ=dict(os.environ), clock=lambda: now + remaining - 3600)).save_tokens(
        profile, replace(tokens, expires_at=now + remaining))
