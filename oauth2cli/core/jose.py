"""Signing keys and signed JWTs (joserfc), shared by client assertions (RFC 7523 §2.2),
the JWT bearer grant (RFC 7523 §2.1), DPoP proofs and id_token checks.

joserfc is imported inside the functions, so that importing this module costs nothing.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from oauth2cli.core.errors import ConfigError

# Default signing algorithm by key type (and curve).
DEFAULT_ALG = {"RSA": "RS256", "EC:P-256": "ES256", "EC:P-384": "ES384", "EC:P-521": "ES512",
               "OKP:Ed25519": "EdDSA", "oct": "HS256"}


def new_jti() -> str:
    # A fresh identifier per assertion: servers reject a replayed jti (RFC 7523 §3, item 7).
    return secrets.token_urlsafe(24)


def load_private_key(text: str | bytes, *, source: str = "the key", password: str | None = None):
    """A joserfc key from PEM or a JWK (JSON). Raises ConfigError naming `source`."""
    from joserfc.jwk import ECKey, OKPKey, RSAKey

    raw = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    stripped = raw.strip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except ValueError as exc:
            raise ConfigError(f"{source} is neither PEM nor valid JWK JSON: {exc}") from None
        if isinstance(data, dict) and "keys" in data:
            keys = data["keys"]
            if not isinstance(keys, list) or len(keys) != 1:
                raise ConfigError(f"{source} is a JWK Set with {len(keys) if isinstance(keys, list) else 'no'} keys; give exactly one")
            data = keys[0]
        if not isinstance(data, dict):
            raise ConfigError(f"{source} is not a JWK object")
        kty = data.get("kty")
        cls = {"RSA": RSAKey, "EC": ECKey, "OKP": OKPKey}.get(kty)
        if cls is None:
            raise ConfigError(f"{source}: unsupported JWK key type {kty!r} (RSA, EC or OKP)")
        try:
            key = cls.import_key(data)
        except Exception as exc:
            raise ConfigError(f"{source} is not a usable {kty} JWK: {exc}") from None
    else:
        key = None
        for cls in (RSAKey, ECKey, OKPKey):
            try:
                key = cls.import_key(stripped.encode(), password=password)
                break
            except Exception:
                continue
        if key is None:
            raise ConfigError(f"{source} is not a PEM private key (RSA, EC or Ed25519) nor a JWK")
    if not key.is_private:
        raise ConfigError(f"{source} is a public key; signing needs the private key")
    return key


def load_private_key_file(path: str, password: str | None = None):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise ConfigError(f"cannot read the private key {path}: {exc.strerror or exc}") from None
    return load_private_key(data, source=f"the private key {path}", password=password)


def default_alg(key) -> str:
    kty = key.key_type
    curve = key.as_dict(private=False).get("crv") if kty in ("EC", "OKP") else None
    alg = DEFAULT_ALG.get(f"{kty}:{curve}" if curve else kty)
    if not alg:
        raise ConfigError(f"no default signing algorithm for a {kty} {curve or ''} key; give --alg")
    return alg


def secret_key(secret: str):
    """The client secret as an HMAC key (client_secret_jwt, OIDC Core §10.1)."""
    import warnings

    from joserfc.jwk import OctKey

    with warnings.catch_warnings():
        # Short secrets are the server's choice, not something a client can fix.
        warnings.simplefilter("ignore")
        return OctKey.import_key(secret.encode("utf-8"))


def sign_jwt(claims: dict[str, Any], key, *, alg: str | None = None, headers: dict[str, Any] | None = None,
             typ: str | None = "JWT") -> str:
    """A compact JWS of `claims`. The caller's dictionaries are never changed."""
    from joserfc import jwt
    from joserfc.jws import JWSRegistry

    alg = alg or default_alg(key)
    header: dict[str, Any] = {"alg": alg}
    if typ:
        header["typ"] = typ
    header.update(headers or {})
    kid = getattr(key, "kid", None)
    if kid and "kid" not in header:
        header["kid"] = kid
    # joserfc refuses HS256 with short keys and some algorithms unless listed; allow exactly this one.
    registry = JWSRegistry(algorithms=[alg])
    import warnings

    try:
        with warnings.catch_warnings():
            # joserfc warns about EdDSA (RFC 9864) and short HMAC keys; servers still ask for both.
            warnings.simplefilter("ignore")
            return jwt.encode(header, dict(claims), key, algorithms=[alg], registry=registry)
    except Exception as exc:
        raise ConfigError(f"cannot sign with {alg}: {exc}") from None


def public_jwk(key) -> dict[str, Any]:
    return key.as_dict(private=False)
