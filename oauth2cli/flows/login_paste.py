"""Logging in without a listener that the browser can reach: the person pastes the address the
browser ended at (over SSH, or with --manual)."""

from __future__ import annotations

import queue
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from oauth2cli.core.authorization import CallbackCheck, CallbackIgnored, check_redirect_url
from oauth2cli.core.errors import ConfigError, LoginRequired, OAuth2CliError
from oauth2cli.core.settings import ClientSettings
from oauth2cli.core.tokens import TokenSet
from oauth2cli.flows.discovery import Endpoints
from oauth2cli.flows.login_browser import build_signed, finish, timeout_error, url_to_open
from oauth2cli.flows.login_text import say, warn

if TYPE_CHECKING:
    from oauth2cli.deps import Deps
    from oauth2cli.flows.login import LoginChoices


def check_pasted(check: CallbackCheck, line: str, redirect_uri: str, unwrap=None):
    """A pasted redirect URL, checked; with JARM (`unwrap`) its `response` JWT is verified first."""
    if unwrap is None:
        return check_redirect_url(check, line, redirect_uri)
    from urllib.parse import urlunsplit

    parts = urlsplit(line.strip())
    plain = unwrap(parts.fragment or parts.query)  # CallbackIgnored when it is not this login's
    inside = (plain, "") if check.response_type == "code" else ("", plain)
    return check_redirect_url(check, urlunsplit((parts.scheme, parts.netloc, parts.path, *inside)), redirect_uri)


def read_pasted(deps: Deps, check: CallbackCheck, redirect_uri: str, offer, *, keep_listening: bool,
                unwrap=None) -> None:
    """Read redirect URLs from stdin in a thread until one is valid; wrong ones are explained and ignored."""

    def run() -> None:
        while True:
            say(deps, "Paste the full address the browser was sent to (the page may fail to load), then Enter:")
            try:
                line = deps.stdin.readline()
            except (OSError, ValueError):
                line = ""
            if not line:
                if not keep_listening:
                    offer(LoginRequired("no redirect URL was pasted (end of input)",
                                        hint="paste the whole address from the browser's address bar"))
                return
            if not line.strip():
                continue
            try:
                outcome: Any = check_pasted(check, line, redirect_uri, unwrap)
            except CallbackIgnored as exc:
                warn(deps, f"not the answer to this login: {exc.reason}")
                continue
            except OAuth2CliError as exc:
                outcome = exc
            offer(outcome)
            return

    threading.Thread(target=run, name="oauth2-paste", daemon=True).start()


class Pasted:
    def __init__(self) -> None:
        self.results: queue.Queue = queue.Queue()
        self.taken = False

    def offer(self, outcome) -> bool:
        if self.taken:
            return False
        self.taken = True
        self.results.put(outcome)
        return True


def paste_login(settings: ClientSettings, deps: Deps, choices: LoginChoices, endpoints: Endpoints,
            issuer: str | None, iss_required: bool) -> tuple[TokenSet, dict[str, Any] | None]:
    # Any redirect URI the client has registered works here: nothing listens, the person copies
    # the address the browser ends at (RFC 8252 §7.3's loopback URI by default).
    redirect_uri = settings.redirect_uri or "http://127.0.0.1/callback"
    parts = urlsplit(redirect_uri)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"the redirect URI {redirect_uri!r} is not an absolute http(s) URI")
    if settings.response_mode in ("form_post", "form_post.jwt"):
        raise ConfigError(f"response_mode {settings.response_mode} needs the loopback listener, not --manual",
                          hint="leave out --manual (over SSH, forward the redirect port)")
    request = build_signed(settings, deps, endpoints, redirect_uri)
    check = CallbackCheck(parts.path or "/", request.state, settings.response_type, issuer, iss_required)
    url = url_to_open(settings, deps, endpoints, request)
    say(deps, "Open this URL in a browser to sign in:")
    say(deps, f"  {url}")
    from oauth2cli.transport.browser import browser_available, open_in_background

    if choices.open_browser and browser_available(deps.environ):

        open_in_background(deps.browser, url, lambda: None)
    unwrap = None
    if settings.response_mode and settings.response_mode.endswith("jwt"):
        from oauth2cli.flows.jarm import unwrapper

        unwrap = unwrapper(settings, deps, endpoints, request.state, issuer)
    pasted = Pasted()
    read_pasted(deps, check, redirect_uri, pasted.offer, keep_listening=False, unwrap=unwrap)
    deadline = deps.clock() + choices.browser_timeout
    while True:
        try:
            outcome = pasted.results.get(timeout=0.25)
            break
        except queue.Empty:
            if deps.clock() >= deadline:
                raise timeout_error(choices) from None
    if isinstance(outcome, BaseException):
        raise outcome
    return finish(settings, deps, endpoints, request, outcome, redirect_uri)
