"""The OAuth 2.0 auth flow (transport/authflow.py) as an httpx.Auth, for code that sends with httpx.

httpx runs the generator itself (`auth_flow`): each request it is given is read into a plain
authflow.Request, the one flow authorizes it, and what the flow set (the URL, Authorization,
DPoP) is written back onto httpx's request. The body is read first (`requires_request_body`),
so that a body from a file or stdin can be sent again. The wire client runs the same flow
through authflow.drive.
"""

from __future__ import annotations

from oauth2cli.transport import lean
from oauth2cli.transport.authflow import Request, TokenAuth, worth_refreshing  # noqa: F401 (its old home)

lean.httpx()  # before `import httpx`: keeps httpx's own command line out (transport/lean.py)
import httpx  # noqa: E402

FLOW_HEADERS = ("Authorization", "DPoP")


class OAuth2Auth(httpx.Auth):
    requires_request_body = True

    def __init__(self, token, refresh, *, proof=None, observe=None, token_in_query: bool = False) -> None:
        self.tokens = TokenAuth(token, refresh, proof=proof, observe=observe, token_in_query=token_in_query)

    @property
    def refreshes(self) -> int:
        return self.tokens.refreshes

    @property
    def sends(self) -> int:
        return self.tokens.sends

    @property
    def token_in_query(self) -> bool:
        return self.tokens.token_in_query

    def auth_flow(self, request: httpx.Request):
        plain = Request(request.method, str(request.url), list(request.headers.multi_items()), None)
        flow = self.tokens.flow(plain)
        sent = next(flow)
        while True:
            request.url = httpx.URL(sent.url)
            for name in FLOW_HEADERS:
                value = sent.header(name)
                if value is None:
                    request.headers.pop(name, None)
                else:
                    request.headers[name] = value
            response = yield request
            try:
                sent = flow.send(response)
            except StopIteration:
                return
