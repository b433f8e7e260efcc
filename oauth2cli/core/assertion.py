"""JWT bearer assertions for the authorization grant (RFC 7523 §2.1, §3), and Google's
service-account JSON.

Every call builds a NEW claims dictionary with a fresh jti, iat and exp: reusing a
shared dictionary (and with it a jti) makes the server refuse the second assertion as
a replay (RFC 7523 §3, item 7).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from oauth2cli.core.errors import ConfigError

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
DEFAULT_LIFETIME = 300
MAX_LIFETIME = 3600
# Claims the tool sets itself; --claim cannot override them silently.
REGISTERED = ("iss", "sub", "aud", "exp", "iat", "jti")


@dataclass(frozen=True)
class AssertionSpec:
    iss: str
    sub: str
    aud: str | tuple[str, ...]
    lifetime: int = DEFAULT_LIFETIME
    claims: Mapping[str, Any] = field(default_factory=dict)  # extra claims (a "scope" claim for Google)
    headers: Mapping[str, Any] = field(default_factory=dict)
    alg: str | None = None
    kid: str | None = None


def check_lifetime(value: Any) -> int:
    try:
        lifetime = int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"the assertion lifetime must be a whole number of seconds, got {value!r}") from None
    if not 1 <= lifetime <= MAX_LIFETIME:
        raise ConfigError(f"the assertion lifetime must be between 1 and {MAX_LIFETIME} seconds, got {lifetime}")
    return lifetime


def assertion_claims(spec: AssertionSpec, *, now: float, jti: str) -> dict[str, Any]:
    """A fresh claims object for one assertion (RFC 7523 §3: iss, sub, aud, exp; iat and jti too)."""
    for name in REGISTERED:
        if name in spec.claims:
            raise ConfigError(f"the claim {name!r} is set by the tool; use the matching option instead of --claim")
    issued = int(now)
    claims: dict[str, Any] = {
        "iss": spec.iss,
        "sub": spec.sub,
        "aud": list(spec.aud) if isinstance(spec.aud, tuple) else spec.aud,
        "iat": issued,
        "exp": issued + check_lifetime(spec.lifetime),
        "jti": jti,
    }
    claims.update(spec.claims)
    return claims


def assertion_headers(spec: AssertionSpec) -> dict[str, Any]:
    headers = dict(spec.headers)
    if spec.kid and "kid" not in headers:
        headers["kid"] = spec.kid
    for name in ("alg",):
        if name in headers:
            raise ConfigError("set the signing algorithm with --alg, not --header alg=...")
    return headers


@dataclass(frozen=True)
class ServiceAccount:
    """The parts of a Google service-account key file this tool uses."""

    client_email: str
    private_key: str = field(repr=False)
    private_key_id: str | None
    token_uri: str
    source: str = "the service account file"


GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"


def parse_service_account(text: str, *, source: str = "the service account file") -> ServiceAccount:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"{source} is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{source} is not a JSON object")
    kind = data.get("type")
    if kind is not None and kind != "service_account":
        raise ConfigError(f"{source} has type {kind!r}, not 'service_account'")
    for name in ("client_email", "private_key"):
        if not isinstance(data.get(name), str) or not data[name]:
            raise ConfigError(f"{source} has no {name}")
    token_uri = data.get("token_uri") or GOOGLE_TOKEN_URI
    if not isinstance(token_uri, str):
        raise ConfigError(f"{source}: token_uri is not a string")
    kid = data.get("private_key_id")
    return ServiceAccount(
        client_email=data["client_email"],
        private_key=data["private_key"],
        private_key_id=kid if isinstance(kid, str) and kid else None,
        token_uri=token_uri,
        source=source,
    )
