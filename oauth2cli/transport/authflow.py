"""The OAuth 2.0 auth flow of a protected request, free of any HTTP client: httpx's own
`Auth.auth_flow` generator model (as in its DigestAuth), driven by whichever client sends.

Per request, the flow:

1. takes the current token; the callable refreshes it first when it is within the leeway;
2. authorizes the request (`Authorization: Bearer ...`, or `DPoP ...` with a fresh proof,
   RFC 9449 §7.1; or `access_token` in the query, RFC 6750 §2.3, a compliance fix) and yields it;
3. on a 401 `use_dpop_nonce` (RFC 9449 §9), yields it once more with the server's nonce;
4. on a 401 whose challenge says `invalid_token` (RFC 6750 §3.1), or any 401 when the token's
   expiry is unknown, refreshes once and yields the replay. The refresh callable saves a rotated
   token before it returns, so the replay never runs ahead of the store.

The request is a plain `Request` (method, url, header pairs, body bytes); every answer given
back needs `status_code` and `headers.multi_items()` (httpx.Response and transport/wire's
WireResponse both have them). `drive(flow, send)` is the loop every client runs, the wire
client and httpx alike (transport/client.py). No httpx, no typing here.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from oauth2cli.core.tokens import TokenSet

    # (method, url, access_token, nonce or None) -> a DPoP proof
    ProofMaker = Callable[[str, str, str, "str | None"], str]


class Request:
    """What a client needs to send: method, URL, header pairs in order, the body bytes (or None)."""

    __slots__ = ("method", "url", "headers", "body")

    def __init__(self, method: str, url: str, headers: list[tuple[str, str]] | None = None,
                 body: bytes | None = None) -> None:
        self.method, self.url, self.headers, self.body = method, url, list(headers or ()), body

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)

    def set_header(self, name: str, value: str) -> None:
        """The first field of that name takes the value, others of that name go (httpx's headers[name] = v)."""
        lowered = name.lower()
        found = [i for i, (k, _) in enumerate(self.headers) if k.lower() == lowered]
        for i in reversed(found[1:]):
            del self.headers[i]
        if found:
            self.headers[found[0]] = (name, value)
        else:
            self.headers.append((name, value))

    def pop_header(self, name: str) -> None:
        lowered = name.lower()
        self.headers = [(k, v) for k, v in self.headers if k.lower() != lowered]


class TokenAuth:
    """The profile's token on each request, kept working (see the module's docstring)."""

    def __init__(self, token: Callable[[], TokenSet], refresh: Callable[[TokenSet], TokenSet | None], *,
                 proof: ProofMaker | None = None,
                 observe: Callable[[str, Iterable[tuple[str, str]]], None] | None = None,
                 token_in_query: bool = False) -> None:
        self._token = token
        self._refresh = refresh  # returns None when no refresh is possible (the 401 stands)
        self._proof = proof
        self._observe = observe
        self.token_in_query = token_in_query
        self.refreshes = 0
        self.sends = 0

    def flow(self, request: Request) -> Iterator[Request]:
        token = self._token()
        nonce: str | None = None
        nonce_retried = refreshed = False
        while True:
            self.authorize(request, token, nonce)
            self.sends += 1
            response = yield request
            headers = list(response.headers.multi_items())
            if self._observe is not None:
                self._observe(request.url, headers)
            if response.status_code != 401:
                return
            if is_dpop(token) and not nonce_retried:
                from oauth2cli.core import dpop

                wanted = dpop.resource_wants_nonce(401, headers)
                if wanted:
                    nonce_retried, nonce = True, wanted
                    continue
            if refreshed or not worth_refreshing(headers, token):
                return
            refreshed = True
            new = self._refresh(token)
            if new is None:
                return
            self.refreshes += 1
            token, nonce = new, None

    def authorize(self, request: Request, token: TokenSet, nonce: str | None) -> None:
        scheme = "DPoP" if is_dpop(token) else "Bearer"
        if self.token_in_query:
            # RFC 6750 §2.3, for the servers that want it (a compliance fix, never the default).
            request.url = with_query_param(request.url, "access_token", token.access_token)
            request.pop_header("Authorization")
        else:
            request.set_header("Authorization", f"{scheme} {token.access_token}")
        if scheme == "DPoP":
            if self._proof is None:
                raise RuntimeError("a DPoP-bound token needs a proof maker")
            request.set_header("DPoP", self._proof(request.method, request.url, token.access_token, nonce))


def drive(flow: Iterator[Request], send: Callable[[Request], object]):
    """Send each request the flow yields and give it each answer; the last answer, open.
    An answer the flow sends again for is closed (its body unread) before the next request."""
    request = next(flow)
    while True:
        response = send(request)
        try:
            request = flow.send(response)
        except StopIteration:
            return response
        response.close()


def is_dpop(token: TokenSet) -> bool:
    return token.token_type.lower() == "dpop"


def worth_refreshing(headers: Iterable[tuple[str, str]], token: TokenSet) -> bool:
    """A 401 that a new access token can cure."""
    from oauth2cli.core import dpop

    if any(c.get("error") == "invalid_token" for c in dpop.challenges(headers)):
        return True
    # Without an expiry we cannot tell an expired token from a refused one: try once.
    return token.expires_at is None


def with_query_param(url: str, name: str, value: str) -> str:
    """`url` with `name=value` as its query's last parameter, any earlier `name` gone."""
    from urllib.parse import quote

    base, hash_, fragment = url.partition("#")
    path, _, query = base.partition("?")
    kept = [p for p in query.split("&") if p and p.split("=", 1)[0] != name]
    kept.append(f"{name}={quote(value, safe='')}")
    return f"{path}?{'&'.join(kept)}{hash_}{fragment}"


def without_query_param(url: str, name: str) -> str:
    base, hash_, fragment = url.partition("#")
    path, q, query = base.partition("?")
    kept = [p for p in query.split("&") if p and p.split("=", 1)[0] != name]
    return f"{path}{'?' if kept else ''}{'&'.join(kept)}{hash_}{fragment}"
