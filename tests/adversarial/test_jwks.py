"""A JWK Set with key types nobody knows, broken keys and non-objects next to a good key:
RFC 7517 §5 says ignore what is not understood, so the good key must survive."""

from __future__ import annotations

import json

import pytest

from tests.adversarial.hostile import CASES, ODD_JWKS, Case, HostileServer


@pytest.fixture(scope="module")
def good_jwk() -> dict:
    from joserfc.jwk import RSAKey

    key = RSAKey.generate_key(2048).as_dict(private=False)
    key["kid"] = "good"
    return key


@pytest.fixture
def jwks_server(good_jwk):
    document = {"keys": [*ODD_JWKS[:3], good_jwk, *ODD_JWKS[3:]]}
    CASES["jwks_mixed"] = Case("jwks_mixed", "token", lambda h, s, c: h.answer(200, json.dumps(document)), 0, "")
    server = HostileServer().start()
    yield server
    server.stop()
    del CASES["jwks_mixed"]


def test_the_good_key_survives_its_odd_neighbours(jwks_server, good_jwk):
    from joserfc.jwk import KeySet

    from oauth2cli.core.http import HttpRequest
    from oauth2cli.core.metadata import parse_jwks
    from oauth2cli.transport.http import HttpClient, TransportOptions

    client = HttpClient(TransportOptions(timeout=5))
    try:
        response = client.send(HttpRequest("GET", jwks_server.url("jwks_mixed", "jwks")))
    finally:
        client.close()
    keys = parse_jwks(response)
    assert [k["kid"] for k in keys] == ["good"]
    # joserfc drops unknown kty itself but rejects the whole set for one malformed known key,
    # which is why the filter comes first.
    with pytest.raises(Exception):
        KeySet.import_key_set({"keys": [ODD_JWKS[1], good_jwk]})
    assert [k.kid for k in KeySet.import_key_set({"keys": keys}).keys] == ["good"]


@pytest.mark.parametrize("body,message", [
    (b'{"keys": {}}', 'has no "keys" array'),
    (b"[]", "JSON array where an object belongs"),
    (b"<html>", "did not answer with JSON"),
])
def test_a_document_that_is_no_jwk_set(body, message):
    from oauth2cli.core.errors import ProtocolError
    from oauth2cli.core.http import HttpResponse
    from oauth2cli.core.metadata import parse_jwks

    with pytest.raises(ProtocolError, match=message):
        parse_jwks(HttpResponse(200, (("Content-Type", "application/json"),), body, url="https://as.example/jwks"))
