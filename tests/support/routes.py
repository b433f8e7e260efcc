"""A small local HTTP server that answers by path, for stand-ins of providers' documented
behaviour (discovery documents, token endpoints with quirks). Unlike TokenServer, which plays
answers in order, each route answers every time it is asked; a handler may compute its answer.

    with RouteServer() as s:
        s.route("GET", "/.well-known/openid-configuration", 200, {"issuer": s.base, ...})
        s.route("POST", "/token", handler=lambda seen: (200, {...}, "application/json"))
        ... s.requests  # every request, in order (Seen from tests.support.loopback_http)
        s.paths()       # ["GET /.well-known/...", ...]

A handler answers (status, body, content type[, headers]); the body as `reply` takes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.support.loopback_http import LoopbackServer, QuietHandler, Seen

Answer = tuple[int, Any, str]


class _Handler(QuietHandler):
    def _handle(self) -> None:
        server: RouteServer = self.server.standin
        seen = self.seen()
        server.requests.append(seen)
        handler = server._routes.get((self.command, seen.path))
        self.reply(*(handler(seen) if handler else (404, "not found", "text/plain")))

    do_GET = do_POST = _handle  # noqa: N815


class RouteServer(LoopbackServer):
    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self._routes: dict[tuple[str, str], Callable[[Seen], Answer]] = {}
        super().__init__(_Handler)

    def route(self, method: str, path: str, status: int = 200, body: Any = None,
              content_type: str = "application/json", *, handler: Callable[[Seen], Answer] | None = None) -> None:
        self._routes[(method, path)] = handler or (lambda seen: (status, body, content_type))

    def paths(self) -> list[str]:
        return [f"{r.method} {r.path}" for r in self.requests]
