"""`oauth2 logout NAME --end-session` (OpenID Connect RP-Initiated Logout 1.0) against the real
oidc-provider: the stand-in browser keeps its cookies between runs, as a person's browser does,
so the provider's session is real and its end shows in the next login."""

from __future__ import annotations

import shlex
import sys
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.login.conftest import stored_tokens, write_profile
from tests.support.cli import assert_no_traceback, run_cli


@pytest.fixture
def browser_with_cookies(standin_browser, tmp_path, monkeypatch):
    monkeypatch.setenv("STANDIN_COOKIES", str(tmp_path / "cookies.json"))
    return standin_browser


def _last_visit(browser) -> dict:
    return browser.visits()[-1]


def test_end_session_ends_the_providers_session(provider, browser_with_cookies, monkeypatch, tmp_path):
    browser = browser_with_cookies
    monkeypatch.setenv("STANDIN_PROVIDER", provider.issuer)  # the browser starts at our loopback page
    write_profile("web", issuer=provider.issuer, client_id="public-pkce", scope="openid")
    assert run_cli("login", "web").code == 0
    assert _last_visit(browser)["logins"] == 1
    assert run_cli("login", "web").code == 0
    assert _last_visit(browser)["logins"] == 0  # the provider's session signed us in without a form
    tokens = stored_tokens("web")

    argv = tmp_path / "browser-argv"
    wrapper = tmp_path / "argv-browser"
    wrapper.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$*\" >> {shlex.quote(str(argv))}\n"
                       f"exec {shlex.quote(sys.executable)} {shlex.quote(str(browser.script))} \"$1\"\n")
    wrapper.chmod(0o755)
    monkeypatch.setenv("BROWSER", f"{wrapper} %s")
    result = run_cli("logout", "web", "--end-session")
    assert result.code == 0, result
    # issue #25 row 11: the browser was started at a one-shot loopback URL that sent it on, so the
    # id_token was never on its command line
    started = argv.read_text().splitlines()
    assert len(started) == 1 and started[0].startswith("http://127.0.0.1:") and tokens.id_token not in started[0]
    assert_no_traceback(result)
    assert "oauth2: the server ended the session of 'web'" in result.stderr
    assert result.stderr.strip().endswith("oauth2: logged out of 'web' (tokens revoked)")
    assert tokens.id_token not in result.stderr  # the printed URL leaves out the id_token_hint
    back = _last_visit(browser)
    assert back["status"] == 200 and "You are signed out" in back["body"]
    state = parse_qs(urlsplit(back["url"]).query)["state"][0]
    assert len(state) >= 43
    assert stored_tokens("web") is None
    assert provider.introspect(tokens.access_token)["active"] is False

    assert run_cli("login", "web").code == 0
    assert _last_visit(browser)["logins"] == 1  # a fresh interaction: the session is gone


def test_the_logout_redirect_needs_our_state():
    from oauth2cli.core.authorization import CallbackCheck, CallbackIgnored, check_response

    check = CallbackCheck("/callback", "our-state-0123456789", "logout")
    assert check_response(check, "state=our-state-0123456789").params == {"state": "our-state-0123456789"}
    for query in ("", "state=forged", "state=our-state-0123456789&state=x"):
        with pytest.raises(CallbackIgnored):
            check_response(check, query)


def test_without_end_session_endpoint_it_says_so_and_revokes(provider, standin_browser):
    write_profile("plain", client_id="public-pkce", scope="email",
                  token_url=provider.endpoint("token"), authorization_url=provider.endpoint("authorization"),
                  revocation_url=provider.endpoint("revocation"))
    assert run_cli("login", "plain").code == 0
    access = stored_tokens("plain").access_token
    result = run_cli("logout", "plain", "--end-session")
    assert result.code == 0, result
    assert result.stderr.splitlines() == [
        "oauth2: the server has no end_session_endpoint; its session there stays; only revoking the tokens",
        "oauth2: logged out of 'plain' (tokens revoked)"]
    assert provider.introspect(access)["active"] is False
