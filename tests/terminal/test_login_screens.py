"""The login and device-code screens as a person sees them in a real terminal (tmux)."""

from __future__ import annotations

import re

import pytest

from tests.login.conftest import write_profile
from tests.support import browser
from tests.support.tmux import TMUX

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (CI installs it)")


def test_the_device_code_screen(provider, pane):
    write_profile("tv", issuer=provider.issuer, client_id="public-pkce", scope="openid")
    pane.type("oauth2 login tv --device", enter=True)
    screen = pane.wait_for("Waiting for the sign-in", timeout=20)
    verification = re.search(r"To sign in, visit (http://127\.0\.0\.1:\d+/device)", screen)
    code = re.search(r"and enter the code:\s+([A-Z]{4}-[A-Z]{4})", screen)
    complete = re.search(r"\(or open (\S+) , which has the code in it\)", screen)
    assert verification and code and complete, screen
    assert "the code expires in 10 min" in screen or "the code expires in 9 min" in screen, screen
    assert "Traceback" not in screen
    browser.run(complete.group(1), login="dave")  # the person, on another device
    screen = pane.wait_for("Logged in to tv as dave", timeout=30)
    assert "the access token expires at" in screen


def test_the_browser_login_screen_without_a_browser(provider, pane):
    write_profile("dev", issuer=provider.issuer, client_id="public-pkce", scope="openid")
    pane.type("oauth2 login dev --no-browser", enter=True)
    screen = pane.wait_for("for the sign-in (Ctrl-C to cancel)", timeout=20)
    assert "Open this URL in a browser to sign in:" in screen
    url = re.search(r"^\s+(http://127\.0\.0\.1:\d+/auth\?\S+)$", screen, re.MULTILINE)
    assert url, screen
    browser.run(url.group(1), login="erin")
    screen = pane.wait_for("Logged in to dev as erin", timeout=30)
    assert "Traceback" not in screen


def test_ctrl_c_on_the_login_screen(provider, pane):
    write_profile("quit", issuer=provider.issuer, client_id="public-pkce", scope="openid")
    pane.type("oauth2 login quit --no-browser; echo status=$?", enter=True)
    pane.wait_for("for the sign-in (Ctrl-C to cancel)", timeout=20)
    pane.keys("C-c")
    screen = pane.wait_for("status=130", timeout=10)
    assert "oauth2: interrupted" in screen and "Traceback" not in screen
