"""A question asked in the browser where there is no terminal to ask it at (`oauth2 mcp`: stdin is
the protocol): a loopback page of ours that names the resource and the authorization server and
goes on only when the person clicks. A plain HTML form: no script, so a text browser works too.

    with Confirmation(resource, server) as ask:
        open_in_background(deps.browser, ask.url, ...)
        if ask.wait(timeout):           # True: "Continue"; False: "Cancel"; TimeoutError: no answer
            ...                         # the login's first URL goes to ask.hand_off(url)

The tab that clicked "Continue" is held (a few seconds) for the next page: hand_off(url) answers it
with a redirect there (the sign-in page), so the login goes on in the same tab; unclaimed, it says
that the sign-in page opens next. Only the loopback address, only the Host it bound (DNS
rebinding), only the secret path, and only a POST carrying the page's own secret count.
"""

from __future__ import annotations

import http.server
import secrets
import socket
import threading
from html import escape
from urllib.parse import parse_qs

from oauth2cli.transport import pages
from oauth2cli.transport.page_handler import PageHandler

HOLD = 10.0  # seconds the clicked tab waits for the sign-in page to hand it on to
MAX_BODY = 4096
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"


def question_page(resource: str, server: str, secret: str) -> str:
    body = (
        "<h1><span class=\"mark\" aria-hidden=\"true\">?</span>Sign in for this MCP server?</h1>"
        f"<p>The MCP server <code id=\"resource\">{escape(resource)}</code> asks you to sign in at "
        f"<code id=\"server\">{escape(server)}</code>, which is another site.</p>"
        "<p>Continue only if you trust that sign-in server with this MCP server. A profile is saved, "
        "so you are not asked again.</p>"
        "<form id=\"oauth2.confirm\" method=\"post\">"
        f"<input type=\"hidden\" name=\"secret\" value=\"{escape(secret)}\">"
        "<p><button type=\"submit\" name=\"answer\" value=\"continue\">Continue</button> "
        "<button type=\"submit\" name=\"answer\" value=\"cancel\">Cancel</button></p></form>"
        "<p class=\"small\">oauth2 command-line client (oauth2 mcp)</p>")
    return pages._page("Sign in? - oauth2", body, "ok")


def answered_page(went_on: bool) -> str:
    if went_on:
        text = "<h1>Going on</h1><p>The sign-in page opens next.</p>"
    else:
        text = "<h1>Cancelled</h1><p>Nothing was sent to the sign-in server. You can close this tab.</p>"
    return pages._page("oauth2", text + "<p class=\"small\">oauth2 command-line client</p>", "ok" if went_on else "bad")


class Confirmation:
    def __init__(self, resource: str, server: str) -> None:
        self.resource, self.server = resource, server
        self._secret = secrets.token_urlsafe(24)
        self._path = "/confirm/" + secrets.token_urlsafe(12)
        self._answer: bool | None = None
        self._answered = threading.Event()
        self._next: str | None = None
        self._next_ready = threading.Event()
        self._held = False  # the clicked tab waits for hand_off
        self._lock = threading.Lock()
        self._httpd: http.server.ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}{self._path}"

    def __enter__(self) -> Confirmation:
        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._httpd.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1},
                         name="oauth2-confirm", daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._next_ready.set()  # a held tab is let go
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def wait(self, timeout: float) -> bool:
        """The person's answer; TimeoutError when none came in time."""
        if not self._answered.wait(timeout):
            raise TimeoutError
        return bool(self._answer)

    def hand_off(self, url: str) -> bool:
        """Send the held tab on to `url`: True when a tab took it (nothing else to open)."""
        with self._lock:
            if not self._held or self._next is not None:
                return False
            self._next = url
            self._next_ready.set()
            return True

    def _hold(self) -> str | None:
        """The held tab's next URL, if the sign-in page came within HOLD seconds."""
        with self._lock:
            self._held = True
        self._next_ready.wait(HOLD)
        with self._lock:
            self._held = False
            return self._next

    def _take(self, form: dict) -> int:
        if form.get("secret") != [self._secret] or form.get("answer", [""])[0] not in ("continue", "cancel"):
            return 400
        if not self._answered.is_set():
            self._answer = form["answer"][0] == "continue"
            self._answered.set()
        return 200


def _handler(confirmation: Confirmation):
    class Handler(PageHandler):
        def _send(self, status: int, page: str = "", location: str | None = None) -> None:
            self.send_page(status, page, csp=CSP, location=location)

        def _ours(self) -> bool:
            host = f"127.0.0.1:{self.server.server_address[1]}"
            if (self.headers.get("Host") or "").strip().lower() != host or self.path != confirmation._path:
                self._send(404, pages.problem_page(404, "Not found"))
                return False
            return True

        def do_GET(self) -> None:  # noqa: N802
            if self._ours():
                self._send(200, question_page(confirmation.resource, confirmation.server, confirmation._secret))

        def do_POST(self) -> None:  # noqa: N802
            if not self._ours():
                return
            body = self.form_body(MAX_BODY)
            if body is None:
                return
            form = parse_qs(body)
            if confirmation._take(form) != 200:
                self._send(400, pages.problem_page(400, "Not accepted: this form is not the one shown"))
                return
            onward = confirmation._hold() if confirmation._answer else None
            if onward:
                self._send(303, location=onward)
                return
            self._send(200, answered_page(bool(confirmation._answer)))

    return Handler
