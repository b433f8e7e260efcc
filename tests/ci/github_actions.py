"""A stand-in for GitHub Actions' OIDC ID-token service, speaking its documented API:

    GET $ACTIONS_ID_TOKEN_REQUEST_URL[&audience=AUDIENCE]
    Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN
    -> 200 {"count": N, "value": "<JWT>"}

The JWT is signed with the stand-in CI issuer's key (tests/support/ci_trust.py); without an
audience GitHub uses the repository owner's URL. A wrong request token gets 401, as GitHub's does.
"""

from __future__ import annotations

import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

DEFAULT_AUDIENCE = "https://github.com/acme"


class GitHubActionsTokenService:
    def __init__(self, trust) -> None:
        self.trust = trust
        self.request_token = secrets.token_urlsafe(32)
        self.requests: list[dict] = []
        self.issued: list[str] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

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
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = (f"http://127.0.0.1:{self.server.server_address[1]}/_apis/distributedtask/oidc/token"
                    "?api-version=2.0")
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def env(self, request_token: str | None = None) -> dict[str, str]:
        """The two variables a job with `permissions: id-token: write` has."""
        return {"ACTIONS_ID_TOKEN_REQUEST_URL": self.url,
                "ACTIONS_ID_TOKEN_REQUEST_TOKEN": request_token or self.request_token}

    def __enter__(self) -> GitHubActionsTokenService:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
