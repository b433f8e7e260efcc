"""A stand-in authorization server for answers the real provider will not give (hostile or broken
registration endpoints, a CIBA slow_down storm): stdlib http.server on a loopback port.

    with StandinServer() as server:                       # server.issuer = "http://127.0.0.1:PORT"
        server.route("POST", "/register", lambda req: (201, {"client_id": "x"}))
        server.requests                                    # [{"method", "path", "form", "json", "headers"}]

It serves /.well-known/openid-configuration naming its own issuer and the endpoints below
(registration, backchannel, token); a route answers (status, JSON object or bytes[, headers]).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

Answer = tuple  # (status, body) or (status, body, headers)


class StandinServer:
    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Callable[[dict[str, Any]], Answer]] = {}
        self.requests: list[dict[str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                path = self.path.split("?", 1)[0]
                request = {"method": self.command, "path": path, "headers": dict(self.headers.items()),
                           "form": dict(parse_qsl(raw.decode("utf-8", "replace"))), "json": None}
                if "json" in (self.headers.get("Content-Type") or ""):
                    request["json"] = json.loads(raw or b"null")
                server.requests.append(request)
                if path == "/.well-known/openid-configuration" and self.command == "GET":
                    answer: Answer = (200, server.metadata())
                else:
                    handler = server.routes.get((self.command, path))
                    answer = handler(request) if handler else (404, {"error": "not_found"})
                status, body, *rest = answer
                headers = rest[0] if rest else {}
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                if "Content-Type" not in headers:
                    self.send_header("Content-Type", "application/json")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = _serve  # noqa: N815

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def metadata(self) -> dict[str, Any]:
        i = self.issuer
        return {"issuer": i, "authorization_endpoint": i + "/authorize", "token_endpoint": i + "/token",
                "registration_endpoint": i + "/register", "jwks_uri": i + "/jwks",
                "backchannel_authentication_endpoint": i + "/bc-authorize",
                "backchannel_token_delivery_modes_supported": ["poll"],
                "grant_types_supported": ["authorization_code", "urn:openid:params:grant-type:ciba"]}

    def route(self, method: str, path: str, answer: Callable[[dict[str, Any]], Answer]) -> None:
        self.routes[(method, path)] = answer

    def hits(self, path: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["path"] == path]

    def __enter__(self) -> StandinServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
