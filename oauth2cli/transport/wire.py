"""HTTP/1.1 on a bare socket, the default stack of transport/client.Client: httpx costs ~100 ms
to import, a request to a token endpoint a few ms. One request per connection, no proxies, no
cookies, no redirects.

It behaves as our httpx transport (transport/http.py) does for what it handles: the same header
lines in the same order and case (wire_request), the same URL normalisation (wire_url),
the same TLS context (transport/tls.ssl_context: --cacert, SSL_CERT_FILE, client certificates,
the lazily read system store), the same bounded decoding (transport/decode) and the same words
for every fault (transport/faults). transport/client.Client hands a request to httpx instead
when proxied() says a proxy is configured, and when this raises Unsupported (an international
host name; nothing was sent then). -v traces are the same Tracer observer on either stack.

    response = open_response("GET", url, [("Authorization", "Bearer ...")], None, timeout=30)
    for piece in response.iter_bytes(): ...       # or WireClient(options).send(HttpRequest(...))

Callers go through transport/client.Client (Deps.http), which picks this stack or httpx.

Importing this module loads socket (and zlib) on top of oauth2cli's errors; ssl is imported
when the first https:// request is made, never for plain http.
"""

from __future__ import annotations

import time

from oauth2cli.core.errors import NetworkError
from oauth2cli.transport import faults
from oauth2cli.transport.decode import iter_decoded, read_capped
from oauth2cli.transport.options import DEFAULT_MAX_BYTES
from oauth2cli.transport.wire_conn import SEND, Conn, DeadlineExceeded
from oauth2cli.transport.wire_parse import Head, Malformed, Reader, body, framing, read_head
from oauth2cli.transport.wire_request import encode_head, request_headers, set_header
from oauth2cli.transport.wire_url import Target, Unsupported, parse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

    from oauth2cli.core.http import HttpRequest, HttpResponse
    from oauth2cli.transport.options import TransportOptions

__all__ = ["DeadlineExceeded", "Headers", "Unsupported", "WireClient", "WireResponse", "open_response", "proxied"]

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


def proxied(environ: Mapping[str, str]) -> bool:
    """Whether a proxy is configured (HTTP_PROXY, HTTPS_PROXY or ALL_PROXY, in either case):
    then the request is httpx's, which honours them (and NO_PROXY)."""
    return any(environ.get(name) or environ.get(name.lower()) for name in PROXY_VARIABLES)


class Headers:
    """The answer's header fields, read as httpx.Headers reads them."""

    def __init__(self, raw: list[tuple[bytes, bytes]]) -> None:
        self.raw = raw  # [(name, value)] as received, names in the server's case
        self._encoding: str | None = None

    @property
    def encoding(self) -> str:
        """ASCII when everything is, else UTF-8 when everything is, else ISO-8859-1 (as httpx)."""
        if self._encoding is None:
            self._encoding = "iso-8859-1"
            for candidate in ("ascii", "utf-8"):
                try:
                    for name, value in self.raw:
                        name.decode(candidate), value.decode(candidate)
                except UnicodeDecodeError:
                    continue
                self._encoding = candidate
                break
        return self._encoding

    def multi_items(self) -> list[tuple[str, str]]:
        """Every field as (lower-cased name, value), in the order received."""
        enc = self.encoding
        return [(name.lower().decode(enc), value.decode(enc)) for name, value in self.raw]

    def get_list(self, name: str, split_commas: bool = False) -> list[str]:
        key = name.lower()
        values = [v for k, v in self.multi_items() if k == key]
        if not split_commas:
            return values
        return [part.strip() for v in values for part in v.split(",")]

    def get(self, name: str, default: str | None = None) -> str | None:
        """All values of `name` joined with ", " (RFC 9110 §5.3), or `default`."""
        values = self.get_list(name)
        return ", ".join(values) if values else default

    def __getitem__(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and bool(self.get_list(name))

    def __repr__(self) -> str:
        return f"Headers({self.multi_items()!r})"


class WireResponse:
    """The part of httpx.Response the callers use, open for streaming the body."""

    def __init__(self, conn: Conn, reader: Reader, head: Head, target: Target, method: str) -> None:
        self.status_code = head.status
        self.reason_phrase = head.reason.decode("ascii", "ignore")  # as httpx
        self.http_version = head.version
        self.url = target.url
        self.headers = Headers(head.raw)
        self._conn, self._reader = conn, reader
        self._framing = framing(method, head)
        self._read = False

    def iter_raw(self) -> Iterator[bytes]:
        """The body as sent (de-chunked, not decoded); the connection closes at its end."""
        if self._read:
            raise RuntimeError("the body of this response was read already")
        self._read = True
        try:
            yield from body(self._reader, *self._framing)
        except Malformed as exc:
            raise _broke_off(self._conn.url, exc) from None
        finally:
            self.close()

    def iter_bytes(self) -> Iterator[bytes]:
        """The body decoded from its Content-Encoding (gzip, deflate), in pieces of at most 64 KiB."""
        yield from iter_decoded(self.iter_raw(), self.headers.get("content-encoding", "") or "")

    def read(self) -> bytes:
        return b"".join(self.iter_bytes())

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> WireResponse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<WireResponse [{self.status_code} {self.reason_phrase}]>"


def _broke_off(url: str, exc: Malformed) -> NetworkError:
    return NetworkError(f"{faults.where(url)} broke off the HTTP exchange: {exc}")


def open_response(method: str, url: str, headers: Iterable[tuple[str, str]] = (), body: bytes | None = None, *,
                  timeout: float | None, deadline: float | None = None, context=None,
                  removed: Iterable[str] = (), on_head: Callable | None = None, idle: bool = False) -> WireResponse:
    """Send one request on a fresh connection and return the response once its head is in;
    the body is read through iter_raw() or iter_bytes(), and close() ends it early.

    timeout: seconds for each connect, TLS handshake, send and receive, as httpx's Timeout.
    deadline: a time.monotonic() by which the whole exchange, body included, must be over
    (DeadlineExceeded, a NetworkError, if not). context: the ssl.SSLContext for https (by
    default transport.tls.ssl_context with default options). Faults are NetworkErrors in
    the httpx transport's words; an unusable URL or header is a ConfigError, and a URL that
    httpx sends and this client does not (an international host name) is Unsupported (a
    ConfigError raised before anything is sent: give the request to httpx). removed: header
    names (lower case) left out whoever set them, defaults included — curl's `-H 'Name:'`, as
    flows/call/request_spec.build_httpx_request pops them from httpx's request. on_head(method, url,
    lines): told the request line and header fields just before they are sent (call -v). idle: once the
    head is in, the body may pause for as long as it likes (an event stream); timeout still bounds the rest."""
    target = parse(url)
    method = method.upper()
    lines = [line for line in request_headers(method, target, headers, body) if line[0].lower() not in removed]
    if on_head is not None:
        on_head(method, target.url, lines)
    return _open(target, url, method, lines, body, timeout, deadline, context, idle)


def _open(target: Target, url: str, method: str, lines: list[tuple[str, str]], body: bytes | None,
          timeout: float | None, deadline: float | None, context, idle: bool = False) -> WireResponse:
    head = encode_head(method, target, lines)
    if target.scheme == "https" and context is None:
        from oauth2cli.transport.options import TransportOptions
        from oauth2cli.transport.tls import ssl_context

        context = ssl_context(TransportOptions())
    conn = Conn(url, timeout, deadline)
    try:
        conn.open(target.host, target.port, context if target.scheme == "https" else None)
        small = body is not None and len(body) <= SEND
        if conn.send(head + body if small else head) and body and not small:
            conn.send(body)
        reader = Reader(conn.recv)
        head = read_head(reader)
        if idle:
            conn.timeout = None
        return WireResponse(conn, reader, head, target, method)
    except Malformed as exc:
        conn.close()
        raise _broke_off(url, exc) from None
    except BaseException:
        conn.close()
        raise


class WireClient:
    """transport.http.HttpClient's send() and close() without httpx (transport/client.Client's default):
    plain http allowed to loopback only (or with --allow-http, warned once per host), the
    answer read whole within options.timeout for the whole exchange and capped at max_bytes,
    forms sent as application/x-www-form-urlencoded, user:password@ in the URL sent as Basic.

    observer(request, response or None, seconds): told of each exchange, as HttpClient's (-v).
    No proxies (see proxied()), no cookies kept between requests, a fresh connection for every
    request. Unsupported (raised before anything is sent) means: send this request with HttpClient."""

    def __init__(self, options: TransportOptions, *, warn: Callable[[str], None] | None = None,
                 observer: Callable | None = None) -> None:
        self.options = options
        self.observer = observer
        self._warnings = faults.Warnings(warn)
        self._context = None

    def _tls(self):
        """The TLS context, made when first needed (as HttpClient makes its client): a bad
        --cacert or client certificate is a ConfigError then, and --insecure warns then."""
        if self._context is None:
            from oauth2cli.transport.tls import ssl_context

            self._context = ssl_context(self.options)
            if self.options.insecure:
                self._warnings.insecure()
        return self._context

    def close(self) -> None:
        """Nothing stays open between requests."""

    def send(self, request: HttpRequest, *, max_bytes: int = DEFAULT_MAX_BYTES) -> HttpResponse:
        """The response, read whole (up to max_bytes) within options.timeout, or an OAuth2CliError."""
        from oauth2cli.core.http import FORM, HttpResponse, check_transport_security

        options = self.options
        if check_transport_security(request.url, allow_http=options.allow_http):
            self._warnings.plain_http(request.url)
        target = parse(request.url)
        # HttpClient makes its TLS context with its client, before the first request of any scheme.
        context = self._tls() if target.scheme == "https" or options.cacert or options.insecure or options.cert else None
        method = request.method.upper()
        content = request.encoded_body()
        lines = request_headers(method, target, request.headers, content)
        if request.form is not None and request.header("content-type") is None:
            lines.append(("Content-Type", FORM))
        credentials = target.credentials()
        if credentials:  # httpx's BasicAuth, from the URL
            import binascii

            token = binascii.b2a_base64(b":".join(credentials), newline=False).decode("ascii")
            set_header(lines, "Authorization", f"Basic {token}")
        timeout = options.timeout
        started = time.monotonic()
        try:
            response = _open(target, request.url, method, lines, content, timeout, started + timeout, context)
            try:
                encoding = response.headers.get("content-encoding", "") or ""
                data, truncated = read_capped(response.iter_raw(), encoding, max_bytes)
            finally:
                response.close()
        except DeadlineExceeded:
            if self.observer:
                self.observer(request, None, time.monotonic() - started)
            raise faults.whole_exchange_timeout(request.url, timeout) from None
        except Exception:
            if self.observer:
                self.observer(request, None, time.monotonic() - started)
            raise
        answer = HttpResponse(status=response.status_code, headers=tuple(response.headers.multi_items()), body=data,
                              url=response.url, truncated=truncated)
        if self.observer:
            self.observer(request, answer, time.monotonic() - started)
        return answer
