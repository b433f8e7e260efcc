"""Which profile `oauth2 mcp URL` sends with: -p, else the one whose urls claim URL, else the
default one, else zero set-up (RFC 9728: the server's 401 names its authorization server), asked
in the browser rather than at a terminal, since stdin is the protocol. No click here.
"""

from __future__ import annotations

from contextlib import contextmanager, nullcontext
from urllib.parse import urlsplit

from oauth2cli.core.errors import ConfigError, LoginRequired, printable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from oauth2cli.deps import Deps

CONFIRM_TIMEOUT = 300.0  # seconds the question waits in the browser, as a browser login does


class _CallOptions:
    """What flows/call/call_profile.call_settings reads of `oauth2 call`'s options."""

    ad_hoc: dict = {}
    print_curl = insecure = allow_http = False
    cacert = None

    def __init__(self, profile: str | None) -> None:
        self.profile = profile


def settings_for(url: str, profile: str | None, deps: Deps):
    """The call settings of the profile for `url` (the one choice `oauth2 call` makes), set up first
    when no profile claims it."""
    from oauth2cli.flows.call.call_profile import call_settings
    from oauth2cli.flows.profiles import resource_login

    if profile is None and resource_login.unclaimed(deps, url):
        profile = zero_setup(url, deps)
    return call_settings(_CallOptions(profile), url, deps)


def zero_setup(url: str, deps: Deps) -> str:
    """The one way in to zero set-up (flows/profiles/resource_login, issue #20 and #26's rewrite of
    it), behind this one function so that it is re-pointed in one place. The profile's name."""
    from oauth2cli.flows.profiles import resource as resource_flow
    from oauth2cli.flows.profiles import resource_login

    response = resource_login.probe(url, deps, {})
    if response.status != 401:
        raise ConfigError(f"no profile for {printable(url, 200)}, and it asks for no login (HTTP {response.status})",
                          hint="add one with `oauth2 profile add NAME --url URL ...`, or give -p PROFILE")
    meta = resource_flow.find(url, deps.http(_options()), response)
    asked = resource_login.profile_of(deps, meta.resource) is None
    with confirmed(deps, url, meta.resource, meta.authorization_servers[0]) if asked else nullcontext():
        return resource_login.set_up(url, deps, {}, probe=response, need_terminal=False)


@contextmanager
def confirmed(deps: Deps, url: str, resource: str, server: str):
    """An authorization server on another origin than the resource is trusted only when the person
    says so, on a loopback page of ours (transport/confirm_page); inside, that page's tab is handed
    on to the sign-in page when the login opens it."""
    if _origin(resource) == _origin(server):
        yield
        return
    from oauth2cli.flows.profiles.resource_login import interactive, login_command
    from oauth2cli.transport.browser import browser_available, open_in_background
    from oauth2cli.transport.confirm_page import Confirmation

    at_terminal = f"run `{login_command(url)}` at a terminal first"
    if not interactive(deps, need_terminal=False):
        raise LoginRequired(f"{printable(resource, 200)} wants a login at {printable(server, 200)}, and CI is set",
                            hint=at_terminal)
    if not browser_available(deps.environ):
        raise LoginRequired(f"{printable(resource, 200)} wants a login at {printable(server, 200)}, and no browser "
                            "can be opened here to ask you", hint=at_terminal)
    say = deps.stderr.write
    with Confirmation(resource, server) as ask:
        say(f"oauth2: {printable(resource, 200)} wants a login at {printable(server, 200)}, another site; "
            f"confirm in the browser: {ask.url}\n")
        deps.stderr.flush()
        open_in_background(deps.browser, ask.url, lambda: say("oauth2: could not start a browser; open the URL above\n"))
        try:
            went_on = ask.wait(CONFIRM_TIMEOUT)
        except TimeoutError:
            raise LoginRequired(f"no answer in the browser within {CONFIRM_TIMEOUT:.0f} s", hint=at_terminal) from None
        if not went_on:
            raise LoginRequired(f"the login at {printable(server, 200)} was cancelled in the browser",
                                hint="nothing was saved; restart the MCP client to be asked again")
        opener = deps.browser
        deps.browser = lambda target: ask.hand_off(target) or opener(target)  # the sign-in, in the same tab
        try:
            yield
        finally:
            deps.browser = opener


def _origin(url: str) -> tuple:
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port


def _options():
    from oauth2cli.transport.options import TransportOptions

    return TransportOptions(timeout=30.0)
