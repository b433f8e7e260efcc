"""RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): end the person's session at the
server through the browser, and catch the redirect back on the loopback listener; no click."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

from oauth2cli.core.authorization import CallbackCheck
from oauth2cli.core.errors import ConfigError, printable
from oauth2cli.core.settings import ClientSettings
from oauth2cli.core.tokens import TokenSet

if TYPE_CHECKING:
    from oauth2cli.deps import Deps
    from oauth2cli.flows.discovery import Endpoints

BROWSER_TIMEOUT = 300.0


def logout_url(endpoint: str, *, id_token: str | None, client_id: str, redirect_uri: str, state: str) -> str:
    """§2: id_token_hint (when there is one), client_id, post_logout_redirect_uri and state."""
    params = [("id_token_hint", id_token)] if id_token else []
    params += [("client_id", client_id), ("post_logout_redirect_uri", redirect_uri), ("state", state)]
    return endpoint + ("&" if urlsplit(endpoint).query else "?") + urlencode(params)


def end_session(settings: ClientSettings, deps: Deps, tokens: TokenSet, endpoints: Endpoints,
                timeout: float = BROWSER_TIMEOUT) -> bool:
    """Open end_session_endpoint and wait for the redirect with our state; False when the server has none."""
    from oauth2cli.flows.login.login_browser import targets
    from oauth2cli.flows.login.login_text import duration, say, warn
    from oauth2cli.transport import pages
    from oauth2cli.transport.browser import open_in_background
    from oauth2cli.transport.listener import LoopbackListener
    from oauth2cli.transport.handoff import Handoff

    endpoint = endpoints.get("end_session_endpoint")
    if not endpoint:
        return False
    if urlsplit(endpoint).scheme not in ("https", "http") or not urlsplit(endpoint).netloc:
        raise ConfigError(f"the end_session_endpoint {printable(endpoint, 200)!r} is not an http(s) URL")
    target, fallbacks = targets(settings)
    state = secrets.token_urlsafe(32)
    with LoopbackListener(target, fallback_ports=fallbacks, warn=lambda m: warn(deps, m)) as listener:
        listener.check = CallbackCheck(target.path, state, "logout")
        url = logout_url(endpoint, id_token=tokens.id_token, client_id=settings.client.client_id,
                         redirect_uri=listener.redirect_uri, state=state)
        # What is printed leaves out the id_token (personal data; client_id alone is enough, §2)
        shown = logout_url(endpoint, id_token=None, client_id=settings.client.client_id,
                           redirect_uri=listener.redirect_uri, state=state)
        # The browser starts at a loopback URL that sends it on: the id_token_hint never stands on
        # the browser's command line (/proc/*/cmdline, readable by every user).
        with Handoff(url) as hand:
            say(deps, "Opening the browser to end the session at the server; if it does not open, visit:")
            say(deps, f"  {shown}")
            say(deps, f"Waiting up to {duration(timeout)} for the server to sign you out (Ctrl-C to cancel)...")
            open_in_background(deps.browser, hand.url,
                               lambda: warn(deps, "could not start a browser; open the URL above yourself"))
            try:
                listener.wait(timeout, deps.clock)
            except TimeoutError:
                raise ConfigError(f"the server did not send the browser back within {duration(timeout)}; "
                                  "the session there may still be active",
                                  hint="the tokens were not touched; run it again") from None
        listener.respond(200, pages.signed_out_page())
    return True
