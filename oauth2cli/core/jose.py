"""Signing keys and signed JWTs, shared by client assertions (RFC 7523 §2.2), the JWT bearer
grant (RFC 7523 §2.1), DPoP proofs and id_token checks.

Signatures are made by core/jws_sign.py with cryptography's primitives; keys from a JWK, and
every verification, are joserfc's. Both are imported inside the functions, so that importing
this module costs nothing.
"""

from __future__ import annotations

import json
from typing import Any

from oauth2cli.core.errors import ConfigError
from oauth2cli.core.jws_sign import b64url, joserfc_pem_key  # noqa: F401 (b64url: jose.b64url is the name callers use)

# Default signing algorithm by key type (and curve).
DEFAULT_ALG = {"RSA": "RS256", "EC:P-256": "ES256", "EC:P-384": "ES384", "EC:P-521": "ES512",
               "OKP:Ed25519": "EdDSA", "oct": "HS256"}


def new_jti() -> str:
    # A fresh identifier per assertion: servers reject a replayed jti (RFC 7523 §3, item 7).
    # secrets.token_urlsafe(24), without loading secrets (and its random, hmac and hashlib)
    import os

    return b64url(os.urandom(24))


def _pem_or_json(text: str | bytes, source: str) -> tuple[str, Any]:
    """The text stripped, and its JSON when it is JSON (a JWK or JWK Set), else None (PEM)."""
    raw = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    stripped = raw.strip()
    if not stripped.startswith("{"):
        return stripped, None
    try:
        return stripped, json.loads(stripped)
    except ValueError as exc:
        raise ConfigError(f"{source} is neither PEM nor valid JWK JSON: {exc}") from None


def load_private_key(text: str | bytes, *, source: str = "the key", password: str | None = None):
    """A signing key from PEM (core/jws_sign.PemKey) or a JWK (JSON, a joserfc key). Raises
    ConfigError naming `source`."""
    stripped, data = _pem_or_json(text, source)
    if data is not None:
        from joserfc.jwk import ECKey, OKPKey, RSAKey

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
        from oauth2cli.core.jws_sign import load_pem_private

        key = load_pem_private(stripped.encode(), password) or joserfc_pem_key(stripped, password)
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
    from oauth2cli.core.jws_sign import curve_of

    kty = key.key_type
    curve = curve_of(key) if kty in ("EC", "OKP") else None
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
    from oauth2cli.core.jws_sign import compact

    alg = alg or default_alg(key)
    header: dict[str, Any] = {"alg": alg}
    if typ:
        header["typ"] = typ
    header.update(headers or {})
    kid = getattr(key, "kid", None)
    if kid and "kid" not in header:
        header["kid"] = kid
    try:
        return compact(header, dict(claims), key, alg)
    except ConfigError:
        raise
    except Exception as exc:  # a key cryptography refuses to sign with (too small, ...)
        raise ConfigError(f"cannot sign with {alg}: {exc}") from None


def joserfc_key(key):
    """The key as joserfc takes it: a PEM key (core/jws_sign.PemKey) becomes joserfc's own."""
    from oauth2cli.core.jws_sign import PemKey

    return key.as_joserfc() if isinstance(key, PemKey) else key


def public_jwk(key) -> dict[str, Any]:
    return key.as_dict(private=False)


# -- reading and verifying JWTs ---------------------------------------------------------

# The key type each JWS algorithm family needs (RFC 7518 §3.1, RFC 8037 §3.1).
_ALG_KTY = {"HS": "oct", "RS": "RSA", "PS": "RSA", "ES": "EC", "Ed": "OKP"}
# Hash of an algorithm without a size suffix: EdDSA with Ed25519 uses SHA-512 (OIDC Core errata for at_hash).
_ALG_HASH = {"EdDSA": "sha512", "Ed25519": "sha512", "ES256K": "sha256"}


def key_type_for_alg(alg: str) -> str | None:
    if alg in ("EdDSA", "Ed25519", "Ed448"):
        return "OKP"
    return _ALG_KTY.get(alg[:2])


def is_hmac(alg: str) -> bool:
    return alg.startswith("HS")


def _b64url_decode(part: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def split_jwt(token: str, *, what: str = "the token") -> tuple[dict[str, Any], dict[str, Any]]:
    """Header and claims of a compact JWS, NOT verified. Raises ProtocolError naming `what`."""
    from oauth2cli.core.errors import ProtocolError

    token = token.strip()
    parts = token.split(".")
    if len(parts) == 5:
        raise ProtocolError(f"{what} is an encrypted JWT (JWE); its claims need the decryption key")
    if len(parts) != 3:
        raise ProtocolError(f"{what} is not a JWT (expected three dot-separated parts, got {len(parts)})")
    try:
        header = json.loads(_b64url_decode(parts[0]))
        claims = json.loads(_b64url_decode(parts[1]))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ProtocolError(f"{what} is not a JWT: {exc}") from None
    if not isinstance(header, dict):
        raise ProtocolError(f"{what}: the JWT header is not a JSON object")
    if not isinstance(claims, dict):
        raise ProtocolError(f"{what}: the JWT claims are not a JSON object")
    return header, claims


def token_hash(value: str, alg: str) -> str:
    """at_hash / c_hash (OIDC Core §3.1.3.6): left half of the hash the JWS alg uses, base64url."""
    import hashlib

    name = _ALG_HASH.get(alg)
    if name is None:
        size = alg[-3:]
        if size not in ("256", "384", "512"):
            raise ValueError(f"no hash known for alg {alg}")
        name = f"sha{size}"
    digest = hashlib.new(name, value.encode("ascii")).digest()
    return b64url(digest[: len(digest) // 2])


def verify_jws(token: str, key, alg: str) -> bool:
    """True when `token` is a compact JWS with algorithm `alg` whose signature `key` verifies."""
    import warnings

    from joserfc import jws
    from joserfc.errors import JoseError
    from joserfc.jws import JWSRegistry

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            jws.deserialize_compact(token.strip(), key, algorithms=[alg],
                                   registry=JWSRegistry(algorithms=[alg], strict_check_header=False))
    except (JoseError, ValueError):
        return False
    return True


def import_jwk(data: dict[str, Any]):
    """A joserfc key from a JWK dict; ValueError when it is unusable."""
    from joserfc.jwk import ECKey, OctKey, OKPKey, RSAKey

    cls = {"RSA": RSAKey, "EC": ECKey, "OKP": OKPKey, "oct": OctKey}.get(data.get("kty"))
    if cls is None:
        raise ValueError(f"unsupported key type {data.get('kty')!r}")
    try:
        return cls.import_key(data)
    except Exception as exc:
        raise ValueError(str(exc)) from None


def load_verification_keys(text: str | bytes, *, source: str = "the key") -> list:
    """Keys to verify with: a PEM public key or certificate-less private key, a JWK or a JWK Set."""
    stripped, data = _pem_or_json(text, source)
    if data is not None:
        entries = data.get("keys") if isinstance(data, dict) and "keys" in data else [data]
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise ConfigError(f"{source} is not a JWK or a JWK Set")
        keys = []
        for entry in entries:
            try:
                keys.append(import_jwk(entry))
            except ValueError as exc:
                raise ConfigError(f"{source}: unusable JWK: {exc}") from None
        return keys
    key = joserfc_pem_key(stripped)
    if key is None:
        raise ConfigError(f"{source} is not a PEM key (RSA, EC or Ed25519), a JWK nor a JWK Set")
    return [key]
