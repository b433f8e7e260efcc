"""Discovery that merges: RFC 8414 §3.1, OpenID Discovery and the path-appended RFC 8414 form,
each document's issuer checked, the first to name a field winning, later documents fetched only
when a needed endpoint is missing. A local server publishes the documents the way
django-oauth-toolkit does under /o/ (its tutorial layout)."""

from __future__ import annotations

import json

import pytest

from tests.support.cli import assert_no_traceback, run_cli
from tests.support.routes import RouteServer

OIDC = "/o/.well-known/openid-configuration"
RFC8414_APPENDED = "/o/.well-known/oauth-authorization-server"
RFC8414_INSERTED = "/.well-known/oauth-authorization-server/o"


@pytest.fixture
def server():
    with RouteServer() as s:
        issuer = s.url("/o")
        # django-oauth-toolkit's OpenID document: no revocation or introspection endpoint.
        s.route("GET", OIDC, 200, {
            "issuer": issuer, "authorization_endpoint": s.url("/o/authorize/"), "token_endpoint": s.url("/o/token/"),
            "userinfo_endpoint": s.url("/o/userinfo/"), "jwks_uri": s.url("/o/.well-known/jwks.json"),
            "response_types_supported": ["code"],
        })
        # ... and its RFC 8414 document, appended to the issuer, which has them (and a different
        # token endpoint, to show that the first document wins).
        s.route("GET", RFC8414_APPENDED, 200, {
            "issuer": issuer, "token_endpoint": s.url("/o/other-token/"),
            "revocation_endpoint": s.url("/o/revoke_token/"), "introspection_endpoint": s.url("/o/introspect/"),
            "response_types_supported": ["code", "token"],
        })
        s.route("POST", "/o/token/", 200, {"access_token": "from-the-first-document", "token_type": "Bearer"})
        s.route("POST", "/o/revoke_token/", 200, "", "")
        yield s


def test_discover_merges_every_document_and_says_where_each_field_came_from(server):
    result = run_cli("discover", server.url("/o"), "-v")
    assert result.code == 0, result
    document = json.loads(result.stdout)
    assert document["token_endpoint"] == server.url("/o/token/")  # the first to name it wins
    assert document["revocation_endpoint"] == server.url("/o/revoke_token/")
    assert document["introspection_endpoint"] == server.url("/o/introspect/")
    assert document["response_types_supported"] == ["code"]
    # The order RFC 8414 §3.1, OpenID, path-appended RFC 8414.
    assert server.paths()[:3] == [f"GET {RFC8414_INSERTED}", f"GET {OIDC}", f"GET {RFC8414_APPENDED}"]
    lines = result.stderr.splitlines()
    assert any(line.split()[1:] == ["revocation_endpoint", server.url(RFC8414_APPENDED)] for line in lines), result
    assert any(line.split()[1:] == ["token_endpoint", server.url(OIDC)] for line in lines), result
    assert_no_traceback(result)


def test_the_common_case_stays_one_document(server):
    result = run_cli("token", "--issuer", server.url("/o"), "--client-id", "app", "--grant", "client_credentials",
                     env={"OAUTH2_CLIENT_SECRET": "s3cret"})
    assert result.code == 0, result
    assert result.stdout == "from-the-first-document\n"
    assert server.paths() == [f"GET {RFC8414_INSERTED}", f"GET {OIDC}", "POST /o/token/"]


def test_a_missing_endpoint_fetches_the_next_document(server):
    result = run_cli("revoke", "--issuer", server.url("/o"), "--client-id", "app", "some-token",
                     env={"OAUTH2_CLIENT_SECRET": "s3cret"})
    assert result.code == 0, result
    assert server.paths() == [f"GET {RFC8414_INSERTED}", f"GET {OIDC}", f"GET {RFC8414_APPENDED}",
                              "POST /o/revoke_token/"]
    assert server.requests[-1].form_dict()["token"] == "some-token"


def test_a_later_document_with_another_issuer_is_not_merged(server):
    server.route("GET", RFC8414_APPENDED, 200, {"issuer": "https://evil.example", "revocation_endpoint":
                                                "https://evil.example/revoke"})
    result = run_cli("discover", server.url("/o"), "-v")
    assert result.code == 0, result
    assert "revocation_endpoint" not in json.loads(result.stdout)
    assert f"skipping {server.url(RFC8414_APPENDED)}: metadata at" in result.stderr
    result = run_cli("revoke", "--issuer", server.url("/o"), "--client-id", "app", "some-token",
                     env={"OAUTH2_CLIENT_SECRET": "s3cret"})
    assert result.code == 1, result
    assert "announces no revocation_endpoint; give --revocation-url" in result.stderr
    assert "evil" not in "".join(server.paths())


def test_when_every_document_is_refused_the_refusal_is_the_error(server):
    server.route("GET", OIDC, 200, {"issuer": server.url("/elsewhere")})
    server.route("GET", RFC8414_APPENDED, 404, "no", "text/plain")
    result = run_cli("discover", server.url("/o"))
    assert result.code == 3, result
    assert f"names issuer '{server.url('/elsewhere')}', not '{server.url('/o')}' (RFC 8414 §3.3)" in result.stderr
    assert result.stdout == ""
    assert_no_traceback(result)


def test_profile_add_stores_the_endpoints_of_every_document(server):
    result = run_cli("profile", "add", "dot", "--issuer", server.url("/o"), "--client-id", "app")
    assert result.code == 0, result
    shown = json.loads(run_cli("profile", "show", "dot", "--json").stdout)
    settings = shown["settings"]
    assert settings["endpoints.introspection_endpoint"]["value"] == server.url("/o/introspect/")
    assert settings["endpoints.userinfo_endpoint"]["value"] == server.url("/o/userinfo/")
    assert settings["endpoints.token_endpoint"]["value"] == server.url("/o/token/")
