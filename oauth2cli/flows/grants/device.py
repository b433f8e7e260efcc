"""The device authorization grant (RFC 8628), for `login --device` and `token --grant device_code`."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from oauth2cli.core.device import (
    DeviceAuthorization,
    DevicePoll,
    device_authorization_request,
    with_client_id,
    device_token_form,
    parse_device_authorization_response,
)
from oauth2cli.core.errors import ServerError, printable
from oauth2cli.core.pkce import new_pkce
from oauth2cli.core.settings import ClientSettings
from oauth2cli.core.tokens import TokenSet
from oauth2cli.flows.discovery import Endpoints

if TYPE_CHECKING:
    from oauth2cli.deps import Deps


def device_authorization_grant(settings: ClientSettings, deps: Deps, *,
                               show: Callable[[DeviceAuthorization], None] | None = None,
                               open_browser: bool = True, endpoints: Endpoints | None = None) -> TokenSet:
    """Ask for a user code, show it (on stderr unless `show` is given), poll until the person has
    approved on another device. ServerError (access_denied, ...) or LoginRequired (expired)."""
    from oauth2cli.flows.exchange import token as token_flow

    endpoints = endpoints or Endpoints(settings, deps)
    endpoint = endpoints.require("device_authorization_endpoint")

    def ask(pkce: tuple[tuple[str, str], ...]) -> DeviceAuthorization:
        request = device_authorization_request(
            endpoint, settings.client, scope=settings.scope, audience=settings.audience, resources=settings.resources,
            extra=settings.auth_params + token_flow.rar_pairs(settings) + pkce, authenticated=False,
        )
        # The same client authentication as the token endpoint: assertions and plug-ins included.
        request = with_client_id(token_flow.authenticate_request(settings, deps, request, endpoints, endpoint),
                                 settings.client.client_id)
        return parse_device_authorization_response(endpoints.http.send(request), deps.clock())

    verifier: tuple[tuple[str, str], ...] = ()
    try:
        authorization = ask(())
    except ServerError as exc:
        # RFC 8628 has no PKCE, but a server may ask for it there (Keycloak does, for a client that
        # requires PKCE: "Missing parameter: code_challenge_method"): ask once more with it, and
        # send the verifier with each poll.
        if not _wants_pkce(exc, settings):
            raise
        pkce = new_pkce(settings.pkce)
        verifier = (("code_verifier", pkce.code_verifier),)
        authorization = ask((("code_challenge", pkce.code_challenge),
                             ("code_challenge_method", pkce.code_challenge_method)))
    (show or (lambda a: _show(deps, a, open_browser)))(authorization)

    poll = DevicePoll(authorization, deps.clock())
    form = device_token_form(authorization.device_code,
                             extra=settings.params + verifier + token_flow.resource_pairs(settings))
    return poll_token_endpoint(settings, deps, poll, form, endpoints)


def _wants_pkce(exc: ServerError, settings: ClientSettings) -> bool:
    return (exc.error == "invalid_request" and settings.pkce in ("S256", "plain")
            and "code_challenge" in (exc.error_description or ""))


def poll_token_endpoint(settings: ClientSettings, deps: Deps, poll: DevicePoll, form, endpoints: Endpoints,
                        waiting: str = "Waiting for the sign-in on the other device...") -> TokenSet:
    """Poll the token endpoint with `form` as `poll` says (interval, slow_down, expiry) until it
    gives tokens; the device flow and CIBA (issue #20) both wait this way."""
    from oauth2cli.flows.exchange import token as token_flow

    sleep = getattr(deps, "sleep", time.sleep)
    countdown = _Countdown(deps, waiting)
    endpoints.require("token_endpoint")  # before the first wait: a missing endpoint fails at once
    try:
        while True:
            wait = poll.wait(deps.clock())
            while wait > 0:
                countdown.show(poll.seconds_left(deps.clock()))
                step = min(wait, 1.0)
                sleep(step)
                wait = poll.wait(deps.clock())
            # the same path as every other grant: client authentication (RFC 8628 §3.4), fixes, DPoP
            response = token_flow.send_token_request(settings, deps, form, endpoints)
            tokens = poll.on_response(response, deps.clock())
            if tokens is not None:
                from oauth2cli.flows.exchange import commit

                commit.on_answer(tokens)  # saved before the id_token is checked (flows.exchange.commit)
                return tokens
    finally:
        countdown.clear()


def _show(deps: Deps, authorization: DeviceAuthorization, open_browser: bool) -> None:
    left = int(max(authorization.expires_at - deps.clock(), 0))
    from oauth2cli.transport.browser import browser_available, open_in_background

    out = deps.stderr
    out.write(f"To sign in, visit {printable(authorization.verification_uri, 300)}\n")
    out.write(f"and enter the code:  {printable(authorization.user_code, 40)}\n")
    complete = authorization.verification_uri_complete
    if complete:
        out.write(f"(or open {printable(complete, 400)} , which has the code in it)\n")
    out.write(f"Waiting for the sign-in; the code expires in {left // 60} min {left % 60:02d} s (Ctrl-C to cancel)...\n")
    out.flush()
    # only a web page: the URI comes from the server, and webbrowser would open file: or other schemes too
    web = bool(complete) and complete.lower().startswith(("https://", "http://"))
    if open_browser and web and browser_available(deps.environ):
        open_in_background(deps.browser, complete, lambda: None)


class _Countdown:
    """"Waiting… 9:41 left" on one rewritten line, only on a terminal."""

    def __init__(self, deps: Deps, waiting: str = "Waiting for the sign-in on the other device...") -> None:
        self.waiting = waiting
        self.stream = deps.stderr
        self.active = bool(getattr(self.stream, "isatty", lambda: False)())
        self.shown = False

    def show(self, seconds_left: float) -> None:
        if not self.active:
            return
        left = int(seconds_left)
        self.stream.write(f"\r{self.waiting} {left // 60}:{left % 60:02d} left ")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
