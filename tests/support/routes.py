"""A small local HTTP server that answers by path, for stand-ins of providers' documented
behaviour (discovery documents, token endpoints with quirks). Unlike TokenServer, which plays
answers in order, each route answers every time it is asked; a handler may compute its answer.

    with RouteServer() as s:
        s.route("GET", "/.well-known/openid-configuration", 200, {"issuer": s.base, ...})
        s.route("POST", "/token", handler=lambda seen: (200, {...}, "application/json"))
        ... s.requests  # every request, in order (Seen from tests.support.tokenserver)
        s.paths()       # ["GET /.well-known/...", ...]
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.support.tokenserver import Seen

Answer = tuple[int, Any, str]


def _payload(body: Any) -> bytes:
    if isinstance(body, (dict, list)):
        return json.dumps(body).encode()
    if isinstance(body, str):
        return body.encode()
    return body or b""


class RouteServer:
    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self._routes: dict[tuple[str, str], Callable[[Seen], Answer]] = {}
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                seen = Seen(self.command, parts.path, parse_qsl(parts.query, keep_blank_values=True),
                            {k.lower(): v for k, v in self.headers.items()}, body)
                if "form-urlencoded" in seen.headers.get("content-type", ""):
                    seen.form = parse_qsl(body.decode("ascii"), keep_blank_values=True)
                server.requests.append(seen)
                handler = server._routes.get((self.command, parts.path))
                if handler is None:
                    status, answer, ctype, headers = 404, "not found", "text/plain", {}
                else:
                    result = handler(seen)
                    status, answer, ctype = result[:3]
                    headers = result[3] if len(result) > 3 else {}
                payload = _payload(answer)
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _handle  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, method: str, path: str, status: int = 200, body: Any = None,
              content_type: str = "application/json", *, handler: Callable[[Seen], Answer] | None = None) -> None:
        self._routes[(method, path)] = handler or (lambda seen: (status, body, content_type))

    def paths(self) -> list[str]:
        return [f"{r.method} {r.path}" for r in self.requests]

    def __enter__(self) -> RouteServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
