"""Issue #28, rows 10, 11 and 18 (row 13: tests/login/test_jar.py): a login that goes wrong, or chooses for the person, says why
and what to do, in one line, against the real provider."""

from __future__ import annotations

import signal

from oauth2cli.core.advice import hint
from tests.login.conftest import Background, stored_tokens, write_profile
from tests.login.extensions import ext_provider  # noqa: F401 (fixture)
from tests.support.cli import assert_no_traceback, run_cli


def _lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("oauth2: ")]


def test_a_login_without_scope_that_is_refused_names_scope(ext_provider, standin_browser):
    provider, _ = ext_provider
    write_profile("noscope", issuer=provider.issuer, client_id="jarm-public")
    result = run_cli("login", "noscope", "--browser-timeout", "20")
    assert result.code == 3, result
    assert_no_traceback(result)
    (line,) = [line for line in _lines(result) if line.startswith("oauth2: error")]
    assert "no scope was asked for: give --scope (for example --scope openid); the server advertises: " in line, line
    assert "scope" not in provider.authorizations()[-1], "no scope was sent"


def test_no_refresh_token_for_offline_access_names_prompt_consent(ext_provider, standin_browser):
    provider, _ = ext_provider
    write_profile("offline", issuer=provider.issuer, client_id="no-refresh", scope="openid offline_access")
    result = run_cli("login", "offline")
    assert result.code == 0, result
    (note,) = [line for line in _lines(result) if line.startswith("oauth2: note:")]
    assert note == ("oauth2: note: profile 'offline' has no refresh token (the server sent none and none was "
                    "stored); `oauth2 refresh` will need a new login: " + hint("no-refresh-token", profile="offline"))
    assert "oauth2 login offline -P prompt=consent" in note
    assert provider.authorizations()[-1]["scope"] == "openid offline_access"
    assert stored_tokens("offline").refresh_token is None


def test_with_prompt_consent_sent_the_note_does_not_name_it(ext_provider, standin_browser):
    provider, _ = ext_provider
    write_profile("offline2", issuer=provider.issuer, client_id="no-refresh", scope="openid offline_access")
    result = run_cli("login", "offline2", "-P", "prompt=consent")
    assert result.code == 0, result
    assert provider.authorizations()[-1]["prompt"] == "consent"
    (note,) = [line for line in _lines(result) if line.startswith("oauth2: note:")]
    assert note.endswith(hint("no-refresh-token-asked")), note


def test_a_browser_that_never_comes_back_names_the_likely_causes(provider, monkeypatch):
    monkeypatch.setenv("BROWSER", "true")  # opens nothing: the sign-in never returns
    write_profile("lost", issuer=provider.issuer, client_id="public-pkce", scope="openid offline_access")
    result = run_cli("login", "lost", "--browser-timeout", "1")
    assert result.code == 7, result
    assert result.stdout == ""
    (line,) = [line for line in _lines(result) if line.startswith("oauth2: error")]
    assert line == ("oauth2: error: no answer from the browser within 1 s; " + hint("browser-never-returned")
                    + "; run the login again, or wait longer with --browser-timeout SECONDS"), line
    assert "-P prompt=consent" in line
    assert stored_tokens("lost") is None


def test_the_device_flow_chosen_for_the_person_says_why(provider):
    # no $BROWSER, $DISPLAY or $WAYLAND_DISPLAY (the isolate fixture drops them): the device flow
    write_profile("headless", issuer=provider.issuer, client_id="public-pkce", scope="openid")
    run = Background("login", "headless")
    try:
        run.wait_for(r"and enter the code:")
        run.wait_for(r"the code expires in \d+ min")
        said = [line.rstrip("\n") for line in run.lines]
        assert said[0] == "oauth2: " + hint("device-chosen"), said
        run.proc.send_signal(signal.SIGINT)
        assert run.proc.wait(timeout=20) == 130
    finally:
        if run.proc.poll() is None:
            run.proc.kill()
    assert [e for e in provider.events() if e["type"] == "device_authorization.request"][-1]["client_id"] == "public-pkce"
