"""A tiny local token server for what the real provider cannot play: the password grant,
token exchange, non-standard answers. It records each request and plays canned answers
in order; an answer never used fails the test (see `assert_all_used`).

    with TokenServer() as server:
        server.answer(200, {"access_token": "2YotnFZFEjr1zCsicMWpAA", "token_type": "example"})
        ... run the CLI with --token-url server.url("/token") ...
        request = server.requests[0]  # .path, .query, .headers, .form (ordered pairs), .body
"""

from __future__ import annotations

import http.server
import json
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Seen:
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes
    form: list[tuple[str, str]] = field(default_factory=list)

    def form_dict(self) -> dict[str, str]:
        return dict(self.form)


class TokenServer:
    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self._answers: list[tuple[int, bytes, str, dict[str, str]]] = []
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
                if server._answers:
                    status, payload, ctype, extra = server._answers.pop(0)
                else:
                    status, payload, ctype, extra = 500, b'{"error":"server_error","error_description":"no canned answer"}', "application/json", {}
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                for k, v in extra.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _handle  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str = "/token") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self, status: int, body: Any, content_type: str = "application/json", **headers: str) -> None:
        if isinstance(body, (dict, list)):
            payload = json.dumps(body).encode()
        elif isinstance(body, str):
            payload = body.encode()
        else:
            payload = body
        self._answers.append((status, payload, content_type, headers))

    def assert_all_used(self) -> None:
        assert not self._answers, f"{len(self._answers)} canned answer(s) never requested"

    def __enter__(self) -> TokenServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
