"""A protected resource that announces its authorization server (RFC 9728), on a loopback port.

    with ProtectedResource(provider) as api:       # api.base = "http://127.0.0.1:PORT"
        api.url("/things")                          # a URL under its resource ("/mcp" by default)

It serves its metadata at /.well-known/oauth-protected-resource/mcp (RFC 9728 §3.1) and,
under /mcp, answers 200 JSON to a bearer token that the real provider's introspection says
is active and meant for this resource (`aud`), else 401 with
`WWW-Authenticate: Bearer resource_metadata="..."` (§5.1). Knobs for bad cases:
`metadata` replaces fields of the document (another `resource`, empty
`authorization_servers`); `announce=False` leaves resource_metadata out of the challenge;
`scope` is put in the 401's challenge (RFC 6750 §3) and is what a token must hold, else 403
insufficient_scope naming it (§3.1).
"""

from __future__ import annotations

from typing import Any

from tests.support.loopback_http import LoopbackServer, QuietHandler

WELL_KNOWN = "/.well-known/oauth-protected-resource"


class _Handler(QuietHandler):
    protocol_version = "HTTP/1.1"

    def _handle(self) -> None:
        self.body()
        self.server.standin._handle(self)

    do_GET = do_POST = _handle  # noqa: N815


class ProtectedResource(LoopbackServer):
    def __init__(self, provider, *, path: str = "/mcp", metadata: dict[str, Any] | None = None,
                 announce: bool = True, scope: str | None = None) -> None:
        self.provider = provider
        self.path = path
        self.overrides = dict(metadata or {})
        self.announce = announce
        self.scope = scope
        self.requests: list[dict[str, Any]] = []
        self.introspections = 0
        super().__init__(_Handler)
        self.resource = self.base + path
        self.metadata_url = self.base + WELL_KNOWN + path

    def url(self, tail: str = "") -> str:
        return self.resource + tail

    def document(self) -> dict[str, Any]:
        doc = {"resource": self.resource, "authorization_servers": [self.provider.issuer],
               "scopes_supported": ["api:read"], "bearer_methods_supported": ["header"],
               "resource_name": "oauth2cli test API"}
        doc.update(self.overrides)
        return doc

    def _handle(self, handler) -> None:
        path = handler.path.split("?", 1)[0]
        auth = handler.headers.get("Authorization") or ""
        self.requests.append({"method": handler.command, "path": path, "authorization": auth})
        if path == WELL_KNOWN + self.path:
            handler.reply(200, self.document())
            return
        if not (path == self.path or path.startswith(self.path + "/")):
            handler.reply(404, {"error": "not_found"})
            return
        token = auth[7:] if auth.lower().startswith("bearer ") else None
        if token:
            self.introspections += 1
            info = self.provider.introspect(token)
            audience = info.get("aud")
            audiences = audience if isinstance(audience, list) else [audience]
            if info.get("active") and self.resource in audiences and self.scope and \
                    not set(self.scope.split()) <= set((info.get("scope") or "").split()):
                handler.reply(403, {"error": "insufficient_scope"}, headers={"WWW-Authenticate": (
                    f'Bearer error="insufficient_scope", scope="{self.scope}", resource_metadata="{self.metadata_url}"')})
                return
            if info.get("active") and self.resource in audiences:
                handler.reply(200, {"ok": True, "sub": info.get("sub"), "path": path, "client_id": info.get("client_id")})
                return
        challenge = 'Bearer realm="oauth2cli-test"'
        if token:
            challenge += ', error="invalid_token"'
        if self.announce:
            challenge += f', resource_metadata="{self.metadata_url}"'
        if self.scope:
            challenge += f', scope="{self.scope}"'
        handler.reply(401, {"error": "unauthorized"}, headers={"WWW-Authenticate": challenge})
