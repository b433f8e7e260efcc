"""An httpx.Auth that puts the profile's access token on a request, and keeps it working.

The generator flow (httpx's `Auth.auth_flow`, as in its DigestAuth) does, per request:

1. take the current token; the callable refreshes it first when it is within the leeway;
2. send it (`Authorization: Bearer ...`, or `DPoP ...` with a fresh proof, RFC 9449 §7.1);
3. on a 401 `use_dpop_nonce` (RFC 9449 §9), send once more with the server's nonce;
4. on a 401 whose challenge says `invalid_token` (RFC 6750 §3.1), or any 401 when the
   token's expiry is unknown, refresh once and replay. The refresh callable saves a
   rotated token before it returns, so the replay never runs ahead of the store.

The request body is read before the first send (`requires_request_body`), so a body that
came from a file or stdin can be sent again. What the token is and how it is refreshed
come in as callables: this module knows httpx and the protocol, not the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from oauth2cli.transport import lean

lean.httpx()  # before `import httpx`: keeps httpx's own command line out (transport/lean.py)
import httpx  # noqa: E402

from oauth2cli.core import dpop as core_dpop
from oauth2cli.core.tokens import TokenSet

# (method, url, access_token, nonce or None) -> a DPoP proof
ProofMaker = Callable[[str, str, str, "str | None"], str]


class OAuth2Auth(httpx.Auth):
    requires_request_body = True

    def __init__(
        self,
        token: Callable[[], TokenSet],
        refresh: Callable[[TokenSet], TokenSet | None],
        *,
        proof: ProofMaker | None = None,
        observe: Callable[[str, Iterable[tuple[str, str]]], None] | None = None,
        token_in_query: bool = False,
    ) -> None:
        self._token = token
        self._refresh = refresh  # returns None when no refresh is possible (the 401 stands)
        self._proof = proof
        self._observe = observe
        self.token_in_query = token_in_query
        self.refreshes = 0
        self.sends = 0

    def auth_flow(self, request: httpx.Request):
        token = self._token()
        nonce: str | None = None
        nonce_retried = refreshed = False
        while True:
            self._authorize(request, token, nonce)
            self.sends += 1
            response = yield request
            headers = list(response.headers.multi_items())
            if self._observe is not None:
                self._observe(str(request.url), headers)
            if response.status_code != 401:
                return
            if _is_dpop(token) and not nonce_retried:
                wanted = core_dpop.resource_wants_nonce(401, headers)
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

    def _authorize(self, request: httpx.Request, token: TokenSet, nonce: str | None) -> None:
        scheme = "DPoP" if _is_dpop(token) else "Bearer"
        if self.token_in_query:
            # RFC 6750 §2.3, for the servers that want it (a compliance fix, never the default).
            request.url = request.url.copy_set_param("access_token", token.access_token)
            request.headers.pop("Authorization", None)
        else:
            request.headers["Authorization"] = f"{scheme} {token.access_token}"
        if scheme == "DPoP":
            if self._proof is None:
                raise RuntimeError("a DPoP-bound token needs a proof maker")
            request.headers["DPoP"] = self._proof(request.method, str(request.url), token.access_token, nonce)


def _is_dpop(token: TokenSet) -> bool:
    return token.token_type.lower() == "dpop"


def worth_refreshing(headers: Iterable[tuple[str, str]], token: TokenSet) -> bool:
    """A 401 that a new access token can cure."""
    if any(c.get("error") == "invalid_token" for c in core_dpop.challenges(headers)):
        return True
    # Without an expiry we cannot tell an expired token from a refused one: try once.
    return token.expires_at is None
