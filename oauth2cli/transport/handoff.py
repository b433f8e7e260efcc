"""A one-shot loopback URL that sends the browser on to another URL, so that what that URL carries
(an id_token_hint) never stands on a command line: the browser is started with this URL only,
and argv (readable in /proc/*/cmdline by every user) shows nothing secret.

It answers once, at a random path, to a request whose Host is its own, with a 303 to the target (a
top-level GET, so the server's SameSite=Lax session cookie goes along, which a cross-site POST
from a loopback page would not carry); then it answers 404. Used by `logout --end-session`.
"""

from __future__ import annotations

import http.server
import secrets
import threading

from oauth2cli.transport import pages
from oauth2cli.transport.page_handler import PageHandler


class Handoff:
    """`with Handoff(target) as hand:` the browser opened at `hand.url` is sent on to `target`."""

    def __init__(self, target: str, host: str = "127.0.0.1") -> None:
        self.path = "/" + secrets.token_urlsafe(24)
        self.used = threading.Event()
        hand = self

        class Handler(PageHandler):
            def do_GET(self) -> None:  # noqa: N802
                ours = self.path == hand.path and self.headers.get("Host") == hand.netloc and not hand.used.is_set()
                if ours:
                    hand.used.set()
                    self.send_page(303, location=target)
                else:
                    self.send_page(404, pages.problem_page(404, "Not found"))

        self.httpd = http.server.ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.netloc = f"{host}:{self.httpd.server_address[1]}"
        self.url = f"http://{self.netloc}{self.path}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="oauth2-handoff", daemon=True)

    def __enter__(self) -> Handoff:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
