"""JWK Sets (RFC 7517 §5): parsing a server's keys and choosing the one a JWS header names.

Pure: the flows layer fetches and caches (flows/exchange/jwks.py); time is passed in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from oauth2cli.core import jose
from oauth2cli.core.errors import ProtocolError

DEFAULT_TTL = 3600.0  # seconds a fetched JWK Set is trusted before it is fetched again
MIN_TTL, MAX_TTL = 60.0, 24 * 3600.0


@dataclass(frozen=True)
class JwkSet:
    """The usable signature keys of one JWK Set; `skipped` counts entries we could not use."""

    uri: str | None
    keys: tuple[dict[str, Any], ...]
    fetched_at: float = 0.0
    ttl: float = DEFAULT_TTL
    skipped: int = 0

    def fresh(self, now: float) -> bool:
        return self.fetched_at <= now < self.fetched_at + self.ttl

    def kids(self) -> list[str]:
        return [k["kid"] for k in self.keys if isinstance(k.get("kid"), str)]

    def candidates(self, header: dict[str, Any]) -> list[dict[str, Any]]:
        """The public keys that may have signed a JWS with this header (RFC 7515 §4.1.4, RFC 7517 §4)."""
        alg = header.get("alg")
        kty = jose.key_type_for_alg(alg) if isinstance(alg, str) else None
        kid = header.get("kid")
        found = []
        for key in self.keys:
            if kid is not None and key.get("kid") != kid:
                continue
            if kty and key.get("kty") != kty:
                continue
            if key.get("alg") and key.get("alg") != alg:
                continue
            found.append(key)
        return found

    def to_json(self) -> str:
        return json.dumps({"uri": self.uri, "fetched_at": self.fetched_at, "ttl": self.ttl,
                           "jwks": {"keys": list(self.keys)}}, separators=(",", ":"))

    @classmethod
    def from_cache(cls, text: str) -> JwkSet:
        data = json.loads(text)
        parsed = parse_jwks(data["jwks"], uri=data.get("uri"), fetched_at=float(data["fetched_at"]),
                            ttl=float(data.get("ttl", DEFAULT_TTL)))
        return parsed


def parse_jwks(data: Any, *, uri: str | None = None, fetched_at: float = 0.0, ttl: float = DEFAULT_TTL) -> JwkSet:
    """A JwkSet from the JSON of a jwks_uri. Private members are dropped; encryption keys are skipped."""
    where = f"the JWK Set at {uri}" if uri else "the JWK Set"
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise ProtocolError(f"{where} is not a JWK Set (no \"keys\" array)")
    keys, skipped = [], 0
    for entry in data["keys"]:
        if not isinstance(entry, dict) or entry.get("use") not in (None, "sig") or entry.get("kty") == "oct":
            # RFC 7517 §4.2: "enc" keys are not for signatures; a symmetric key has no place in a public set.
            skipped += 1
            continue
        ops = entry.get("key_ops")
        if isinstance(ops, list) and "verify" not in ops:
            skipped += 1
            continue
        try:
            key = jose.import_jwk(entry)
        except ValueError:
            skipped += 1
            continue
        # Keep only the public part: the cache must never hold private material.
        public = key.as_dict(private=False)
        for member in ("kid", "alg", "use"):
            if member in entry:
                public[member] = entry[member]
        keys.append(public)
    return JwkSet(uri=uri, keys=tuple(keys), fetched_at=fetched_at, ttl=ttl, skipped=skipped)


def ttl_from_cache_control(value: str | None) -> float:
    """The max-age of a Cache-Control header, kept within [MIN_TTL, MAX_TTL]; DEFAULT_TTL otherwise."""
    if not value:
        return DEFAULT_TTL
    for directive in value.split(","):
        name, _, arg = directive.strip().partition("=")
        if name.lower() in ("no-store", "no-cache"):
            return MIN_TTL
        if name.lower() == "max-age":
            try:
                return min(max(float(arg.strip('"')), MIN_TTL), MAX_TTL)
            except ValueError:
                break
    return DEFAULT_TTL


class UnknownKey(ProtocolError):
    """No key in the JWK Set fits the JWS header: the flow fetches the set once more."""


def verify_with_jwks(token: str, header: dict[str, Any], jwks: JwkSet, *, what: str) -> None:
    """Verify an asymmetric JWS against the keys of `jwks`. Raises UnknownKey or ProtocolError."""
    alg = header.get("alg")
    candidates = jwks.candidates(header)
    if not candidates:
        kid = header.get("kid")
        named = f"kid {kid!r}" if kid is not None else f"no kid, and no {jose.key_type_for_alg(alg) or alg} key"
        known = ", ".join(repr(k) for k in jwks.kids()) or "none"
        raise UnknownKey(f"{what} rejected: unknown signing key ({named}; the issuer's JWKS has kids {known})")
    for entry in candidates:
        if jose.verify_jws(token, jose.import_jwk(entry), alg):
            return
    raise ProtocolError(f"{what} rejected: the signature does not verify ({alg}, kid {header.get('kid')!r})")
