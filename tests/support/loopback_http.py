"""The base of the stdlib HTTP stand-ins the tests write by hand (token endpoints, resources,
authorization servers, proxies): what each of them would otherwise write again.

    class Handler(QuietHandler):
        def do_GET(self):
            seen = self.seen()                    # method, path, query, headers, body, form
            self.reply(200, {"ok": True})         # JSON; str, bytes, a content type, headers
    with LoopbackServer(Handler) as server:       # a free port on 127.0.0.1 (or ::1, or TLS)
        server.url("/token")                      # http://127.0.0.1:PORT/token

LoopbackServer binds at once and serves from a daemon thread once started (`start()` or the
with block); `stop()` ends it, whether it was started or not. A stand-in either is one (a
subclass) or holds one; either way its handler finds it as `self.server.standin`. What a
stand-in records and answers stays its own. Stand-ins that misbehave below HTTP take only the
parts that fit: tests/adversarial/hostile.py writes its raw bytes through a QuietHandler, and
tests/support/raw_server.py, a bare socket, shares `base_url` alone.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

Headers = Mapping[str, str] | Iterable[tuple[str, str]]


def free_port(host: str = "127.0.0.1") -> int:
    """A loopback port nothing listens on (bound and released)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def base_url(host: str, port: int, *, tls: bool = False, name: str | None = None) -> str:
    """scheme://host:port, an IPv6 address in brackets; `name` stands for the host (a certificate's)."""
    shown = name or (f"[{host}]" if ":" in host else host)
    return f"{'https' if tls else 'http'}://{shown}:{port}"


def encode(body: Any) -> bytes:
    """An answer's bytes: a dict or list as JSON, text as UTF-8, bytes as they are, None as nothing."""
    if isinstance(body, (dict, list)):
        return json.dumps(body).encode()
    if isinstance(body, str):
        return body.encode()
    return body or b""


@dataclass
class Seen:
    """One request as a stand-in received it: header names in lower case, the query and a
    form-urlencoded body as ordered pairs."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes
    form: list[tuple[str, str]] = field(default_factory=list)

    def form_dict(self) -> dict[str, str]:
        return dict(self.form)

    def json(self) -> Any:
        return json.loads(self.body or b"null")


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that logs nothing, reads the body once and answers in one call."""

    server: _Server

    def log_message(self, *args: object) -> None:
        pass

    _body: bytes | None = None

    def parse_request(self) -> bool:  # each request of a kept-alive connection: its own body
        self._body = None
        return super().parse_request()

    def body(self) -> bytes:
        """The request body (Content-Length bytes), read once."""
        if self._body is None:
            length = int(self.headers.get("Content-Length") or 0)
            self._body = self.rfile.read(length) if length else b""
        return self._body

    def seen(self) -> Seen:
        parts = urlsplit(self.path)
        seen = Seen(self.command, parts.path, parse_qsl(parts.query, keep_blank_values=True),
                    {k.lower(): v for k, v in self.headers.items()}, self.body())
        if "form-urlencoded" in seen.headers.get("content-type", ""):
            seen.form = parse_qsl(seen.body.decode("ascii"), keep_blank_values=True)
        return seen

    def reply(self, status: int, body: Any = b"", content_type: str | None = "application/json",
              headers: Headers = (), *, reason: str | None = None) -> None:
        """Status, Content-Type (unless None or among `headers`), `headers`, Content-Length and
        the body (`encode`), left out for HEAD."""
        data = encode(body)
        pairs = list(headers.items() if isinstance(headers, Mapping) else headers)
        self.send_response(status, reason)
        if content_type and not any(name.lower() == "content-type" for name, _ in pairs):
            self.send_header("Content-Type", content_type)
        for name, value in pairs:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


class _Server(ThreadingHTTPServer):  # daemon_threads: a hanging request never holds up the process
    standin: Any


class _Server6(_Server):
    address_family = socket.AF_INET6


class LoopbackServer:
    """A ThreadingHTTPServer on a free port of `host`, served by a daemon thread.

    `tls` (a server SSLContext) makes it https; `name` is the host its URLs show (for a
    certificate made out to localhost); an IPv6 host such as "::1" binds IPv6. The handler
    finds `standin` (by default this server) as `self.server.standin`."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], *, host: str = "127.0.0.1",
                 tls: ssl.SSLContext | None = None, name: str | None = None, standin: object = None) -> None:
        self.httpd = (_Server6 if ":" in host else _Server)((host, 0), handler)
        self.httpd.standin = self if standin is None else standin
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.base = base_url(host, self.port, tls=tls is not None, name=name)
        self._thread: threading.Thread | None = None

    def url(self, path: str = "") -> str:
        return self.base + path

    def start(self) -> LoopbackServer:
        if self._thread is None:
            self._thread = threading.Thread(target=self.httpd.serve_forever, name=type(self).__name__, daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:  # shutdown() waits for a serve_forever that never began
            self.httpd.shutdown()
            self._thread = None
        self.httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(handler: type[BaseHTTPRequestHandler]) -> tuple[LoopbackServer, str]:
    """Serve `handler` on a free loopback port until stopped; (server, base URL)."""
    server = LoopbackServer(handler).start()
    return server, server.base
