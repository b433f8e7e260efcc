"""`oauth2 call`: one authenticated HTTP request, curl's way. No click here.

The request is built from curl-style arguments, sent through an httpx client whose
OAuth2Auth (transport/auth.py) refreshes the profile's token through flows.session, and
redirects are followed here, hop by hop, so that the token (and its DPoP proof) only
ever goes to the origin it was meant for.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from oauth2cli.core.errors import ConfigError, HttpStatusError, LoginRequired, NetworkError, ServerError  # noqa: F401 (HttpStatusError: its old home)
from oauth2cli.core.settings import ClientSettings
from oauth2cli.flows.origins import answered_urls, choose_profile, profile_urls, same_origin, token_may_go, within  # noqa: F401
from oauth2cli.flows.request_spec import (  # noqa: F401 (the names cli/call uses)
    RequestSpec,
    build_httpx_request,
    data_bytes,
    form_part,
    header_line,
    read_source,
    urlencoded,
)

if TYPE_CHECKING:
    import httpx

    from oauth2cli.deps import Deps

REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 50  # curl's default --max-redirs
TOKEN_HEADERS = ("authorization", "dpop")


@dataclass
class Call:
    """One `oauth2 call`: what it needs, and what happened."""

    settings: ClientSettings
    deps: Deps
    follow: bool = False
    timeout: float | None = None
    trace: Callable[[str], None] | None = None
    refreshes: int = 0
    _warned_http: bool = False

    def client(self, cacert: str | None, insecure: bool) -> httpx.Client:
        from oauth2cli.transport.http import TransportOptions, build_client

        s = self.settings
        options = TransportOptions(timeout=self.timeout or s.timeout, cacert=cacert or s.cacert,
                                   insecure=insecure or s.insecure, cert=s.cert, key=s.key)
        from oauth2cli.flows import call_replay

        try:  # the fast path's 401, when it handed one over, is this client's first answer
            client = build_client(options, wrap=call_replay.replaying if call_replay.pending() else None)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot set up TLS: {exc}") from None
        if self.trace:
            client.event_hooks = {"request": [self._trace_request], "response": [self._trace_response]}
        return client

    # token plumbing ------------------------------------------------------------
    def auth(self, token_in_query: bool):
        from oauth2cli.flows import dpop as dpop_flow
        from oauth2cli.transport.auth import OAuth2Auth

        def proof(method: str, url: str, access_token: str, nonce: str | None) -> str:
            return dpop_flow.proof(self.settings, self.deps, method, url, access_token=access_token, nonce=nonce)

        def observe(url: str, headers) -> None:
            dpop_flow.remember_nonce(self.deps, url, headers)

        return OAuth2Auth(self._current_token, self._refresh, proof=proof, observe=observe,
                          token_in_query=token_in_query)

    def _current_token(self):
        from oauth2cli.flows import session

        with _login_on_refusal(self.settings):
            tokens = session.current_token(self.settings, self.deps)
        return tokens

    def _refresh(self, stale):
        from oauth2cli.flows import session

        try:
            with _login_on_refusal(self.settings):
                new = session.refresh(self.settings, self.deps, stale=stale)
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
    def send(self, client: httpx.Client, spec: RequestSpec, *, token_in_query: bool = False,
             with_token: bool = True) -> httpx.Response:
        """The final response, open for streaming; redirects followed here when asked (-L)."""
        from oauth2cli.transport.faults import network_error
        from oauth2cli.transport.http import describe_network_error, httpx

        first = spec.url
        request = build_httpx_request(client, spec)
        for _hop in range(MAX_REDIRECTS + 1):
            url = str(request.url)
            # The token goes only to the origin it was asked for, and only under the profile's urls.
            auth = self.auth(token_in_query) if with_token and same_origin(url, first) and token_may_go(self.settings, url) else None
            if auth is not None:
                # RFC 6750 §5.3: a bearer token only over TLS (loopback excepted, --allow-http warns).
                from oauth2cli.core.http import check_transport_security

                if check_transport_security(url, allow_http=self.settings.allow_http) and not self._warned_http:
                    self._warned_http = True
                    self._say(f"oauth2: warning: --allow-http: sending the token to {urlsplit(url).netloc} "
                              "over plain http://, unencrypted")
            try:
                response = client.send(request, auth=auth, stream=True)
            except httpx.HTTPError as exc:
                raise network_error(describe_network_error(exc, url, self.timeout or self.settings.timeout)) from None
            except OSError as exc:  # ssl.SSLError and friends outside httpx's mapping
                raise NetworkError(f"cannot reach {urlsplit(url).netloc}: {exc}") from None
            if not (self.follow and response.status_code in REDIRECTS and response.next_request is not None):
                return response
            request = response.next_request
            response.close()
            # Our token and proof are added again by the next hop's auth, if it may have them;
            # a header the user gave (-H Authorization) stays with its origin, as in curl.
            for name in TOKEN_HEADERS if with_token or not same_origin(str(request.url), first) else ():
                request.headers.pop(name, None)
            if token_in_query:
                request.url = request.url.copy_remove_param("access_token")
        raise NetworkError(f"more than {MAX_REDIRECTS} redirects, starting at {first}")

    # -v ----------------------------------------------------------------------
    def _trace_request(self, request: httpx.Request) -> None:
        from oauth2cli.transport.trace import mask_header, mask_url

        reveal = self.deps.reveal_secrets
        self.trace(f"> {request.method} {request.url if reveal else mask_url(str(request.url))}")
        for name, value in request.headers.multi_items():
            self.trace(f"> {name}: {value if reveal else mask_header(name, value)}")

    def _trace_response(self, response: httpx.Response) -> None:
        from oauth2cli.transport.trace import mask_header

        reveal = self.deps.reveal_secrets
        self.trace(f"< {response.http_version} {response.status_code} {response.reason_phrase}")
        for name, value in response.headers.multi_items():
            self.trace(f"< {name}: {value if reveal else mask_header(name, value)}")


@contextmanager
def _login_on_refusal(settings: ClientSettings) -> Iterator[None]:
    """A refresh token the server refuses (invalid_grant) means: log in again (exit 7)."""
    profile = settings.profile
    try:
        yield
    except ServerError as exc:
        from oauth2cli.flows.session import is_userless

        if exc.error != "invalid_grant" or is_userless(settings):  # no refresh token: the server's word stands
            raise
        raise LoginRequired(f"the refresh token of profile {profile!r} was refused ({exc.message})",
                            hint=f"log in again with `oauth2 login {profile}`") from None
    except LoginRequired as exc:
        if exc.hint:
            raise
        raise LoginRequired(exc.message, hint=f"log in with `oauth2 login {profile}`") from None


def body_chunks(response: httpx.Response, deadline: float | None, timeout: float) -> Iterator[bytes]:
    """The body as it arrives (decoded from any Content-Encoding), within the --max-time deadline."""
    from oauth2cli.transport.faults import max_time_reached, network_error
    from oauth2cli.transport.http import describe_network_error, httpx

    try:
        for chunk in response.iter_bytes():
            if deadline is not None and time.monotonic() > deadline:
                raise max_time_reached(timeout, str(response.url))
            yield chunk
    except httpx.HTTPError as exc:
        raise network_error(describe_network_error(exc, str(response.url), timeout)) from None


