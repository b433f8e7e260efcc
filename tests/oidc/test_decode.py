"""`oauth2 decode`: what it shows, and --verify refusing forged tokens (exit 3, one line)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from oauth2cli.core.jose import b64url
from tests.support.cli import assert_no_traceback, run_cli

ISSUER = "https://op.example.test"


def encode(key, claims: dict, alg: str = "RS256", **header) -> str:
    return jwt.encode({"alg": alg, "kid": key.kid, **header}, claims, key, algorithms=[alg])


def raw(header: dict, claims: dict, signature: bytes = b"") -> str:
    return f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}.{b64url(signature)}"


def good_claims(**changes) -> dict:
    now = int(time.time())
    return {"iss": ISSUER, "sub": "alice", "aud": "api", "iat": now, "exp": now + 300, **changes}


@pytest.fixture
def jwks_url(local_server, rsa_key):
    local_server.route("GET", "/jwks", 200, {"keys": [rsa_key.as_dict(private=False)]})
    return local_server.url("/jwks")


def test_decode_prints_header_and_claims():
    token = raw({"alg": "RS256", "typ": "JWT"}, {"sub": "x", "exp": 0})
    result = run_cli("decode", token)
    assert result.code == 0, result
    assert json.loads(result.stdout) == {"header": {"alg": "RS256", "typ": "JWT"}, "claims": {"sub": "x", "exp": 0}}
    dated = run_cli("decode", "--dates", "-", input=token + "\n")
    assert json.loads(dated.stdout)["dates"] == {"exp": "1970-01-01T00:00:00Z"}


@pytest.mark.parametrize(("token", "message"), [
    ("a.b", "the token is not a JWT (expected three dot-separated parts, got 2)"),
    ("abc.%%%.def", "the token is not a JWT"),
    ("a.b.c.d.e", "the token is an encrypted JWT (JWE)"),
    ("nosuchprofile", "'nosuchprofile' is neither a JWT nor a profile name"),
], ids=["two-parts", "garbage", "jwe", "unknown-profile"])
def test_decode_refuses_what_is_not_a_jwt(token, message):
    result = run_cli("decode", token)
    assert result.code in (1, 3), result
    assert message in result.stderr, result
    assert len(result.stderr.splitlines()) == 1
    assert_no_traceback(result)


def test_verify_a_good_token_with_the_jwks_and_with_a_key_file(rsa_key, jwks_url, tmp_path):
    token = encode(rsa_key, good_claims())
    by_jwks = run_cli("decode", "--verify", "--jwks-url", jwks_url, token)
    assert by_jwks.code == 0, by_jwks
    assert by_jwks.stderr == "verified: signature, exp, iat\n"
    pem = tmp_path / "pub.pem"
    pem.write_bytes(rsa_key.as_pem(private=False))
    by_key = run_cli("decode", "--verify", "--key", str(pem), "--expect-audience", "api", token)
    assert by_key.code == 0, by_key
    assert by_key.stderr == "verified: signature, exp, iat, aud\n"


def forged(rsa_key):
    other = RSAKey.generate_key(2048, parameters={"kid": "stranger"})
    pem = rsa_key.as_pem(private=False)
    head = {"alg": "HS256", "typ": "JWT", "kid": rsa_key.kid}
    body = good_claims()
    signing_input = f"{b64url(json.dumps(head).encode())}.{b64url(json.dumps(body).encode())}".encode()
    hs256_public = raw(head, body, hmac.new(pem, signing_input, hashlib.sha256).digest())
    return {
        "alg-none": (raw({"alg": "none"}, good_claims()), "the token rejected: it is not signed (alg 'none')"),
        "unknown-key": (encode(other, good_claims()), "the token rejected: unknown signing key (kid 'stranger'"),
        "hs256-with-public-key": (hs256_public, "the token rejected: alg HS256 needs a shared secret"),
        "expired": (encode(rsa_key, good_claims(exp=int(time.time()) - 3600)), "the token rejected: it expired"),
        "not-yet-valid": (encode(rsa_key, good_claims(nbf=int(time.time()) + 3600)),
                          "the token rejected: not valid before"),
    }


@pytest.mark.parametrize("case", ["alg-none", "unknown-key", "hs256-with-public-key", "expired", "not-yet-valid"])
def test_verify_refuses_forged_tokens(rsa_key, jwks_url, case):
    token, message = forged(rsa_key)[case]
    result = run_cli("decode", "--verify", "--jwks-url", jwks_url, token)
    assert result.code == 3, result
    assert result.stderr.startswith("oauth2: error: " + message), result
    assert len(result.stderr.splitlines()) == 1 and result.stdout == ""
    assert_no_traceback(result)


def test_hs256_signed_with_the_public_key_fails_with_that_key_given(rsa_key, tmp_path):
    token, _ = forged(rsa_key)["hs256-with-public-key"]
    pem = tmp_path / "pub.pem"
    pem.write_bytes(rsa_key.as_pem(private=False))
    result = run_cli("decode", "--verify", "--key", str(pem), token)
    assert result.code == 3, result
    assert "no given key fits alg HS256" in result.stderr


def test_verify_needs_keys():
    result = run_cli("decode", "--verify", raw({"alg": "RS256"}, good_claims()))
    assert result.code == 1, result
    assert "--verify needs keys: give --key, --jwks-url or --issuer" in result.stderr


def test_hs256_verifies_with_a_shared_secret_given_as_a_jwk(tmp_path):
    from joserfc.jwk import OctKey

    secret = OctKey.import_key(b"a-shared-secret-of-thirty-two-bytes!")
    token = jwt.encode({"alg": "HS256"}, good_claims(), secret, algorithms=["HS256"])
    jwk = tmp_path / "secret.jwk"
    jwk.write_text(json.dumps(secret.as_dict(private=True)))
    ok = run_cli("decode", "--verify", "--key", str(jwk), token)
    assert ok.code == 0, ok
    wrong = tmp_path / "wrong.jwk"
    wrong.write_text(json.dumps(OctKey.import_key(b"another-secret-of-thirty-two-bytes!!").as_dict(private=True)))
    bad = run_cli("decode", "--verify", "--key", str(wrong), token)
    assert bad.code == 3 and "the signature does not verify (HS256) with the given key" in bad.stderr, bad
