"""Issue #28: every message says what to do next. Each test runs the real command against a real
server (oidc-provider; the token stand-in only where one server's particular answer must be
played) and checks stdout, the one line on stderr, the exit code and what the server received."""

from __future__ import annotations

import json
import time

from oauth2cli.core.advice import hint
from tests.helpers.accounts import store
from tests.support.cli import assert_no_traceback, run_cli
from tests.support.tokenserver import TokenServer


def _error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("oauth2: ")]


# -- row 2: invalid_client when no secret was sent ---------------------------------------------
def test_no_secret_sent_says_how_to_give_one(provider):
    provider.reset_events()
    result = run_cli("token", "--issuer", provider.issuer, "--client-id", "conf-basic", "--grant", "client_credentials")
    assert result.code == 3, result
    assert result.stdout == ""
    assert_no_traceback(result)
    (line,) = _error_lines(result)
    assert line.startswith("oauth2: error: the token endpoint refused: invalid_client")
    assert line.endswith("; " + hint("no-secret-sent", stored="")), line
    assert "OAUTH2_CLIENT_SECRET" in line and "--client-secret-file" in line
    (seen,) = [e for e in provider.events() if e["type"] == "token.request"]
    assert seen["error"] == "invalid_client" and seen["grant_type"] == "client_credentials"


def test_a_secret_that_was_sent_and_refused_is_not_called_missing(provider):
    result = run_cli("token", "--issuer", provider.issuer, "--client-id", "conf-basic", "--grant", "client_credentials",
                     env={"OAUTH2_CLIENT_SECRET": "not-the-secret"})
    assert result.code == 3, result
    (line,) = _error_lines(result)
    assert "no client secret was sent" not in line
    assert line.endswith("the server refused the client's credentials: check the secret in OAUTH2_CLIENT_SECRET, "
                         "--client-secret-env or --client-secret-file, and check --auth-method"), line


# -- row 3: a wrong stored secret, then `refresh P` --------------------------------------------
def test_a_wrong_stored_secret_names_profile_secret(provider, standin_browser):
    secret = provider.clients["conf-basic"]["client_secret"]
    added = run_cli("profile", "add", "bank", "--issuer", provider.issuer, "--client-id", "conf-basic",
                    "--scope", "openid offline_access", env={"OAUTH2_CLIENT_SECRET": secret})
    assert added.code == 0, added
    login = run_cli("login", "bank")
    assert login.code == 0, login
    put = run_cli("profile", "secret", "bank", input="a-wrong-secret\n")
    assert put.code == 0, put
    provider.reset_events()
    result = run_cli("refresh", "bank")
    assert result.code == 3, result
    assert result.stdout == ""
    (line,) = _error_lines(result)
    assert "invalid_client" in line
    assert "store the right secret with `oauth2 profile secret bank`" in line, line
    (seen,) = [e for e in provider.events() if e["type"] == "token.request"]
    assert seen["grant_type"] == "refresh_token" and seen["error"] == "invalid_client"


# -- row 8: the server is down within the refresh leeway ---------------------------------------
def test_a_still_valid_token_is_printed_when_the_refresh_cannot_reach_the_server():
    server = TokenServer().start()
    server.answer(200, {"access_token": "still-good", "token_type": "Bearer", "expires_in": 8})
    added = run_cli("profile", "add", "cc", "--token-url", server.url(), "--client-id", "svc", "--grant",
                    "client_credentials", env={"OAUTH2_CLIENT_SECRET": "s3cret"})
    assert added.code == 0, added
    first = run_cli("token", "cc")
    assert first.code == 0 and first.stdout.strip() == "still-good", first
    server.stop()  # the server is down
    time.sleep(4.5)  # within the leeway (half of the 8 s lifetime), still valid for about 3 s
    result = run_cli("token", "cc")
    assert result.code == 0, result
    assert result.stdout.strip() == "still-good"
    (line,) = _error_lines(result)
    assert line.startswith("oauth2: warning: could not get a new token (")
    assert "using the stored one, still valid for " in line, line
    # once it has expired, the failure is the run's again (exit 6)
    time.sleep(4)
    gone = run_cli("token", "cc")
    assert gone.code == 6, gone
    assert gone.stdout == ""


def test_min_ttl_help_says_the_rule():
    result = run_cli("token", "--help")
    text = " ".join(result.stdout.split())
    assert "the profile's leeway, 60 s, or half the token's lifetime when that is shorter" in text


# -- row 12: openid without an issuer is said by `profile add` ----------------------------------
def test_profile_add_says_at_once_that_openid_needs_the_issuer(provider):
    result = run_cli("profile", "add", "noiss", "--authorization-url", provider.endpoint("authorization_endpoint"),
                     "--token-url", provider.endpoint("token_endpoint"), "--client-id", "public-pkce",
                     "--scope", "openid")
    assert result.code == 1, result
    assert result.stderr.splitlines() == [
        "oauth2: error: an OpenID Connect login (scope openid) needs the issuer, to check the id_token; "
        + hint("openid-needs-issuer")]
    assert run_cli("profile", "show", "noiss").code == 1, "nothing was stored"


# -- row 14: an opaque subject token for a type that allows one ---------------------------------
def test_an_opaque_access_token_is_a_subject_token():
    with TokenServer() as server:
        server.answer(200, {"access_token": "exchanged", "token_type": "Bearer", "expires_in": 60,
                            "issued_token_type": "urn:ietf:params:oauth:token-type:access_token"})
        result = run_cli("token", "--token-url", server.url(), "--client-id", "svc", "--grant", "token-exchange",
                         "--subject-token-source", "env:ST", "--subject-token-type",
                         "urn:ietf:params:oauth:token-type:access_token",
                         env={"ST": "opaque-8f3a", "OAUTH2_CLIENT_SECRET": "s3cret"})
        assert result.code == 0, result
        assert result.stdout.strip() == "exchanged"
        form = dict(server.requests[0].form)
        assert form["subject_token"] == "opaque-8f3a"
        assert form["subject_token_type"] == "urn:ietf:params:oauth:token-type:access_token"


def test_a_jwt_subject_token_type_still_wants_a_jwt():
    result = run_cli("token", "--token-url", "http://127.0.0.1:9/token", "--allow-http", "--client-id", "svc",
                     "--grant", "token-exchange", "--subject-token-source", "env:ST",
                     env={"ST": "opaque-8f3a", "OAUTH2_CLIENT_SECRET": "s3cret"})
    assert result.code == 1, result
    assert "is not a JWT" in result.stderr


# -- row 15: decode of an opaque token is our side (exit 1) ------------------------------------
def test_decode_of_an_opaque_token_exits_1_and_names_introspect():
    result = run_cli("decode", "-", input="2YotnFZFEjr1zCsicMWpAA\n")
    assert result.code == 1, result
    assert result.stdout == ""
    (line,) = _error_lines(result)
    assert line.startswith("oauth2: error: the token is not a JWT") and line.endswith(hint("not-a-jwt")), line


# -- row 16: the environment is a source in `profile show` -------------------------------------
def test_profile_show_names_the_environment_as_a_source():
    assert run_cli("profile", "add", "work", "--token-url", "https://id.example/token", "--client-id", "cli").code == 0
    result = run_cli("profile", "show", "work", env={"OAUTH2_SCOPE": "openid", "OAUTH2_AUDIENCE": "api",
                                                      "OAUTH2_TIMEOUT": "5"})
    assert result.code == 0, result
    lines = result.stdout.splitlines()
    assert "  scope = openid    [env OAUTH2_SCOPE]" in lines
    assert "  audience = api    [env OAUTH2_AUDIENCE]" in lines
    assert "  timeout = 5    [env OAUTH2_TIMEOUT]" in lines
    assert "  client_id = cli    [profile]" in lines
    shown = json.loads(run_cli("profile", "show", "work", "--json", env={"OAUTH2_SCOPE": "openid"}).stdout)
    assert shown["settings"]["scope"] == {"value": "openid", "source": "env OAUTH2_SCOPE"}


# -- row 17: a refresh answered with an error that names the refresh token --------------------
def _refresh_answered(description: str):
    """`oauth2 refresh kc` after a password login, the refresh answered invalid_request + `description`."""
    with TokenServer() as server:
        server.answer(200, {"access_token": "at-1", "token_type": "Bearer", "expires_in": 300,
                            "refresh_token": "rt-1"})
        server.answer(400, {"error": "invalid_request", "error_description": description})
        assert run_cli("profile", "add", "kc", "--token-url", server.url(), "--client-id", "cli").code == 0
        login = run_cli("login", "kc", "--password", "--username", "alice", input="pw\n")
        assert login.code == 0, login
        # row 6: one deprecation warning, the grant's own
        assert sum("deprecated" in line for line in login.stderr.splitlines()) == 1, login
        return run_cli("refresh", "kc"), server.requests


def test_refresh_token_inactive_means_log_in_again():
    result, requests = _refresh_answered("Refresh token inactive")
    assert result.code == 7, result
    assert result.stdout == ""
    assert _error_lines(result) == [
        "oauth2: error: the server refused the refresh token of profile 'kc' (invalid_request: Refresh token "
        "inactive); log in again with `oauth2 login kc`"]
    assert dict(requests[1].form) == {"grant_type": "refresh_token", "refresh_token": "rt-1", "client_id": "cli"}
    assert store().load_tokens("kc").access_token == "at-1", "the stored tokens stay"


def test_another_invalid_request_at_refresh_stays_the_servers_word():
    result, _ = _refresh_answered("unsupported parameter")
    assert result.code == 3, result
    assert _error_lines(result) == ["oauth2: error: the token endpoint refused: invalid_request: unsupported parameter"]


# -- row 20: discover -v counts the documents it fetched ---------------------------------------
def test_discover_verbose_counts_every_document(provider):
    result = run_cli("-v", "discover", provider.issuer)
    assert result.code == 0, result
    merged = [line for line in result.stderr.splitlines() if "merged" in line]
    assert len(merged) == 1, result
    fetched = [line for line in result.stderr.splitlines() if "GET " in line and "well-known" in line]
    assert merged[0].startswith(f"oauth2: merged {len(fetched)} document(s): "), result.stderr
