"""`oauth2 assertion` (RFC 7523 §2.1): the claims it signs, and the exchange at a token
endpoint that verifies signature, aud, exp and jti replay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from joserfc import jws
from joserfc.jwk import RSAKey

from tests.support.cli import assert_no_traceback, run_cli

SA_EMAIL = "svc@project.iam.gserviceaccount.com"


def decoded(assertion: str, key: RSAKey) -> tuple[dict, dict]:
    public = RSAKey.import_key(key.as_dict(private=False))
    registry = jws.JWSRegistry(strict_check_header=False)  # --header adds private parameters
    obj = jws.deserialize_compact(assertion.strip(), public, algorithms=["RS256"], registry=registry)
    return obj.headers(), json.loads(obj.payload)


def service_account(tmp_path: Path, key: RSAKey, token_uri: str) -> Path:
    path = tmp_path / "sa.json"
    path.write_text(json.dumps({
        "type": "service_account",
        "project_id": "project",
        "private_key_id": "0123abcd",
        "private_key": key.as_pem(private=True).decode(),
        "client_email": SA_EMAIL,
        "client_id": "1234567890",
        "token_uri": token_uri,
    }))
    return path


def test_print_assertion_with_an_explicit_key(rsa_key, rsa_pem):
    result = run_cli("assertion", "--private-key", str(rsa_pem), "--iss", "my-app", "--sub", "alice",
                     "--token-url", "https://id.example.test/token", "--lifetime", "120",
                     "--claim", "tenant=acme", "--claim", "level=3", "--header", "x-env=test", "--key-id", "k-7",
                     "--print-assertion")
    assert result.code == 0, result
    assert result.stderr == ""
    header, claims = decoded(result.stdout, rsa_key)
    assert header == {"alg": "RS256", "typ": "JWT", "kid": "k-7", "x-env": "test"}
    assert (claims["iss"], claims["sub"], claims["aud"]) == ("my-app", "alice", "https://id.example.test/token")
    assert claims["exp"] - claims["iat"] == 120
    assert claims["tenant"] == "acme" and claims["level"] == 3
    assert len(claims["jti"]) >= 20


def test_every_run_has_a_fresh_jti(rsa_key, rsa_pem):
    args = ("assertion", "--private-key", str(rsa_pem), "--iss", "a", "--aud", "https://x.test/t", "--print-assertion")
    first, second = run_cli(*args), run_cli(*args)
    assert first.code == second.code == 0
    assert decoded(first.stdout, rsa_key)[1]["jti"] != decoded(second.stdout, rsa_key)[1]["jti"]


def test_service_account_json_as_google_writes_it(tmp_path, rsa_key):
    sa = service_account(tmp_path, rsa_key, "https://oauth2.example.test/token")
    result = run_cli("assertion", "--service-account", str(sa), "--scope", "https://example.test/auth/a b",
                     "--subject", "user@example.test", "--print-assertion")
    assert result.code == 0, result
    header, claims = decoded(result.stdout, rsa_key)
    assert header["kid"] == "0123abcd"
    assert claims["iss"] == SA_EMAIL
    assert claims["sub"] == "user@example.test"  # domain-wide delegation
    assert claims["aud"] == "https://oauth2.example.test/token"
    assert claims["scope"] == "https://example.test/auth/a b"
    assert claims["exp"] - claims["iat"] == 300  # the default lifetime


@pytest.mark.parametrize(("args", "code", "message"), [
    (("--lifetime", "3601"), 2, "3601 is not in the range 1<=x<=3600"),
    (("--claim", "jti=fixed"), 1, "the claim 'jti' is set by the tool"),
    (("--header", "alg=none"), 1, "set the signing algorithm with --alg"),
    (("--alg", "HS256"), 1, "cannot sign with HS256"),
], ids=["lifetime-over-an-hour", "jti-override", "alg-header", "hmac-with-rsa-key"])
def test_refused_settings(rsa_pem, args, code, message):
    result = run_cli("assertion", "--private-key", str(rsa_pem), "--iss", "a", "--aud", "https://x.test/t",
                     "--print-assertion", *args)
    assert result.code == code, result
    assert message in result.stderr, result
    assert result.stdout == ""
    assert_no_traceback(result)


def test_missing_key_and_unreadable_service_account(tmp_path):
    no_key = run_cli("assertion", "--iss", "a", "--aud", "https://x.test/t", "--print-assertion")
    assert no_key.code == 1 and "no key to sign the assertion with" in no_key.stderr, no_key
    bad = tmp_path / "sa.json"
    bad.write_text('{"type": "authorized_user"}')
    wrong = run_cli("assertion", "--service-account", str(bad), "--print-assertion")
    assert wrong.code == 1 and "has type 'authorized_user', not 'service_account'" in wrong.stderr, wrong
    assert_no_traceback(wrong)


def test_exchange_with_a_service_account(tmp_path, rsa_key, bearer_endpoint):
    sa = service_account(tmp_path, rsa_key, bearer_endpoint.url)
    first = run_cli("assertion", "--service-account", str(sa), "--scope", "read write", "--output", "json")
    second = run_cli("assertion", "--service-account", str(sa), "--scope", "read write")
    assert first.code == 0, first
    assert second.code == 0, second
    assert json.loads(first.stdout)["access_token"] == "at-1"
    assert second.stdout == "at-2\n"
    # Google's form: grant_type and assertion only; the scope travels in the claim.
    assert set(bearer_endpoint.forms[0]) == {"grant_type", "assertion"}
    assert [c["scope"] for c in bearer_endpoint.accepted] == ["read write", "read write"]
    assert len(bearer_endpoint.seen_jti) == 2


def test_the_endpoint_refuses_a_replayed_or_misaddressed_assertion(tmp_path, rsa_key, rsa_pem, bearer_endpoint):
    import httpx

    printed = run_cli("assertion", "--private-key", str(rsa_pem), "--iss", SA_EMAIL,
                      "--token-url", bearer_endpoint.url, "--print-assertion")
    form = {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": printed.stdout.strip()}
    assert httpx.post(bearer_endpoint.url, data=form).status_code == 200
    replay = httpx.post(bearer_endpoint.url, data=form)
    assert replay.status_code == 400 and replay.json()["error_description"] == "jti replayed"

    wrong_aud = run_cli("assertion", "--private-key", str(rsa_pem), "--iss", SA_EMAIL,
                        "--token-url", bearer_endpoint.url, "--aud", "https://elsewhere.test/token")
    assert wrong_aud.code == 3, wrong_aud
    assert wrong_aud.stderr.strip() == ("oauth2: error: the token endpoint refused: invalid_grant: "
                                        "aud is not this token endpoint")


def test_explicit_key_exchange_with_scope_parameter(rsa_pem, bearer_endpoint):
    result = run_cli("assertion", "--private-key", str(rsa_pem), "--iss", SA_EMAIL, "--token-url",
                     bearer_endpoint.url, "--scope", "api", "--output", "header")
    assert result.code == 0, result
    assert result.stdout == "Authorization: Bearer at-1\n"
    assert bearer_endpoint.forms[0]["scope"] == "api"  # RFC 7523 §2.1: a request parameter here
    assert "scope" not in bearer_endpoint.accepted[0]


def test_fetch_with_assertion_reads_the_profile_key_from_the_secret_store(rsa_key, bearer_endpoint):
    from oauth2cli.core.client_auth import ClientCredentials
    from oauth2cli.core.settings import ClientSettings
    from oauth2cli.deps import Deps
    from oauth2cli.flows.grants.assertion import fetch_with_assertion

    deps = Deps()
    deps.store.secrets.set("sa", "private_key", rsa_key.as_pem(private=True).decode())
    settings = ClientSettings(client=ClientCredentials(client_id=""), profile="sa",
                              endpoints={"token_endpoint": bearer_endpoint.url},
                              assertion={"iss": SA_EMAIL, "lifetime": 60})
    first = fetch_with_assertion(settings, deps)
    second = fetch_with_assertion(settings, deps)
    assert (first.access_token, second.access_token) == ("at-1", "at-2")
    assert bearer_endpoint.accepted[0]["exp"] - bearer_endpoint.accepted[0]["iat"] == 60
    assert bearer_endpoint.accepted[0]["jti"] != bearer_endpoint.accepted[1]["jti"]


def test_assertion_settings_from_a_service_account(tmp_path, rsa_key):
    from oauth2cli.flows.grants.assertion import assertion_settings_from_service_account, service_account_key

    sa = service_account(tmp_path, rsa_key, "https://oauth2.example.test/token")
    values = assertion_settings_from_service_account(str(sa))
    assert values == {
        "grant": "jwt-bearer",
        "endpoints": {"token_endpoint": "https://oauth2.example.test/token"},
        "assertion": {"iss": SA_EMAIL, "sub": SA_EMAIL, "aud": "https://oauth2.example.test/token",
                      "scope_claim": True},
        "key_id": "0123abcd",
    }
    assert "PRIVATE KEY" not in json.dumps(values)  # the key goes to the secret store, not config.toml
    assert service_account_key(str(sa)).startswith("-----BEGIN PRIVATE KEY-----")
