"""A 401 that `oauth2 call`'s fast path received, given to the full path as its own first answer.

The fast path (cli/call_fast.py) sends a GET or HEAD with the stored token. A 401 needs the
full path — a refresh and one replay, a step-up login, the hint for a resource that names its
own server — so the fast path keeps the answer here (`keep`) and runs the click command in the
same process. The full path's httpx client (flows/call.Call.client) gets a transport that gives
that answer back for the identical request (`replaying`): the resource sees exactly the
requests it saw before there was a fast path, and everything after the 401 is the full path's
own doing. The answer is used at most once, and only for the same method, URL and token.
"""

from __future__ import annotations

MAX_BODY = 256 * 1024  # a 401's body is small; a bigger one is not kept (the full path asks again)


class Answer:
    def __init__(self, method: str, url: str, authorization: str, status: int, reason: str, version: str,
                 raw: list[tuple[bytes, bytes]], body: bytes) -> None:
        self.method, self.url, self.authorization = method, url, authorization
        self.status, self.reason, self.version, self.raw, self.body = status, reason, version, raw, body


_kept: list[Answer] = []


def keep(answer: Answer) -> None:
    _kept[:] = [answer]


def pending() -> bool:
    return bool(_kept)


def replaying(transport):
    """`transport` (an httpx transport), answering the kept request from memory the first time."""
    import httpx

    answer = _kept.pop()

    class Replay(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            nonlocal answer
            if answer is not None and (request.method, str(request.url), request.headers.get("authorization")) == (
                    answer.method, answer.url, answer.authorization):
                given, answer = answer, None
                return httpx.Response(given.status, headers=given.raw, content=given.body, request=request,
                                      extensions={"http_version": given.version.encode("ascii"),
                                                  "reason_phrase": given.reason.encode("latin-1", "replace")})
            return transport.handle_request(request)

        def close(self) -> None:
            transport.close()

    return Replay()
