"""A stand-in authorization server for answers the real provider will not give (hostile or broken
registration endpoints, a CIBA slow_down storm): stdlib http.server on a loopback port.

    with StandinServer() as server:                       # server.issuer = "http://127.0.0.1:PORT"
        server.route("POST", "/register", lambda req: (201, {"client_id": "x"}))
        server.requests                                    # [Seen]: .method, .path, .headers, .form_dict(), .json()

It serves /.well-known/openid-configuration naming its own issuer and the endpoints below
(registration, backchannel, token); a route answers (status, JSON value or bytes[, headers]).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tests.support.loopback_http import LoopbackServer, QuietHandler, Seen

Answer = tuple  # (status, body) or (status, body, headers)


class _Handler(QuietHandler):
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        server: StandinServer = self.server.standin
        request = self.seen()
        server.requests.append(request)
        if request.path == "/.well-known/openid-configuration" and self.command == "GET":
            answer: Answer = (200, server.metadata())
        else:
            handler = server.routes.get((self.command, request.path))
            answer = handler(request) if handler else (404, {"error": "not_found"})
        status, body, *rest = answer
        self.reply(status, body if isinstance(body, bytes) else json.dumps(body), headers=rest[0] if rest else {})

    do_GET = do_POST = do_DELETE = _serve  # noqa: N815


class StandinServer(LoopbackServer):
    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Callable[[Seen], Answer]] = {}
        self.requests: list[Seen] = []
        super().__init__(_Handler)
        self.issuer = self.base

    def metadata(self) -> dict[str, Any]:
        i = self.issuer
        return {"issuer": i, "authorization_endpoint": i + "/authorize", "token_endpoint": i + "/token",
                "registration_endpoint": i + "/register", "jwks_uri": i + "/jwks",
                "backchannel_authentication_endpoint": i + "/bc-authorize",
                "backchannel_token_delivery_modes_supported": ["poll"],
                "grant_types_supported": ["authorization_code", "urn:openid:params:grant-type:ciba"]}

    def route(self, method: str, path: str, answer: Callable[[Seen], Answer]) -> None:
        self.routes[(method, path)] = answer

    def hits(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path == path]
