"""Against django-oauth-toolkit with OpenID Connect, an authorization server nobody here wrote,
mounted as its tutorial does (under /o/) and at the root: every command works from --issuer
alone, though each layout's documents miss some endpoints (see tests/dot/server.py)."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.support.cli import assert_no_traceback, run_cli
from tests.support.dot import DotServer

SECRET = {"OAUTH2_CLIENT_SECRET": "dot-web-secret"}


@pytest.fixture(scope="module", params=["o/", ""], ids=["under-o", "at-root"])
def dot(request, tmp_path_factory):
    with DotServer(request.param, tmp_path_factory.mktemp("dot")) as server:
        yield server


def active(dot, token: str) -> bool:
    answer = httpx.post(dot.issuer + "/introspect/",
                        data={"token": token}, auth=("dot-web", "dot-web-secret"))
    answer.raise_for_status()
    return answer.json()["active"]


def stored(profile: str):
    from oauth2cli.deps import Deps

    return Deps().store.load_tokens(profile)


def test_every_command_from_the_issuer_alone(dot, standin_browser):
    result = run_cli("profile", "add", "dot", "--issuer", dot.issuer, "--client-id", "dot-web",
                     "--scope", "openid read", env=SECRET)
    assert result.code == 0, result

    result = run_cli("login", "dot")
    assert result.code == 0, result
    assert "Logged in to dot as 1;" in result.stderr and "with a refresh token" in result.stderr
    first = stored("dot")
    assert first.id_token and active(dot, first.access_token)

    result = run_cli("refresh", "dot")
    assert result.code == 0, result
    second = stored("dot")
    assert second.access_token != first.access_token and active(dot, second.access_token)

    # introspect: under /o/ only the path-appended RFC 8414 document names the endpoint.
    result = run_cli("introspect", "dot")
    assert result.code == 0, result
    assert json.loads(result.stdout)["active"] is True and json.loads(result.stdout)["username"] == "alice"

    # userinfo: at the root only the OpenID document names it.
    result = run_cli("userinfo", "dot")
    assert result.code == 0, result
    assert json.loads(result.stdout) == {"sub": "1"}

    result = run_cli("logout", "dot")
    assert result.code == 0, result
    assert "logged out of 'dot' (tokens revoked)" in result.stderr
    assert not active(dot, second.access_token)
    assert stored("dot") is None
    assert_no_traceback(result)


def test_ad_hoc_token_introspect_and_revoke_from_the_issuer(dot):
    service = {"OAUTH2_CLIENT_SECRET": "dot-service-secret"}
    result = run_cli("token", "--issuer", dot.issuer, "--client-id", "dot-service", "--grant", "client_credentials",
                     "--scope", "read", env=service)
    assert result.code == 0, result
    token = result.stdout.strip()
    result = run_cli("introspect", "--issuer", dot.issuer, "--client-id", "dot-service", token, env=service)
    assert result.code == 0, result
    assert json.loads(result.stdout)["active"] is True and json.loads(result.stdout)["client_id"] == "dot-service"
    result = run_cli("revoke", "--issuer", dot.issuer, "--client-id", "dot-service", token, env=service)
    assert result.code == 0, result
    assert not active(dot, token)


def test_a_public_client_logs_in_with_pkce(dot, standin_browser):
    result = run_cli("login", "--issuer", dot.issuer, "--client-id", "dot-public", "--scope", "openid",
                     "-o", "json")
    assert result.code == 0, result
    answer = json.loads(result.stdout)
    assert answer["access_token"] and answer["id_token"] and answer["refresh_token"]


def test_a_refused_error_response_still_shows_what_the_server_said(dot, standin_browser):
    # DOT promises iss on authorization responses but leaves it off its error responses: the tool
    # must refuse the response (RFC 9207 §2.4) and still tell the user why the server said no.
    result = run_cli("login", "--issuer", dot.issuer, "--client-id", "dot-public", "--scope", "openid",
                     "--no-pkce", "-o", "json")
    assert result.code == 3, result
    assert result.stdout == ""
    line = result.stderr.strip().splitlines()[-1]
    assert "the authorization response has no iss" in line, result
    assert line.endswith("; the server (unverified) said: invalid_request: Code challenge required."), result
    assert_no_traceback(result)


def test_a_profile_remembers_the_redirect_uri(dot, standin_browser):
    from tests.support.loopback_http import free_port

    redirect = f"http://127.0.0.1:{free_port()}/callback"
    result = run_cli("profile", "add", "fixed", "--issuer", dot.issuer, "--client-id", "dot-web", "--scope", "openid",
                     "--redirect-uri", redirect, env=SECRET)
    assert result.code == 0, result
    result = run_cli("login", "fixed")
    assert result.code == 0, result
    assert f"redirect_uri={redirect.replace(':', '%3A').replace('/', '%2F')}" in result.stderr
