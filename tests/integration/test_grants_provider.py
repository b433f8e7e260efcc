"""Every grant and client authentication method the real provider supports, through the CLI."""

from __future__ import annotations

import base64
import json
import os

import pytest

from tests.support.cli import assert_no_traceback, run_cli
from tests.support.provider import API_RESOURCE


def claims_of(jwt: str) -> dict:
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def cc(provider, client, *args, env=None):
    info = provider.clients[client]
    secret = {"OAUTH2_CLIENT_SECRET": info["client_secret"]} if info["client_secret"] else {}
    return run_cli("token", "--issuer", provider.issuer, "--client-id", client, "--grant", "client_credentials",
                   *args, env={**secret, **(env or {})})


AUTH_CASES = {
    "basic": ("conf-basic", []),
    "post": ("conf-post", ["--auth-method", "client_secret_post"]),
    "secret-jwt": ("secret-jwt", ["--auth-method", "client_secret_jwt"]),
    "rsa-jwt": ("pkjwt-rsa", ["--auth-method", "private_key_jwt", "--private-key", "{key}", "--key-id", "{kid}"]),
    "ec-jwt": ("pkjwt-ec", ["--auth-method", "private_key_jwt", "--private-key", "{key}"]),
    "ec-jwt-issuer-aud": ("pkjwt-ec", ["--auth-method", "private_key_jwt", "--private-key", "{key}",
                                       "--assertion-audience", "issuer"]),
}
EXPECTED_METHOD = {"conf-basic": "client_secret_basic", "conf-post": "client_secret_post",
                   "secret-jwt": "client_secret_jwt", "pkjwt-rsa": "private_key_jwt", "pkjwt-ec": "private_key_jwt"}


@pytest.mark.parametrize("case", list(AUTH_CASES))
def test_each_client_authentication_method(provider, case):
    client, template = AUTH_CASES[case]
    info = provider.clients[client]
    args = [a.format(key=info["private_key_path"], kid=info["kid"]) for a in template]
    provider.reset_events()
    # Twice: every client assertion carries a fresh jti, and the provider refuses a replayed one.
    for _ in range(2):
        result = cc(provider, client, *args)
        assert result.code == 0, result
        assert provider.introspect(result.stdout.strip())["client_id"] == client
    requests = [e for e in provider.events() if e["type"] == "token.request"]
    assert [e["auth_method"] for e in requests] == [EXPECTED_METHOD[client]] * 2
    assert result.stderr == ""


def test_private_key_jwt_with_a_jwk_file(provider, tmp_path):
    from joserfc.jwk import ECKey

    info = provider.clients["pkjwt-ec"]
    key = ECKey.import_key(open(info["private_key_path"], "rb").read())
    jwk = tmp_path / "key.json"
    jwk.write_text(json.dumps({**key.as_dict(private=True), "kid": info["kid"]}))
    result = cc(provider, "pkjwt-ec", "--auth-method", "private_key_jwt", "--private-key", str(jwk))
    assert result.code == 0, result


def test_private_key_jwt_with_the_wrong_key_is_refused(provider):
    wrong = provider.clients["pkjwt-rsa"]["private_key_path"]
    result = cc(provider, "pkjwt-ec", "--auth-method", "private_key_jwt", "--private-key", wrong)
    assert result.code == 3, result
    assert "invalid_client" in result.stderr
    assert_no_traceback(result)


def test_private_key_jwt_without_a_key_is_a_configuration_error(provider):
    result = cc(provider, "pkjwt-ec", "--auth-method", "private_key_jwt")
    assert result.code == 1 and "--private-key" in result.stderr, result


def test_resource_indicator_gives_a_jwt_access_token(provider):
    result = cc(provider, "cc-only", "--resource", API_RESOURCE, "--scope", "api:read")
    assert result.code == 0, result
    claims = claims_of(result.stdout.strip())
    assert claims["aud"] == API_RESOURCE
    assert claims["client_id"] == "cc-only" and claims["scope"] == "api:read"
    assert claims["iss"] == provider.issuer


def test_unknown_resource_is_the_providers_invalid_target(provider):
    result = cc(provider, "cc-only", "--resource", "urn:not:a:resource")
    assert result.code == 3, result
    assert "invalid_target" in result.stderr


def test_authorization_code_exchange_through_the_cli(provider):
    from tests.test_harness import login_with_browser

    got, _state, verifier, redirect_uri = login_with_browser(provider, "public-pkce")
    result = run_cli("token", "--issuer", provider.issuer, "--client-id", "public-pkce", "--grant", "authorization_code",
                     "--code", "-", "--redirect-uri", redirect_uri, "--code-verifier", verifier, "-o", "json",
                     input=got["code"] + "\n")
    assert result.code == 0, result
    data = json.loads(result.stdout)
    assert data["refresh_token"] and data["id_token"] and data["token_type"] == "Bearer"
    assert provider.introspect(data["access_token"])["sub"] == "alice"
    # A code is good once (RFC 6749 §4.1.2): the same exchange again is the provider's invalid_grant.
    again = run_cli("token", "--issuer", provider.issuer, "--client-id", "public-pkce", "--grant", "authorization_code",
                    "--code", "-", "--redirect-uri", redirect_uri, "--code-verifier", verifier, input=got["code"] + "\n")
    assert again.code == 3 and "invalid_grant" in again.stderr, again


def test_ad_hoc_refresh_token_grant_rotates(provider, tmp_path):
    from tests.test_harness import login_with_browser

    got, _state, verifier, redirect_uri = login_with_browser(provider, "conf-basic")
    secret = {"OAUTH2_CLIENT_SECRET": provider.clients["conf-basic"]["client_secret"]}
    first = run_cli("token", "--issuer", provider.issuer, "--client-id", "conf-basic", "--grant", "authorization_code",
                    "--code", got["code"], "--redirect-uri", redirect_uri, "--code-verifier", verifier, "-o", "json",
                    env=secret)
    assert first.code == 0, first
    old = json.loads(first.stdout)["refresh_token"]
    path = tmp_path / "rt"
    path.write_text(old)
    result = run_cli("token", "--issuer", provider.issuer, "--client-id", "conf-basic", "--grant", "refresh_token",
                     "--refresh-token-file", str(path), "-o", "json", env=secret)
    assert result.code == 0, result
    data = json.loads(result.stdout)
    assert data["refresh_token"] != old  # the provider rotates
    assert provider.introspect(data["access_token"])["active"] is True
    reused = run_cli("refresh", "--issuer", provider.issuer, "--client-id", "conf-basic", "--refresh-token-env", "RT",
                     env={**secret, "RT": old})
    assert reused.code == 3 and "invalid_grant" in reused.stderr, reused
    assert old not in reused.stderr


def test_the_seeds_password_grant_is_refused_by_a_server_without_it(provider):
    # oidc-provider does not offer the password grant: its refusal reaches the user as such.
    result = run_cli("token", "--issuer", provider.issuer, "--client-id", "conf-basic", "--grant", "password",
                     "--username", "alice", "--password-env", "PW",
                     env={"PW": "pw", "OAUTH2_CLIENT_SECRET": provider.clients["conf-basic"]["client_secret"]})
    assert result.code == 3, result
    lines = result.stderr.splitlines()
    assert "deprecated" in lines[0] and "unsupported_grant_type" in lines[-1]
    assert "pw" not in os.linesep.join(lines[1:]).split("error:")[-1].split()


def test_profile_with_grant_stores_what_it_got(provider, isolate):
    config = isolate / "config" / "oauth2cli" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'[profiles.ci]\nissuer = "{provider.issuer}"\nclient_id = "cc-only"\n')
    secret = {"OAUTH2_CLIENT_SECRET": provider.clients["cc-only"]["client_secret"]}
    first = run_cli("token", "ci", "--grant", "client_credentials", env=secret)
    assert first.code == 0, first
    provider.reset_events()
    again = run_cli("token", "ci", "--output", "json", env=secret)
    assert again.code == 0, again
    assert json.loads(again.stdout)["access_token"] == first.stdout.strip()
    assert [e for e in provider.events() if e["type"] == "token.request"] == []
