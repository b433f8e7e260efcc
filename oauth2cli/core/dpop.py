"""DPoP (RFC 9449): proofs, and reading what servers say about them. No I/O, no clock.

A proof is a JWT signed with the client's key, whose public half rides in the header
(§4.2); it binds one request (htm, htu) at one time (iat), once (jti), to one access
token (ath), and to the server's nonce when it asks for one (§8, §9).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from oauth2cli.core import jose
from oauth2cli.core.www_authenticate import find, parse_all

PROOF_TYP = "dpop+jwt"  # RFC 9449 §4.2
USE_NONCE = "use_dpop_nonce"  # RFC 9449 §8 (authorization server), §9 (resource server)
NONCE_HEADER = "DPoP-Nonce"
# Asymmetric algorithms only (§4.2: "MUST NOT be none or an identifier for a symmetric algorithm").
ASYMMETRIC = ("ES256", "ES384", "ES512", "EdDSA", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def htu(url: str) -> str:
    """The htu claim: the target URI without query and fragment (RFC 9449 §4.2)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    # RFC 9449 §4.3 compares after RFC 3986 §6.2.2/§6.2.3 normalization: no userinfo, no default port.
    host = parts.netloc.rpartition("@")[2].lower()
    default = {"http": ":80", "https": ":443"}.get(scheme)
    if default and host.endswith(default):
        host = host[: -len(default)]
    return urlunsplit((scheme, host, parts.path or "/", "", ""))


def access_token_hash(access_token: str) -> str:
    """The ath claim: base64url SHA-256 of the ASCII access token (RFC 9449 §4.2)."""
    return b64url(hashlib.sha256(access_token.encode("ascii")).digest())


def proof_claims(method: str, url: str, *, now: float, jti: str, access_token: str | None = None,
                 nonce: str | None = None) -> dict[str, Any]:
    claims: dict[str, Any] = {"jti": jti, "htm": method, "htu": htu(url), "iat": int(now)}
    if access_token is not None:
        claims["ath"] = access_token_hash(access_token)
    if nonce is not None:
        claims["nonce"] = nonce
    return claims


def build_proof(key, method: str, url: str, *, now: float, jti: str, alg: str | None = None,
                access_token: str | None = None, nonce: str | None = None) -> str:
    """A signed DPoP proof JWT for one request."""
    alg = alg or jose.default_alg(key)
    if alg not in ASYMMETRIC:
        raise ValueError(f"DPoP proofs need an asymmetric algorithm, not {alg}")
    # The header carries only the public key (§4.2); no kid, the jwk is the identity.
    header = {"jwk": jose.public_jwk(key)}
    claims = proof_claims(method, url, now=now, jti=jti, access_token=access_token, nonce=nonce)
    return jose.sign_jwt(claims, _without_kid(key), alg=alg, headers=header, typ=PROOF_TYP)


def _without_kid(key):
    # sign_jwt adds a kid header when the key has one; a DPoP proof identifies its key by `jwk`.
    if getattr(key, "kid", None):
        import copy

        key = copy.copy(key)
        try:
            key.kid = None
        except AttributeError:
            pass
    return key


def thumbprint(key) -> str:
    """RFC 7638 JWK thumbprint (SHA-256) of the public key: the `jkt` a bound token carries."""
    members = {"EC": ("crv", "kty", "x", "y"), "RSA": ("e", "kty", "n"), "OKP": ("crv", "kty", "x")}
    jwk = jose.public_jwk(key)
    names = members.get(jwk.get("kty"), ())
    canonical = json.dumps({k: jwk[k] for k in names}, separators=(",", ":"), sort_keys=True)
    return b64url(hashlib.sha256(canonical.encode("utf-8")).digest())


# -- what servers answer ------------------------------------------------------

def nonce_from(headers: Iterable[tuple[str, str]]) -> str | None:
    """The DPoP-Nonce header, if any (any response may carry a fresh one, §8.2, §9)."""
    for name, value in headers:
        if name.lower() == "dpop-nonce" and value.strip():
            return value.strip()
    return None


def resource_wants_nonce(status: int, headers: Iterable[tuple[str, str]]) -> str | None:
    """The nonce to retry with, when a resource answered 401 `use_dpop_nonce` (RFC 9449 §9)."""
    headers = list(headers)
    if status != 401:
        return None
    challenge = find(challenges(headers), "DPoP")
    if challenge is None or challenge.get("error") != USE_NONCE:
        return None
    return nonce_from(headers)


def token_endpoint_wants_nonce(status: int, headers: Iterable[tuple[str, str]], body: bytes) -> str | None:
    """The nonce to retry with, when the token endpoint answered 400 `use_dpop_nonce` (RFC 9449 §8)."""
    headers = list(headers)
    if status not in (400, 401):
        return None
    try:
        error = json.loads(body.decode("utf-8")).get("error")
    except (ValueError, AttributeError, UnicodeDecodeError):
        return None
    return nonce_from(headers) if error == USE_NONCE else None


def challenges(headers: Iterable[tuple[str, str]]):
    return parse_all(value for name, value in headers if name.lower() == "www-authenticate")


def token_error(headers: Iterable[tuple[str, str]], scheme: str) -> str | None:
    """The RFC 6750 §3 / RFC 9449 §7.1 `error` of the scheme's challenge (invalid_token, ...)."""
    challenge = find(challenges(headers), scheme)
    return challenge.get("error") if challenge else None
