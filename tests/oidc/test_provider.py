"""OpenID Connect against the real provider: a code flow whose id_token validates, userinfo
for a stored profile, and `decode --verify` of a real id_token and of a JWT access token."""

from __future__ import annotations

import json
import secrets
from urllib.parse import urlencode

import pytest

from oauth2cli.core.client_auth import ClientCredentials
from oauth2cli.core.errors import ProtocolError
from oauth2cli.core.settings import ClientSettings
from oauth2cli.deps import Deps
from oauth2cli.flows.exchange import token as token_flow
from oauth2cli.flows.exchange.oidc import check_id_token
from tests.support import browser
from tests.support.cli import assert_no_traceback, run_cli
from tests.support.provider import API_RESOURCE
from tests.support.login import OneShotCallback


def code_flow(provider, client="conf-basic", login="alice", **extra):
    """A real authorization code flow (the stand-in browser signs in and consents)."""
    info = provider.clients[client]
    callback = OneShotCallback()
    nonce = secrets.token_urlsafe(16)
    query = {"response_type": "code", "client_id": info["client_id"], "redirect_uri": callback.redirect_uri,
             "scope": "openid profile email offline_access", "state": secrets.token_urlsafe(16), "nonce": nonce,
             "prompt": "consent", **extra}
    browser.run(provider.endpoint("authorization") + "?" + urlencode(query), login=login)
    got = callback.wait()
    settings = ClientSettings(client=ClientCredentials(info["client_id"], info["client_secret"]),
                              issuer=provider.issuer, profile="work")
    deps = Deps()
    tokens = token_flow.authorization_code(settings, deps, got["code"], callback.redirect_uri, None)
    return settings, deps, tokens, nonce


@pytest.fixture
def logged_in(provider):
    """Profile "work": a code flow's tokens, stored after check_id_token accepted the id_token."""
    settings, deps, tokens, nonce = code_flow(provider)
    claims = check_id_token(settings, deps, tokens, nonce=nonce)
    deps.store.save_profile("work", {"issuer": provider.issuer, "client_id": settings.client.client_id})
    deps.store.secrets.set("work", "client_secret", settings.client.client_secret)
    deps.store.save_tokens("work", tokens)
    return tokens, claims


def test_the_id_token_of_a_code_flow_validates(provider):
    settings, deps, tokens, nonce = code_flow(provider, login="bob", max_age="300")
    claims = check_id_token(settings, deps, tokens, nonce=nonce, max_age=300)
    assert claims["sub"] == "bob" and claims["aud"] == "conf-basic" and claims["nonce"] == nonce
    assert claims["iss"] == provider.issuer
    assert claims["auth_time"] <= claims["iat"]  # max_age asked: auth_time present and recent
    with pytest.raises(ProtocolError, match="nonce does not match the one sent"):
        check_id_token(settings, deps, tokens, nonce="another-nonce")
    other = ClientSettings(client=ClientCredentials("conf-post", "x"), issuer=provider.issuer)
    with pytest.raises(ProtocolError, match="aud 'conf-basic' does not contain client_id 'conf-post'"):
        check_id_token(other, deps, tokens, nonce=nonce)


def test_userinfo_of_a_stored_profile(provider, logged_in):
    result = run_cli("userinfo", "work")
    assert result.code == 0, result
    assert json.loads(result.stdout) == {"sub": "alice", "name": "Test alice", "email": "alice@example.test",
                                         "email_verified": True}
    assert result.stderr == ""


def test_userinfo_ad_hoc_with_a_token_on_stdin_or_in_a_variable(provider, logged_in):
    tokens, _ = logged_in
    piped = run_cli("userinfo", "--issuer", provider.issuer, input=tokens.access_token + "\n")
    assert piped.code == 0, piped
    assert json.loads(piped.stdout)["sub"] == "alice"
    by_env = run_cli("userinfo", "--userinfo-url", provider.endpoint("userinfo"), "--token-env", "AT",
                     env={"AT": tokens.access_token})
    assert by_env.code == 0 and json.loads(by_env.stdout)["email"] == "alice@example.test", by_env
    refused = run_cli("userinfo", "--issuer", provider.issuer, "--token-env", "AT", env={"AT": "not-a-token"})
    assert refused.code == 3, refused
    assert refused.stderr.startswith("oauth2: error: the userinfo endpoint refused: invalid_token"), refused
    assert_no_traceback(refused)


def test_decode_verify_a_real_id_token(provider, logged_in):
    tokens, claims = logged_in
    result = run_cli("decode", "--verify", "--issuer", provider.issuer, tokens.id_token)
    assert result.code == 0, result
    decoded = json.loads(result.stdout)
    assert decoded["claims"] == claims
    assert decoded["header"]["alg"] in ("RS256", "ES256") and decoded["header"]["kid"]
    assert result.stderr == "verified: signature, exp, iat, iss\n"

    profile = run_cli("decode", "work", "--verify")
    assert profile.code == 0, profile
    assert json.loads(profile.stdout)["claims"]["sub"] == "alice"

    head, body, sig = tokens.id_token.split(".")
    tampered = run_cli("decode", "--verify", "--jwks-url", provider.endpoint("jwks_uri"),
                       f"{head}.{body}.{sig[:-4]}AAAA")
    assert tampered.code == 3, tampered
    assert tampered.stderr.startswith("oauth2: error: the token rejected: the signature does not verify")
    assert len(tampered.stderr.splitlines()) == 1 and tampered.stdout == ""


def test_decode_verify_a_jwt_access_token(provider):
    client = provider.clients["cc-only"]
    got = run_cli("token", "--issuer", provider.issuer, "--client-id", "cc-only", "--resource", API_RESOURCE,
                  "--scope", "api:read", env={"OAUTH2_CLIENT_SECRET": client["client_secret"]})
    assert got.code == 0, got
    access_token = got.stdout.strip()
    result = run_cli("decode", "--verify", "--issuer", provider.issuer, "--expect-audience", API_RESOURCE, "-",
                     input=access_token)
    assert result.code == 0, result
    decoded = json.loads(result.stdout)
    assert decoded["header"]["typ"] == "at+jwt"
    assert decoded["claims"]["aud"] == API_RESOURCE and decoded["claims"]["client_id"] == "cc-only"
    assert result.stderr == "verified: signature, exp, iat, iss, aud\n"
    wrong = run_cli("decode", "--verify", "--issuer", provider.issuer, "--expect-audience", "urn:other", access_token)
    assert wrong.code == 3, wrong
    assert "aud 'urn:oauth2cli:test-api' does not contain 'urn:other'" in wrong.stderr


def test_decode_without_verify_and_dates(provider, logged_in):
    tokens, claims = logged_in
    result = run_cli("decode", "--dates", tokens.id_token)
    assert result.code == 0, result
    decoded = json.loads(result.stdout)
    assert decoded["claims"] == claims
    assert decoded["dates"]["exp"].endswith("Z") and set(decoded["dates"]) == {"exp", "iat"}
    plain = run_cli("decode", tokens.id_token)
    assert "dates" not in json.loads(plain.stdout)  # not a terminal
