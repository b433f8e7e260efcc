"""Sending core HttpRequests with httpx: TLS checked, plain http refused, one deadline for the
whole exchange, bodies capped, redirects never followed, errors a person can read."""

from __future__ import annotations

import ssl
import sys
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from oauth2cli.transport import lean
from oauth2cli.transport.tls import LazyTrust, ca_bundle, ssl_context  # noqa: F401  (their old home)

lean.httpx()  # before `import httpx`: keeps httpx's own command line (click, rich, pygments) out
import httpx  # noqa: E402

from oauth2cli import __version__
from oauth2cli.core.errors import ConfigError, NetworkError, OAuth2CliError, ProtocolError
from oauth2cli.core.http import HttpRequest, HttpResponse, check_transport_security

USER_AGENT = f"oauth2cli/{__version__}"
# Token, metadata and introspection answers are small; anything bigger is a broken or hostile server.
DEFAULT_MAX_BYTES = 4 * 1024 * 1024
# Encodings we can decode with a bound on the output (no brotli/zstd: a bomb could not be capped).
ACCEPT_ENCODING = "gzip, deflate"


@dataclass
class TransportOptions:
    timeout: float = 30.0  # seconds for the whole exchange: connect, send, and the last byte of the body
    cacert: str | None = None
    insecure: bool = False
    cert: str | None = None
    key: str | None = None
    allow_http: bool = False  # plain http:// to hosts other than loopback


Observer = Callable[[HttpRequest, "HttpResponse | None", float], None]


def _stderr_warning(message: str) -> None:
    sys.stderr.write(f"oauth2: warning: {message}\n")
    sys.stderr.flush()


def build_client(options: TransportOptions) -> httpx.Client:
    return httpx.Client(
        # Per operation; the whole exchange is bounded by HttpClient.send's deadline.
        timeout=httpx.Timeout(options.timeout),
        verify=ssl_context(options),
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING},
        # HTTPS_PROXY / NO_PROXY, as curl does. (httpx ≥ 0.24 no longer reads ~/.netrc here.)
        trust_env=True,
    )


def describe_network_error(exc: Exception, url: str, timeout: float) -> str:
    where = urlsplit(url).netloc or url
    if isinstance(exc, httpx.TimeoutException):
        return f"no answer from {where} within {timeout:g} s ({type(exc).__name__})"
    text = str(exc) or type(exc).__name__
    lowered = text.lower()
    if "certificate" in lowered or "ssl" in lowered or "tls" in lowered:
        return f"TLS failure talking to {where}: {text}"
    if "connection refused" in lowered or "errno 111" in lowered:
        return f"connection refused by {where}"
    if "name or service not known" in lowered or "nodename nor servname" in lowered or "getaddrinfo" in lowered:
        return f"cannot resolve host {urlsplit(url).hostname!r}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"{where} broke off the HTTP exchange: {text}"
    return f"cannot reach {where}: {text}"


class HttpClient:
    """One httpx client per run, lazily built."""

    def __init__(self, options: TransportOptions | None = None, *, observer: Observer | None = None,
                 client: httpx.Client | None = None, warn: Callable[[str], None] | None = None) -> None:
        self.options = options or TransportOptions()
        self.observer = observer
        self._client = client
        self._warn = warn or _stderr_warning
        self._warned: set[str] = set()

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = build_client(self.options)
            if self.options.insecure:
                self._warn_once("insecure", "--insecure: TLS certificates are not verified; anyone on the "
                                "network path can read and change this exchange")
        return self._client

    def _warn_once(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            self._warn(message)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def send(self, request: HttpRequest, *, max_bytes: int = DEFAULT_MAX_BYTES) -> HttpResponse:
        """The response, read whole (up to max_bytes) within options.timeout, or an OAuth2CliError."""
        if check_transport_security(request.url, allow_http=self.options.allow_http):
            host = urlsplit(request.url).netloc
            self._warn_once("http:" + host, f"--allow-http: sending to {host} over plain http://, unencrypted")
        client = self.client  # configuration errors (an unreadable --cacert) surface here, not in the worker
        timeout = self.options.timeout
        started = time.monotonic()
        outcome: dict[str, object] = {}

        def exchange() -> None:
            try:
                outcome["response"] = _exchange(client, request, max_bytes)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                outcome["error"] = exc

        # httpx's timeouts are per operation: a server that trickles one byte a second, or a
        # resolver that hangs, would never trip them. The worker gets the whole budget once.
        worker = threading.Thread(target=exchange, name="oauth2cli-http", daemon=True)
        worker.start()
        worker.join(timeout)
        elapsed = time.monotonic() - started
        if worker.is_alive():
            # Abandon the stuck exchange (the daemon thread dies with the process); a later
            # request gets a fresh connection pool.
            self._client = None
            if self.observer:
                self.observer(request, None, elapsed)
            where = urlsplit(request.url).netloc
            raise NetworkError(f"no complete answer from {where} within {timeout:g} s (--timeout)")
        error = outcome.get("error")
        if error is not None:
            if self.observer:
                self.observer(request, None, elapsed)
            raise _as_cli_error(error, request.url, timeout)
        response = outcome["response"]
        assert isinstance(response, HttpResponse)
        if self.observer:
            self.observer(request, response, elapsed)
        return response


def _as_cli_error(exc: BaseException, url: str, timeout: float) -> BaseException:
    where = urlsplit(url).netloc
    if isinstance(exc, OAuth2CliError):
        return exc
    if isinstance(exc, httpx.InvalidURL):
        return ConfigError(f"invalid URL {url[:200]!r}: {exc}")
    if isinstance(exc, (httpx.HTTPError, httpx.StreamError)):
        message = describe_network_error(exc, url, timeout)
        if message.startswith("TLS failure") and "verify failed" in message:
            return NetworkError(message, hint="for a private CA give --cacert PATH or set SSL_CERT_FILE")
        return NetworkError(message)
    if isinstance(exc, ssl.SSLError):
        return NetworkError(f"TLS failure talking to {where}: {exc}")
    if isinstance(exc, OSError):
        return NetworkError(f"cannot reach {where}: {exc.strerror or exc}")
    return exc


def _exchange(client: httpx.Client, request: HttpRequest, max_bytes: int) -> HttpResponse:
    built = client.build_request(request.method, request.url, headers=list(request.headers),
                                 content=request.encoded_body())
    if request.form is not None and request.header("content-type") is None:
        built.headers["Content-Type"] = "application/x-www-form-urlencoded"
    raw = client.send(built, stream=True)
    try:
        body, truncated = _read_capped(raw, max_bytes)
        return HttpResponse(
            status=raw.status_code,
            headers=tuple((k, v) for k, v in raw.headers.multi_items()),
            body=body,
            url=str(raw.url),
            truncated=truncated,
        )
    finally:
        raw.close()


class _Decoder:
    """Content-Encoding undone with a bound on the output, so a small gzip bomb stays small."""

    def __init__(self, encoding: str) -> None:
        codings = [c.strip().lower() for c in encoding.split(",") if c.strip() and c.strip().lower() != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise ProtocolError(f"the server answered with content encoding {encoding[:60]!r}, which was not asked for")
        self.coding = codings[0] if codings else None
        # 32+: zlib or gzip header, detected; raw deflate is tried if that fails.
        self._d = zlib.decompressobj(32 + zlib.MAX_WBITS) if self.coding else None
        self._raw_tried = False

    def feed(self, data: bytes, limit: int) -> tuple[bytes, bool]:
        """Up to `limit` decoded bytes, and whether there was more."""
        if self._d is None:
            return data[:limit], len(data) > limit
        try:
            out = self._d.decompress(data, limit)
        except zlib.error:
            if self.coding == "deflate" and not self._raw_tried:
                # Some servers send raw deflate (no zlib header) as "deflate".
                self._raw_tried = True
                self._d = zlib.decompressobj(-zlib.MAX_WBITS)
                return self.feed(data, limit)
            raise ProtocolError(f"the answer's {self.coding} encoding is corrupt") from None
        return out, bool(self._d.unconsumed_tail)


def _raw_chunks(response: httpx.Response):
    try:
        yield from response.iter_raw()
    except httpx.StreamConsumed:
        # A response built in memory (an httpx transport that answers with content=...) has
        # no stream left to read; its body is already whole.
        yield response.content


def _read_capped(response: httpx.Response, max_bytes: int) -> tuple[bytes, bool]:
    decoder = _Decoder(response.headers.get("content-encoding", ""))
    chunks: list[bytes] = []
    size = 0
    # iter_raw: the bytes as sent; httpx's own decoding has no bound on what a chunk expands to.
    for chunk in _raw_chunks(response):
        out, more = decoder.feed(chunk, max_bytes - size + 1)
        chunks.append(out)
        size += len(out)
        if size > max_bytes or more:
            return b"".join(chunks)[:max_bytes], True
    return b"".join(chunks), False
