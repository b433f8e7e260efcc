"""A login's token set as saved: the stored refresh token kept when the answer has none and the
account is the same (core.token_merge), and the words that say so. No click."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from oauth2cli.core.settings import ClientSettings
from oauth2cli.core.token_merge import keep_refresh_token
from oauth2cli.core.tokens import TokenSet

if TYPE_CHECKING:
    from oauth2cli.deps import Deps

def _stored_claims(stored: TokenSet | None) -> dict[str, Any] | None:
    if stored is None or not stored.id_token:
        return None
    from oauth2cli.core.errors import OAuth2CliError
    from oauth2cli.flows.exchange.oidc import unverified_claims

    try:
        # It was validated when it was saved; here only its iss and sub are compared.
        return unverified_claims(stored.id_token)
    except OAuth2CliError:
        return None


def refresh_hint(settings: ClientSettings) -> str:
    if settings.preset:
        from oauth2cli.providers import load

        hint = load(settings.preset).hints.get("refresh_token")
        if hint:
            return hint
    from oauth2cli.core.advice import hint

    # Decided from what was sent: offline_access asked for without consent is the usual cause.
    if "offline_access" in (settings.scope or "").split() and ("prompt", "consent") not in settings.auth_params:
        return hint("no-refresh-token", profile=settings.profile or "PROFILE")
    return hint("no-refresh-token-asked")


def tokens_to_save(settings: ClientSettings, deps: Deps, profile: str, tokens: TokenSet,
                   claims: dict[str, Any] | None) -> tuple[TokenSet, str | None]:
    """Call under the profile's lock: the set to save, and a line for the person (or None)."""
    stored = deps.store.load_tokens(profile)
    merged = keep_refresh_token(tokens, claims, stored, _stored_claims(stored))
    if merged.outcome == "kept":
        return merged.tokens, f"oauth2: kept the stored refresh token of {profile!r}: {merged.reason}"
    if merged.outcome == "none":
        return merged.tokens, (f"oauth2: note: profile {profile!r} has no refresh token ({merged.reason}); "
                               f"`oauth2 refresh` will need a new login: {refresh_hint(settings)}")
    return merged.tokens, None
