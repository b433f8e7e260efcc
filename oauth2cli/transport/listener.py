"""The loopback redirect listener (RFC 8252 §7.3): an HTTP server on the loopback interface,
in its own thread, that waits for exactly one valid authorization response.

The checks of the response itself are core.authorization's; this module adds the HTTP
side: bind loopback only, answer other paths with 404 and wrong/missing state with 400
(both keep waiting), refuse requests whose Host is not the address it bound (DNS
rebinding), and hold the browser's request until the command says how the login went.
"""

from __future__ import annotations

import errno
import http.server
import os
import queue
import secrets
import socket
import threading
from collections.abc import Callable
from urllib.parse import urlsplit

from oauth2cli.core.authorization import (
    AuthorizationResponse,
    CallbackCheck,
    CallbackIgnored,
    RedirectTarget,
    check_path,
    check_response,
)
from oauth2cli.core.errors import ConfigError, OAuth2CliError
from oauth2cli.transport import pages
from oauth2cli.transport.page_handler import PageHandler

MAX_BODY = 64 * 1024
VERDICT_WAIT = 30.0  # how long the browser's request waits for the token exchange


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    # SO_REUSEADDR, so that a fixed port can be bound again while the last login's connections on
    # it sit in TIME_WAIT (a logout or a second login right after one, as with Ory Hydra's exact
    # post_logout_redirect_uri). On Linux and the BSDs a port another socket listens on still
    # fails; on Windows the option would share that port, so there it stays off.
    allow_reuse_address = os.name != "nt"

    def __init__(self, address, handler, family: int) -> None:
        self.address_family = family
        super().__init__(address, handler)


def free_port(bind_address: str = "127.0.0.1") -> int:
    """A port free now on the loopback interface: the one a client registers and then listens on."""
    family = socket.AF_INET6 if bind_address == "::1" else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.bind((bind_address, 0))
        return probe.getsockname()[1]


class LoopbackListener:
    """Serve the redirect URI until one valid authorization response arrives.

    Usage: start() → redirect_uri is known → open the browser → wait(timeout) →
    respond(page) → close(). Also a context manager (close on exit, whatever happened).
    """

    def __init__(self, target: RedirectTarget, *, fallback_ports: tuple[int, ...] = (),
                 implicit: bool = False, form_post: bool = False, warn: Callable[[str], None] = lambda m: None) -> None:
        self.target = target
        self.fallback_ports = fallback_ports
        self.implicit = implicit  # the response is in the fragment: serve the page that posts it back
        self.form_post = form_post  # response_mode form_post(.jwt): exactly one form POST, no GET
        # JARM: turns the received `response` JWT into the plain parameters (flows.authorize.jarm), or ignores it
        self.unwrap: Callable[[str], str] | None = None
        self.warn = warn
        self.check: CallbackCheck | None = None
        self.port: int | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._results: queue.Queue = queue.Queue()
        self._taken = threading.Lock()
        self._accepted = False
        self._verdict = threading.Event()
        # what the browser sees if the command ends without saying how the login went (Ctrl-C)
        self._verdict_page: tuple[int, str] = (
            500, pages.error_page("interrupted", "The oauth2 command stopped before finishing the sign-in."))
        self._answered = threading.Event()
        self._browser_waiting = False
        self.ignored: list[tuple[int, str]] = []  # (status, reason) of requests turned away

    # -- lifecycle ------------------------------------------------------------
    @property
    def redirect_uri(self) -> str:
        if self.port is None:
            raise RuntimeError("the listener is not started")
        return self.target.uri(self.port)

    def start(self) -> LoopbackListener:
        family = socket.AF_INET6 if self.target.bind_address == "::1" else socket.AF_INET
        ports = [self.target.port, *[p for p in self.fallback_ports if p != self.target.port]]
        busy = []
        handler = _make_handler(self)
        for index, port in enumerate(ports):
            try:
                self._server = _Server((self.target.bind_address, port), handler, family)
            except OSError as exc:
                if exc.errno not in (errno.EADDRINUSE, errno.EACCES):
                    raise ConfigError(f"cannot listen on {self.target.bind_address} port {port}: "
                                      f"{exc.strerror or exc}") from None
                busy.append(port)
                why = "in use" if exc.errno == errno.EADDRINUSE else "not allowed"
                if index + 1 < len(ports):
                    self.warn(f"port {port} for the redirect URI is {why}; trying port {ports[index + 1]}")
                continue
            break
        else:
            listed = ", ".join(str(p) for p in busy)
            raise ConfigError(
                f"cannot listen for the redirect: port{'s' if len(busy) > 1 else ''} {listed} "
                f"on {self.target.bind_address} {'are' if len(busy) > 1 else 'is'} in use",
                hint="stop whatever holds it, or give other ports with --redirect-port (registered with the server)",
            )
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="oauth2-listener", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._verdict.set()  # release a browser request still waiting for a verdict
        server.shutdown()
        server.server_close()

    def __enter__(self) -> LoopbackListener:
        return self if self._server else self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- the wait -----------------------------------------------------------------
    def wait(self, timeout: float, clock: Callable[[], float]) -> AuthorizationResponse:
        """The valid authorization response; TimeoutError after `timeout` seconds; an OAuth2CliError
        for an error response. Wakes up often so Ctrl-C is handled at once."""
        deadline = clock() + timeout
        while True:
            remaining = deadline - clock()
            if remaining <= 0:
                raise TimeoutError
            try:
                outcome = self._results.get(timeout=min(remaining, 0.25))
            except queue.Empty:
                continue
            if isinstance(outcome, BaseException):
                raise outcome
            return outcome

    def offer(self, outcome: AuthorizationResponse | OAuth2CliError) -> bool:
        """Hand in a response that came another way (a pasted URL); False if one was taken already."""
        with self._taken:
            if self._accepted:
                return False
            self._accepted = True
        self._results.put(outcome)
        return True

    @property
    def accepted(self) -> bool:
        return self._accepted

    def respond(self, status: int, page: str) -> None:
        """The page for the browser that delivered the response; waits briefly until it is sent."""
        self._verdict_page = (status, page)
        self._verdict.set()
        if self._browser_waiting:
            self._answered.wait(5.0)

    # -- called from the handler thread --------------------------------------------
    def _deliver(self, query: str) -> tuple[int, str]:
        assert self.check is not None
        try:
            if self.unwrap is not None:
                query = self.unwrap(query)
            response: AuthorizationResponse | OAuth2CliError = check_response(self.check, query)
        except CallbackIgnored:
            raise
        except OAuth2CliError as exc:
            response = exc
        with self._taken:
            if self._accepted:
                raise CallbackIgnored(400, "this sign-in is already complete")
            self._accepted = True
            self._browser_waiting = True
        self._results.put(response)
        if isinstance(response, OAuth2CliError) and not hasattr(response, "error"):
            status, page = 400, pages.error_page("invalid_response", response.message)
        else:
            self._verdict.wait(VERDICT_WAIT)
            status, page = self._verdict_page
        return status, page


def _make_handler(listener: LoopbackListener):
    class Handler(PageHandler):
        def _send(self, status: int, body: str, csp: str = pages.CSP) -> None:
            self.send_page(status, body, csp=csp)

        def _ignore(self, exc: CallbackIgnored) -> None:
            listener.ignored.append((exc.status, exc.reason))
            message = "Not found" if exc.status == 404 else f"Not accepted: {exc.reason}"
            self._send(exc.status, pages.problem_page(exc.status, message))

        def _host_ok(self) -> bool:
            # DNS rebinding: a page on evil.example resolved to 127.0.0.1 sends Host: evil.example:PORT.
            expected = {f"{listener.target.host}:{listener.port}".lower()}
            if listener.port == 80:
                expected.add(listener.target.host.lower())  # browsers leave out the default port
            return (self.headers.get("Host") or "").strip().lower() in expected

        def _handle(self, query: str | None, body: str | None) -> None:
            if not self._host_ok():
                self._ignore(CallbackIgnored(400, "the Host header is not the loopback address of this listener"))
                return
            path = urlsplit(self.path).path
            try:
                check_path(listener.check, path)  # type: ignore[arg-type]
                if body is None and listener.implicit and not query:
                    # the response is in the fragment: serve the page that posts it back here
                    nonce = secrets.token_urlsafe(16)
                    self._send(200, pages.fragment_page(nonce), csp=pages.fragment_csp(nonce))
                    return
                status, page = listener._deliver(body if body is not None else (query or ""))
            except CallbackIgnored as exc:
                self._ignore(exc)
                return
            try:
                self._send(status, page)
            finally:
                listener._answered.set()

        def do_GET(self) -> None:  # noqa: N802
            if listener.form_post and self._host_ok() and urlsplit(self.path).path == listener.target.path:
                # Form Post Response Mode: the answer comes as a POST body, never in a URL
                self._ignore(CallbackIgnored(405, "this login waits for a form POST (response_mode form_post)"))
                return
            self._handle(urlsplit(self.path).query, None)

        def do_HEAD(self) -> None:  # noqa: N802 - probes get nothing, and end nothing
            self._send(405, pages.problem_page(405, "Method not allowed"))

        def do_POST(self) -> None:  # noqa: N802
            if not (listener.implicit or listener.form_post):
                self._send(405, pages.problem_page(405, "Method not allowed"))
                return
            kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if kind != "application/x-www-form-urlencoded":
                self._ignore(CallbackIgnored(415, "the POST is not application/x-www-form-urlencoded"))
                return
            body = self.form_body(MAX_BODY)
            if body is not None:
                self._handle(None, body)

    return Handler
