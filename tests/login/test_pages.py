"""The pages people see, rendered in real headless Chromium: escaped, self-contained, and the
implicit grant's fragment capture."""

from __future__ import annotations

import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path

from tests.login.conftest import chromium_browser, write_profile
from tests.support.cli import run_cli
from oauth2cli.transport import pages

HOSTILE = "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>&amp;\"'"


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.srcs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.srcs += [v for k, v in attrs if k in ("src", "href") and v]


def _tags(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    return parser


def _wait_file(path: Path, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and "</html>" in path.read_text("utf-8", "replace"):
            return path.read_text("utf-8")
        time.sleep(0.1)
    raise AssertionError(f"Chromium wrote no DOM to {path}")


def test_pages_are_self_contained_and_escape_what_they_reflect():
    for html in (pages.success_page(HOSTILE), pages.error_page(HOSTILE, HOSTILE, HOSTILE),
                 pages.problem_page(400, HOSTILE)):
        parsed = _tags(html)
        assert "img" not in parsed.tags and "script" not in parsed.tags
        assert parsed.srcs == []  # nothing loaded from anywhere
        assert "&lt;img src=x onerror=" in html


def test_error_page_in_chromium_escapes_the_server_text(chromium, tmp_path, provider, stub_server, monkeypatch):
    stub = stub_server(lambda q: ("query", {"error": "access_denied", "error_description": HOSTILE,
                                            "state": q["state"], "iss": provider.issuer}))
    browser, dom_file = chromium_browser(chromium, tmp_path, "--virtual-time-budget=3000", "--dump-dom")
    monkeypatch.setenv("BROWSER", browser)
    write_profile("ch", issuer=provider.issuer, client_id="public-pkce", scope="openid")
    result = run_cli("login", "ch", "--authorization-url", stub.url)
    assert result.code == 3, result
    dom = _wait_file(dom_file)
    parsed = _tags(dom)
    assert "<title>Sign-in failed - oauth2</title>" in dom  # no script ran: the title is ours
    assert "img" not in parsed.tags
    assert parsed.tags.count("script") == 0
    assert "&lt;img src=x onerror=" in dom and "&lt;script&gt;" in dom
    assert '<code id="error">access_denied</code>' in dom


def test_success_page_in_chromium(chromium, tmp_path, stub_server, monkeypatch):
    stub = stub_server(lambda q: ("query", {"code": "good-code", "state": q["state"]}))
    browser, dom_file = chromium_browser(chromium, tmp_path, "--virtual-time-budget=3000", "--dump-dom")
    monkeypatch.setenv("BROWSER", browser)
    result = run_cli("login", "--client-id", "stub", "--authorization-url", stub.url, "--token-url", stub.token_url)
    assert result.code == 0, result
    dom = _wait_file(dom_file)
    assert "<title>Signed in - oauth2</title>" in dom
    assert "You can close this tab and return to the terminal." in dom
    assert stub.token_requests[0]["code"] == ["good-code"]
    assert stub.token_requests[0]["code_verifier"]
    # a screenshot, to look at by hand (tests/login/README: kept under the test's tmp dir)
    shot = tmp_path / "success.png"
    html = tmp_path / "success.html"
    html.write_text(pages.success_page("Signed in as alice@example.test."), "utf-8")
    subprocess.run([*chromium, "--window-size=900,600", f"--screenshot={shot}", html.as_uri()],
                   capture_output=True, timeout=60, check=False)
    assert shot.exists() and shot.stat().st_size > 1000


def test_implicit_grant_fragment_captured_in_chromium(chromium, tmp_path, provider, stub_server, monkeypatch):
    """oidc-provider 9 refuses a bare response_type=token, so a local stub plays the authorization
    endpoint; the fragment capture itself runs in real Chromium."""
    stub = stub_server(lambda q: ("fragment", {"access_token": "implicit-token-123", "token_type": "Bearer",
                                               "expires_in": "600", "state": q["state"], "iss": provider.issuer}))
    browser, dom_file = chromium_browser(chromium, tmp_path, "--virtual-time-budget=5000", "--dump-dom")
    monkeypatch.setenv("BROWSER", browser)
    write_profile("imp", issuer=provider.issuer, client_id="public-pkce", scope="api:read")
    result = run_cli("login", "imp", "--response-type", "token", "--authorization-url", stub.url, "-o", "json")
    assert result.code == 0, result
    assert "oauth2: warning: the implicit grant (--response-type token) is deprecated" in result.stderr
    assert "RFC 9700" in result.stderr
    assert '"access_token": "implicit-token-123"' in result.stdout
    sent = stub.requests[0]
    assert sent["response_type"] == "token" and "code_challenge" not in sent
    dom = _wait_file(dom_file)
    assert "You are signed in" in dom  # the page the listener answered the POST with
