"""An MCP server of the MCP Python SDK (PyPI `mcp`) behind OAuth, on a free loopback port, in a thread.

    with McpServer(provider) as server:         # server.url = "http://127.0.0.1:PORT/mcp"
        server.requests                          # what reached it: method, auth, session, Last-Event-ID
        server.expire_current()                  # the last token it took now counts as expired (401)

Tokens are checked through the real oidc-provider's introspection (RFC 7662) and must be meant for
this resource (`aud`); the SDK answers a missing or refused token with 401 and
`WWW-Authenticate: Bearer ... resource_metadata=...` (RFC 9728), and serves that metadata, naming
the provider as the authorization server. Tools: `echo`, and `ask`, which logs a notification and
asks the client a question (elicitation) in the middle of the call.
"""

from __future__ import annotations

import asyncio
import threading
import time

import anyio
import uvicorn
from pydantic import AnyHttpUrl, BaseModel

from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings
from mcp.server.mcpserver import Context, MCPServer
from tests.support.loopback_http import free_port

SCOPE = "api:read"


class Answer(BaseModel):
    text: str


class _Verifier:
    def __init__(self, server: McpServer) -> None:
        self.server = server

    async def verify_token(self, token: str) -> AccessToken | None:
        if token in self.server.expired:
            return None
        info = await anyio.to_thread.run_sync(self.server.provider.introspect, token)
        audience = info.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if not info.get("active") or (self.server.url not in audiences and not self.server.any_audience):
            return None
        self.server.tokens.append(token)
        return AccessToken(token=token, client_id=info.get("client_id") or "", scopes=(info.get("scope") or "").split(),
                           expires_at=info.get("exp"), resource=self.server.url if not self.server.any_audience else None, subject=info.get("sub"))


class McpServer:
    def __init__(self, provider, *, json_response: bool = False, any_audience: bool = False) -> None:
        self.provider = provider
        self.any_audience = any_audience  # benchmarks/: a client_credentials token, issued for no resource
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.url = self.base + "/mcp"
        self.requests: list[dict] = []
        self.tokens: list[str] = []
        self.expired: set[str] = set()
        mcp = MCPServer("oauth2cli-test", token_verifier=_Verifier(self),
                        auth=AuthSettings(issuer_url=AnyHttpUrl(provider.issuer), resource_server_url=AnyHttpUrl(self.url),
                                          required_scopes=None if any_audience else [SCOPE],
                                          validate_token_resource=not any_audience))

        @mcp.tool()
        def echo(text: str) -> str:
            """Say it back."""
            return text

        @mcp.tool()
        async def ask(question: str, ctx: Context) -> str:
            """Ask the client, then answer."""
            await ctx.info(f"asking: {question}")
            result = await ctx.elicit(question, schema=Answer)
            return f"{result.action}: {result.data.text if result.data else ''}"

        self.app = self._recorded(mcp.streamable_http_app(json_response=json_response))
        self._server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning",
                                                     lifespan="on"))
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def _recorded(self, app):
        async def recorded(scope, receive, send):
            if scope["type"] == "http":
                headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
                self.requests.append({"method": scope["method"], "path": scope["path"],
                                      "authorization": headers.get("authorization", ""),
                                      "session": headers.get("mcp-session-id"),
                                      "version": headers.get("mcp-protocol-version"),
                                      "accept": headers.get("accept"),
                                      "last_event_id": headers.get("last-event-id")})
            await app(scope, receive, send)
        return recorded

    def expire_current(self) -> str:
        token = self.tokens[-1]
        self.expired.add(token)
        return token

    def __enter__(self) -> McpServer:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the MCP server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(10)
