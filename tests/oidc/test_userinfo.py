"""Userinfo answers the real provider does not give: signed (application/jwt), encrypted, and
a sub that is not the id_token's (OIDC Core §5.3.2, §5.3.4). Messages from OIDC Core's examples."""

from __future__ import annotations

import time

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from oauth2cli.core.client_auth import ClientCredentials
from oauth2cli.core.errors import ProtocolError
from oauth2cli.core.settings import ClientSettings
from oauth2cli.core.tokens import TokenSet
from oauth2cli.deps import Deps
from oauth2cli.flows.endpoints.userinfo import fetch_userinfo, profile_userinfo
from oauth2cli.transport.http import HttpClient

ISSUER = "https://server.example.com"
CLAIMS = {"sub": "248289761001", "name": "Jane Doe", "email": "janedoe@example.com"}


@pytest.fixture
def key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": "1e9gdk7"})


def server(key, body: bytes, content_type: str):
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/.well-known/openid-configuration":
            return httpx.Response(200, json={"issuer": ISSUER, "userinfo_endpoint": ISSUER + "/userinfo",
                                             "jwks_uri": ISSUER + "/jwks", "token_endpoint": ISSUER + "/token"})
        if request.url.path == "/jwks":
            return httpx.Response(200, json={"keys": [key.as_dict(private=False)]})
        if request.url.path == "/userinfo":
            assert request.headers["Authorization"] == "Bearer SlAV32hkKG"
            return httpx.Response(200, content=body, headers={"Content-Type": content_type})
        return httpx.Response(404)

    transport = httpx.MockTransport(handler)
    return Deps(http_factory=lambda options: HttpClient(options, client=httpx.Client(transport=transport)))


def settings(profile=None) -> ClientSettings:
    return ClientSettings(client=ClientCredentials("s6BhdRkqt3"), issuer=ISSUER, profile=profile)


def test_a_signed_answer_is_verified(key):
    token = jwt.encode({"alg": "RS256", "kid": key.kid}, {**CLAIMS, "iss": ISSUER, "aud": "s6BhdRkqt3"}, key)
    deps = server(key, token.encode(), "application/jwt")
    assert fetch_userinfo(settings(), deps, "SlAV32hkKG")["email"] == "janedoe@example.com"


def test_a_signed_answer_from_another_key_or_for_another_client_is_refused(key):
    other = RSAKey.generate_key(2048, parameters={"kid": "1e9gdk7"})
    forged = jwt.encode({"alg": "RS256", "kid": key.kid}, CLAIMS, other)
    with pytest.raises(ProtocolError, match="the signed userinfo answer rejected: the signature does not verify"):
        fetch_userinfo(settings(), server(key, forged.encode(), "application/jwt"), "SlAV32hkKG")
    elsewhere = jwt.encode({"alg": "RS256", "kid": key.kid}, {**CLAIMS, "aud": "other-client"}, key)
    with pytest.raises(ProtocolError, match="is for aud 'other-client', not this client"):
        fetch_userinfo(settings(), server(key, elsewhere.encode(), "application/jwt"), "SlAV32hkKG")


def test_an_encrypted_answer_that_cannot_be_decrypted_is_refused(key, tmp_path):
    # Without a key: say what is missing. With a key but garbage: say it cannot be decrypted.
    with pytest.raises(ProtocolError, match="encrypted \\(JWE\\), and this profile has no private key"):
        fetch_userinfo(settings(), server(key, b"a.b.c.d.e", "application/jwt"), "SlAV32hkKG")
    pem = tmp_path / "key.pem"
    pem.write_bytes(key.as_pem(private=True))
    from dataclasses import replace

    with pytest.raises(ProtocolError, match="cannot decrypt the userinfo answer"):
        fetch_userinfo(replace(settings(), private_key=str(pem)), server(key, b"a.b.c.d.e", "application/jwt"),
                       "SlAV32hkKG")


def test_the_sub_must_be_the_id_tokens(key):
    deps = server(key, b'{"sub": "someone-else", "name": "Mallory"}', "application/json")
    deps.store_choice = "file"
    id_token = jwt.encode({"alg": "RS256"}, {"sub": "248289761001"}, key)
    deps.store.save_tokens("work", TokenSet("SlAV32hkKG", expires_at=time.time() + 3600, id_token=id_token))
    with pytest.raises(ProtocolError, match="the userinfo sub 'someone-else' is not the id_token's sub '248289761001'"):
        profile_userinfo(settings("work"), deps)
