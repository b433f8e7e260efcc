"""Expiry arithmetic shared by the full token path and the cached fast path (no I/O, no clock)."""

from __future__ import annotations

DEFAULT_LEEWAY = 60.0
# How long a request may wait for a server (ClientSettings.timeout, a profile's `timeout`).
DEFAULT_TIMEOUT = 30.0


def effective_leeway(leeway: float, expires_at: float | None, saved_at: float | None,
                     min_ttl: float | None = None) -> float:
    """How long a token must still be valid to be used: --min-ttl exactly as given, else the
    profile's leeway, but at most half the token's lifetime (a server's 30 s tokens would
    otherwise never be used)."""
    if min_ttl is not None:
        return min_ttl
    if saved_at is not None and expires_at is not None and expires_at > saved_at:
        return min(leeway, (expires_at - saved_at) / 2)
    return leeway


def needs_refresh(expires_at: float | None, now: float, leeway: float) -> bool:
    """Within `leeway` of expiry. An unknown expiry is "use it and refresh on a 401", not "expired"."""
    return expires_at is not None and expires_at - leeway <= now


def stale(expires_at: float | None, saved_at: float | None, now: float, leeway: float,
          min_ttl: float | None = None) -> bool:
    """The leeway rule whole: a token saved at `saved_at` and expiring at `expires_at` is no longer
    fresh enough at `now` (effective_leeway, then needs_refresh)."""
    return needs_refresh(expires_at, now, effective_leeway(leeway, expires_at, saved_at, min_ttl))
