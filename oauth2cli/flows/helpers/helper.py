"""The token other programs ask for (git, kubectl, `oauth2 exec`): the stored one while fresh,
else a refresh, else — when a person can be reached — one interactive login shared by every
process that is waiting for it.

kubelogin's known miss is a browser tab per waiting process. Here the login runs under the
profile's lock: the first process that needs it opens the browser; the others wait on the
lock (up to the browser timeout), then find its tokens in the store and use them.
"""

from __future__ import annotations

from oauth2cli.core.errors import LoginRequired

TYPE_CHECKING = False  # a fresh token is answered without typing, dataclasses or the settings
if TYPE_CHECKING:
    from oauth2cli.core.settings import ClientSettings
    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.deps import Deps

# After the browser timeout, time for the process holding the lock to exchange the code and save.
LOCK_MARGIN = 30.0


class HelperChoices:
    """How a login a helper needs reaches the person: method "auto" or "device" (as for `oauth2
    login`), and how long the browser may take."""

    __slots__ = ("method", "browser_timeout")

    def __init__(self, method: str = "auto", browser_timeout: float = 300.0) -> None:
        self.method, self.browser_timeout = method, browser_timeout

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HelperChoices) and (self.method, self.browser_timeout) == (
            other.method, other.browser_timeout)

    def __repr__(self) -> str:
        return f"HelperChoices(method={self.method!r}, browser_timeout={self.browser_timeout!r})"


def can_reach_a_person(deps: Deps) -> bool:
    """A browser to open, or a terminal to show a URL or device code on (git and kubectl leave
    the user's terminal on the helper's stderr)."""
    from oauth2cli.transport.browser import browser_available

    return browser_available(deps.environ) or bool(getattr(deps.stderr, "isatty", lambda: False)())


def helper_tokens(settings: ClientSettings, deps: Deps, choices: HelperChoices) -> TokenSet:
    """A usable token set for `settings.profile`, logging in (once for all waiters) when needed."""
    from oauth2cli.flows.grants import session

    profile = settings.profile
    assert profile is not None
    # Under the lock (a flock: cheap when nobody else holds it), with the login's patience: another process may be refreshing, or be in the
    # middle of a browser login whose tokens we then use (current_token reads the store again).
    with deps.store.lock(profile, wait=choices.browser_timeout + LOCK_MARGIN):
        try:
            return session.current_token(settings, deps)
        except LoginRequired as exc:
            if session.is_userless(settings) or not can_reach_a_person(deps):
                raise LoginRequired(exc.message, hint=f"run `oauth2 login {profile}` in a terminal") from None
            return shared_login(settings, deps, choices)


def shared_login(settings: ClientSettings, deps: Deps, choices: HelperChoices,
                 usable=None) -> TokenSet:
    """Log in under the profile's lock, unless whoever held it before us has just done so.

    `usable(tokens)` says whether stored tokens will do (default: not about to expire)."""
    from oauth2cli.flows.exchange import commit
    from oauth2cli.flows.login import login as login_flow
    from oauth2cli.flows.login.login_text import say

    profile = settings.profile
    assert profile is not None
    usable = usable or (lambda tokens: not tokens.needs_refresh(deps.clock(), settings.leeway))
    with deps.store.lock(profile, wait=choices.browser_timeout + LOCK_MARGIN):
        stored = deps.store.load_tokens(profile)
        if stored is not None and usable(stored):
            return stored  # another process logged in while we waited for the lock
        say(deps, f"oauth2: profile {profile!r} needs a login")
        # As `oauth2 login` does: the store proves it can take the answer before the browser
        # opens, and the code exchange's refresh token is kept the moment it is parsed.
        with commit.prepared(deps, profile, previous=stored, kind="login") as saving:
            result = login_flow.login(settings, deps, login_flow.LoginChoices(
                method=choices.method, browser_timeout=choices.browser_timeout))
            saving.final(result.tokens)
        say(deps, login_flow.summary(result, profile, deps.clock(), saved=True))
        return result.tokens
