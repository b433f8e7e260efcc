"""Compact JWS signing (RFC 7515 §7.1) with cryptography's primitives, for every signature the
client makes: client assertions, JWT bearer assertions, DPoP proofs, request objects.

A key read from PEM is a PemKey: cryptography's key object, with what signing asks of it (type,
curve, kid). Whatever else is asked of a key (its public JWK, its RFC 7638 thumbprint) the
joserfc key made from the same PEM answers, made on first use: signing a client assertion loads
cryptography's primitives only, not joserfc (whose key module loads cryptography.x509, email
and datetime). joserfc keys (from a JWK) sign here too, through their cryptography object.
"""

from __future__ import annotations

import json

from oauth2cli.core.errors import ConfigError

_CURVES = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521", "secp256k1": "secp256k1"}
# The curve each ECDSA algorithm signs with (RFC 7518 §3.4, RFC 8812 §3.2).
_ES_CURVE = {"ES256": "P-256", "ES384": "P-384", "ES512": "P-521", "ES256K": "secp256k1"}


class PemKey:
    """A private key from PEM, for signing; other questions go to a joserfc key of the same PEM."""

    is_private = True

    def __init__(self, raw_value, pem: bytes, password: str | None = None) -> None:
        self.raw_value = raw_value
        self.kid = None
        self._pem = pem
        self._password = password
        self._joserfc = None

    @property
    def key_type(self) -> str:
        return key_type_of(self.raw_value)

    def as_joserfc(self):
        """The joserfc key of the same PEM (for JWE decryption, JWK export, thumbprints)."""
        if self._joserfc is None:
            self._joserfc = joserfc_pem_key(self._pem.decode("ascii", "replace"), self._password)
        return self._joserfc

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.as_joserfc(), name)


def b64url(data: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def joserfc_pem_key(pem: str, password: str | None = None):
    """An RSA, EC or Ed25519 key from PEM, or None."""
    from joserfc.jwk import ECKey, OKPKey, RSAKey

    for cls in (RSAKey, ECKey, OKPKey):
        try:
            return cls.import_key(pem.encode(), password=password) if password else cls.import_key(pem.encode())
        except Exception:
            continue
    return None


def load_pem_private(pem: bytes, password: str | None = None) -> PemKey | None:
    """An RSA, EC or EdDSA private key from PEM, or None (then joserfc says what the text is)."""
    try:
        # What serialization.load_pem_private_key is, without the serialization package's SSH and
        # PKCS#12 modules (about a third of cryptography's import); the public name where it moved.
        from cryptography.hazmat.bindings._rust import openssl

        load_pem_private_key = openssl.keys.load_pem_private_key
    except (ImportError, AttributeError):
        from cryptography.hazmat.primitives.serialization import load_pem_private_key
    try:
        raw = load_pem_private_key(pem, password=password.encode() if password else None)
    except (ValueError, TypeError):
        return None
    if key_type_of(raw) is None:
        return None
    return PemKey(raw, pem, password)


def key_type_of(raw) -> str | None:
    """The JWK kty of a cryptography key object (or bytes: an HMAC secret)."""
    if isinstance(raw, bytes):
        return "oct"
    # One kind's module at a time, RSA's first (the usual key): `ec` alone costs more than `rsa`.
    from cryptography.hazmat.primitives.asymmetric import rsa

    if isinstance(raw, (rsa.RSAPrivateKey, rsa.RSAPublicKey)):
        return "RSA"
    from cryptography.hazmat.primitives.asymmetric import ec

    if isinstance(raw, (ec.EllipticCurvePrivateKey, ec.EllipticCurvePublicKey)):
        return "EC"
    from cryptography.hazmat.primitives.asymmetric import ed448, ed25519

    if isinstance(raw, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)):
        return "OKP"
    return None


def curve_of(key) -> str | None:
    """crv of an EC or OKP key (P-256, ..., Ed25519), else None."""
    raw = key.raw_value
    kty = key_type_of(raw)
    if kty == "EC":
        return _CURVES.get(raw.curve.name, raw.curve.name)
    if kty == "OKP":
        from cryptography.hazmat.primitives.asymmetric import ed25519

        return "Ed25519" if isinstance(raw, ed25519.Ed25519PrivateKey) else "Ed448"
    return None


def compact(header: dict, claims: dict, key, alg: str) -> str:
    """header.claims.signature, each base64url; JSON without spaces, members in the order given."""
    def part(value: dict) -> str:
        return b64url(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))

    signing_input = f"{part(header)}.{part(claims)}"
    return f"{signing_input}.{b64url(signature(alg, key, signing_input.encode('ascii')))}"


def signature(alg: str, key, data: bytes) -> bytes:
    """The JWS signature of `data` (RFC 7518 §3.2-3.5, RFC 8037 §3.1); ConfigError when the key cannot make it."""
    raw = getattr(key, "raw_value", None)
    kty = key_type_of(raw) if raw is not None else None
    size = alg[2:]
    if alg.startswith("HS") and size in ("256", "384", "512") and kty == "oct":
        import hmac

        return hmac.new(raw, data, f"sha{size}").digest()
    from cryptography.hazmat.primitives import hashes

    digest = {"256": hashes.SHA256, "384": hashes.SHA384, "512": hashes.SHA512}.get(size[:3])
    if alg[:2] in ("RS", "PS") and digest and size in ("256", "384", "512") and kty == "RSA":
        from cryptography.hazmat.primitives.asymmetric import padding

        pad = padding.PKCS1v15() if alg.startswith("RS") else padding.PSS(
            mgf=padding.MGF1(digest()), salt_length=digest.digest_size)
        return raw.sign(data, pad, digest())
    if alg in _ES_CURVE and kty == "EC" and curve_of(key) == _ES_CURVE[alg]:
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

        r, s = decode_dss_signature(raw.sign(data, ec.ECDSA(digest())))
        length = (raw.curve.key_size + 7) // 8
        return r.to_bytes(length, "big") + s.to_bytes(length, "big")  # RFC 7518 §3.4: R || S
    if alg in ("EdDSA", "Ed25519", "Ed448") and kty == "OKP" and alg in ("EdDSA", curve_of(key)):
        return raw.sign(data)
    what = f"a {kty} key" if kty else "this key"
    if kty == "EC":
        what = f"a {curve_of(key)} key"
    raise ConfigError(f"cannot sign with {alg}: {what} does not make {alg} signatures")
