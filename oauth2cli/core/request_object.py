"""JWT-secured authorization requests (RFC 9101): the request object, built and signed.

Pure: the caller gives the time, a fresh jti and the key; nothing here reads a clock or a file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from oauth2cli.core.errors import ConfigError
from oauth2cli.core.http import Pairs

LIFETIME = 60  # seconds; FAPI 2.0 Message Signing §5.3.1 allows at most 60 between nbf and exp
TYP = "oauth-authz-req+jwt"  # RFC 9101 §10.8
# Parameters whose value is JSON, not text, inside a request object.
JSON_VALUED = ("authorization_details", "claims")
NUMBER_VALUED = ("max_age",)


def request_object_claims(params: Pairs, *, client_id: str, audience: str, now: float, jti: str,
                          lifetime: int = LIFETIME) -> dict[str, Any]:
    """The claims of a request object (RFC 9101 §4): every authorization request parameter, then
    iss = client_id, aud = the issuer, and fresh iat/nbf/exp/jti."""
    claims: dict[str, Any] = {}
    for key, value in params:
        if key in ("request", "request_uri"):
            raise ConfigError(f"-P {key}=... cannot go inside a request object")
        parsed: Any = value
        if key in JSON_VALUED:
            try:
                parsed = json.loads(value)
            except ValueError:
                raise ConfigError(f"{key} is not JSON, so it cannot go inside a request object") from None
        elif key in NUMBER_VALUED and value.isdigit():
            parsed = int(value)
        if key in claims:  # a repeated parameter (resource, RFC 8707 §2) becomes an array
            previous = claims[key]
            claims[key] = [*previous, parsed] if isinstance(previous, list) and key not in JSON_VALUED else [previous, parsed]
        else:
            claims[key] = parsed
    claims["client_id"] = client_id
    issued = int(now)
    claims.update(iss=client_id, aud=audience, iat=issued, nbf=issued, exp=issued + lifetime, jti=jti)
    return claims


def signing_alg(key_type: str, default: str, server_algs: Sequence[str] | None, key_alg: str | None = None) -> str:
    """The JWS alg for a request object: the key's own alg, else `default` (the key's usual alg)
    when the server lists it in request_object_signing_alg_values_supported, else the first listed
    alg that fits this key type."""
    from oauth2cli.core.jose import key_type_for_alg

    listed = [a for a in (server_algs or ()) if isinstance(a, str) and a.lower() != "none"]
    wanted = key_alg or default
    if not listed or wanted in listed:
        return wanted
    if key_alg:
        raise ConfigError(f"the key's alg {key_alg} is not one the server accepts for request objects "
                          f"({', '.join(listed)})")
    fitting = [a for a in listed if key_type_for_alg(a) == key_type]
    if not fitting:
        raise ConfigError(f"the server accepts request objects signed with {', '.join(listed)}, "
                          f"none of which fits a {key_type} key")
    return fitting[0]


def outer_parameters(client_id: str, request_object: str) -> Pairs:
    """RFC 9101 §5 (and FAPI 2.0): only client_id and request travel outside the signed JWT."""
    return (("client_id", client_id), ("request", request_object))


def sign_request_object(claims: dict[str, Any], key, alg: str, kid: str | None = None) -> str:
    from oauth2cli.core import jose

    headers = {"kid": kid} if kid else None
    return jose.sign_jwt(claims, key, alg=alg, headers=headers, typ=TYP)
