"""Grants and client authentication the real provider cannot play (password, token exchange,
jwt-bearer, client_secret_uri, raw Basic), against a tiny local server with the RFCs' own
example messages, through the real CLI process."""

from __future__ import annotations

import base64
import json

import pytest

from tests.support.cli import assert_no_traceback, run_cli
from tests.support.tokenserver import TokenServer

# RFC 6749 §5.1's example answer.
# RFC 6749 §4.3.3's example answer, but with token_type Bearer: the RFC's "example" type is one
# a client must not use (§7.1), and oauth2 refuses it (tests/adversarial: unknown token_type).
RFC6749_ANSWER = {"access_token": "2YotnFZFEjr1zCsicMWpAA", "token_type": "Bearer", "expires_in": 3600,
                  "refresh_token": "tGzv3JOkF0XzfuSzLgTPvc", "example_parameter": "example_value"}
CLIENT_ID, CLIENT_SECRET = "s6BhdRkqt3", "7Fjfp0ZBr1KtDRbnfVdmIw"  # RFC 6749 §4.1.3
SECRET_ENV = {"OAUTH2_CLIENT_SECRET": CLIENT_SECRET}


@pytest.fixture
def server():
    with TokenServer() as s:
        yield s
        s.assert_all_used()


def token(server, *args, env=None, input=None, client_id=CLIENT_ID):
    return run_cli("token", "--token-url", server.url(), "--client-id", client_id, *args,
                   env={**SECRET_ENV, **(env or {})}, input=input)


def basic_credentials(seen) -> tuple[str, str]:
    scheme, _, value = seen.headers["authorization"].partition(" ")
    assert scheme == "Basic"
    user, _, password = base64.b64decode(value).decode().partition(":")
    return user, password


@pytest.mark.parametrize("source", ["env", "file", "stdin"])
def test_password_grant_rfc6749_example(server, tmp_path, source):
    server.answer(200, RFC6749_ANSWER)
    secret_file = tmp_path / "pw"
    secret_file.write_text("A3ddj3w\n")
    how = {"env": (["--password-env", "PW"], None), "file": (["--password-file", str(secret_file)], None),
           "stdin": ([], "A3ddj3w\n")}[source]
    result = token(server, "--grant", "password", "--username", "johndoe", *how[0], "--output", "json",
                   env={"PW": "A3ddj3w"}, input=how[1])
    assert result.code == 0, result
    seen = server.requests[0]
    # RFC 6749 §4.3.2
    assert seen.form == [("grant_type", "password"), ("username", "johndoe"), ("password", "A3ddj3w")]
    assert basic_credentials(seen) == (CLIENT_ID, CLIENT_SECRET)
    assert seen.headers["accept"] == "application/json"
    data = json.loads(result.stdout)
    assert data["access_token"] == "2YotnFZFEjr1zCsicMWpAA"
    assert data["example_parameter"] == "example_value"
    assert data["expires_in"] in (3599, 3600)
    # RFC 9700 §2.4: the user is told, on stderr, in one line; the password is never echoed.
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "deprecated" in lines[0] and "RFC 9700" in lines[0]
    assert "A3ddj3w" not in result.stderr


def test_password_grant_without_username_is_a_usage_problem(server):
    result = token(server, "--grant", "password", "--password-env", "PW", env={"PW": "x"})
    assert result.code == 1 and "--username" in result.stderr
    assert server.requests == []


def test_token_exchange_rfc8693_example(server):
    answer = {"access_token": "eyJhbGciOiJFUzI1NiIsImtpZCI6IjllciJ9.e30.sig",
              "issued_token_type": "urn:ietf:params:oauth:token-type:access_token",
              "token_type": "Bearer", "expires_in": 60}
    server.answer(200, answer)
    result = token(server, "--grant", "urn:ietf:params:oauth:grant-type:token-exchange",
                   "--subject-token", "-", "--subject-token-type", "access_token",
                   "--actor-token-env", "ACTOR", "--actor-token-type", "jwt",
                   "--requested-token-type", "access_token",
                   "--resource", "https://backend.example.com/api", "--audience", "backend", "-o", "json",
                   env={"ACTOR": "actor.jwt.value"}, input="accVkjcJyb4BWCxGsndESCJQbdFMogUC5PbRDqceLTC\n")
    assert result.code == 0, result
    form = server.requests[0].form
    assert form[:7] == [
        ("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"),
        ("subject_token", "accVkjcJyb4BWCxGsndESCJQbdFMogUC5PbRDqceLTC"),
        ("subject_token_type", "urn:ietf:params:oauth:token-type:access_token"),
        ("actor_token", "actor.jwt.value"),
        ("actor_token_type", "urn:ietf:params:oauth:token-type:jwt"),
        ("requested_token_type", "urn:ietf:params:oauth:token-type:access_token"),
        ("audience", "backend"),
    ]
    assert ("resource", "https://backend.example.com/api") in form
    data = json.loads(result.stdout)
    assert data["issued_token_type"] == answer["issued_token_type"]
    assert result.stderr == ""


def test_token_exchange_needs_the_subject_token_type(server):
    result = token(server, "--grant", "token-exchange", "--subject-token", "-", input="tok\n")
    assert result.code == 1, result
    assert "--subject-token-type" in result.stderr
    assert server.requests == []


def test_repeated_resource_audience_and_params_survive_in_order(server):
    server.answer(200, {"access_token": "a", "token_type": "Bearer"})
    result = token(server, "--scope", "read write", "--audience", "aud1", "--resource", "https://a.example/",
                   "--resource", "https://b.example/", "-P", "x=1", "-P", "x=2", "--param", "empty=")
    assert result.code == 0, result
    assert result.stdout == "a\n"
    assert server.requests[0].form == [
        ("grant_type", "client_credentials"), ("scope", "read write"), ("audience", "aud1"),
        ("resource", "https://a.example/"), ("resource", "https://b.example/"),
        ("x", "1"), ("x", "2"), ("empty", ""),
    ]


def test_jwt_bearer_grant_sends_the_assertion(server, tmp_path):
    server.answer(200, {"access_token": "at", "token_type": "Bearer", "expires_in": "3600"})
    path = tmp_path / "assertion.jwt"
    path.write_text("eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln\n")
    result = token(server, "--grant", "jwt-bearer", "--assertion-file", str(path), "--scope", "s",
                   "--auth-method", "none")
    assert result.code == 0, result
    assert server.requests[0].form == [
        ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
        ("assertion", "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln"), ("scope", "s"), ("client_id", CLIENT_ID),
    ]


def test_an_extension_grant_by_uri(server):
    server.answer(200, {"access_token": "ext", "token_type": "bearer"})
    result = token(server, "--grant", "urn:example:grant-type:magic", "-P", "spell=abracadabra", "-o", "header")
    assert result.code == 0, result
    assert result.stdout == "Authorization: Bearer ext\n"
    assert server.requests[0].form == [("grant_type", "urn:example:grant-type:magic"), ("spell", "abracadabra")]


def test_ad_hoc_refresh_keeps_the_refresh_token_the_server_omits(server):
    # RFC 6749 §6: no refresh_token in the answer means "keep using the old one".
    server.answer(200, {"access_token": "new-at", "token_type": "Bearer", "expires_in": 120})
    result = run_cli("refresh", "--token-url", server.url(), "--client-id", CLIENT_ID, env=SECRET_ENV,
                     input="tGzv3JOkF0XzfuSzLgTPvc\n")
    assert result.code == 0, result
    data = json.loads(result.stdout)
    assert data["access_token"] == "new-at" and data["refresh_token"] == "tGzv3JOkF0XzfuSzLgTPvc"
    assert server.requests[0].form == [("grant_type", "refresh_token"), ("refresh_token", "tGzv3JOkF0XzfuSzLgTPvc")]


# -- client authentication ----------------------------------------------------

ODD_ID, ODD_SECRET = "my client:1", "p@ss w+rd/%é"


@pytest.mark.parametrize("raw", [False, True], ids=["form-encoded", "raw"])
def test_basic_form_encodes_id_and_secret_unless_raw(server, raw):
    server.answer(200, {"access_token": "a", "token_type": "Bearer"})
    args = ["--basic-raw"] if raw else []
    result = token(server, *args, client_id=ODD_ID, env={"OAUTH2_CLIENT_SECRET": ODD_SECRET})
    assert result.code == 0, result
    scheme, _, value = server.requests[0].headers["authorization"].partition(" ")
    decoded = base64.b64decode(value).decode()
    if raw:
        assert decoded == f"{ODD_ID}:{ODD_SECRET}"
    else:
        # RFC 6749 §2.3.1 / Appendix B: application/x-www-form-urlencoded before base64.
        assert decoded == "my+client%3A1:p%40ss+w%2Brd%2F%25%C3%A9"


def test_basic_raw_is_a_profile_switch(server, isolate):
    config = isolate / "config" / "oauth2cli" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'[profiles.odd]\ntoken_url = "{server.url()}"\nclient_id = "{ODD_ID}"\n'
                      f'endpoints = {{ token_endpoint = "{server.url()}" }}\nbasic_raw = true\n')
    server.answer(200, {"access_token": "a", "token_type": "Bearer"})
    result = run_cli("token", "odd", "--grant", "client_credentials", env={"OAUTH2_CLIENT_SECRET": ODD_SECRET})
    assert result.code == 0, result
    _, _, value = server.requests[0].headers["authorization"].partition(" ")
    assert base64.b64decode(value).decode() == f"{ODD_ID}:{ODD_SECRET}"


def test_client_secret_post_and_none(server):
    server.answer(200, {"access_token": "a", "token_type": "Bearer"})
    server.answer(200, {"access_token": "b", "token_type": "Bearer"})
    post = token(server, "--auth-method", "client_secret_post")
    public = run_cli("token", "--token-url", server.url(), "--client-id", "pub", "--auth-method", "none")
    assert post.code == 0 and public.code == 0, (post, public)
    first, second = server.requests
    assert "authorization" not in first.headers and "authorization" not in second.headers
    assert first.form[-2:] == [("client_id", CLIENT_ID), ("client_secret", CLIENT_SECRET)]
    assert second.form == [("grant_type", "client_credentials"), ("client_id", "pub")]


def test_client_secret_uri_puts_everything_in_the_query_as_the_seed_does(server):
    server.answer(200, {"access_token": "a", "token_type": "Bearer"})
    result = token(server, "--auth-method", "client_secret_uri", "--scope", "x")
    assert result.code == 0, result
    seen = server.requests[0]
    assert seen.method == "POST"
    assert seen.query == [("client_id", CLIENT_ID), ("client_secret", CLIENT_SECRET),
                          ("grant_type", "client_credentials"), ("scope", "x")]
    assert "authorization" not in seen.headers
    assert seen.body == b"" and seen.form == []


def test_tls_client_auth_needs_a_certificate_and_sends_client_id(server, tmp_path):
    trustme = pytest.importorskip("trustme")
    missing = token(server, "--auth-method", "tls_client_auth")
    assert missing.code == 1 and "--cert" in missing.stderr, missing
    ca = trustme.CA()
    cert = ca.issue_cert("client.example")
    cert_path, key_path = tmp_path / "client.pem", tmp_path / "client.key"
    cert.cert_chain_pems[0].write_to_path(str(cert_path))
    cert.private_key_pem.write_to_path(str(key_path))
    server.answer(200, {"access_token": "a", "token_type": "Bearer"})
    result = token(server, "--auth-method", "self_signed_tls_client_auth", "--cert", str(cert_path), "--key", str(key_path),
                   env={"OAUTH2_CLIENT_SECRET": ""})
    assert result.code == 0, result
    seen = server.requests[0]
    # RFC 8705 §2: the certificate authenticates; client_id names the client; no secret anywhere.
    assert seen.form == [("grant_type", "client_credentials"), ("client_id", CLIENT_ID)]
    assert "authorization" not in seen.headers


def test_unknown_auth_method_names_the_choices(server):
    result = token(server, "--auth-method", "telepathy")
    assert result.code == 1, result
    assert "unknown client authentication method 'telepathy'" in result.stderr
    assert "client_secret_basic" in result.stderr and "private_key_jwt" in result.stderr
    assert server.requests == []


# -- errors a user must understand ----------------------------------------------

@pytest.mark.parametrize("status", [200, 400, 401, 500])
def test_an_error_object_at_any_status_exits_3(server, status):
    server.answer(status, {"error": "invalid_grant", "error_description": "The grant is \x1b[31mgone\u2014sorry",
                           "error_uri": "https://as.example/errors#grant"})
    result = token(server)
    assert result.code == 3, result
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result
    assert "invalid_grant" in lines[0] and "gone\u2014sorry" in lines[0]
    assert "https://as.example/errors#grant" in lines[0]
    assert "\x1b" not in result.stderr  # a server cannot drive the terminal
    assert_no_traceback(result)


@pytest.mark.parametrize(("status", "body", "ctype", "expect"), [
    (502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html", "HTTP 502, text/html"),
    (200, "<html>login page</html>", "text/html; charset=utf-8", "HTTP 200, text/html"),
    (200, '{"access_token": "abc", "tok', "application/json", "did not answer with JSON"),
    (200, '["access_token"]', "application/json", "JSON array"),
    (200, "", "", "(empty body)"),
], ids=["gateway", "html-200", "truncated", "array", "empty"])
def test_a_non_json_answer_exits_3_with_status_type_and_excerpt(server, status, body, ctype, expect):
    server.answer(status, body, ctype)
    result = token(server)
    assert result.code == 3, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and expect in lines[0], result
    assert_no_traceback(result)


def test_a_success_without_token_type_says_which_fix_helps(server):
    server.answer(200, {"access_token": "a"})
    result = token(server)
    assert result.code == 3, result
    assert "no token_type" in result.stderr and "missing_token_type" in result.stderr


def test_redirects_are_not_followed(server):
    server.answer(302, "", "text/plain", Location="http://127.0.0.1:9/elsewhere")
    result = token(server)
    assert result.code == 3, result
    assert "HTTP 302" in result.stderr
    assert len(server.requests) == 1


def test_a_server_that_never_answers_times_out_with_exit_6():
    import socket

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/token"
        result = run_cli("token", "--token-url", url, "--client-id", "c", "--timeout", "0.5", env=SECRET_ENV)
    assert result.code == 6, result
    assert result.stderr.strip().startswith(f"oauth2: error: no complete answer from 127.0.0.1:{url.split(':')[2].split('/')[0]} within 0.5 s")
    assert_no_traceback(result)


def test_an_unresolvable_host_exits_6():
    result = run_cli("token", "--token-url", "https://no-such-host.invalid/token", "--client-id", "c", "--timeout", "5",
                     env=SECRET_ENV)
    assert result.code == 6, result
    assert "no-such-host.invalid" in result.stderr and len(result.stderr.splitlines()) == 1
    assert_no_traceback(result)
