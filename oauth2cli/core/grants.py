"""Grant types and the form parameters of token requests (RFC 6749 §4, and extensions)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from oauth2cli.core.http import Pairs

# Short names people type, and the grant_type value each sends.
GRANT_TYPES = {
    "client_credentials": "client_credentials",
    "password": "password",
    "refresh_token": "refresh_token",
    "authorization_code": "authorization_code",
    "device_code": "urn:ietf:params:oauth:grant-type:device_code",  # RFC 8628 §3.4
    "jwt-bearer": "urn:ietf:params:oauth:grant-type:jwt-bearer",  # RFC 7523 §2.1
    "token-exchange": "urn:ietf:params:oauth:grant-type:token-exchange",  # RFC 8693 §2.1
}
SHORT_NAMES = {urn: short for short, urn in GRANT_TYPES.items()}


def grant_type_value(name: str) -> str:
    """The grant_type to send for a short name or a full URN; KeyError when unknown."""
    if name in GRANT_TYPES:
        return GRANT_TYPES[name]
    if name in SHORT_NAMES:
        return name
    raise KeyError(name)


def short_name(name: str) -> str:
    return SHORT_NAMES.get(name, name)


def common_parameters(
    scope: str | None = None,
    audience: str | None = None,
    resources: Sequence[str] = (),
    extra: Iterable[tuple[str, str]] = (),
) -> Pairs:
    """Parameters many grants take; `resource` repeats (RFC 8707 §2)."""
    pairs: list[tuple[str, str]] = []
    if scope:
        pairs.append(("scope", scope))
    if audience:
        pairs.append(("audience", audience))
    pairs.extend(("resource", r) for r in resources)
    pairs.extend(extra)
    return tuple(pairs)


def client_credentials_form(**common) -> Pairs:
    # RFC 6749 §4.4.2
    return (("grant_type", "client_credentials"),) + common_parameters(**common)


def refresh_token_form(refresh_token: str, scope: str | None = None, extra: Iterable[tuple[str, str]] = ()) -> Pairs:
    # RFC 6749 §6
    pairs: list[tuple[str, str]] = [("grant_type", "refresh_token"), ("refresh_token", refresh_token)]
    if scope:
        pairs.append(("scope", scope))
    pairs.extend(extra)
    return tuple(pairs)


def authorization_code_form(code: str, redirect_uri: str | None, code_verifier: str | None = None,
                            resources: Sequence[str] = (), extra: Iterable[tuple[str, str]] = ()) -> Pairs:
    # RFC 6749 §4.1.3; RFC 7636 §4.5 adds code_verifier
    pairs: list[tuple[str, str]] = [("grant_type", "authorization_code"), ("code", code)]
    if redirect_uri:
        pairs.append(("redirect_uri", redirect_uri))
    if code_verifier:
        pairs.append(("code_verifier", code_verifier))
    pairs.extend(("resource", r) for r in resources)
    pairs.extend(extra)
    return tuple(pairs)
