"""A login whose answer has no refresh token keeps the stored one when it is the same account
(iss and sub), and says so; otherwise it says the profile has none, and why. Against a stand-in
that issues refresh tokens as Google documents: with access_type=offline, on the first consent
only, unless prompt=consent (developers.google.com/identity/protocols/oauth2/web-server#offline)."""

from __future__ import annotations

import pytest

from tests.support.cli import assert_no_traceback, run_cli
from tests.support.oidc_standin import OidcStandin

SECRET = {"OAUTH2_CLIENT_SECRET": "google-desktop-secret"}


@pytest.fixture
def google():
    with OidcStandin() as op:
        op.refresh_policy = "first_consent"
        yield op


def stored(profile: str):
    from oauth2cli.deps import Deps

    return Deps().store.load_tokens(profile)


def add(op, name: str, *extra: str):
    result = run_cli("profile", "add", name, "--preset", "google", "--issuer", op.issuer, "--client-id", "desk",
                     *extra, env=SECRET)
    assert result.code == 0, result


def test_the_google_preset_gets_a_refresh_token_on_every_login(google, standin_browser):
    add(google, "g")
    for _ in range(2):
        result = run_cli("login", "g")
        assert result.code == 0, result
        assert "with a refresh token" in result.stderr
    sent = google.authorizations[-1]
    assert sent["access_type"] == "offline" and sent["prompt"] == "consent"
    assert stored("g").refresh_token


def test_a_second_login_without_a_refresh_token_keeps_the_stored_one(google, standin_browser):
    add(google, "g", "--auth-param", "access_type=offline")  # the profile's auth_params replace the preset's
    assert run_cli("login", "g").code == 0
    first = stored("g").refresh_token
    assert first
    result = run_cli("login", "g")
    assert result.code == 0, result
    assert "prompt" not in google.authorizations[-1]
    assert "kept the stored refresh token of 'g': the server sent none; the stored one is for the same account" \
        in result.stderr
    assert "with a refresh token" in result.stderr
    assert stored("g").refresh_token == first
    result = run_cli("refresh", "g")
    assert result.code == 0, result
    assert_no_traceback(result)


def test_another_account_does_not_inherit_the_refresh_token(google, standin_browser):
    add(google, "g", "--auth-param", "access_type=offline")
    assert run_cli("login", "g").code == 0
    google.sub = "someone-else"
    google._consented.add(("desk", "someone-else"))  # consented before, so Google sends no refresh token
    result = run_cli("login", "g")
    assert result.code == 0, result
    assert "has no refresh token (the server sent none, and the stored one belongs to another account" in result.stderr
    assert "prompt=consent" in result.stderr  # the preset's hint says why
    assert stored("g").refresh_token is None
    result = run_cli("refresh", "g")
    assert result.code == 7, result


def test_with_no_refresh_token_at_all_the_login_says_why(google, standin_browser):
    google.refresh_policy = "never"
    add(google, "g")
    result = run_cli("login", "g")
    assert result.code == 0, result
    assert "oauth2: note: profile 'g' has no refresh token (the server sent none and none was stored)" in result.stderr
    assert "Google sends one only with access_type=offline" in result.stderr
