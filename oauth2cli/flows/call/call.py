"""`oauth2 call`: one authenticated HTTP request, curl's way. No click, no httpx here.

The request goes out through transport/client.Client (the wire client, or httpx where wire
cannot), authorized by the one auth flow (transport/authflow.TokenAuth: refresh before expiry,
one 401 refresh and replay, the DPoP nonce retry), and redirects are followed here, hop by hop,
so that the token (and its DPoP proof) only ever goes to the origin it was meant for.
"""

from __future__ import annotations

import time

# Names re-exported from here for their callers: HttpStatusError, the origin rules, the request's parts.
from oauth2cli.core.errors import ConfigError, HttpStatusError, LoginRequired, NetworkError, ServerError  # noqa: F401
from oauth2cli.flows.origins import (  # noqa: F401
    answered_urls, choose_profile, profile_urls, same_origin, token_may_go, within)
from oauth2cli.flows.call.request_spec import (  # noqa: F401
    RequestSpec, body_of, data_bytes, form_part, header_line, read_source, urlencoded)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from oauth2cli.deps import Deps

REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 50  # curl's default --max-redirs
TOKEN_HEADERS = ("authorization", "dpop")


class Call:
    """One `oauth2 call`: what it needs, and what happened. `settings` is core.settings'
    ClientSettings, or flows/call/call_profile's lean view of one (which gives the full one on demand)."""

    def __init__(self, settings, deps: Deps, follow: bool = False, timeout: float | None = None,
                 trace: Callable[[str], None] | None = None) -> None:
        self.settings, self.deps, self.follow, self.timeout, self.trace = settings, deps, follow, timeout, trace
        self.refreshes = 0
        self._warned_http = False

    def client(self, cacert: str | None, insecure: bool):
        """The transport for the resource (its own: call prints its own --insecure line)."""
        from oauth2cli.transport.client import Client
        from oauth2cli.transport.options import TransportOptions

        s = self.settings
        options = TransportOptions(timeout=self.timeout or s.timeout, cacert=cacert or s.cacert,
                                   insecure=insecure or s.insecure, cert=s.cert, key=s.key)
        return Client(options, environ=self.deps.environ, warn=lambda _text: None)

    # token plumbing ------------------------------------------------------------
    def auth(self, token_in_query: bool):
        from oauth2cli.transport.authflow import TokenAuth

        return TokenAuth(self._current_token, self._refresh, proof=self._proof, observe=self._observe,
                         token_in_query=token_in_query)

    def full_settings(self):
        full = getattr(self.settings, "full", None)
        return full() if full is not None else self.settings

    def _proof(self, method: str, url: str, access_token: str, nonce: str | None) -> str:
        from oauth2cli.flows.exchange import dpop as dpop_flow

        return dpop_flow.proof(self.full_settings(), self.deps, method, url, access_token=access_token, nonce=nonce)

    def _observe(self, url: str, headers) -> None:
        if any(name == "dpop-nonce" for name, _ in headers):
            from oauth2cli.flows.exchange import dpop as dpop_flow

            dpop_flow.remember_nonce(self.deps, url, headers)

    def _current_token(self):
        lean = getattr(self.settings, "fresh_token", None)
        tokens = lean() if lean is not None else None  # a fresh stored token, read without the store package
        if tokens is not None:
            return tokens
        from oauth2cli.flows.grants import session

        settings = self.full_settings()
        with _login_on_refusal(settings):
            return session.current_token(settings, self.deps)

    def _refresh(self, stale):
        from oauth2cli.flows.grants import session

        settings = self.full_settings()
        try:
            with _login_on_refusal(settings):
                new = session.refresh(settings, self.deps, stale=stale)
        except LoginRequired as exc:
            # The 401 stands; say why it could not be cured, and let the answer through.
            self._say(f"oauth2: warning: the resource refused the token and it cannot be refreshed: {exc.message}"
                      + (f"; {exc.hint}" if exc.hint else ""))
            return None
        self.refreshes += 1
        return new

    def _say(self, text: str) -> None:
        self.deps.stderr.write(text + "\n")
        self.deps.stderr.flush()

    # sending -----------------------------------------------------------------
    def send(self, client, spec: RequestSpec, *, token_in_query: bool = False, with_token: bool = True,
             idle: bool = False):
        """The final response, open for streaming; redirects followed here when asked (-L). idle: its
        body may pause for as long as it likes (an event stream: transport/client.Client.open)."""
        from oauth2cli.transport.authflow import Request, drive, without_query_param

        first = spec.url
        body, headers = body_of(spec)
        request = Request(spec.method.upper(), spec.url, headers, body)
        timeout = self.timeout or self.settings.timeout
        on_head = self._trace_request if self.trace else None
        # `-H 'Authorization:'` removes a header the user did not give; our token is added after.
        removed = spec.removed - set(TOKEN_HEADERS) if with_token else spec.removed

        def send_one(req: Request):
            response = client.open(req, timeout=timeout, removed=removed, on_head=on_head, idle=idle)
            if self.trace:
                self._trace_response(response)
            return response

        for _hop in range(MAX_REDIRECTS + 1):
            url = request.url
            # The one trust rule (core.origins.token_may_go): the origin asked for, within the profile's urls.
            if with_token and token_may_go(self.settings, url, first):
                # RFC 6750 §5.3: a bearer token only over TLS (loopback excepted, --allow-http warns).
                self._check_http(url)
                response = drive(self.auth(token_in_query).flow(request), send_one)
            else:
                response = send_one(request)
            location = response.headers.get("location")
            if not (self.follow and response.status_code in REDIRECTS and location):
                return response
            response.close()
            request = _next_request(request, response.status_code, location, first)
            # Our token and proof are added again by the next hop's auth, if it may have them;
            # a header the user gave (-H Authorization) stays with its origin, as in curl.
            for name in TOKEN_HEADERS if with_token or not same_origin(request.url, first) else ():
                request.pop_header(name)
            if token_in_query:
                request.url = without_query_param(request.url, "access_token")
        raise NetworkError(f"more than {MAX_REDIRECTS} redirects, starting at {first}")

    def _check_http(self, url: str) -> None:
        from urllib.parse import urlsplit

        from oauth2cli.core.origins import is_loopback_host

        if url[:5].lower() != "http:" or self._warned_http or is_loopback_host(urlsplit(url).hostname):
            return
        from oauth2cli.core.http import check_transport_security

        if check_transport_security(url, allow_http=self.settings.allow_http):
            self._warned_http = True
            self._say(f"oauth2: warning: --allow-http: sending the token to {urlsplit(url).netloc} "
                      "over plain http://, unencrypted")

    # -v ----------------------------------------------------------------------
    def _trace_request(self, method: str, url: str, lines) -> None:
        from oauth2cli.transport.trace import mask_header, mask_url

        reveal = self.deps.reveal_secrets
        self.trace(f"> {method} {url if reveal else mask_url(url)}")
        for name, value in lines:
            self.trace(f"> {name.lower()}: {value if reveal else mask_header(name, value)}")

    def _trace_response(self, response) -> None:
        from oauth2cli.transport.trace import mask_header

        reveal = self.deps.reveal_secrets
        self.trace(f"< {response.http_version} {response.status_code} {response.reason_phrase}")
        for name, value in response.headers.multi_items():
            self.trace(f"< {name}: {value if reveal else mask_header(name, value)}")


def _next_request(request, status: int, location: str, first: str):
    """The request a redirect asks for, as httpx builds it: 303 (and 301/302 after a POST) turns
    into a GET without a body; a 307/308 keeps method and body."""
    from urllib.parse import urljoin, urlsplit

    from oauth2cli.transport.authflow import Request

    from oauth2cli.core.origins import normalize

    url = urljoin(request.url, location)
    if "#" not in url and "#" in request.url:
        url += "#" + request.url.split("#", 1)[1]
    try:
        url = normalize(url)  # what the next hop's trust rule compares is what is sent
    except ValueError as exc:
        raise NetworkError(f"the redirect from {request.url} goes to an invalid URL {location[:200]!r}: {exc}") from None
    method, body = request.method, request.body
    if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
        method, body = "GET", None
    headers = list(request.headers)
    if method != request.method:
        headers = [(k, v) for k, v in headers if k.lower() not in ("content-length", "transfer-encoding")]
    if not same_origin(url, request.url):
        old, new = urlsplit(request.url), urlsplit(url)
        upgrade = old.scheme == "http" and new.scheme == "https" and old.hostname == new.hostname
        if not upgrade:  # httpx keeps Authorization only for the same origin (or its https upgrade)
            headers = [(k, v) for k, v in headers if k.lower() != "authorization"]
    return Request(method, url, headers, body)


class _login_on_refusal:  # noqa: N801 (a context manager; contextlib costs an import on the lean path)
    """A refresh token the server refuses (invalid_grant) means: log in again (exit 7)."""

    def __init__(self, settings) -> None:
        self.profile = settings.profile
        self.settings = settings

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, exc, tb) -> bool:
        profile = self.profile
        if isinstance(exc, ServerError):
            from oauth2cli.flows.grants.session import is_userless

            from oauth2cli.core.advice import refresh_token_unusable

            if not refresh_token_unusable(exc.error, exc.error_description) or is_userless(self.settings):  # no refresh token: the server's word stands
                return False
            raise LoginRequired(f"the refresh token of profile {profile!r} was refused ({exc.message})",
                                hint=f"log in again with `oauth2 login {profile}`") from None
        if isinstance(exc, LoginRequired) and not exc.hint:
            raise LoginRequired(exc.message, hint=f"log in with `oauth2 login {profile}`") from None
        return False


def body_chunks(response, deadline: float | None, timeout: float) -> Iterator[bytes]:
    """The body as it arrives (decoded from any Content-Encoding), within the --max-time deadline."""
    from oauth2cli.transport.faults import max_time_reached

    for chunk in response.iter_bytes():
        if deadline is not None and time.monotonic() > deadline:
            raise max_time_reached(timeout, str(response.url))
        yield chunk
