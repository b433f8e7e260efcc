"""The request handler our loopback pages share (the redirect listener, the browser question of
`oauth2 mcp`, the logout hand-off): no access log, no version banner, HTTP/1.1, a 30 s read
timeout, and one way to answer and to read a posted form."""

from __future__ import annotations

import http.server

from oauth2cli.transport import pages


class PageHandler(http.server.BaseHTTPRequestHandler):
    server_version = "oauth2cli"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = 30

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - no access log
        pass

    def send_page(self, status: int, body: str = "", *, csp: str = pages.CSP, location: str | None = None) -> None:
        """Answer with `body` as HTML, the headers every page of ours carries, and the connection
        closed after it."""
        data = body.encode("utf-8")
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", csp)
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        self.wfile.flush()
        self.close_connection = True

    def form_body(self, limit: int) -> str | None:
        """A POST's body, or None (a 413 already answered) when its Content-Length is not a
        number or is larger than `limit`."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= limit:
            self.send_page(413, pages.problem_page(413, "Request too large"))
            return None
        return self.rfile.read(length).decode("utf-8", "replace")
