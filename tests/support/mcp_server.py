"""An MCP server of the MCP Python SDK (PyPI `mcp`) behind OAuth, on a free loopback port, in a thread.

    with McpServer(provider) as server:         # server.url = "http://127.0.0.1:PORT/mcp"
        server.requests                          # what reached it (any path): method, path, authorization
                                                 # (None when absent), session, Last-Event-ID, and what it
                                                 # answered: status, the body bytes sent
        server.expire_current()                  # the last token it took now counts as expired (401)

    McpServer(provider, json_response=True)      # answers a POST with one JSON body, not an event stream
    McpServer(provider, required_scopes=None)    # any token for this resource will do (default: api:read,
                                                 # else 403 insufficient_scope)
    McpServer(provider, get_stream=False)        # answers GET with 405: no stream of its own
    McpServer(provider, event_store=Events(), cut="slow")  # resumable streams (Last-Event-ID); the
                                                 # connection carrying the answer to tools/call `slow`
                                                 # is closed half-way through that answer's event

Tokens are checked through the real oidc-provider's introspection (RFC 7662) and must be meant for
this resource (`aud`); the SDK answers a missing or refused token with 401 and `WWW-Authenticate:
Bearer error="invalid_token", ..., resource_metadata=".../.well-known/oauth-protected-resource/mcp"`
(RFC 9728), and serves that metadata, naming the provider as the authorization server. Tools:
`echo`; `ask`, which logs a notification and asks the client a question (elicitation) in the
middle of the call; `changed`, which tells the client the resource list changed outside any
request (the SDK sends that on its own GET stream); `slow`, which reports progress before it answers.
"""

from __future__ import annotations

import itertools
import threading
import time

import anyio
import uvicorn
from pydantic import AnyHttpUrl, BaseModel

from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.streamable_http import EventCallback, EventId, EventMessage, EventStore, StreamId
from mcp.types import JSONRPCMessage
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


class Events(EventStore):
    """The SDK's EventStore, kept in memory: every message a stream carried, under an id of ours,
    so a client that lost a stream gets what came after its Last-Event-ID."""

    def __init__(self) -> None:
        self.stored: list[tuple[EventId, StreamId, JSONRPCMessage | None]] = []
        self._ids = itertools.count(1)

    async def store_event(self, stream_id: StreamId, message: JSONRPCMessage | None) -> EventId:
        event_id = f"{stream_id}-{next(self._ids)}"
        self.stored.append((event_id, stream_id, message))
        return event_id

    async def replay_events_after(self, last_event_id: EventId, send_callback: EventCallback) -> StreamId | None:
        at = next((i for i, (event_id, _, _) in enumerate(self.stored) if event_id == last_event_id), None)
        if at is None:
            return None
        stream = self.stored[at][1]
        for event_id, stream_id, message in self.stored[at + 1:]:
            if stream_id == stream and message is not None:  # None: a priming event, nothing to replay
                await send_callback(EventMessage(message, event_id))
        return stream

    def id_of(self, method: str) -> EventId:
        """The id of the one stored message of `method`."""
        (found,) = [event_id for event_id, _, message in self.stored
                    if message is not None and getattr(message, "method", None) == method]
        return found


class Cut(Exception):
    """The connection is closed here, half-way through an event (uvicorn closes it on an error)."""


class McpServer:
    def __init__(self, provider, *, json_response: bool = False, any_audience: bool = False, get_stream: bool = True,
                 event_store: Events | None = None, cut: str | None = None,
                 required_scopes: tuple[str, ...] | None = (SCOPE,)) -> None:
        self.provider = provider
        self.any_audience = any_audience  # benchmarks/: a client_credentials token, issued for no resource
        self.get_stream = get_stream
        self.events = event_store
        self.cut = cut  # the tool whose answer's connection is cut, once
        self.cuts: list[bytes] = []  # what the cut connection carried of the answer's event
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.url = self.base + "/mcp"
        self.requests: list[dict] = []
        self.tokens: list[str] = []
        self.expired: set[str] = set()
        mcp = MCPServer("oauth2cli-test", token_verifier=_Verifier(self),
                        auth=AuthSettings(issuer_url=AnyHttpUrl(provider.issuer), resource_server_url=AnyHttpUrl(self.url),
                                          required_scopes=None if required_scopes is None else list(required_scopes),
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

        @mcp.tool()
        async def changed(ctx: Context) -> str:
            """Say the resource list changed: a notification of no request, for the server's own stream."""
            await ctx.session.send_resource_list_changed()
            return "told"

        @mcp.tool()
        async def slow(ctx: Context) -> str:
            """Report progress, then answer."""
            await ctx.report_progress(1, 2, "half-way")
            return "done"

        self.app = self._recorded(mcp.streamable_http_app(json_response=json_response, event_store=event_store,
                                                          retry_interval=100 if event_store else None))
        self._server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning",
                                                     lifespan="on"))
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def _recorded(self, app):
        async def recorded(scope, receive, send):
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
            seen = {"method": scope["method"], "path": scope["path"],
                    "authorization": headers.get("authorization"),
                    "session": headers.get("mcp-session-id"),
                    "version": headers.get("mcp-protocol-version"),
                    "accept": headers.get("accept"),
                    "last_event_id": headers.get("last-event-id"),
                    "body": b"", "status": None, "sent": b""}
            self.requests.append(seen)
            if scope["method"] == "GET" and scope["path"] == "/mcp" and not self.get_stream:
                await send({"type": "http.response.start", "status": 405, "headers": [(b"allow", b"POST, DELETE")]})
                await send({"type": "http.response.body", "body": b""})
                seen["status"] = 405
                return

            async def receiving():
                message = await receive()
                if message["type"] == "http.request":
                    seen["body"] += message.get("body", b"")
                return message

            async def sending(message):
                if message["type"] == "http.response.start":
                    seen["status"] = message["status"]
                elif message["type"] == "http.response.body":
                    body = message.get("body", b"")
                    if self._cutting(seen, body):
                        half = body[: body.index(b"data:") + 20]  # its id, and a part of its data
                        await send({"type": "http.response.body", "body": half, "more_body": True})
                        seen["sent"] += half
                        self.cuts.append(half)
                        raise Cut(f"the test cut the answer of {self.cut!r} after {len(half)} bytes of its event")
                    seen["sent"] += body
                await send(message)

            await app(scope, receiving, sending)
        return recorded

    def _cutting(self, seen: dict, body: bytes) -> bool:
        """The first event carrying the answer of a tools/call of the tool `cut`."""
        return (self.cut is not None and not self.cuts and seen["method"] == "POST" and b'"result"' in body
                and f'"name":"{self.cut}"'.encode() in seen["body"].replace(b" ", b""))

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
