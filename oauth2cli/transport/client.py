"""The one HTTP client interface every flow sends through (Deps.http): `send(HttpRequest) ->
HttpResponse` for the protocol's own requests, and `open(Request)` for a response to stream
(`oauth2 call`). Both go out on transport/wire.py, a bare-socket HTTP/1.1 client, unless
wire cannot do the request; then on httpx (transport/http.py), which is only imported then.

Why httpx stays, for what wire does not do, and why it is no longer the default:

- wire is what makes a command start fast. Measured 2026-12-07 (farm-bench, CPU medians of 15
  interleaved pairs on a busy 2-core machine): `import oauth2cli.transport.http` (httpx with
  httpcore, h11, anyio, certifi, idna) 158 ms against 16 ms for `python -c pass`; wire and this
  module 44 ms (socket, selectors and enum are most of it). `oauth2 call -X POST -d a=b URL` on
  loopback went from 279 ms to 65 ms CPU (curl: 12 ms), and its peak RSS from 28.8 to 12.1 MB
  (`python -c pass`: 8.7 MB) once httpx was no longer the default.
- httpx is kept for three things wire leaves out on purpose: a proxy from the environment
  (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY: CONNECT tunnels and proxy authentication,
  wire.proxied), international host names (IDNA 2008 and its UTS #46 mapping: wire raises
  wire.Unsupported before anything is sent), and HTTP/2, should it ever be switched on.
  Writing those again would be a second, less-tested copy of a library that does them well.
- Both stacks already share the TLS context (transport/tls), the header lines and their order
  (transport/wire_request, compared byte for byte by tests/transport/test_wire_vs_httpx.py),
  the URL normalisation, the bounded decoding and every fault's words (transport/faults), and
  the -v observer (transport/trace.Tracer), so which stack sent a request is not visible.
"""

from __future__ import annotations

import os

from oauth2cli.transport import faults
from oauth2cli.transport.options import DEFAULT_MAX_BYTES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from oauth2cli.core.http import HttpRequest, HttpResponse
    from oauth2cli.transport.authflow import Request
    from oauth2cli.transport.options import TransportOptions


class Client:
    def __init__(self, options: TransportOptions, *, observer: Callable | None = None,
                 environ: Mapping[str, str] | None = None, warn: Callable[[str], None] | None = None) -> None:
        self.options = options
        self.observer = observer
        self._environ = os.environ if environ is None else environ
        self._warnings = faults.Warnings(warn)  # one set of once-only warnings, whichever stack sends
        self._wire = self._httpx = None

    @property
    def wire(self):
        if self._wire is None:
            from oauth2cli.transport.wire import WireClient

            self._wire = WireClient(self.options, observer=self.observer)
            self._wire._warnings = self._warnings
        return self._wire

    @property
    def httpx(self):
        """transport/http.HttpClient, made (and httpx imported) the first time wire cannot send."""
        if self._httpx is None:
            from oauth2cli.transport.http import HttpClient

            self._httpx = HttpClient(self.options, observer=self.observer)
            self._httpx._warnings = self._warnings
        return self._httpx

    def _proxied(self) -> bool:
        from oauth2cli.transport.wire import proxied

        return proxied(self._environ)

    def send(self, request: HttpRequest, *, max_bytes: int = DEFAULT_MAX_BYTES) -> HttpResponse:
        """The response, read whole (up to max_bytes) within options.timeout, or an OAuth2CliError."""
        if self._proxied():
            return self.httpx.send(request, max_bytes=max_bytes)
        from oauth2cli.transport.wire import Unsupported

        try:
            return self.wire.send(request, max_bytes=max_bytes)
        except Unsupported:  # raised before anything was sent
            return self.httpx.send(request, max_bytes=max_bytes)

    def open(self, request: Request, *, timeout: float, removed=(), on_head: Callable | None = None,
             idle: bool = False):
        """The response to `request` once its head is in, its body to read with iter_bytes()
        (decoded, faults as NetworkErrors) and close(); redirects are the caller's to follow.
        timeout: seconds for each connect, send and receive. on_head(method, url, header lines):
        told just before the request goes out. idle: the body may pause between pieces for as long
        as it likes (an event stream, `oauth2 mcp`): timeout then bounds the connection and the head only."""
        if not self._proxied():
            from oauth2cli.transport import wire

            try:
                return wire.open_response(request.method, request.url, request.headers, request.body, timeout=timeout,
                                          context=self._tls(request.url), removed=removed, on_head=on_head,
                                          idle=idle)
            except wire.Unsupported:
                pass
        from oauth2cli.transport.http import open_stream

        return open_stream(self.httpx.client, request, timeout=timeout, removed=removed, on_head=on_head, idle=idle)

    def _tls(self, url: str):
        """The TLS context of wire (made on the first https request: --cacert, --insecure's warning)."""
        if url[:6].lower() != "https:" and not (self.options.cacert or self.options.insecure or self.options.cert):
            return None
        return self.wire._tls()

    def close(self) -> None:
        for client in (self._wire, self._httpx):
            if client is not None:
                client.close()
