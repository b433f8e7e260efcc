"""One connection for the wire client (transport/wire.py): resolve, connect, TLS, send and
receive, each bounded by the per-operation timeout (as httpx's are) and by the caller's
deadline for the whole exchange, so that a server trickling a byte a second cannot keep it
alive. Faults are said in transport/faults.py's words, the same as the httpx transport's:
connect and TLS handshake time out as ConnectTimeout, reads as ReadTimeout, writes as
WriteTimeout; anything else is described from the text of the OSError, as httpx does."""

from __future__ import annotations

import socket
import time

from oauth2cli.core.errors import NetworkError
from oauth2cli.transport import faults

SEND = 64 * 1024  # the most one send hands the kernel, so the deadline is looked at between pieces
READ = 64 * 1024


class DeadlineExceeded(NetworkError):
    """The whole exchange did not end by the caller's deadline; `where` is HOST:PORT."""

    def __init__(self, where: str) -> None:
        super().__init__(f"no complete answer from {where} before the deadline")
        self.where = where


class Conn:
    """A socket that reports its faults as NetworkErrors about `url`."""

    def __init__(self, url: str, timeout: float | None, deadline: float | None) -> None:
        self.url = url
        self.where = faults.where(url)
        self.timeout = timeout
        self.deadline = deadline
        self.sock: socket.socket | None = None

    def _budget(self) -> tuple[float | None, bool]:
        """The timeout of the next operation, and whether the deadline rather than the
        per-operation timeout sets it."""
        if self.deadline is None:
            return self.timeout, False
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise DeadlineExceeded(self.where)
        if self.timeout is None or left < self.timeout:
            return left, True
        return self.timeout, False

    def _fault(self, exc: OSError, kind: str, by_deadline: bool) -> NetworkError:
        if isinstance(exc, TimeoutError):  # socket.timeout, and an ssl handshake's timeout
            if by_deadline:
                return DeadlineExceeded(self.where)
            return NetworkError(faults.timed_out(self.url, self.timeout or 0, kind))
        return faults.network_error(faults.describe(str(exc) or type(exc).__name__, self.url))

    def open(self, host: str, port: int, context=None) -> None:
        """Connect to the first address of `host` that answers (as socket.create_connection,
        which httpx uses, does: the first address's fault is the one reported), then TLS
        with SNI and host name checking when a context is given."""
        first: NetworkError | None = None
        for family, kind, proto, _, address in self._resolve(host, port):
            timeout, by_deadline = self._budget()
            sock = socket.socket(family, kind, proto)
            try:
                sock.settimeout(timeout)
                sock.connect(address)
            except OSError as exc:
                sock.close()
                first = first or self._fault(exc, "ConnectTimeout", by_deadline)
                if isinstance(first, DeadlineExceeded):
                    raise first from None
                continue
            except BaseException:
                sock.close()
                raise
            break
        else:
            raise first or self._fault(OSError("getaddrinfo returns an empty list"), "", False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as httpx: the request goes out at once
        self.sock = sock
        if context is not None:
            timeout, by_deadline = self._budget()
            sock.settimeout(timeout)
            try:
                self.sock = context.wrap_socket(sock, server_hostname=host)
            except OSError as exc:  # ssl.SSLError among them
                raise self._fault(exc, "ConnectTimeout", by_deadline) from None

    def _resolve(self, host: str, port: int) -> list:
        # Bytes: given a str, getaddrinfo loads the idna codec (and unicodedata) to encode it,
        # which wire_url has done already.
        name = host.encode("ascii")
        try:  # an IP address needs no resolver and no thread
            return socket.getaddrinfo(name, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
        except OSError:
            pass
        try:
            if self.deadline is None:
                return socket.getaddrinfo(name, port, type=socket.SOCK_STREAM)
            return _resolve_by(name, port, self.deadline, self.where)
        except OSError as exc:  # socket.gaierror
            raise self._fault(exc, "ConnectTimeout", False) from None

    def send(self, data: bytes) -> bool:
        """All of `data`; False when the server stopped reading (it may have answered all the
        same: the caller reads on, as httpx does)."""
        assert self.sock is not None
        view = memoryview(data)
        while view:
            timeout, by_deadline = self._budget()
            self.sock.settimeout(timeout)
            try:
                sent = self.sock.send(view[:SEND])
            except TimeoutError as exc:
                raise self._fault(exc, "WriteTimeout", by_deadline) from None
            except OSError:
                return False
            view = view[sent:]
        return True

    def recv(self) -> bytes:
        assert self.sock is not None
        timeout, by_deadline = self._budget()
        self.sock.settimeout(timeout)
        try:
            return self.sock.recv(READ)
        except OSError as exc:
            raise self._fault(exc, "ReadTimeout", by_deadline) from None

    def close(self) -> None:
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
            self.sock = None


def _resolve_by(host: bytes, port: int, deadline: float, where: str) -> list:
    """getaddrinfo, given up at the deadline: the system resolver has no timeout of its own
    that we can set. It runs in a thread of its own (the _thread builtin: the threading module
    costs an import), abandoned to finish alone if the deadline comes first."""
    import _thread

    left = deadline - time.monotonic()
    if left <= 0:
        raise DeadlineExceeded(where)
    done = _thread.allocate_lock()
    done.acquire()
    box: list = []

    def run() -> None:
        try:
            box.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            box.append(exc)
        finally:
            done.release()

    _thread.start_new_thread(run, ())
    if not done.acquire(timeout=left):
        raise DeadlineExceeded(where)
    if isinstance(box[0], BaseException):
        raise box[0]
    return box[0]
