"""Form Post Response Mode: the listener takes exactly one form POST to the redirect path, with the
same state/iss/Host checks as a GET; through the real provider, real headless Chromium, and a
stand-in that posts twice, with a foreign state, the wrong type, or as a GET."""

from __future__ import annotations

import json
import threading
from html import escape
from urllib.parse import parse_qs, urlsplit

import httpx

from tests.login.conftest import chromium_browser, stored_tokens, write_profile
from tests.login.test_pages import _wait_file
from tests.support.cli import assert_no_traceback, run_cli
from tests.support.loopback_http import QuietHandler, serve

FORM = "application/x-www-form-urlencoded"


def test_form_post_through_the_real_provider(provider, standin_browser):
    write_profile("fp", issuer=provider.issuer, client_id="public-pkce", scope="openid", response_mode="form_post")
    result = run_cli("login", "fp")
    assert result.code == 0, result
    assert provider.authorizations()[-1]["response_mode"] == "form_post"
    assert stored_tokens("fp").id_token


class FormPostServer:
    """An authorization endpoint that answers with the auto-submitting form of the Form Post
    Response Mode (§2), and a token endpoint that waits until `release` is set."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.release.set()
        self.token_requests: list[dict] = []
        server = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802
                query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
                fields = {"code": "form-post-code", "state": query["state"]}
                inputs = "".join(f'<input type="hidden" name="{k}" value="{escape(v)}">' for k, v in fields.items())
                page = (f'<!DOCTYPE html><html><head><title>Submit This Form</title></head><body onload="document.forms[0].submit()">'
                        f'<form method="post" action="{escape(query["redirect_uri"])}">{inputs}'
                        '<noscript><button type="submit">Continue</button></noscript></form></body></html>')
                self.reply(200, page, "text/html; charset=utf-8")

            def do_POST(self) -> None:  # noqa: N802
                server.token_requests.append(parse_qs(self.body().decode()))
                server.release.wait(30)
                self.reply(200, json.dumps({"access_token": "fp-token", "token_type": "Bearer", "expires_in": 600}),
                           "application/json")


        self.server, self.base = serve(Handler)


def test_form_post_auto_submitted_by_headless_chromium(chromium, tmp_path, monkeypatch):
    stand_in = FormPostServer()
    browser, dom_file = chromium_browser(chromium, tmp_path, "--virtual-time-budget=5000", "--dump-dom")
    monkeypatch.setenv("BROWSER", browser)
    try:
        result = run_cli("login", "--client-id", "fp-client", "--authorization-url", stand_in.base + "/authorize",
                         "--token-url", stand_in.base + "/token", "--response-mode", "form_post")
    finally:
        stand_in.server.stop()
    assert result.code == 0, result
    assert stand_in.token_requests[0]["code"] == ["form-post-code"]
    dom = _wait_file(dom_file)
    assert "You are signed in" in dom  # the page the listener answered Chromium's POST with


def test_exactly_one_form_post_with_the_right_state_type_and_host(background):
    stand_in = FormPostServer()
    stand_in.release.clear()
    run = background("login", "--client-id", "fp-client", "--authorization-url", stand_in.base + "/authorize",
                     "--token-url", stand_in.base + "/token", "--response-mode", "form_post", "--no-browser",
                     "-o", "json", "--browser-timeout", "30")
    try:
        query = {k: v[0] for k, v in parse_qs(urlsplit(run.auth_url()).query).items()}
        callback, state = query["redirect_uri"], query["state"]
        good = {"code": "form-post-code", "state": state}
        with httpx.Client(timeout=20) as http:
            as_get = http.get(callback, params=good)
            assert as_get.status_code == 405 and "waits for a form POST" in as_get.text
            as_json = http.post(callback, json=good)
            assert as_json.status_code == 415
            foreign = http.post(callback, data={"code": "x", "state": "someone-elses-state"})
            assert foreign.status_code == 400 and "does not match this login" in foreign.text
            rebinding = http.post(callback, data=good, headers={"Host": f"evil.example:{urlsplit(callback).port}"})
            assert rebinding.status_code == 400
            assert stand_in.token_requests == []  # none of those ended or advanced the login

            first: dict = {}
            thread = threading.Thread(target=lambda: first.update(r=http.post(callback, data=good)))
            thread.start()
            while not stand_in.token_requests:  # the first POST is taken: the code is being exchanged
                thread.join(0.05)
            second = http.post(callback, data=good)
            assert second.status_code == 400 and "already complete" in second.text
            stand_in.release.set()
            thread.join(20)
            assert first["r"].status_code == 200 and "You are signed in" in first["r"].text
        code, stdout, stderr = run.finish()
    finally:
        stand_in.release.set()
        stand_in.server.stop()
    assert code == 0, stderr
    assert_no_traceback(type("R", (), {"stdout": stdout, "stderr": stderr})())
    assert json.loads(stdout)["access_token"] == "fp-token"
    assert len(stand_in.token_requests) == 1


def test_a_response_mode_is_not_dropped_by_the_device_flow(provider):
    result = run_cli("login", "--issuer", provider.issuer, "--client-id", "public-pkce", "--device",
                     "--response-mode", "form_post")
    assert result.code == 1, result
    assert "--response-mode and --request-object are for the browser login, not the device flow" in result.stderr
