"""RFC 7009 request building and answer checking."""

from __future__ import annotations

import pytest

from oauth2cli.core.errors import ProtocolError, ServerError
from oauth2cli.core.http import HttpResponse
from oauth2cli.core.revocation import build_revocation_request, check_revocation_response


def test_request_rfc7009_2_1():
    request = build_revocation_request("https://server.example.com/revoke", "45ghiukldjahdnhzdauz", "refresh_token")
    assert request.method == "POST"
    assert request.encoded_body() == b"token=45ghiukldjahdnhzdauz&token_type_hint=refresh_token"
    assert request.header("accept") == "application/json"
    assert build_revocation_request("https://s/r", "t").form == (("token", "t"),)


@pytest.mark.parametrize("status", [200, 204])
def test_success_ignores_the_body(status):
    assert check_revocation_response(HttpResponse(status, (), b"<html>whatever</html>")) is None


def test_error_object_and_non_json_failure():
    with pytest.raises(ServerError, match="unsupported_token_type"):
        check_revocation_response(HttpResponse(400, (("content-type", "application/json"),),
                                               b'{"error":"unsupported_token_type"}'))
    with pytest.raises(ProtocolError, match=r"HTTP 503, text/html: 'Busy'"):
        check_revocation_response(HttpResponse(503, (("content-type", "text/html"),), b"<h1>Busy</h1>"))
