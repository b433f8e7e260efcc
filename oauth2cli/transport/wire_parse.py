"""Reading an HTTP/1.1 response (RFC 9112) from a byte source, for the wire client: the status
line, the header section, and the body by its framing. Everything is bounded: a server that
sends a header section of a gigabyte, ten thousand header lines, a chunk size of 2^80 or two
different lengths gets a Malformed error, never a hang or a memory blow-up.

The source is a function returning the next bytes (b"" at the end), so this module knows
nothing of sockets, time or TLS (transport/wire_conn.py does), and a test can feed it anything.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

MAX_HEAD = 64 * 1024  # status line and header section, with any 1xx answers before it
MAX_LINES = 100  # header lines (and, separately, trailer lines)
MAX_CHUNK_LINE = 4096  # one chunk-size line with its extensions
MAX_EXTENSIONS = 64 * 1024  # all chunk extensions of one body together
READ = 64 * 1024  # the most one read asks for
HEAD_TOO_LONG = f"the response head is longer than {MAX_HEAD // 1024} KiB"

_TCHAR = frozenset(b"!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_HEX = frozenset(b"0123456789abcdefABCDEF")
NO_BODY = "none"
CHUNKED = "chunked"
LENGTH = "length"
CLOSE = "close"

Raw = list  # [(name, value)] as bytes, names in the server's case


class Malformed(Exception):
    """The server's bytes are not an HTTP/1.1 response (the text says how), or stop midway."""


class Disconnected(Malformed):
    """The connection ended before the first byte of an answer."""

    def __init__(self) -> None:
        super().__init__("Server disconnected without sending a response.")  # httpx's words, for the same fault


class Reader:
    """Lines and blocks from `recv`, buffered."""

    def __init__(self, recv: Callable[[], bytes]) -> None:
        self._recv = recv
        self._buf = bytearray()

    def _fill(self) -> bool:
        data = self._recv()
        self._buf += data
        return bool(data)

    def line(self, limit: int, too_long: str) -> bytes | None:
        """The next line without its CRLF (or bare LF, RFC 9112 §2.2), None at the end of the
        input before any byte of it. Malformed(too_long) past `limit` bytes."""
        scanned = 0
        while (end := self._buf.find(b"\n", scanned)) < 0:
            scanned = len(self._buf)
            if scanned > limit:
                raise Malformed(too_long)
            if not self._fill():
                if not self._buf:
                    return None
                raise Malformed("the connection closed in the middle of a line of the answer")
        if end > limit:
            raise Malformed(too_long)
        line = bytes(self._buf[:end])
        del self._buf[:end + 1]
        return line[:-1] if line.endswith(b"\r") else line

    def some(self, most: int) -> bytes:
        """Up to `most` bytes, b"" at the end of the input."""
        if not self._buf:
            data = self._recv()
            if len(data) <= most:
                return data  # the common case: straight through, no copy into the buffer
            self._buf += data
        data = bytes(self._buf[:most])
        del self._buf[:most]
        return data


class Head:
    __slots__ = ("version", "status", "reason", "raw")

    def __init__(self, version: str, status: int, reason: bytes, raw: Raw) -> None:
        self.version, self.status, self.reason, self.raw = version, status, reason, raw


def read_head(reader: Reader) -> Head:
    """The final response's head; 1xx interim answers (100 Continue, 103 Early Hints) are
    skipped (RFC 9110 §15.2), within the same size bound."""
    budget = MAX_HEAD
    interim = False
    while True:
        line = reader.line(budget, HEAD_TOO_LONG)
        if line is None:
            if interim:
                raise Malformed("the connection closed after an interim (1xx) answer")
            raise Disconnected()
        budget -= len(line) + 1
        version, status, reason = _status_line(line)
        raw, budget = _fields(reader, budget, HEAD_TOO_LONG)
        raw = _normalize(raw)
        if status == 101:
            raise Malformed("the server switched protocols (101 Switching Protocols), which was not asked for")
        if status >= 200:
            return Head(version, status, reason, raw)
        interim = True


def _status_line(line: bytes) -> tuple[str, int, bytes]:
    """RFC 9112 §4: HTTP-version SP status-code SP [reason-phrase]; the SP before an empty
    reason may be missing, as many servers send it."""
    version, code, reason = line[:8], line[9:12], line[13:]
    if (not (version.startswith(b"HTTP/1.") and version[7:8].isdigit()) or line[8:9] != b" "
            or len(code) != 3 or not code.isdigit() or line[12:13] not in (b"", b" ") or b"\r" in reason
            or b"\0" in reason or int(code) < 100):
        raise Malformed(f"illegal status line: {_show(line)}")
    return version.decode("ascii"), int(code), reason


def _fields(reader: Reader, budget: int, too_long: str) -> tuple[Raw, int]:
    """A header (or trailer) section up to its empty line (RFC 9112 §5), and what is left of
    the byte budget. Obsolete line folding (a line starting with a space, §5.2) is unfolded
    into the previous value with one space, as httpx's parser does."""
    raw: Raw = []
    lines = 0
    while True:
        line = reader.line(budget, too_long)
        if line is None:
            raise Malformed("the connection closed in the middle of the header section")
        budget -= len(line) + 1
        if budget < 0:
            raise Malformed(too_long)
        if not line:
            return raw, budget
        lines += 1
        if lines > MAX_LINES:
            raise Malformed(f"more than {MAX_LINES} header lines")
        if line[:1] in (b" ", b"\t"):
            if not raw:
                raise Malformed(f"illegal header line: {_show(line)}")
            name, value = raw[-1]
            raw[-1] = (name, _value(value + b" " + line.strip(b" \t"), line))
            continue
        name, colon, value = line.partition(b":")
        if not colon or not name or not all(c in _TCHAR for c in name):
            raise Malformed(f"illegal header line: {_show(line)}")
        raw.append((name, _value(value.strip(b" \t"), line)))


def _value(value: bytes, line: bytes) -> bytes:
    if b"\r" in value or b"\0" in value:  # RFC 9110 §5.5: CR and NUL are never part of a value
        raise Malformed(f"illegal header line: {_show(line)}")
    return value


def _show(line: bytes) -> str:
    return repr(line[:80]) + ("…" if len(line) > 80 else "")


def _normalize(raw: Raw) -> Raw:
    """The framing fields as httpx's parser (h11) keeps them: one Content-Length ("3, 3" and a
    repeated "3" are one "3"; different values are refused, RFC 9112 §6.3 item 5), and at most
    one Transfer-Encoding, lower-cased, which must be chunked (all httpx accepts)."""
    out: Raw = []
    length = coding = None
    for name, value in raw:
        lowered = name.lower()
        if lowered == b"content-length":
            values = {v.strip() for v in value.split(b",")}
            text = values.pop()
            if values or (length is not None and text != length):
                raise Malformed("conflicting Content-Length headers")
            if not text.isdigit() or len(text.lstrip(b"0")) > 18:
                raise Malformed(f"bad Content-Length {_show(text)}")
            if length is None:
                length = text
                out.append((name, text))
        elif lowered == b"transfer-encoding":
            if coding is not None:
                raise Malformed("more than one Transfer-Encoding header")
            coding = value.lower()
            if coding != b"chunked":
                raise Malformed(f"unsupported Transfer-Encoding {_show(value)}")
            out.append((name, coding))
        else:
            out.append((name, value))
    return out


def framing(method: str, head: Head) -> tuple[str, int]:
    """How the body is delimited (RFC 9112 §6.3): (NO_BODY|CHUNKED|CLOSE, 0) or (LENGTH, n).
    Transfer-Encoding wins over a Content-Length (item 3), as in httpx."""
    if method == "HEAD" or head.status in (204, 304) or head.status < 200:
        return NO_BODY, 0
    names = {name.lower(): value for name, value in head.raw}
    if b"transfer-encoding" in names:
        return CHUNKED, 0
    if b"content-length" in names:
        return LENGTH, int(names[b"content-length"])
    return CLOSE, 0


def body(reader: Reader, kind: str, length: int) -> Iterator[bytes]:
    """The body's bytes as they arrive (de-chunked, not decoded), in pieces of at most READ."""
    if kind == LENGTH:
        left = length
        while left:
            data = reader.some(min(left, READ))
            if not data:
                raise Malformed(f"the server closed the connection after {length - left} of {length} body bytes")
            left -= len(data)
            yield data
    elif kind == CLOSE:
        while data := reader.some(READ):
            yield data
    elif kind == CHUNKED:
        yield from _chunks(reader)


def _chunks(reader: Reader) -> Iterator[bytes]:
    """RFC 9112 §7.1: chunk-size [chunk-ext] CRLF chunk-data CRLF ... 0 CRLF trailers CRLF."""
    extensions = 0
    while True:
        line = reader.line(MAX_CHUNK_LINE, f"a chunk-size line is longer than {MAX_CHUNK_LINE} bytes")
        if line is None:
            raise Malformed("the connection closed in the middle of the chunked body")
        size_text, _, extension = line.partition(b";")
        size_text = size_text.rstrip(b" \t")  # BWS before a chunk extension
        extensions += len(extension)
        if not size_text or len(size_text) > 16 or not all(c in _HEX for c in size_text):
            raise Malformed(f"illegal chunk header: {_show(line)}")
        if extensions > MAX_EXTENSIONS:
            raise Malformed(f"the chunk extensions are longer than {MAX_EXTENSIONS // 1024} KiB")
        size = int(size_text, 16)
        if size == 0:
            _fields(reader, MAX_HEAD, "the trailer section is longer than 64 KiB")  # read and dropped, as httpx does
            return
        while size:
            data = reader.some(min(size, READ))
            if not data:
                raise Malformed("the connection closed in the middle of the chunked body")
            size -= len(data)
            yield data
        end = reader.line(2, "a chunk is longer than its size says")
        if end is None:
            raise Malformed("the connection closed in the middle of the chunked body")
        if end:  # a line of at most 2 bytes that is not CRLF
            raise Malformed("a chunk is longer than its size says")
