"""Which profile `oauth2 mcp URL` sends with: the choice `oauth2 call` makes (flows/call/call_profile),
and, when no profile claims URL, zero set-up from the first message's 401 (RFC 9728: the server
names its authorization server), with the question asked in the browser rather than at a
terminal, since stdin is the protocol. No click here.
"""

from __future__ import annotations

from oauth2cli.core.errors import LoginRequired, printable

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
    """The call settings for `url`: the one choice `oauth2 call` makes (flows/call/call_profile),
    or None when no profile claims it: then the first message goes without a token, and its 401
    starts zero set-up (`after_401`)."""
    from oauth2cli.flows.call.call_profile import call_settings

    return call_settings(_CallOptions(profile), url, deps)


def tokenless():
    from oauth2cli.flows.call.call_profile import Tokenless

    return Tokenless(_CallOptions(None))


def after_401(url: str, response, deps: Deps) -> str | None:
    """The first message, sent without a token, was answered 401: zero set-up from its challenge
    (flows/profiles/resource_login, the code `oauth2 call` uses), the question asked in the browser.
    The logged-in profile's name, or None when the server names no authorization server."""
    from contextlib import ExitStack

    from oauth2cli.flows.profiles.resource_login import ZeroSetup, challenge_of
    from oauth2cli.flows.profiles.resource_login import after_401 as set_up_after
    from oauth2cli.transport.browser import browser_available

    ci = deps.environ.get("CI", "").lower() not in ("", "0", "false")
    can_ask = not ci and browser_available(deps.environ)
    opener = deps.browser
    with ExitStack() as stack:
        answer, challenge = challenge_of(response, url)
        run = ZeroSetup(options={"timeout": 30.0}, confirm=_in_the_browser(deps, stack) if can_ask else None,
                        challenge=challenge, person=can_ask,
                        why_not="CI is set" if ci else "no browser can be opened here to ask you")
        try:
            return set_up_after(url, answer, deps, run)
        finally:
            deps.browser = opener


def _in_the_browser(deps: Deps, stack):
    """The y/N question of zero set-up as a loopback page of ours (transport/confirm_page): the
    person's click answers it, and that page's tab is then handed on to the sign-in page."""

    def confirm(resource: str, server: str) -> bool:
        from oauth2cli.transport.browser import open_in_background
        from oauth2cli.transport.confirm_page import Confirmation

        ask = stack.enter_context(Confirmation(resource, server))
        say = deps.stderr.write
        say(f"oauth2: {printable(resource, 200)} wants a login at {printable(server, 200)}, another site; "
            f"confirm in the browser: {ask.url}\n")
        deps.stderr.flush()
        open_in_background(deps.browser, ask.url, lambda: say("oauth2: could not start a browser; open the URL above\n"))
        try:
            went_on = ask.wait(CONFIRM_TIMEOUT)
        except TimeoutError:
            raise LoginRequired(f"no answer in the browser within {CONFIRM_TIMEOUT:.0f} s",
                                hint="restart the MCP client to be asked again") from None
        if not went_on:
            raise LoginRequired(f"the login at {printable(server, 200)} was cancelled in the browser",
                                hint="nothing was saved; restart the MCP client to be asked again")
        opener = deps.browser
        deps.browser = lambda target: ask.hand_off(target) or opener(target)  # the sign-in, in the same tab
        return True

    return confirm
