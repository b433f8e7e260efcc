"""A stand-in for GitHub Actions' OIDC ID-token service, speaking its documented API:

    GET $ACTIONS_ID_TOKEN_REQUEST_URL[&audience=AUDIENCE]
    Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN
    -> 200 {"count": N, "value": "<JWT>"}

The JWT is signed with the stand-in CI issuer's key (tests/support/ci_trust.py); without an
audience GitHub uses the repository owner's URL. A wrong request token gets 401, as GitHub's does.
"""

from __future__ import annotations

import secrets
from urllib.parse import parse_qs, urlsplit

from tests.support.loopback_http import LoopbackServer, QuietHandler

DEFAULT_AUDIENCE = "https://github.com/acme"


class GitHubActionsTokenService(LoopbackServer):
    def __init__(self, trust) -> None:
        self.trust = trust
        self.request_token = secrets.token_urlsafe(32)
        self.requests: list[dict] = []
        self.issued: list[str] = []
        service = self

        class Handler(QuietHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                auth = self.headers.get("Authorization", "")
                service.requests.append({"path": parts.path, "query": query, "authorization": auth})
                scheme, _, token = auth.partition(" ")
                if parts.path != "/_apis/distributedtask/oidc/token":
                    return self._send(404, {"message": "Not Found"})
                if scheme.lower() != "bearer" or token != service.request_token:
                    return self._send(401, {"message": "Bad credentials"})
                audience = query.get("audience", [DEFAULT_AUDIENCE])[0]
                jwt = service.trust.ci_token(audience=audience)
                service.issued.append(jwt)
                return self._send(200, {"count": len(service.issued), "value": jwt})

            def _send(self, status: int, body: dict) -> None:
                self.reply(status, body, "application/json; charset=utf-8")

        super().__init__(Handler)
        self.token_url = self.url("/_apis/distributedtask/oidc/token?api-version=2.0")

    def env(self, request_token: str | None = None) -> dict[str, str]:
        """The two variables a job with `permissions: id-token: write` has."""
        return {"ACTIONS_ID_TOKEN_REQUEST_URL": self.token_url,
                "ACTIONS_ID_TOKEN_REQUEST_TOKEN": request_token or self.request_token}
