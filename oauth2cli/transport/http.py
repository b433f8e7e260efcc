"""Sending core HttpRequests with httpx: TLS checked, plain http refused, one deadline for the
whole exchange, bodies capped, redirects never followed, errors a person can read."""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable

from oauth2cli.transport import faults, lean
from oauth2cli.transport.decode import Decoder as _Decoder  # noqa: F401  (its old home)
from oauth2cli.transport.decode import read_capped
# Their old home: every `from oauth2cli.transport.http import TransportOptions` keeps working.
from oauth2cli.transport.options import ACCEPT_ENCODING, DEFAULT_MAX_BYTES, USER_AGENT, TransportOptions  # noqa: F401
from oauth2cli.transport.tls import LazyTrust, ca_bundle, ssl_context  # noqa: F401  (their old home)

lean.httpx()  # before `import httpx`: keeps httpx's own command line (click, rich, pygments) out
import httpx  # noqa: E402

from oauth2cli.core.errors import ConfigError, NetworkError, OAuth2CliError  # noqa: E402
from oauth2cli.core.http import HttpRequest, HttpResponse, check_transport_security  # noqa: E402


Observer = Callable[[HttpRequest, "HttpResponse | None", float], None]


def build_client(options: TransportOptions) -> httpx.Client:
    """Our httpx client (for what transport/wire.py does not do: see transport/client.py)."""
    verify = ssl_context(options)
    return httpx.Client(
        # Per operation; the whole exchange is bounded by HttpClient.send's deadline.
        timeout=httpx.Timeout(options.timeout),
        verify=verify,
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING},
        # HTTPS_PROXY / NO_PROXY, as curl does. (httpx ≥ 0.24 no longer reads ~/.netrc here.)
        trust_env=True,
    )


def describe_network_error(exc: Exception, url: str, timeout: float) -> str:
    """One line for an httpx error, in the words transport/faults.py keeps for both transports."""
    if isinstance(exc, httpx.TimeoutException):
        return faults.timed_out(url, timeout, type(exc).__name__)
    return faults.describe(str(exc) or type(exc).__name__, url, protocol=isinstance(exc, httpx.RemoteProtocolError))


class HttpClient:
    """One httpx client per run, lazily built."""

    def __init__(self, options: TransportOptions | None = None, *, observer: Observer | None = None,
                 client: httpx.Client | None = None, warn: Callable[[str], None] | None = None) -> None:
        self.options = options or TransportOptions()
        self.observer = observer
        self._client = client
        self._warnings = faults.Warnings(warn)

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = build_client(self.options)
            if self.options.insecure:
                self._warnings.insecure()
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def send(self, request: HttpRequest, *, max_bytes: int = DEFAULT_MAX_BYTES) -> HttpResponse:
        """The response, read whole (up to max_bytes) within options.timeout, or an OAuth2CliError."""
        if check_transport_security(request.url, allow_http=self.options.allow_http):
            self._warnings.plain_http(request.url)
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
            raise faults.whole_exchange_timeout(request.url, timeout)
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
    where = faults.netloc(url)
    if isinstance(exc, OAuth2CliError):
        return exc
    if isinstance(exc, httpx.InvalidURL):
        return ConfigError(f"invalid URL {url[:200]!r}: {exc}")
    if isinstance(exc, (httpx.HTTPError, httpx.StreamError)):
        return faults.network_error(describe_network_error(exc, url, timeout))
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


def _raw_chunks(response: httpx.Response):
    try:
        yield from response.iter_raw()
    except httpx.StreamConsumed:
        # A response built in memory (an httpx transport that answers with content=...) has
        # no stream left to read; its body is already whole.
        yield response.content


def _read_capped(response: httpx.Response, max_bytes: int) -> tuple[bytes, bool]:
    # iter_raw: the bytes as sent; httpx's own decoding has no bound on what a chunk expands to.
    return read_capped(_raw_chunks(response), response.headers.get("content-encoding", ""), max_bytes)


def open_stream(client: httpx.Client, request, *, timeout: float, removed=(), on_head=None, idle: bool = False) -> Stream:
    """transport/client.Client.open on httpx: `request` (an authflow.Request) sent, its answer open."""
    built = client.build_request(request.method, request.url, headers=list(request.headers), content=request.body)
    for name in removed:
        built.headers.pop(name, None)
    built.extensions["timeout"] = (httpx.Timeout(timeout, read=None) if idle else httpx.Timeout(timeout)).as_dict()
    url = str(built.url)
    if on_head is not None:
        on_head(built.method, url, list(built.headers.multi_items()))
    try:
        return Stream(client.send(built, stream=True), timeout)
    except Exception as exc:  # noqa: BLE001
        raise _as_cli_error(exc, url, timeout) from None


class Stream:
    """An httpx answer with transport/wire.WireResponse's face: its faults are OAuth2CliErrors."""

    def __init__(self, response: httpx.Response, timeout: float) -> None:
        self._response, self._timeout = response, timeout
        self.status_code, self.reason_phrase = response.status_code, response.reason_phrase
        self.http_version, self.headers, self.url = response.http_version, response.headers, str(response.url)

    def iter_bytes(self):
        try:
            yield from self._response.iter_bytes()
        except Exception as exc:  # noqa: BLE001
            raise _as_cli_error(exc, self.url, self._timeout) from None

    def close(self) -> None:
        self._response.close()
