"""A loopback TCP server that writes whatever bytes a test gives it, for the wire client's tests
(tests/transport/test_wire_*.py): it can lie about lengths, stall, trickle or hang up.

    with RawServer(answer(b"HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok")) as server:
        server.url("/token")      # http://127.0.0.1:PORT/token
        server.requests           # the raw bytes of every request it read (head and body)

It shares only `base_url` with the HTTP stand-ins (tests/support/loopback_http.py): it must be
free to break HTTP. Every connection runs `handler(conn, server)` in a daemon thread, with a socket timeout, so a
handler never outlives the test by more than a few seconds; close() (the with block's end)
stops accepting and closes the listening socket and every connection still open.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Callable

from tests.support.loopback_http import base_url

Handler = Callable[[socket.socket, "RawServer"], None]


class RawServer:
    def __init__(self, handler: Handler, *, host: str = "127.0.0.1", family: int = socket.AF_INET,
                 tls: ssl.SSLContext | None = None, name: str | None = None, backlog: int = 16) -> None:
        self.handler = handler
        self.tls = tls
        self.requests: list[bytes] = []
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self.listener = socket.socket(family, socket.SOCK_STREAM)
        self.listener.bind((host, 0))
        self.listener.listen(backlog)
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.base = base_url(host, self.port, tls=tls is not None, name=name)
        self.where = self.base.split("://", 1)[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, path: str = "/") -> str:
        return self.base + path

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:  # the 0.2 s poll, or the listener closed
                continue
            conn.settimeout(10)
            with self._lock:
                self._open.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
                with self._lock:
                    self._open.append(conn)
            self.handler(conn, self)
        except (OSError, ssl.SSLError):
            pass  # the client gave up, or the handshake failed: both are what some tests want
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def close(self) -> None:
        self._closed.set()
        self.listener.close()
        with self._lock:
            for conn in self._open:
                try:
                    conn.close()
                except OSError:
                    pass

    def __enter__(self) -> RawServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_request(conn: socket.socket, server: RawServer | None = None) -> bytes:
    """One request's head and its Content-Length body, recorded on the server."""
    data = b""
    while b"\r\n\r\n" not in data:
        more = conn.recv(65536)
        if not more:
            break
        data += more
    head, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip() or b"0")
    while len(rest) < length:
        more = conn.recv(65536)
        if not more:
            break
        rest += more
    request = head + b"\r\n\r\n" + rest
    if server is not None:
        server.requests.append(request)
    return request


def answer(*parts: bytes, pause: float = 0.0, hold: float = 0.0) -> Handler:
    """Read the request, then write `parts` (with `pause` seconds between them), wait `hold`
    seconds, and hang up."""

    def handler(conn: socket.socket, server: RawServer) -> None:
        read_request(conn, server)
        for i, part in enumerate(parts):
            if i and pause:
                time.sleep(pause)
            conn.sendall(part)
        if hold:
            time.sleep(hold)

    return handler


def trickle(head: bytes, body: bytes, every: float = 0.2) -> Handler:
    """Read the request, send `head` at once and then `body` one byte every `every` seconds,
    stopping when the client hangs up."""

    def handler(conn: socket.socket, server: RawServer) -> None:
        read_request(conn, server)
        conn.sendall(head)
        for i in range(len(body)):
            time.sleep(every)
            conn.sendall(body[i:i + 1])

    return handler


def silent(seconds: float = 5.0) -> Handler:
    """Accept, read nothing, answer nothing, for `seconds` (or until the test's end)."""

    def handler(conn: socket.socket, server: RawServer) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not server._closed.is_set():
            time.sleep(0.05)

    return handler
