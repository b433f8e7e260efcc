"""Grant types and the form parameters of token requests (RFC 6749 §4, and extensions).

Forms are ordered pairs, never dicts: `resource`, `audience` and `-P` parameters repeat.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from oauth2cli.core.errors import ConfigError
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

# RFC 8693 §3: token type identifiers, by the short names people type.
TOKEN_TYPES = {
    "access_token": "urn:ietf:params:oauth:token-type:access_token",
    "refresh_token": "urn:ietf:params:oauth:token-type:refresh_token",
    "id_token": "urn:ietf:params:oauth:token-type:id_token",
    "saml1": "urn:ietf:params:oauth:token-type:saml1",
    "saml2": "urn:ietf:params:oauth:token-type:saml2",
    "jwt": "urn:ietf:params:oauth:token-type:jwt",  # RFC 7519 §9
}


def grant_type_value(name: str) -> str:
    """The grant_type to send for a short name or a full URN; KeyError when unknown."""
    if name in GRANT_TYPES:
        return GRANT_TYPES[name]
    if name in SHORT_NAMES:
        return name
    raise KeyError(name)


def short_name(name: str) -> str:
    return SHORT_NAMES.get(name, name)


def token_type_value(name: str) -> str:
    """An RFC 8693 token type: a short name (access_token, jwt, ...) or a URI as given."""
    return TOKEN_TYPES.get(name, name)


def common_parameters(
    scope: str | None = None,
    audience: str | Sequence[str] | None = None,
    resources: Sequence[str] = (),
    extra: Iterable[tuple[str, str]] = (),
) -> Pairs:
    """Parameters many grants take; `resource` repeats (RFC 8707 §2), `audience` may (RFC 8693 §2.1)."""
    pairs: list[tuple[str, str]] = []
    if scope:
        pairs.append(("scope", scope))
    audiences = [audience] if isinstance(audience, str) else list(audience or ())
    pairs.extend(("audience", a) for a in audiences if a)
    pairs.extend(("resource", r) for r in resources)
    pairs.extend((str(k), str(v)) for k, v in extra)
    return tuple(pairs)


def client_credentials_form(**common) -> Pairs:
    # RFC 6749 §4.4.2
    return (("grant_type", "client_credentials"),) + common_parameters(**common)


def password_form(username: str, password: str, **common) -> Pairs:
    # RFC 6749 §4.3.2 (deprecated by RFC 9700 §2.4, still met in the field)
    if not username:
        raise ConfigError("the password grant needs --username")
    return (("grant_type", "password"), ("username", username), ("password", password)) + common_parameters(**common)


def refresh_token_form(refresh_token: str, scope: str | None = None, extra: Iterable[tuple[str, str]] = (),
                       resources: Sequence[str] = ()) -> Pairs:
    # RFC 6749 §6; RFC 8707 §2.2 allows resource on a refresh too
    pairs: list[tuple[str, str]] = [("grant_type", "refresh_token"), ("refresh_token", refresh_token)]
    if scope:
        pairs.append(("scope", scope))
    pairs.extend(("resource", r) for r in resources)
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


def jwt_bearer_form(assertion: str, **common) -> Pairs:
    # RFC 7523 §2.1
    return (("grant_type", GRANT_TYPES["jwt-bearer"]), ("assertion", assertion)) + common_parameters(**common)


def token_exchange_form(
    subject_token: str,
    subject_token_type: str,
    *,
    actor_token: str | None = None,
    actor_token_type: str | None = None,
    requested_token_type: str | None = None,
    **common,
) -> Pairs:
    """RFC 8693 §2.1: subject_token and its type are required; an actor_token needs its type."""
    if not subject_token:
        raise ConfigError("token exchange needs a subject token: --subject-token, --subject-token-env or --subject-token-file")
    if not subject_token_type:
        raise ConfigError("token exchange needs --subject-token-type (access_token, refresh_token, id_token, jwt, ... or a URI)")
    pairs: list[tuple[str, str]] = [
        ("grant_type", GRANT_TYPES["token-exchange"]),
        ("subject_token", subject_token),
        ("subject_token_type", token_type_value(subject_token_type)),
    ]
    if actor_token:
        if not actor_token_type:
            # RFC 8693 §2.1: actor_token_type is REQUIRED when actor_token is present.
            raise ConfigError("--actor-token needs --actor-token-type")
        pairs += [("actor_token", actor_token), ("actor_token_type", token_type_value(actor_token_type))]
    elif actor_token_type:
        raise ConfigError("--actor-token-type was given without an actor token")
    if requested_token_type:
        pairs.append(("requested_token_type", token_type_value(requested_token_type)))
    return tuple(pairs) + common_parameters(**common)


def grant_of_form(form: Pairs) -> str | None:
    for key, value in form:
        if key == "grant_type":
            return value
    return None
