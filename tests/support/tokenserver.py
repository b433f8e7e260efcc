"""A tiny local token server for what the real provider cannot play: the password grant,
token exchange, non-standard answers. It records each request and plays canned answers
in order; an answer never used fails the test (see `assert_all_used`).

    with TokenServer() as server:
        server.answer(200, {"access_token": "2YotnFZFEjr1zCsicMWpAA", "token_type": "example"})
        ... run the CLI with --token-url server.url("/token") ...
        request = server.requests[0]  # .path, .query, .headers, .form (ordered pairs), .body
"""

from __future__ import annotations

from typing import Any

from tests.support.loopback_http import LoopbackServer, QuietHandler, Seen, encode

__all__ = ["Seen", "TokenServer"]

NO_ANSWER = (500, b'{"error":"server_error","error_description":"no canned answer"}', "application/json", {})


class _Handler(QuietHandler):
    def _handle(self) -> None:
        server: TokenServer = self.server.standin
        server.requests.append(self.seen())
        self.reply(*(server._answers.pop(0) if server._answers else NO_ANSWER))

    do_GET = do_POST = _handle  # noqa: N815


class TokenServer(LoopbackServer):
    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self._answers: list[tuple[int, bytes, str, dict[str, str]]] = []
        super().__init__(_Handler)

    def url(self, path: str = "/token") -> str:
        return self.base + path

    def answer(self, status: int, body: Any, content_type: str = "application/json", **headers: str) -> None:
        self._answers.append((status, encode(body), content_type, headers))

    def assert_all_used(self) -> None:
        assert not self._answers, f"{len(self._answers)} canned answer(s) never requested"
