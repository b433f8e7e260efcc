"""A callback turned away for its state still shows, when the login gives up, what the server
said in it (unverified, escaped)."""

from __future__ import annotations

from urllib.parse import urlencode

from tests.support.cli import assert_no_traceback, run_cli
from tests.support.routes import RouteServer


def test_a_wrong_state_callback_is_ignored_and_its_words_are_shown_at_the_timeout(standin_browser):
    with RouteServer() as s:
        def authorize(seen):
            params = dict(seen.query)
            target = params["redirect_uri"] + "?" + urlencode({
                "error": "invalid_scope", "error_description": "Scope \x1b[31mfoo is not allowed", "state": "forged"})
            return 302, "", "text/plain", {"Location": target}

        s.route("GET", "/authorize", handler=authorize)
        result = run_cli("login", "--authorization-url", s.url("/authorize"), "--token-url", s.url("/token"),
                         "--client-id", "app", "--browser-timeout", "4", "-o", "json")
    assert result.code == 7, result
    assert ("a callback was turned away: the state parameter does not match this login; "
            "the server (unverified) said: invalid_scope: Scope \\x1b[31mfoo is not allowed") in result.stderr, result
    assert "\x1b" not in result.stderr
    assert result.stdout == ""
    assert_no_traceback(result)
