"""The fast path of `oauth2 token PROFILE`: a fresh stored token, printed without building the
run's settings. CI calls `oauth2 token` before every step; this path reads config.toml and one
secret-store entry, and nothing else. Anything unusual returns None and the full path decides
(and reports errors with its own words)."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

from oauth2cli.core.expiry import DEFAULT_LEEWAY, effective_leeway, needs_refresh
from oauth2cli.store import SAVED_AT, paths

if TYPE_CHECKING:
    from oauth2cli.deps import Deps


def _profile(deps: Deps, name: str) -> dict | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        with open(paths.config_file(deps.environ), "rb") as f:
            profiles = tomllib.load(f).get("profiles")
    except (OSError, ValueError, RecursionError):
        return None
    profile = profiles.get(name) if isinstance(profiles, dict) else None
    return profile if isinstance(profile, dict) else None


def fresh_stored_token(deps: Deps, name: str, min_ttl: float | None) -> tuple[str, str, float] | None | bool:
    """(access_token, token_type, expires_at) when the stored token is fresh enough to print as is;
    False when a token is stored but stale (worth waiting for the profile's lock and looking again);
    None when the full path must decide."""
    profile = _profile(deps, name)
    if profile is None:
        return None
    leeway = profile.get("leeway", DEFAULT_LEEWAY)
    if isinstance(leeway, bool) or not isinstance(leeway, (int, float)) or leeway < 0:
        return None
    return _fresh(deps, name, float(leeway), min_ttl)


def _fresh(deps: Deps, name: str, leeway: float, min_ttl: float | None) -> tuple[str, str, float] | None | bool:
    """The token when fresh; False when stored but stale; None when the full path must decide."""
    try:
        from oauth2cli.store.direct import direct_store

        direct = direct_store(deps.environ, deps.store_choice)
        try:
            raw = (direct or deps.store.secrets).get(name, "tokens")
        finally:
            if direct is not None:
                direct.backend.close()
        data = json.loads(raw) if raw else None
    except Exception:  # the full path reports store problems properly
        return None
    if not isinstance(data, dict):
        return None
    access_token, token_type = data.get("access_token"), data.get("token_type", "Bearer")
    expires_at, saved_at = data.get("expires_at"), data.get(SAVED_AT)
    if not isinstance(access_token, str) or not access_token or not isinstance(token_type, str):
        return None
    if not isinstance(expires_at, (int, float)) or isinstance(expires_at, bool):
        return None  # unknown expiry: the full path knows what that means for this profile
    saved_at = saved_at if isinstance(saved_at, (int, float)) and not isinstance(saved_at, bool) else None
    if needs_refresh(expires_at, deps.clock(), effective_leeway(leeway, expires_at, saved_at, min_ttl)):
        return False
    return access_token, token_type, float(expires_at)
