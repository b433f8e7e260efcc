"""A person at a terminal against Keycloak: `oauth2 login` through Keycloak's own sign-in page
(PKCE, S256 required by the client), then userinfo, refresh, introspection, revocation and
RP-initiated logout, each checked at Keycloak (its events, its user sessions, its introspection)."""

from __future__ import annotations

import base64
import json
import time

import httpx
import pytest

from tests.helpers.accounts import store
from tests.support.cli import assert_no_traceback, run_cli


def introspect_at(keycloak, token: str) -> dict:
    """Keycloak's own view of a token, asked by the confidential client `ci`."""
    secret = keycloak.ci_secret()
    return httpx.post(f"{keycloak.issuer}/protocol/openid-connect/token/introspect", auth=("ci", secret),
                      data={"token": token}).json()


@pytest.fixture
def kc_profile(keycloak, standin_browser):
    added = run_cli("profile", "add", "kc", "--preset", "keycloak", "--preset-param", f"base_url={keycloak.base}",
                    "--preset-param", "realm=peers", "--client-id", "cli", "--scope", "openid offline_access")
    assert added.code == 0, added
    result = run_cli("login", "kc")
    assert result.code == 0, result
    assert_no_traceback(result)
    assert "Logged in to kc as alice" in result.stderr, result
    return result


def test_login_goes_through_keycloaks_sign_in_page_with_pkce(keycloak, kc_profile, standin_browser):
    visits = standin_browser.visits()
    assert visits and visits[-1]["logins"] == 1, visits  # the stand-in filled in Keycloak's form once
    tokens = store().load_tokens("kc")
    assert tokens.refresh_token and tokens.id_token
    claims = introspect_at(keycloak, tokens.access_token)
    assert claims["active"] and claims["preferred_username"] == "alice" and claims["azp"] == "cli", claims
    assert "offline_access" in claims["scope"].split()
    codes = keycloak.events(type="CODE_TO_TOKEN", client="cli")
    assert codes and codes[0]["details"].get("code_id"), codes
    # the client requires S256: a login without PKCE would have been refused at the authorization endpoint
    assert keycloak.client("cli")["attributes"]["pkce.code.challenge.method"] == "S256"


def test_userinfo_is_keycloaks_answer_for_alice(keycloak, kc_profile):
    result = run_cli("userinfo", "kc")
    assert result.code == 0, result
    claims = json.loads(result.stdout)
    assert claims["preferred_username"] == "alice" and claims["email"] == "alice@example.test"
    assert keycloak.events(type="USER_INFO_REQUEST", client="cli")


def test_refresh_keeps_working_with_refresh_token_revocation_on(keycloak, kc_profile):
    before = store().load_tokens("kc")
    # Keycloak calls a refresh token stale when its `iat` is older than the session's last
    # refresh, both in whole seconds: a refresh in the login's own second would leave the old
    # token as fresh as the new one. Let that second pass first.
    issued = claims_of(before.refresh_token)["iat"]
    while time.time() < issued + 1:
        time.sleep(0.05)
    keycloak.set_realm(revokeRefreshToken=True, refreshTokenMaxReuse=0)
    try:
        for _ in range(2):  # each refresh spends the refresh token it was given: the new one must be kept
            result = run_cli("refresh", "kc")
            assert result.code == 0, result
        after = store().load_tokens("kc")
        assert after.refresh_token != before.refresh_token and after.access_token != before.access_token
        reuse = httpx.post(f"{keycloak.issuer}/protocol/openid-connect/token", data={
            "grant_type": "refresh_token", "refresh_token": before.refresh_token, "client_id": "cli"})
        assert reuse.status_code == 400 and reuse.json()["error"] == "invalid_grant", reuse.text
    finally:
        keycloak.set_realm(revokeRefreshToken=False)
    assert len(keycloak.events(type="REFRESH_TOKEN", client="cli")) >= 2


def test_refresh_with_revocation_off_leaves_the_old_refresh_token_usable(keycloak, kc_profile):
    before = store().load_tokens("kc")
    result = run_cli("refresh", "kc")
    assert result.code == 0, result
    again = httpx.post(f"{keycloak.issuer}/protocol/openid-connect/token", data={
        "grant_type": "refresh_token", "refresh_token": before.refresh_token, "client_id": "cli"})
    assert again.status_code == 200, again.text


def test_revoke_makes_keycloak_call_the_token_inactive(keycloak, kc_profile):
    tokens = store().load_tokens("kc")
    result = run_cli("revoke", "kc")
    assert result.code == 0, result
    assert_no_traceback(result)
    assert introspect_at(keycloak, tokens.refresh_token)["active"] is False


def test_logout_end_session_ends_the_session_at_keycloak(keycloak, kc_profile, standin_browser, monkeypatch):
    monkeypatch.setenv("STANDIN_PROVIDER", keycloak.issuer)  # the first URL is ours: logout's loopback hand-off
    sid = claims_of(store().load_tokens("kc").id_token)["sid"]
    assert sid in {s["id"] for s in keycloak.sessions("cli")}
    result = run_cli("logout", "kc", "--end-session")
    assert result.code == 0, result
    assert_no_traceback(result)
    assert sid not in {s["id"] for s in keycloak.sessions("cli")}
    assert store().load_tokens("kc") is None


def claims_of(jwt: str) -> dict:
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_introspect_command_as_the_confidential_resource_client(keycloak, kc_profile):
    # Keycloak 26 answers active only to a client in the token's aud: `ci` is (the realm's audience mapper)
    added = run_cli("profile", "add", "rs", "--issuer", keycloak.issuer, "--client-id", "ci",
                    "--grant", "client_credentials", env={"OAUTH2_CLIENT_SECRET": keycloak.ci_secret()})
    assert added.code == 0, added
    token = store().load_tokens("kc").access_token
    result = run_cli("introspect", "rs", "-", input=token)
    assert result.code == 0, result
    claims = json.loads(result.stdout)
    assert claims["active"] is True and claims["preferred_username"] == "alice" and claims["azp"] == "cli"
    assert keycloak.events(type="INTROSPECT_TOKEN", client="ci")


def test_login_in_real_chromium_through_keycloaks_sign_in_page(keycloak, monkeypatch, tmp_path):
    """Once with a real browser: headless Chromium (Debian's) types alice's password into Keycloak's
    own page and follows its redirect to our loopback listener; the login is checked at Keycloak."""
    import os
    import shutil
    from pathlib import Path

    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    driver = Path(__file__).with_name("chromium_login.cjs")
    playwright = Path(__file__).parents[1] / "provider" / "node_modules" / "playwright-core"
    if not os.access(chromium, os.X_OK):
        pytest.skip("chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    if not playwright.is_dir() or not shutil.which("node"):
        pytest.skip("playwright-core is not installed: run `npm ci` in tests/provider (scripts/test does)")
    monkeypatch.setenv("BROWSER", f"node {driver} %s")
    monkeypatch.setenv("CHROMIUM", chromium)
    monkeypatch.setenv("CHROMIUM_LOGIN", "alice")
    monkeypatch.setenv("CHROMIUM_PASSWORD", "password")  # the realm file's test user (tests/peers/keycloak-realm.json)
    added = run_cli("profile", "add", "kc-chromium", "--preset", "keycloak", "--preset-param", f"base_url={keycloak.base}",
                    "--preset-param", "realm=peers", "--client-id", "cli", "--scope", "openid")
    assert added.code == 0, added
    result = run_cli("login", "kc-chromium", "--browser-timeout", "120", timeout=180)
    assert result.code == 0, result
    assert_no_traceback(result)
    assert "Logged in to kc-chromium as alice" in result.stderr, result
    tokens = store().load_tokens("kc-chromium")
    claims = introspect_at(keycloak, tokens.access_token)
    assert claims["active"] and claims["preferred_username"] == "alice" and claims["azp"] == "cli", claims
    assert keycloak.events(type="CODE_TO_TOKEN", client="cli")  # Keycloak saw the code exchanged
