"""Pure pieces: token hashes, JWK Set parsing, assertion claims."""

from __future__ import annotations

import base64
import hashlib

import pytest

from oauth2cli.core import assertion, jwks
from oauth2cli.core.errors import ConfigError, ProtocolError
from oauth2cli.core.jose import token_hash


@pytest.mark.parametrize(("alg", "hash_name"), [("RS256", "sha256"), ("ES384", "sha384"), ("PS512", "sha512"),
                                                ("HS256", "sha256"), ("EdDSA", "sha512")])
def test_token_hash_is_the_left_half_of_the_algs_hash(alg, hash_name):
    digest = hashlib.new(hash_name, b"jHkWEdUXMU1BwAsC4vtUsZwnNTsC2FRgfozUpiVgkT5").digest()
    expected = base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode()
    assert token_hash("jHkWEdUXMU1BwAsC4vtUsZwnNTsC2FRgfozUpiVgkT5", alg) == expected


def test_jwks_keeps_public_signature_keys_only(rsa_key):
    public = rsa_key.as_dict(private=False)
    data = {"keys": [
        rsa_key.as_dict(private=True),  # a server that leaks d: we keep only the public part
        {**public, "kid": "enc-key", "use": "enc"},
        {"kty": "oct", "k": "c2VjcmV0", "kid": "sym"},
        {"kty": "XYZ", "kid": "odd"},
    ]}
    parsed = jwks.parse_jwks(data, uri="https://op.test/jwks", fetched_at=100)
    assert parsed.kids() == ["rsa-1"] and parsed.skipped == 3
    assert "d" not in parsed.keys[0] and "p" not in parsed.keys[0]
    assert parsed.fresh(100 + 3599) and not parsed.fresh(100 + 3600)
    with pytest.raises(ProtocolError, match="is not a JWK Set"):
        jwks.parse_jwks({"kty": "RSA"}, uri="https://op.test/jwks")


@pytest.mark.parametrize(("header", "ttl"), [(None, 3600), ("max-age=120", 120), ("public, max-age=5", 60),
                                             ("max-age=999999", 86400), ("no-store", 60)])
def test_jwks_ttl_from_cache_control(header, ttl):
    assert jwks.ttl_from_cache_control(header) == ttl


def test_assertion_claims_are_a_new_dict_every_time():
    extra = {"scope": "a"}
    spec = assertion.AssertionSpec(iss="i", sub="s", aud="https://as.test/token", lifetime=60, claims=extra)
    one = assertion.assertion_claims(spec, now=1000.7, jti="j1")
    two = assertion.assertion_claims(spec, now=1001, jti="j2")
    assert one == {"iss": "i", "sub": "s", "aud": "https://as.test/token", "iat": 1000, "exp": 1060, "jti": "j1",
                   "scope": "a"}
    assert two["jti"] == "j2" and one["jti"] == "j1" and extra == {"scope": "a"}
    one["jti"] = "mutated"
    assert assertion.assertion_claims(spec, now=1, jti="j3")["jti"] == "j3"
    with pytest.raises(ConfigError, match="between 1 and 3600"):
        assertion.assertion_claims(assertion.AssertionSpec("i", "s", "a", lifetime=7200), now=0, jti="x")
