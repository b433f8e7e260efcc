"""The pure parts: RFC 9728 well-known URLs and resource matching, RFC 7591 answers, CIBA answers."""

from __future__ import annotations

import json

import pytest

from oauth2cli.core import ciba, registration as reg, resource_metadata as rm
from oauth2cli.core.errors import ProtocolError, ServerError
from oauth2cli.core.http import HttpResponse


def _json(status: int, body, url: str = "https://as.example/x") -> HttpResponse:
    return HttpResponse(status, (("Content-Type", "application/json"),), json.dumps(body).encode(), url=url)


@pytest.mark.parametrize("url, expected", [
    ("https://api.example.com", ["https://api.example.com/.well-known/oauth-protected-resource"]),
    ("https://api.example.com/", ["https://api.example.com/.well-known/oauth-protected-resource"]),
    ("https://API.example.com/mcp/", ["https://api.example.com/.well-known/oauth-protected-resource/mcp",
                                      "https://api.example.com/.well-known/oauth-protected-resource"]),
    ("https://api.example.com:8443/v1/things?x=1", [
        "https://api.example.com:8443/.well-known/oauth-protected-resource/v1/things?x=1",
        "https://api.example.com:8443/.well-known/oauth-protected-resource"]),
], ids=["origin", "slash", "path", "port-query"])
def test_well_known_url_inserts_the_path_after_the_host(url, expected):
    # RFC 9728 §3.1, with the origin's own document as the fallback
    assert rm.well_known_urls(url) == expected


@pytest.mark.parametrize("resource, wanted, prefix_ok, ok", [
    ("https://api.example.com/mcp", "https://api.example.com/mcp", False, True),
    ("https://api.example.com/mcp/", "https://api.example.com/mcp", False, True),
    ("https://api.example.com", "https://api.example.com/mcp", False, False),
    ("https://api.example.com", "https://api.example.com/mcp/tools", True, True),
    ("https://api.example.com/mcp", "https://api.example.com/mcp/tools", True, True),
    ("https://api.example.com/mc", "https://api.example.com/mcp/tools", True, False),
    ("https://api.example.com:444/mcp", "https://api.example.com/mcp/tools", True, False),
    ("http://api.example.com/mcp", "https://api.example.com/mcp", True, False),
    ("https://evil.example/mcp", "https://api.example.com/mcp", True, False),
], ids=["exact", "trailing-slash", "prefix-for-well-known", "origin-prefix", "path-prefix", "not-a-segment",
        "other-port", "other-scheme", "other-host"])
def test_resource_must_match(resource, wanted, prefix_ok, ok):
    assert rm.resource_matches(resource, wanted, prefix_ok=prefix_ok) is ok


def test_resource_metadata_needs_servers_that_are_issuer_urls():
    wanted = "https://api.example.com/mcp"
    with pytest.raises(ProtocolError, match="names no authorization_servers"):
        rm.parse_resource_metadata(_json(200, {"resource": wanted}), wanted, prefix_ok=False)
    with pytest.raises(ProtocolError, match="not an issuer URL"):
        rm.parse_resource_metadata(_json(200, {"resource": wanted, "authorization_servers": ["javascript:x"]}),
                                   wanted, prefix_ok=False)
    with pytest.raises(ProtocolError, match="has no resource"):
        rm.parse_resource_metadata(_json(200, {"authorization_servers": ["https://as"]}), wanted, prefix_ok=False)
    found = rm.parse_resource_metadata(_json(200, {"resource": wanted, "authorization_servers": ["https://as.example"],
                                                   "scopes_supported": ["mcp:tools", 3]}), wanted, prefix_ok=False)
    assert found.authorization_servers == ("https://as.example",) and found.scopes == ("mcp:tools",)


def test_challenge_names_the_metadata():
    from oauth2cli.core import www_authenticate

    challenges = www_authenticate.parse('Basic realm="x", Bearer error="invalid_token", '
                                        'resource_metadata="https://api.example.com/.well-known/oauth-protected-resource"')
    assert rm.metadata_url_from_challenges(challenges) == \
        "https://api.example.com/.well-known/oauth-protected-resource"


def test_registration_answer_with_another_auth_method_is_refused():
    sent = reg.ClientMetadata(auth_method="none")
    with pytest.raises(ProtocolError, match="registered token_endpoint_auth_method 'client_secret_basic'"):
        reg.parse_registration_response(_json(201, {"client_id": "c", "client_secret": "s",
                                                    "token_endpoint_auth_method": "client_secret_basic"}), sent)
    with pytest.raises(ProtocolError, match="no client_secret for a client_secret_post client"):
        reg.parse_registration_response(_json(201, {"client_id": "c", "token_endpoint_auth_method": "client_secret_post"}),
                                        reg.ClientMetadata(auth_method="client_secret_post"))
    with pytest.raises(ServerError, match="invalid_client_metadata"):
        reg.parse_registration_response(_json(400, {"error": "invalid_client_metadata"}), sent)
    made = reg.parse_registration_response(_json(201, {"client_id": "c", "client_id_issued_at": 1700000000,
                                                       "registration_access_token": "rat"}), sent)
    assert made.record() == {"client_id_issued_at": 1700000000} and "registration_access_token" not in made.metadata


def test_secret_expiry_zero_means_never():
    assert reg.secret_expired(0, 2e9) is False
    assert reg.secret_expired(100, 2e9) is True
    assert reg.secret_expired(3e9, 2e9) is False


def test_ciba_request_always_asks_for_openid_and_the_answer_has_an_id():
    request = ciba.authentication_request("https://as/bc", scope="email", login_hint="alice", binding_message="X1")
    assert dict(request.form) == {"scope": "openid email", "login_hint": "alice", "binding_message": "X1"}
    with pytest.raises(ProtocolError, match="without an auth_req_id"):
        ciba.parse_authentication_response(_json(200, {"expires_in": 60}), 0)
    answer = ciba.parse_authentication_response(_json(200, {"auth_req_id": "r", "expires_in": 60}), 1000)
    assert (answer.expires_at, answer.interval) == (1060, 5.0)  # CIBA §7.3: 5 s when the server says nothing
