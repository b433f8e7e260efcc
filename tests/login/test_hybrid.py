"""Hybrid flows (OIDC Core §3.3) against the real provider, and c_hash checked wherever a code and an
id_token arrive together: a stand-in with its own keys serves the tampered ones."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from oauth2cli.core import jose
from tests.login.conftest import stored_tokens, write_profile
from tests.login.extensions import ext_provider  # noqa: F401 (fixture)
from tests.login.test_jarm import _rsa_jwk
from tests.support.cli import assert_no_traceback, run_cli
from tests.support.loopback_http import QuietHandler, serve


@pytest.mark.parametrize("response_type", ["code id_token", "code token", "code id_token token"])
def test_hybrid_flow_with_the_real_provider(ext_provider, standin_browser, response_type):
    provider, _ = ext_provider
    write_profile("hy", issuer=provider.issuer, client_id="hybrid", scope="openid email")
    result = run_cli("login", "hy", "--response-type", response_type)
    assert result.code == 0, result
    assert_no_traceback(result)
    sent = provider.authorizations()[-1]
    assert sent["response_type"] == response_type and sent["nonce"] and sent["code_challenge_method"] == "S256"
    page, posted = [v for v in standin_browser.visits() if provider.issuer not in v["url"]][-2:]
    assert "#" not in page["url"] and posted["status"] == 200 and "You are signed in" in posted["body"]
    tokens = stored_tokens("hy")
    assert tokens.id_token and jose.split_jwt(tokens.id_token)[1]["sub"] == "alice"


def test_hybrid_without_openid_is_refused_before_the_browser(ext_provider, standin_browser):
    provider, _ = ext_provider
    result = run_cli("login", "--issuer", provider.issuer, "--client-id", "hybrid", "--scope", "email",
                     "--response-type", "code id_token")
    assert result.code == 1, result
    assert "returns an id_token, which needs scope openid" in result.stderr
    assert standin_browser.visits() == []


class IdTokenStandIn:
    """Authorization endpoint (answer in the fragment or the query), token endpoint and JWKS, with
    id_tokens signed by a key of its own and tampered as `front`/`back` say."""

    def __init__(self, issuer: str, client_id: str, where: str, front=None, back=None) -> None:
        self.key = jose.load_private_key(json.dumps(_rsa_jwk("stand-in")))
        self.token_requests: list[dict] = []
        self.nonce = None
        stand_in = self

        def id_token(code: str, change) -> str:
            now = int(time.time())
            claims = {"iss": issuer, "aud": client_id, "sub": "alice", "iat": now, "exp": now + 300,
                      "nonce": stand_in.nonce, "c_hash": jose.token_hash(code, "RS256")}
            return jose.sign_jwt(change(claims) if change else claims, stand_in.key, alg="RS256")

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                if parts.path == "/jwks":
                    return self.reply(200, {"keys": [jose.public_jwk(stand_in.key)]})
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                stand_in.nonce = query.get("nonce")
                params = {"code": "the-code", "state": query["state"]}
                if where == "fragment":
                    params["id_token"] = id_token("the-code", front)
                else:
                    params["iss"] = issuer  # RFC 9207, which the provider's metadata promises
                self.reply(302, b"", None, {"Location": query["redirect_uri"] + ("#" if where == "fragment" else "?") + urlencode(params)})

            def do_POST(self) -> None:  # noqa: N802
                form = parse_qs(self.body().decode())
                stand_in.token_requests.append(form)
                self.reply(200, {"access_token": "at", "token_type": "Bearer", "expires_in": 600,
                                 "id_token": id_token(form["code"][0], back)})


        self.server, self.base = serve(Handler)


def _login_against(stand_in: IdTokenStandIn, provider, *args: str):
    write_profile("tamper", issuer=provider.issuer, client_id="hybrid", scope="openid")
    try:
        return run_cli("login", "tamper", "--authorization-url", stand_in.base + "/authorize",
                       "--token-url", stand_in.base + "/token", "--jwks-url", stand_in.base + "/jwks",
                       "--browser-timeout", "20", *args)
    finally:
        stand_in.server.stop()


def _tampered(**changes):
    return lambda claims: {k: v for k, v in {**claims, **changes}.items() if v is not None}


FRONT_CASES = {
    "tampered-c_hash": (_tampered(c_hash=jose.token_hash("another-code", "RS256")),
                        "id_token rejected: c_hash does not match the authorization code"),
    "no-c_hash": (_tampered(c_hash=None), "id_token rejected: c_hash is missing"),
    "other-nonce": (_tampered(nonce="not-the-one-sent"), "id_token rejected: nonce does not match"),
}


@pytest.mark.parametrize("case", list(FRONT_CASES))
def test_hybrid_front_channel_id_token_refused_before_the_code_is_used(ext_provider, standin_browser, case):
    provider, _ = ext_provider
    change, message = FRONT_CASES[case]
    stand_in = IdTokenStandIn(provider.issuer, "hybrid", "fragment", front=change)
    result = _login_against(stand_in, provider, "--response-type", "code id_token")
    assert result.code == 3, result
    errors = [line for line in result.stderr.splitlines() if line.startswith("oauth2: error")]
    assert len(errors) == 1 and message in errors[0], result
    assert stand_in.token_requests == []  # refused before the code was exchanged
    assert stored_tokens("tamper") is None


def test_hybrid_back_channel_id_token_for_another_user_is_refused(ext_provider, standin_browser):
    provider, _ = ext_provider
    stand_in = IdTokenStandIn(provider.issuer, "hybrid", "fragment", back=_tampered(sub="mallory"))
    result = _login_against(stand_in, provider, "--response-type", "code id_token")
    assert result.code == 3, result
    assert "the token endpoint's id_token has sub 'mallory', the one from the authorization endpoint 'alice'" in result.stderr
    assert len(stand_in.token_requests) == 1 and stored_tokens("tamper") is None


def test_code_flow_checks_c_hash_of_the_token_endpoint_id_token(ext_provider, standin_browser):
    provider, _ = ext_provider
    stand_in = IdTokenStandIn(provider.issuer, "hybrid", "query", back=_tampered(c_hash=jose.token_hash("x", "RS256")))
    result = _login_against(stand_in, provider)
    assert result.code == 3, result
    assert "id_token rejected: c_hash does not match the authorization code" in result.stderr
    assert stored_tokens("tamper") is None


def test_code_flow_with_a_right_c_hash_logs_in(ext_provider, standin_browser):
    provider, _ = ext_provider
    stand_in = IdTokenStandIn(provider.issuer, "hybrid", "query")
    result = _login_against(stand_in, provider)
    assert result.code == 0, result
    assert stored_tokens("tamper").access_token == "at"
