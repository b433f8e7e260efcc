"""JARM: the real provider's `response` JWTs (query, fragment, form_post, encrypted) verified before
the code is used; a local stand-in serves the ones that must be refused (another key, another aud,
expired, unsigned), and nothing is stored for them."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from oauth2cli.core import jose
from tests.login.conftest import stored_tokens, write_profile
from tests.login.extensions import ext_provider  # noqa: F401 (fixture)
from tests.support.cli import assert_no_traceback, run_cli
from tests.support.loopback_http import QuietHandler, serve


@pytest.mark.parametrize("mode", ["jwt", "query.jwt", "fragment.jwt", "form_post.jwt"])
def test_jarm_response_from_the_provider_is_verified_and_used(ext_provider, standin_browser, mode):
    provider, _ = ext_provider
    write_profile("jarm", issuer=provider.issuer, client_id="jarm-public", scope="openid", response_mode=mode)
    result = run_cli("login", "jarm")
    assert result.code == 0, result
    assert provider.authorizations()[-1]["response_mode"] == mode
    callback = [v for v in standin_browser.visits() if "127.0.0.1" in v["url"] and provider.issuer not in v["url"]]
    assert callback[-1]["status"] == 200 and "You are signed in" in callback[-1]["body"]
    assert stored_tokens("jarm").id_token


def test_encrypted_jarm_response_is_decrypted_with_the_profile_key(ext_provider, standin_browser):
    provider, key_path = ext_provider
    write_profile("jarmenc", issuer=provider.issuer, client_id="jarm-enc", scope="openid", auth_method="none",
                  private_key=str(key_path), response_mode="query.jwt")
    result = run_cli("login", "jarmenc")
    assert result.code == 0, result
    assert stored_tokens("jarmenc").access_token


def test_encrypted_jarm_response_without_a_key_is_refused(ext_provider, standin_browser):
    provider, _ = ext_provider
    write_profile("jarmnokey", issuer=provider.issuer, client_id="jarm-enc", scope="openid", response_mode="jwt")
    result = run_cli("login", "jarmnokey")
    assert result.code == 3, result
    assert "the JARM response is encrypted (JWE), and this profile has no private key" in result.stderr
    assert stored_tokens("jarmnokey") is None


class JarmStandIn:
    """An authorization endpoint that answers with a `response` JWT made by `make(query)` and
    serves its own JWKS; a token endpoint that records whether anyone came."""

    def __init__(self, make) -> None:
        self.key = jose.load_private_key(json.dumps(_rsa_jwk("good")))
        self.token_requests: list[str] = []
        stand_in = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                if parts.path == "/jwks":
                    self.reply(200, json.dumps({"keys": [jose.public_jwk(stand_in.key)]}), "application/json")
                    return
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                self.reply(302, b"", None, {"Location": query["redirect_uri"] + "?" + urlencode({"response": make(stand_in, query)})})

            def do_POST(self) -> None:  # noqa: N802
                stand_in.token_requests.append(self.path)
                self.reply(400, '{"error": "invalid_grant"}', "application/json")


        self.server, self.base = serve(Handler)


def _rsa_jwk(kid: str) -> dict:
    from cryptography.hazmat.primitives.asymmetric import rsa
    from joserfc.jwk import RSAKey

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return {**RSAKey.import_key(key).as_dict(private=True), "kid": kid}


def _claims(issuer: str, query: dict, **override) -> dict:
    now = int(time.time())
    return {"iss": issuer, "aud": "jarm-public", "exp": now + 300, "state": query["state"], "code": "stolen-code",
            **override}


OTHER_KEY = jose.load_private_key(json.dumps(_rsa_jwk("good")))  # same kid, another key

CASES = {
    "another-key": (lambda s, q, iss: jose.sign_jwt(_claims(iss, q), OTHER_KEY, alg="RS256"),
                    "the JARM response rejected: the signature does not verify"),
    "another-aud": (lambda s, q, iss: jose.sign_jwt(_claims(iss, q, aud="someone-else"), s.key, alg="RS256"),
                    "JARM response rejected: aud 'someone-else' is not this client ('jarm-public')"),
    "expired": (lambda s, q, iss: jose.sign_jwt(_claims(iss, q, exp=int(time.time()) - 600), s.key, alg="RS256"),
                "JARM response rejected: it expired"),
    "another-iss": (lambda s, q, iss: jose.sign_jwt(_claims("http://evil.example", q), s.key, alg="RS256"),
                    "JARM response rejected: iss is 'http://evil.example'"),
    "unsigned": (lambda s, q, iss: jose.b64url(b'{"alg":"none"}') + "." + jose.b64url(json.dumps(_claims(iss, q)).encode()) + ".",
                 "JARM response rejected: it is not signed (alg 'none')"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_jarm_response_is_refused_and_nothing_stored(ext_provider, standin_browser, case):
    provider, _ = ext_provider
    make, message = CASES[case]
    stand_in = JarmStandIn(lambda s, q: make(s, q, provider.issuer))
    try:
        write_profile("badjarm", issuer=provider.issuer, client_id="jarm-public", scope="openid")
        result = run_cli("login", "badjarm", "--response-mode", "query.jwt", "--authorization-url",
                         stand_in.base + "/authorize", "--jwks-url", stand_in.base + "/jwks",
                         "--token-url", stand_in.base + "/token", "--browser-timeout", "20")
    finally:
        stand_in.server.stop()
    assert result.code == 3, result
    assert_no_traceback(result)
    errors = [line for line in result.stderr.splitlines() if line.startswith("oauth2: error")]
    assert len(errors) == 1 and message in errors[0], result
    assert stand_in.token_requests == []  # the code inside was never used
    assert stored_tokens("badjarm") is None


def test_pasted_jarm_address_is_verified_too(ext_provider, background, tmp_path):
    from tests.support import browser

    provider, _ = ext_provider
    write_profile("jarmpaste", issuer=provider.issuer, client_id="jarm-public", scope="openid",
                  response_mode="query.jwt")
    bg = background("login", "jarmpaste", "--manual")
    url = bg.auth_url()
    log = tmp_path / "paste.jsonl"
    with pytest.raises(browser.BrowserError):  # nothing listens: the browser shows an error page
        browser.run(url, log=log)
    landed = json.loads(log.read_text().splitlines()[-1])["url"]
    assert landed.startswith("http://127.0.0.1/callback?response=")
    bg.send("http://127.0.0.1/callback?code=abc&state=wrong\n")
    bg.wait_for(r"not the answer to this login: the callback has no \(or more than one\) JARM response")
    bg.send(landed + "\n")
    rc, _, stderr = bg.finish(30)
    assert rc == 0, stderr
    assert stored_tokens("jarmpaste").access_token
