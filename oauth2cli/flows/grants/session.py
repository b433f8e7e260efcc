"""A profile's tokens over time: the stored token while it is fresh, else a refresh (or, for a
profile without a user, a fresh grant), saved before it is used.

Every refresh happens under the profile's file lock, and the token is read again once the
lock is held: N processes racing on one expired token make one refresh request, and a
rotated refresh token is in the store before anyone else can reach for the old one.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from oauth2cli.core.errors import LoginRequired, NetworkError, ServerError, printable
from oauth2cli.core.expiry import stale as stale_by_leeway
from oauth2cli.core.settings import ClientSettings
from oauth2cli.core.tokens import TokenSet

if TYPE_CHECKING:
    from oauth2cli.deps import Deps

def _need_profile(settings: ClientSettings) -> str:
    if not settings.profile:
        raise ValueError("a stored token needs a profile")
    return settings.profile


def _login_hint(profile: str) -> str:
    from oauth2cli.core.advice import hint

    return hint("refresh-token-unusable", profile=profile)


def is_userless(settings: ClientSettings) -> bool:
    """The profile's grant has no user behind it (core/grants.REGISTRY): a new token is simply asked for again."""
    from oauth2cli.core.grants import is_userless as userless_grant

    return userless_grant(settings.grant)


def current_token(settings: ClientSettings, deps: Deps, min_ttl: float | None = None) -> TokenSet:
    """A token valid for at least `min_ttl` (default: the profile's leeway), refreshed and saved if needed."""
    profile = _need_profile(settings)
    tokens = deps.store.load_tokens(profile)
    if tokens is not None and not _stale(settings, deps, tokens, min_ttl, deps.clock()):
        return tokens
    if tokens is None and not is_userless(settings):
        raise LoginRequired(f"profile {profile!r} has no token", hint=f"log in with `oauth2 login {profile}`")
    try:
        return _renew(settings, deps, stale=tokens, min_ttl=min_ttl, check_fresh=True)
    except (NetworkError, ServerError) as exc:
        # Within the refresh leeway the stored token still works: a server that is down (or answers
        # 5xx) costs a warning, not the run, as long as the token is valid for at least --min-ttl.
        left = None if tokens is None or tokens.expires_at is None else tokens.expires_at - deps.clock()
        down = isinstance(exc, NetworkError) or (exc.status or 0) >= 500
        if left is None or not down or left <= max(min_ttl or 0, 1):
            raise
        from oauth2cli.core.advice import hint

        deps.stderr.write(f"oauth2: warning: could not get a new token ({exc.message}); "
                          f"{hint('refresh-failed-token-kept', left=str(int(left)))}\n")
        return tokens


def _stale(settings: ClientSettings, deps: Deps, tokens: TokenSet, min_ttl: float | None, now: float) -> bool:
    """The one leeway rule (core/expiry.stale), as the lean view of a profile applies it too."""
    saved_at = getattr(deps.store, "saved_at", lambda profile: None)(settings.profile)
    return stale_by_leeway(tokens.expires_at, saved_at, now, settings.leeway, min_ttl)


def refresh(settings: ClientSettings, deps: Deps, stale: TokenSet | None = None) -> TokenSet:
    """Refresh now (oauth2 refresh, a 401 in oauth2 call), save, and return the new token set.

    `stale` is the token the caller found wanting; when the store holds a different one
    that has not expired, another process has refreshed meanwhile and that one is used.
    With no `stale`, the refresh always happens.
    """
    return _renew(settings, deps, stale=stale)


def _renew(settings: ClientSettings, deps: Deps, stale: TokenSet | None, min_ttl: float | None = None,
           check_fresh: bool = False) -> TokenSet:
    profile = _need_profile(settings)
    lock = getattr(deps.store, "lock", None)  # a test's stand-in store may have none
    with lock(profile) if lock is not None else contextlib.nullcontext():
        stored = deps.store.load_tokens(profile)
        now = deps.clock()
        if stored is not None:
            if check_fresh and not _stale(settings, deps, stored, min_ttl, now):
                return stored
            replaced = stale is None or stored.access_token != stale.access_token
            if stale is not None and replaced and not stored.needs_refresh(now, 0):
                return stored  # another process refreshed while we waited for the lock
        if not is_userless(settings) and stored is None:
            raise LoginRequired(f"profile {profile!r} has no token", hint=f"log in with `oauth2 login {profile}`")
        from oauth2cli.flows.exchange import commit

        # Before anything is sent, the store proves it can take the answer; the answer is saved
        # (its rotated refresh token first, fsynced) while the lock is held.
        with commit.prepared(deps, profile, previous=stored,
                             kind="grant" if is_userless(settings) else "refresh") as saving:
            new = _fresh_grant(settings, deps) if is_userless(settings) else _refresh_grant(settings, deps, stored)
            saving.final(new)
        return new


def _refresh_grant(settings: ClientSettings, deps: Deps, stored: TokenSet) -> TokenSet:
    from oauth2cli.flows.exchange import token as token_flow

    profile = _need_profile(settings)
    try:
        new = token_flow.refresh(settings, deps, stored)
    except ServerError as exc:
        from oauth2cli.core.advice import refresh_token_unusable

        if not refresh_token_unusable(exc.error, exc.error_description):
            raise
        # RFC 6749 §5.2: the refresh token is invalid, expired or revoked. The stored tokens
        # stay (a person may want to inspect them); only a new login helps.
        detail = f": {printable(exc.error_description, 200)}" if exc.error_description else ""
        raise LoginRequired(
            f"the server refused the refresh token of profile {profile!r} ({printable(exc.error, 100)}{detail})",
            hint=_login_hint(profile),
        ) from None
    if new.id_token and new.id_token != stored.id_token:
        from oauth2cli.flows.exchange.oidc import check_id_token

        # OIDC Core §12.2: a refreshed id_token is validated like the first, and names the same user.
        # Nothing the check refuses is stored, but the rotated refresh token already is (flows.exchange.commit):
        # the server has retired the old one (RFC 9700 §4.14.2), and it belongs to the same grant.
        check_id_token(settings, deps, new, nonce=None, previous=stored)
    return new


def _fresh_grant(settings: ClientSettings, deps: Deps) -> TokenSet:
    """The profile's own grant run again, from what the profile holds (its flow in flows/grants/grant_flows)."""
    from oauth2cli.flows.grants import grant_flows

    return grant_flows.run(settings.grant, settings, deps)
