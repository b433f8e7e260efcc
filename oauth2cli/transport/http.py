"""Sending core HttpRequests with httpx, with size caps and errors a person can read."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from oauth2cli import __version__
from oauth2cli.core.errors import NetworkError
from oauth2cli.core.http import HttpRequest, HttpResponse

USER_AGENT = f"oauth2cli/{__version__}"
# Token, metadata and introspection answers are small; anything bigger is a broken or hostile server.
DEFAULT_MAX_BYTES = 4 * 1024 * 1024


@dataclass
class TransportOptions:
    timeout: float = 30.0
    cacert: str | None = None
    insecure: bool = False
    cert: str | None = None
    key: str | None = None


Observer = Callable[[HttpRequest, "HttpResponse | None", float], None]


def _verify(options: TransportOptions) -> ssl.SSLContext | bool:
    if options.insecure:
        return False
    ctx = ssl.create_default_context(cafile=options.cacert) if options.cacert else ssl.create_default_context()
    if options.cert:
        ctx.load_cert_chain(options.cert, options.key)
    return ctx


def build_client(options: TransportOptions) -> httpx.Client:
    return httpx.Client(
        timeout=httpx.Timeout(options.timeout),
        verify=_verify(options),
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
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
    return f"cannot reach {where}: {text}"


class HttpClient:
    """One httpx client per run, lazily built."""

    def __init__(self, options: TransportOptions | None = None, *, observer: Observer | None = None,
                 client: httpx.Client | None = None) -> None:
        self.options = options or TransportOptions()
        self.observer = observer
        self._client = client

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = build_client(self.options)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def send(self, request: HttpRequest, *, max_bytes: int = DEFAULT_MAX_BYTES) -> HttpResponse:
        import time

        started = time.monotonic()
        built = self.client.build_request(
            request.method, request.url, headers=list(request.headers), content=request.encoded_body()
        )
        if request.form is not None and request.header("content-type") is None:
            built.headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            with _send_stream(self.client, built) as raw:
                body, truncated = _read_capped(raw, max_bytes)
                response = HttpResponse(
                    status=raw.status_code,
                    headers=tuple((k, v) for k, v in raw.headers.multi_items()),
                    body=body,
                    url=str(raw.url),
                    truncated=truncated,
                )
        except httpx.HTTPError as exc:
            if self.observer:
                self.observer(request, None, time.monotonic() - started)
            raise NetworkError(describe_network_error(exc, request.url, self.options.timeout)) from None
        except ssl.SSLError as exc:
            raise NetworkError(f"TLS failure talking to {urlsplit(request.url).netloc}: {exc}") from None
        if self.observer:
            self.observer(request, response, time.monotonic() - started)
        return response


class _send_stream:
    def __init__(self, client: httpx.Client, request: httpx.Request) -> None:
        self.client, self.request = client, request

    def __enter__(self) -> httpx.Response:
        self.response = self.client.send(self.request, stream=True)
        return self.response

    def __exit__(self, *exc: object) -> None:
        self.response.close()


def _read_capped(response: httpx.Response, max_bytes: int) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            return b"".join(chunks)[:max_bytes], True
    return b"".join(chunks), False
