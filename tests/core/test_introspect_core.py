"""RFC 7662 request building and answer parsing."""

from __future__ import annotations

import json

import pytest

from oauth2cli.core.errors import ProtocolError, ServerError
from oauth2cli.core.http import HttpResponse
from oauth2cli.core.introspection import build_introspection_request, parse_introspection_response

JSON = (("content-type", "application/json"),)


def test_request_rfc7662_2_1():
    request = build_introspection_request("https://server.example.com/introspect", "mF_9.B5f-4.1JqM", "access_token")
    assert request.encoded_body() == b"token=mF_9.B5f-4.1JqM&token_type_hint=access_token"
    assert request.header("accept") == "application/json"


def test_active_and_inactive_answers_rfc7662_2_2():
    example = {"active": True, "client_id": "l238j323ds-23ij4", "username": "jdoe", "scope": "read write dolphin",
               "sub": "Z5O3upPC88QrAjx00dis", "aud": "https://protected.example.net/resource",
               "iss": "https://server.example.com/", "exp": 1419356238, "iat": 1419350238,
               "extension_field": "twenty-seven"}
    assert parse_introspection_response(HttpResponse(200, JSON, json.dumps(example).encode())) == example
    assert parse_introspection_response(HttpResponse(200, JSON, b'{"active":false}')) == {"active": False}


@pytest.mark.parametrize("body", [b'{"active":"true"}', b'{"client_id":"x"}', b"[true]"])
def test_active_must_be_a_boolean(body):
    with pytest.raises(ProtocolError):
        parse_introspection_response(HttpResponse(200, JSON, body))


def test_errors():
    with pytest.raises(ServerError, match="invalid_client"):
        parse_introspection_response(HttpResponse(401, JSON, b'{"error":"invalid_client"}'))
    with pytest.raises(ProtocolError, match="HTTP 401, text/plain: 'Unauthorized'"):
        parse_introspection_response(HttpResponse(401, (("content-type", "text/plain"),), b"Unauthorized"))
