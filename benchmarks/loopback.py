"""The loopback resource the `call` rows and their baselines (curl, httpx, HTTPie) ask.

It answers every method the same small JSON body, after reading the whole request body
(Content-Length or chunked), so `-X POST -d`, `--json` and `-F` cost both sides the same;
/redirect sends a same-origin 302 to /resource (the `-L` row). It checks the Bearer token: a
request without the benchmark's token gets a 401 and is counted, and a row whose requests were
refused fails instead of timing an error page.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BODY = b'{"ok": true}'


class Resource:
    def __init__(self) -> None:
        self.tokens: set[str] = set()
        self.refused = 0
        self.answered = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.url = f"{self.origin}/resource"
        self.redirect_url = f"{self.origin}/redirect"

    def start(self) -> Resource:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self._serving = True
        return self

    def stop(self) -> None:
        if getattr(self, "_serving", False):
            self._server.shutdown()  # (waits for serve_forever: only once it runs)
            self._serving = False
        self._server.server_close()

    def counts(self) -> tuple[int, int]:
        with self._lock:
            return self.answered, self.refused

    def _count(self, ok: bool) -> None:
        with self._lock:
            if ok:
                self.answered += 1
            else:
                self.refused += 1


def _handler(resource: Resource) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _read_body(self) -> None:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    self.rfile.read(size + 2)  # the chunk and its CRLF
                    if size == 0:
                        break
            else:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)

        def _answer(self) -> None:
            self._read_body()
            authorization = self.headers.get("Authorization", "")
            token = authorization[7:] if authorization[:7].lower() == "bearer " else ""
            if token not in resource.tokens:
                resource._count(False)
                body = b'{"error": "invalid_token"}'
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Bearer error="invalid_token"')
            elif self.path.startswith("/redirect"):
                resource._count(True)
                body = b""
                self.send_response(302)
                self.send_header("Location", "/resource")
            else:
                resource._count(True)
                body = BODY
                self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _answer  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    return Handler
