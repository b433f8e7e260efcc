"""When a stored token is fresh enough: the leeway, capped at half the token's lifetime."""

from __future__ import annotations

import io
import os

import pytest

from oauth2cli.core.client_auth import ClientCredentials
from oauth2cli.core.errors import LoginRequired, NetworkError
from oauth2cli.core.settings import ClientSettings
from oauth2cli.core.tokens import TokenSet
from oauth2cli.deps import Deps
from oauth2cli.flows.grants import session
from oauth2cli.store import Store
from oauth2cli.store.secrets import FileStore

NOWHERE = "http://127.0.0.1:9/token"  # nothing listens: any refresh attempt is a NetworkError
WARNING = "oauth2: warning: could not get a new token (connection refused by 127.0.0.1:9); using the stored one"
T0 = 1_800_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def deps(clock, tmp_path):
    d = Deps(environ=dict(os.environ), clock=clock, stderr=io.StringIO())
    d._store = Store(d, secrets=FileStore(tmp_path / "secrets"))
    return d


def settings(**kw) -> ClientSettings:
    return ClientSettings(client=ClientCredentials("c"), profile="p", endpoints={"token_endpoint": NOWHERE},
                          timeout=2, **kw)


def refresh_tried(deps, settings, left: int) -> TokenSet:
    """current_token when a refresh is due and fails: the still-valid token, with the one warning
    (issue #28 row 8) that says a refresh was tried."""
    deps.stderr.seek(0)
    deps.stderr.truncate()
    tokens = session.current_token(settings, deps)
    assert deps.stderr.getvalue() == f"{WARNING}, still valid for {left} s\n"
    return tokens


def test_short_lived_tokens_use_half_their_lifetime_as_leeway(deps, clock):
    tokens = TokenSet("at", expires_at=T0 + 30, refresh_token="rt")
    deps.store.save_tokens("p", tokens)
    clock.now = T0 + 10  # 20 s left; leeway min(60, 30 / 2) = 15
    assert session.current_token(settings(), deps) == tokens
    clock.now = T0 + 16  # 14 s left: refresh, which fails here
    assert refresh_tried(deps, settings(), 14) == tokens
    clock.now = T0 + 30  # expired: the failure is the run's
    with pytest.raises(NetworkError):
        session.current_token(settings(), deps)
    clock.now = T0 + 16
    assert session.current_token(settings(), deps, min_ttl=0) == tokens  # --min-ttl as given


def test_long_lived_tokens_use_the_profile_leeway(deps, clock):
    deps.store.save_tokens("p", TokenSet("at", expires_at=T0 + 3600, refresh_token="rt"))
    clock.now = T0 + 3600 - 61
    assert session.current_token(settings(), deps).access_token == "at"
    clock.now = T0 + 3600 - 59
    assert refresh_tried(deps, settings(), 59).access_token == "at"
    clock.now = T0 + 3600 - 100
    assert refresh_tried(deps, settings(leeway=120), 100).access_token == "at"
    with pytest.raises(NetworkError):  # a token valid for less than --min-ttl is not enough
        session.current_token(settings(), deps, min_ttl=200)


def test_the_saved_time_is_not_part_of_the_token_set(deps):
    deps.store.save_tokens("p", TokenSet("at", expires_at=T0 + 30))
    assert deps.store.load_tokens("p").to_dict() == {"access_token": "at", "token_type": "Bearer", "expires_at": T0 + 30}
    assert deps.store.saved_at("p") == T0


def test_no_refresh_token_means_a_login(deps, clock):
    deps.store.save_tokens("p", TokenSet("at", expires_at=T0 + 30))
    clock.now = T0 + 40
    with pytest.raises(LoginRequired, match="no refresh token"):
        session.current_token(settings(), deps)
