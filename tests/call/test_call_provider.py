"""`oauth2 call` with tokens from the real provider: its userinfo endpoint as the protected resource,
refresh before expiry and on a 401, DPoP end to end (with and without server nonces)."""

from __future__ import annotations

import base64
import json
import time
from dataclasses import replace

import httpx
import pytest

from tests.call.conftest import login, oauth2, store, stored_tokens
from tests.support.provider import Provider


def grants(provider, grant_type: str = "refresh_token") -> list[dict]:
    return [e for e in provider.events() if e["type"] == "token.request" and e["grant_type"] == grant_type]


def claims(jwt: str) -> dict:
    part = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def test_userinfo_get_and_post(provider: Provider) -> None:
    login(provider, "user", "public-pkce", urls=[provider.issuer])
    userinfo = provider.endpoint("userinfo")
    for method in ("GET", "POST"):
        run = oauth2("call", method, userinfo)
        assert run.code == 0, str(run)
        assert json.loads(run.stdout)["sub"] == "carol"
    # the same token sent nowhere else: a URL outside the profile's urls is refused before sending
    run = oauth2("call", "-p", "user", "http://127.0.0.1:9/elsewhere")
    assert run.code == 1 and "may only go to" in run.stderr


def test_expired_token_is_refreshed_before_the_call(provider: Provider) -> None:
    # short-public: 2 s access tokens; a leeway of 0.5 s keeps a fresh one in use
    first = login(provider, "short", "short-public", leeway=0.5)
    userinfo = provider.endpoint("userinfo")
    provider.reset_events()
    run = oauth2("call", "-p", "short", userinfo)
    assert run.code == 0 and json.loads(run.stdout)["sub"] == "carol", str(run)
    assert grants(provider) == []
    assert stored_tokens("short").access_token == first.access_token

    time.sleep(2.2)  # expired between calls
    run = oauth2("call", "-p", "short", "-v", userinfo)
    assert run.code == 0 and json.loads(run.stdout)["sub"] == "carol", str(run)
    assert len(grants(provider)) == 1
    # refreshed first: the resource saw one request, never the expired token
    assert run.stderr.count("> GET " + userinfo) == 1
    now = stored_tokens("short")
    assert now.access_token != first.access_token
    assert now.refresh_token != first.refresh_token  # the rotated refresh token was saved


def test_invalid_token_401_gets_one_refresh_and_one_replay(provider: Provider, resource) -> None:
    first = login(provider, "api", "public-pkce", urls=[resource.base])
    resource.refused.add(first.access_token)  # the server revoked it before its expiry
    provider.reset_events()
    run = oauth2("call", resource.base + "/echo", "--data-binary", "@-", input=b"payload from stdin")
    assert run.code == 0, str(run)
    assert len(grants(provider)) == 1
    sent = [(r["headers"]["Authorization"], r["body"]) for r in resource.requests]
    new = stored_tokens("api")
    assert sent == [(f"Bearer {first.access_token}", b"payload from stdin"),
                    (f"Bearer {new.access_token}", b"payload from stdin")]  # stdin buffered and replayed
    assert json.loads(run.stdout)["headers"]["Authorization"] == f"Bearer {new.access_token}"


def test_a_second_401_is_the_answer(provider: Provider, resource) -> None:
    login(provider, "api", "public-pkce", urls=[resource.base])
    resource.refuse_all = True
    provider.reset_events()
    run = oauth2("call", "-f", resource.base + "/echo")
    assert run.code == 4, str(run)
    assert len(grants(provider)) == 1 and len(resource.requests) == 2
    assert "HTTP 401" in run.stderr


def test_refused_refresh_token_exits_7(provider: Provider, resource) -> None:
    tokens = login(provider, "api", "public-pkce", urls=[resource.base])
    store().save_tokens("api", replace(tokens, refresh_token="not-a-refresh-token", expires_at=time.time() - 5))
    run = oauth2("call", resource.base + "/echo")
    assert run.code == 7, str(run)
    assert "oauth2 login api" in run.stderr and run.stderr.count("\n") == 1
    assert resource.requests == []


def _dpop_key(profile: str):
    from joserfc.jwk import ECKey

    return ECKey.import_key(json.loads(store().secrets.get(profile, "dpop_key")))


def test_dpop_end_to_end(provider: Provider) -> None:
    tokens = login(provider, "dp", "dpop-client", dpop=True, urls=[provider.issuer])
    assert tokens.token_type == "DPoP"
    key = _dpop_key("dp")
    assert provider.introspect(tokens.access_token)["cnf"]["jkt"] == key.thumbprint()
    userinfo = provider.endpoint("userinfo")
    # bound: the token alone, as a Bearer or a DPoP header without proof, is refused
    assert httpx.get(userinfo, headers={"Authorization": f"DPoP {tokens.access_token}"}).status_code in (400, 401)
    run = oauth2("call", "-v", userinfo)
    assert run.code == 0 and json.loads(run.stdout)["sub"] == "carol", str(run)
    assert "> authorization: DPoP ***" in run.stderr and "> dpop: ***" in run.stderr

    # an expired DPoP token: the refresh carries a proof with the same key (public client: bound refresh token)
    store().save_tokens("dp", replace(tokens, expires_at=time.time() - 5))
    provider.reset_events()
    run = oauth2("call", userinfo)
    assert run.code == 0 and json.loads(run.stdout)["sub"] == "carol", str(run)
    (refresh,) = grants(provider)
    assert refresh["dpop"] is True and refresh["status"] == 200
    new = stored_tokens("dp")
    assert new.access_token != tokens.access_token and new.token_type == "DPoP"
    assert provider.introspect(new.access_token)["cnf"]["jkt"] == key.thumbprint()


def test_token_output_header_points_dpop_profiles_to_call() -> None:
    from oauth2cli.commands.token import print_token
    from oauth2cli.core.errors import ConfigError
    from oauth2cli.deps import Deps
    from oauth2cli.core.tokens import TokenSet

    # (`oauth2 token PROFILE` itself is issue 3's; the message is what it will show)
    with pytest.raises(ConfigError, match="bare header is not enough") as caught:
        print_token(TokenSet("t", token_type="DPoP"), "header", Deps())
    assert "oauth2 call" in caught.value.hint


@pytest.fixture(scope="module")
def nonce_provider(tmp_path_factory):
    instance = Provider(tmp_path_factory.mktemp("nonce-provider"), dpop_nonce=True).start()
    try:
        yield instance
    finally:
        instance.stop()


def test_dpop_nonces_at_the_token_endpoint_and_the_resource(nonce_provider: Provider) -> None:
    nonce_provider.reset_events()
    tokens = login(nonce_provider, "dpn", "dpop-client", dpop=True, urls=[nonce_provider.issuer])
    assert tokens.token_type == "DPoP"
    attempts = [(e["status"], e["error"]) for e in nonce_provider.events() if e["type"] == "token.request"]
    assert attempts == [(400, "use_dpop_nonce"), (200, None)]  # one retry with the server's nonce
    run = oauth2("call", "-v", nonce_provider.endpoint("userinfo"))
    assert run.code == 0 and json.loads(run.stdout)["sub"] == "carol", str(run)
    assert run.stderr.count("< HTTP/1.1 401") == 1 and run.stderr.count("< HTTP/1.1 200") == 1
    # expired: the refresh inside `call` meets the nonce too, and the new token works at once
    store().save_tokens("dpn", replace(tokens, expires_at=time.time() - 5))
    nonce_provider.reset_events()
    run = oauth2("call", nonce_provider.endpoint("userinfo"))
    assert run.code == 0 and json.loads(run.stdout)["sub"] == "carol", str(run)
    attempts = [(e["status"], e["error"]) for e in grants(nonce_provider)]
    assert attempts == [(400, "use_dpop_nonce"), (200, None)]
    assert stored_tokens("dpn").access_token != tokens.access_token


def test_a_nonce_retry_signs_a_new_client_assertion(nonce_provider: Provider) -> None:
    """private_key_jwt + DPoP nonce: the retry carries a fresh jti (RFC 7523 §3), or the server
    refuses it as a replay."""
    client = nonce_provider.clients["pkjwt-ec"]
    added = oauth2("profile", "add", "pk", "--issuer", nonce_provider.issuer, "--client-id", client["client_id"],
                   "--auth-method", "private_key_jwt", "--private-key", str(client["private_key_path"]),
                   "--grant", "client_credentials")
    assert added.code == 0, str(added)
    assert oauth2("profile", "set", "pk", "dpop", "true").code == 0
    nonce_provider.reset_events()
    run = oauth2("token", "pk", "--output", "json")
    assert run.code == 0, str(run)
    assert json.loads(run.stdout)["token_type"] == "DPoP"
    attempts = [(e["status"], e["error"]) for e in nonce_provider.events() if e["type"] == "token.request"]
    assert attempts == [(400, "use_dpop_nonce"), (200, None)]
