"""A real MCP server (the Python MCP SDK, PyPI `mcp`) with its OAuth resource-server support, on a
free loopback port, in a thread of the test process.

    with McpServer(provider) as mcp:    # mcp.url = "http://127.0.0.1:PORT/mcp"
        mcp.requests                     # (method, has Authorization) of every request to /mcp

The SDK answers a request without a valid token 401 with `WWW-Authenticate: Bearer
error="invalid_token", ..., resource_metadata="…/.well-known/oauth-protected-resource/mcp"` and
serves that RFC 9728 document, naming `provider` as its authorization server. Tokens are
checked by the provider's introspection: active, and meant for this resource (`aud`).
`required_scopes` makes the SDK answer 403 insufficient_scope to a token without them.
"""

from __future__ import annotations

import asyncio
import threading
import time

from tests.support.loopback_http import free_port


class McpServer:
    def __init__(self, provider, *, required_scopes: list[str] | None = None) -> None:
        self.provider = provider
        self.required_scopes = required_scopes
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.url = self.base + "/mcp"
        self.requests: list[tuple[str, bool]] = []
        self._server = None
        self._thread: threading.Thread | None = None

    def _app(self):
        from mcp.server.auth.provider import AccessToken
        from mcp.server.auth.settings import AuthSettings
        from mcp.server.mcpserver import MCPServer
        from mcp.server.transport_security import TransportSecuritySettings

        provider, resource = self.provider, self.url

        class Introspecting:
            async def verify_token(self, token: str):
                info = await asyncio.to_thread(provider.introspect, token)
                audience = info.get("aud")
                if not info.get("active") or resource not in (audience if isinstance(audience, list) else [audience]):
                    return None
                return AccessToken(token=token, client_id=info.get("client_id") or "", resource=resource,
                                   scopes=(info.get("scope") or "").split(), subject=info.get("sub"))

        server = MCPServer("oauth2cli-test", token_verifier=Introspecting(), auth=AuthSettings(
            issuer_url=provider.issuer, resource_server_url=resource, required_scopes=self.required_scopes,
            validate_token_resource=False))

        @server.tool()
        def whoami() -> str:
            """The caller's subject."""
            return "hello"

        app = server.streamable_http_app(json_response=True, stateless_http=True, transport_security=
                                         TransportSecuritySettings(enable_dns_rebinding_protection=False))
        seen = self.requests

        async def recording(scope, receive, send):
            if scope["type"] == "http" and scope["path"].startswith("/mcp"):
                headers = dict(scope["headers"])
                seen.append((scope["method"], b"authorization" in headers))
            await app(scope, receive, send)

        return recording

    def __enter__(self) -> McpServer:
        import uvicorn

        config = uvicorn.Config(self._app(), host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="mcp-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the MCP server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)
