"""What a login saves when its answer has no refresh token: a pure merge of the new token set
with the stored one (RFC 6749 §6 lets a refresh answer omit it; Google's, Microsoft's and others'
logins omit it after the first consent). The store's save calls this; it writes nothing itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from oauth2cli.core.tokens import TokenSet


@dataclass(frozen=True)
class Merged:
    tokens: TokenSet
    # What to tell the person: "kept" (the stored refresh token was kept), "none" (the profile now
    # has no refresh token), or None (the answer had one; nothing to say).
    outcome: str | None
    reason: str = ""


def _identity(claims: dict[str, Any] | None) -> tuple[str, str] | None:
    if not isinstance(claims, dict):
        return None
    iss, sub = claims.get("iss"), claims.get("sub")
    if isinstance(iss, str) and iss and isinstance(sub, str) and sub:
        return iss, sub
    return None


def keep_refresh_token(new: TokenSet, new_claims: dict[str, Any] | None, stored: TokenSet | None,
                       stored_claims: dict[str, Any] | None) -> Merged:
    """The token set a login saves.

    The stored refresh token is kept only when the new answer has none and both logins name the
    same account: the id_tokens' iss and sub are equal. A refresh token of another account (or of
    one we cannot tell) must never be paired with this login's tokens.
    """
    if new.refresh_token:
        return Merged(new, None)
    if stored is None or not stored.refresh_token:
        return Merged(new, "none", "the server sent none and none was stored")
    mine, theirs = _identity(new_claims), _identity(stored_claims)
    if mine is None or theirs is None:
        return Merged(new, "none", "the server sent none, and without id_tokens on both logins the stored one "
                                   "cannot be shown to belong to the same account")
    if mine != theirs:
        return Merged(new, "none", "the server sent none, and the stored one belongs to another account "
                                   f"(sub {theirs[1]!r}, not {mine[1]!r})")
    return Merged(replace(new, refresh_token=stored.refresh_token), "kept",
                  "the server sent none; the stored one is for the same account (iss and sub)")
