"""A profile's tokens over time: the stored token while it is fresh, else a refresh, saved
before it is used.

FIRST VERSION: no lock yet. Issue #5 adds the per-profile lock (re-read after taking it,
so N racing processes make one refresh) and the fresh grant for profiles without users.
The signatures below are what the commands rely on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from oauth2cli.core.errors import LoginRequired
from oauth2cli.core.settings import ClientSettings
from oauth2cli.core.tokens import TokenSet

if TYPE_CHECKING:
    from oauth2cli.deps import Deps


def _need_profile(settings: ClientSettings) -> str:
    if not settings.profile:
        raise ValueError("a stored token needs a profile")
    return settings.profile


def current_token(settings: ClientSettings, deps: Deps, min_ttl: float | None = None) -> TokenSet:
    """A token valid for at least `min_ttl` (default: the profile's leeway), refreshed and saved if needed."""
    profile = _need_profile(settings)
    leeway = settings.leeway if min_ttl is None else min_ttl
    tokens = deps.store.load_tokens(profile)
    if tokens is None:
        raise LoginRequired(f"profile {profile!r} has no token", hint=f"log in with `oauth2 login {profile}`")
    if not tokens.needs_refresh(deps.clock(), leeway):
        return tokens
    return refresh(settings, deps, stale=tokens)


def refresh(settings: ClientSettings, deps: Deps, stale: TokenSet | None = None) -> TokenSet:
    """Refresh now (oauth2 refresh, a 401 in oauth2 call), save, and return the new token set.

    `stale` is the token the caller found wanting; when the store already holds a
    different one, another process has refreshed meanwhile and that one is used.
    """
    from oauth2cli.flows import token as token_flow

    profile = _need_profile(settings)
    stored = deps.store.load_tokens(profile)
    if stored is None:
        raise LoginRequired(f"profile {profile!r} has no token", hint=f"log in with `oauth2 login {profile}`")
    if stale is not None and stored.access_token != stale.access_token and not stored.needs_refresh(deps.clock(), 0):
        return stored
    new = token_flow.refresh(settings, deps, stored)
    deps.store.save_tokens(profile, new)
    return new
