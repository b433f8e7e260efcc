"""JAR (RFC 9101): the authorization request as a signed request object, accepted by the real
provider for clients registered with require_signed_request_object, refused without it."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

from oauth2cli.core import jose
from oauth2cli.core.advice import hint
from tests.login.conftest import stored_tokens, write_profile
from tests.login.extensions import JAR_SECRET, ext_provider  # noqa: F401 (fixture)
from tests.support.cli import assert_no_traceback, run_cli


def _sent_request_object(provider) -> tuple[dict, dict, dict]:
    outside = provider.authorizations()[-1]
    header, claims = jose.split_jwt(outside["request"])
    return outside, header, claims


def test_request_object_signed_with_the_private_key_is_accepted(ext_provider, standin_browser):
    provider, key_path = ext_provider
    write_profile("jar", issuer=provider.issuer, client_id="jar-rsa", auth_method="private_key_jwt",
                  private_key=str(key_path), scope="openid email", request_object=True)
    before = time.time()
    result = run_cli("login", "jar")
    assert result.code == 0, result
    assert_no_traceback(result)
    outside, header, claims = _sent_request_object(provider)
    assert set(outside) == {"client_id", "request"}  # RFC 9101 §5: nothing else outside the JWT
    assert header["alg"] == "RS256" and header["typ"] == "oauth-authz-req+jwt"
    assert claims["iss"] == "jar-rsa" and claims["aud"] == provider.issuer and claims["client_id"] == "jar-rsa"
    assert claims["exp"] - claims["iat"] == 60 and claims["nbf"] == claims["iat"] and claims["jti"]
    assert before - 2 <= claims["iat"] <= time.time() + 2
    assert claims["code_challenge_method"] == "S256" and claims["state"] and claims["nonce"]
    assert claims["response_type"] == "code" and claims["scope"] == "openid email"
    tokens = stored_tokens("jar")
    assert tokens.access_token and tokens.id_token


def test_request_object_with_hs256_inside_a_pushed_request(ext_provider, standin_browser):
    provider, _ = ext_provider
    write_profile("jars", issuer=provider.issuer, client_id="jar-secret", scope="openid")
    result = run_cli("login", "jars", "--request-object", "--par", env={"OAUTH2_CLIENT_SECRET": JAR_SECRET})
    assert result.code == 0, result
    outside = provider.authorizations()[-1]
    assert set(outside) == {"client_id", "request_uri"}  # the JWT went in the PAR body
    assert stored_tokens("jars").access_token


def test_client_that_requires_a_request_object_refuses_a_plain_request(ext_provider, standin_browser):
    provider, key_path = ext_provider
    write_profile("plain", issuer=provider.issuer, client_id="jar-rsa", auth_method="private_key_jwt",
                  private_key=str(key_path), scope="openid")
    result = run_cli("login", "plain", "--browser-timeout", "20")
    assert result.code == 3, result
    assert_no_traceback(result)
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("oauth2: error")]
    assert len(error_lines) == 1, result
    assert "invalid_request" in error_lines[0] and "request object" in error_lines[0].lower(), result
    # issue #28 row 13: the line names the option that makes the request a request object
    assert error_lines[0].endswith("; " + hint("request-object")), error_lines[0]
    assert "request" not in provider.authorizations()[-1], "no request object was sent"
    assert stored_tokens("plain") is None


def test_request_object_without_key_or_secret_is_refused_before_the_browser(ext_provider, standin_browser):
    provider, _ = ext_provider
    write_profile("nokey", issuer=provider.issuer, client_id="jarm-public", scope="openid", request_object=True)
    result = run_cli("login", "nokey")
    assert result.code == 1, result
    assert "a signed request object (--request-object) needs the client's private key or secret" in result.stderr
    assert standin_browser.visits() == []
