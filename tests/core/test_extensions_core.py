"""The pure halves of issue #19: request objects (RFC 9101), JARM checks, RAR validation, step-up
challenges and the response-mode choice; the clock and keys passed in."""

from __future__ import annotations

import json

import pytest

from oauth2cli.core import jarm, jose, rar, request_object
from oauth2cli.core.authorization import CallbackIgnored
from oauth2cli.core.client_auth import ClientCredentials
from oauth2cli.core.errors import ConfigError, ProtocolError
from oauth2cli.core.settings import ClientSettings
from oauth2cli.flows.authorize.response_mode import listener_mode

NOW = 1_800_000_000.0


def test_request_object_claims_carry_every_parameter_and_fresh_registered_claims():
    params = (("response_type", "code"), ("client_id", "cli"), ("resource", "https://a"), ("resource", "https://b"),
              ("max_age", "0"), ("authorization_details", '[{"type":"x"}]'))
    claims = request_object.request_object_claims(params, client_id="cli", audience="https://id", now=NOW, jti="j1")
    assert claims["iss"] == "cli" and claims["aud"] == "https://id" and claims["jti"] == "j1"
    assert (claims["iat"], claims["nbf"], claims["exp"]) == (NOW, NOW, NOW + 60)
    assert claims["resource"] == ["https://a", "https://b"]  # RFC 8707: repeated parameter, an array
    assert claims["max_age"] == 0 and claims["authorization_details"] == [{"type": "x"}]
    assert request_object.outer_parameters("cli", "JWT") == (("client_id", "cli"), ("request", "JWT"))


def test_request_object_signed_and_verifiable():
    key = jose.secret_key("s" * 32)
    claims = request_object.request_object_claims((("state", "s"),), client_id="c", audience="i", now=NOW, jti="j")
    token = request_object.sign_request_object(claims, key, "HS256")
    header, body = jose.split_jwt(token)
    assert header == {"alg": "HS256", "typ": "oauth-authz-req+jwt"} and body["state"] == "s"
    assert jose.verify_jws(token, key, "HS256")


@pytest.mark.parametrize(("kty", "default", "listed", "key_alg", "expected"), [
    ("RSA", "RS256", None, None, "RS256"),
    ("RSA", "RS256", ["PS256", "ES256"], None, "PS256"),
    ("EC", "ES256", ["RS256", "ES256"], None, "ES256"),
    ("RSA", "RS256", ["RS256"], "RS256", "RS256"),
], ids=["no-list", "server-wants-ps256", "listed", "key-alg"])
def test_request_object_alg(kty, default, listed, key_alg, expected):
    assert request_object.signing_alg(kty, default, listed, key_alg) == expected


def test_request_object_alg_the_server_refuses():
    with pytest.raises(ConfigError, match="none of which fits a EC key"):
        request_object.signing_alg("EC", "ES256", ["RS256", "PS256"])


def _expected(**kw):
    base = dict(issuer="https://id", client_id="cli", state="st", now=NOW)
    return jarm.JarmExpected(**{**base, **kw})


def test_jarm_claims_give_the_response_parameters():
    claims = {"iss": "https://id", "aud": "cli", "exp": NOW + 10, "state": "st", "code": "c1"}
    assert jarm.check_claims(claims, _expected()) == {"iss": "https://id", "state": "st", "code": "c1"}


@pytest.mark.parametrize(("change", "message"), [
    ({"iss": "https://evil"}, "iss is 'https://evil'"),
    ({"aud": "other"}, "aud 'other' is not this client"),
    ({"exp": NOW - 61}, "it expired 61 s ago"),
    ({"exp": None}, "exp is missing"),
], ids=["iss", "aud", "expired", "no-exp"])
def test_jarm_claims_refused(change, message):
    claims = {"iss": "https://id", "aud": "cli", "exp": NOW + 10, "state": "st", "code": "c1", **change}
    with pytest.raises(ProtocolError, match=message):
        jarm.check_claims({k: v for k, v in claims.items() if v is not None}, _expected())


def test_jarm_alg_none_and_unlisted_algs_refused():
    with pytest.raises(ProtocolError, match="not signed"):
        jarm.check_alg({"alg": "none"}, ["RS256", "none"])
    with pytest.raises(ProtocolError, match="alg HS256 is not one the server announces"):
        jarm.check_alg({"alg": "HS256"}, ["RS256"])


def test_jarm_response_not_for_this_login_is_ignored():
    with pytest.raises(CallbackIgnored):
        jarm.response_jwt("code=x&state=y")
    with pytest.raises(CallbackIgnored):
        jarm.check_state({"state": "other"}, "st")
    assert jarm.where("jwt", "code") == "query" and jarm.where("jwt", "code id_token") == "fragment"
    assert jarm.where("form_post.jwt", "code") == "form_post"


def test_rar_checked_and_compacted():
    assert rar.check_details('[ {"type": "a", "x": 1} ]', "w") == '[{"type":"a","x":1}]'
    assert rar.types_of([{"type": "a"}, {"type": "b"}]) == ["a", "b"]
    with pytest.raises(ProtocolError, match="not an array of objects"):
        rar.granted({"authorization_details": {"type": "a"}})


def _settings(**kw) -> ClientSettings:
    return ClientSettings(client=ClientCredentials("cli"), scope="openid", **kw)


@pytest.mark.parametrize(("kw", "expected"), [
    ({}, (False, False, False)),
    ({"response_mode": "form_post"}, (False, True, False)),
    ({"response_mode": "form_post.jwt"}, (False, True, True)),
    ({"response_mode": "jwt"}, (False, False, True)),
    ({"response_mode": "jwt", "response_type": "code id_token"}, (True, False, True)),
    ({"response_type": "code id_token"}, (True, False, False)),
    ({"response_type": "token"}, (True, False, False)),
], ids=["code", "form_post", "form_post.jwt", "jwt", "hybrid-jwt", "hybrid", "implicit"])
def test_listener_mode(kw, expected):
    assert listener_mode(_settings(**kw)) == expected


def test_hybrid_in_the_query_is_refused():
    with pytest.raises(ConfigError, match="cannot use response_mode query"):
        listener_mode(_settings(response_type="code id_token", response_mode="query"))
    with pytest.raises(ConfigError, match="not supported"):
        listener_mode(_settings(response_type="id_token"))


def test_json_round_trip_of_details_in_request_object():
    claims = request_object.request_object_claims((("claims", json.dumps({"id_token": {"acr": None}})),),
                                                  client_id="c", audience="i", now=NOW, jti="j")
    assert claims["claims"] == {"id_token": {"acr": None}}


def test_iss_may_be_left_out_only_beside_an_id_token_that_was_asked_for():
    from oauth2cli.core.authorization import CallbackCheck, check_response

    hybrid = CallbackCheck("/cb", "st", "code id_token", "https://id", iss_required=True)
    assert check_response(hybrid, "code=c&state=st&id_token=x").code == "c"
    plain = CallbackCheck("/cb", "st", "code", "https://id", iss_required=True)
    with pytest.raises(ProtocolError, match="has no iss"):
        check_response(plain, "code=c&state=st&id_token=x")  # an id_token nobody asked for excuses nothing
