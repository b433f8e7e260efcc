"""The first slice against the real provider: discover, and client_credentials tokens."""

from __future__ import annotations

import json

from tests.support.cli import assert_no_traceback, run_cli
from tests.support.loopback_http import free_port


def cc_args(provider, client="cc-only", *extra):
    return ["token", "--issuer", provider.issuer, "--client-id", provider.clients[client]["client_id"],
            "--grant", "client_credentials", *extra]


def test_discover_prints_the_metadata_as_json(provider):
    result = run_cli("discover", provider.issuer)
    assert result.code == 0, result
    document = json.loads(result.stdout)
    assert document["issuer"] == provider.issuer
    assert document["token_endpoint"] == provider.discovery()["token_endpoint"]
    assert result.stderr == ""


def test_discover_reads_the_issuer_from_the_environment(provider):
    result = run_cli("discover", env={"OAUTH2_ISSUER": provider.issuer})
    assert result.code == 0, result
    assert json.loads(result.stdout)["issuer"] == provider.issuer


def test_client_credentials_prints_one_active_token(provider):
    client = provider.clients["cc-only"]
    result = run_cli(*cc_args(provider), env={"OAUTH2_CLIENT_SECRET": client["client_secret"]})
    assert result.code == 0, result
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and result.stdout.endswith("\n"), result
    answer = provider.introspect(lines[0])
    assert answer["active"] is True
    assert answer["client_id"] == client["client_id"]
    assert result.stderr == ""


def test_secret_from_a_named_variable_and_from_a_file(provider, tmp_path):
    client = provider.clients["cc-only"]
    by_env = run_cli(*cc_args(provider, "cc-only", "--client-secret-env", "MY_SECRET"),
                     env={"MY_SECRET": client["client_secret"]})
    assert by_env.code == 0, by_env
    secret_file = tmp_path / "secret"
    secret_file.write_text(client["client_secret"] + "\n")
    by_file = run_cli(*cc_args(provider, "cc-only", "--client-secret-file", str(secret_file)))
    assert by_file.code == 0, by_file
    assert provider.introspect(by_file.stdout.strip())["active"] is True


def test_explicit_token_url_needs_no_discovery(provider):
    client = provider.clients["cc-only"]
    result = run_cli("token", "--token-url", provider.endpoint("token_endpoint"), "--client-id", client["client_id"],
                     "--grant", "client_credentials", env={"OAUTH2_CLIENT_SECRET": client["client_secret"]})
    assert result.code == 0, result
    assert provider.introspect(result.stdout.strip())["active"] is True


def test_output_json_has_the_token_response(provider):
    client = provider.clients["cc-only"]
    result = run_cli(*cc_args(provider, "cc-only", "--output", "json"), env={"OAUTH2_CLIENT_SECRET": client["client_secret"]})
    assert result.code == 0, result
    data = json.loads(result.stdout)
    assert data["token_type"] == "Bearer"
    assert 0 < data["expires_in"] <= 3600
    assert provider.introspect(data["access_token"])["active"] is True


def test_wrong_secret_exits_3_with_the_providers_error(provider):
    result = run_cli(*cc_args(provider), env={"OAUTH2_CLIENT_SECRET": "not-the-secret"})
    assert result.code == 3, result
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result
    assert "invalid_client" in lines[0]
    assert "client authentication failed" in lines[0]  # oidc-provider's error_description
    assert "not-the-secret" not in result.stderr
    assert_no_traceback(result)


def test_closed_port_exits_6(tmp_path):
    port = free_port()  # nothing listens on it
    result = run_cli("token", "--issuer", f"http://127.0.0.1:{port}", "--client-id", "x", "--grant",
                     "client_credentials", env={"OAUTH2_CLIENT_SECRET": "s"})
    assert result.code == 6, result
    assert result.stderr.strip() == f"oauth2: error: connection refused by 127.0.0.1:{port}"
    assert_no_traceback(result)
    discover = run_cli("discover", f"http://127.0.0.1:{port}")
    assert discover.code == 6 and "connection refused" in discover.stderr


def test_unknown_grant_exits_2_without_touching_the_network(provider):
    result = run_cli("token", "--issuer", provider.issuer, "--client-id", "x", "--grant", "telepathy")
    assert result.code == 2
    assert "unknown grant 'telepathy'" in result.stderr
    assert_no_traceback(result)
