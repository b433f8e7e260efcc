"""A small HTTP proxy in front of the real oidc-provider, that can misbehave on request.

    proxy = FaultProxy(provider.issuer).start()
    proxy.url                                   # http://127.0.0.1:PORT, forwards every path
    proxy.rule("/token", "drop_after")          # the next request to /token: see MODES
    proxy.delivered("/token").wait(10)          # set when the answer's last byte was written
    proxy.seen                                  # [(method, path), ...]

MODES (each rule applies to the next `times` requests whose path starts with the prefix):
  hold_before  wait `seconds`, then forward            hold_after  forward, wait, then answer
  drop_before  close the connection, forward nothing   drop_after  forward (the server acts), then close
  status       answer `status` (500, 503, 429...) with `headers`, forward nothing
  hang         read the request and never answer (until the proxy stops)
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tests.support.loopback_http import LoopbackServer, QuietHandler

MODES = ("hold_before", "hold_after", "drop_before", "drop_after", "status", "hang")
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}


@dataclass
class Rule:
    prefix: str
    mode: str
    seconds: float = 0.0
    status: int = 503
    headers: tuple[tuple[str, str], ...] = ()
    times: int = 1


@dataclass
class Delivery:
    event: threading.Event = field(default_factory=threading.Event)
    at_ns: int = 0  # time.monotonic_ns() right after the last byte of the answer was written

    def wait(self, timeout: float) -> bool:
        return self.event.wait(timeout)


class FaultProxy:
    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.upstream_host = parts.hostname or "127.0.0.1"
        self.upstream_port = parts.port or 80
        self.rules: list[Rule] = []
        self.seen: list[tuple[str, str]] = []
        self._deliveries: dict[str, Delivery] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: LoopbackServer | None = None

    # -- control -------------------------------------------------------------
    def rule(self, prefix: str, mode: str, **kwargs) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        with self._lock:
            self.rules.append(Rule(prefix, mode, **kwargs))

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()
            self.seen.clear()
            self._deliveries.clear()

    def delivered(self, prefix: str) -> Delivery:
        with self._lock:
            return self._deliveries.setdefault(prefix, Delivery())

    def requests_to(self, prefix: str) -> int:
        return sum(1 for _, path in self.seen if path.startswith(prefix))

    def _take(self, path: str) -> Rule | None:
        with self._lock:
            self.seen.append(("", path))
            for rule in self.rules:
                if path.startswith(rule.prefix) and rule.times > 0:
                    rule.times -= 1
                    return rule
        return None

    def _mark_delivered(self, path: str) -> None:
        now = time.monotonic_ns()
        with self._lock:
            for prefix, delivery in list(self._deliveries.items()):
                if path.startswith(prefix) and not delivery.event.is_set():
                    delivery.at_ns = now
                    delivery.event.set()

    # -- running ---------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._server is not None
        return self._server.base

    def start(self) -> FaultProxy:
        proxy = self

        class Handler(QuietHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                body = self.body()
                rule = proxy._take(self.path)
                mode = rule.mode if rule else None
                if mode == "hang":
                    proxy._stopping.wait()
                    return self._cut()
                if mode == "drop_before":
                    return self._cut()
                if mode == "status":
                    payload = b'{"error":"temporarily_unavailable"}' if rule.status >= 500 else b'{"error":"slow_down"}'
                    self.reply(rule.status, payload, "application/json", [*rule.headers, ("Connection", "close")])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                if mode == "hold_before":
                    proxy._stopping.wait(rule.seconds)
                status, reason, headers, answer = self._forward(body)
                if mode == "drop_after":
                    return self._cut()
                if mode == "hold_after":
                    proxy._stopping.wait(rule.seconds)
                kept = [(k, v) for k, v in headers if k.lower() not in HOP_BY_HOP and k.lower() != "content-length"]
                self.reply(status, answer, None, [*kept, ("Connection", "close")], reason=reason)
                self.wfile.flush()
                proxy._mark_delivered(self.path)
                self.close_connection = True

            def _forward(self, body: bytes):
                upstream = http.client.HTTPConnection(proxy.upstream_host, proxy.upstream_port, timeout=30)
                try:
                    headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                    headers["Host"] = f"{proxy.upstream_host}:{proxy.upstream_port}"
                    upstream.request(self.command, self.path, body=body or None, headers=headers)
                    response = upstream.getresponse()
                    return response.status, response.reason, response.getheaders(), response.read()
                finally:
                    upstream.close()

            def _cut(self) -> None:
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

            do_GET = do_POST = _handle  # noqa: N815

        self._server = LoopbackServer(Handler).start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.stop()
