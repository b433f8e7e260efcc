"""Token request forms: ordered pairs, repeated parameters, the RFCs' required members."""

from __future__ import annotations

import pytest

from oauth2cli.core import grants
from oauth2cli.core.errors import ConfigError


def test_common_parameters_keep_order_and_repeats():
    pairs = grants.common_parameters("a b", ["aud1", "aud2"], ("r1", "r2"), [("x", "1"), ("x", "2")])
    assert pairs == (("scope", "a b"), ("audience", "aud1"), ("audience", "aud2"), ("resource", "r1"),
                     ("resource", "r2"), ("x", "1"), ("x", "2"))


def test_password_form_rfc6749_4_3_2():
    assert grants.password_form("johndoe", "A3ddj3w") == (
        ("grant_type", "password"), ("username", "johndoe"), ("password", "A3ddj3w"))
    with pytest.raises(ConfigError):
        grants.password_form("", "x")


def test_token_exchange_form_rfc8693():
    form = grants.token_exchange_form("tok", "access_token", requested_token_type="urn:x:custom",
                                      resources=("https://backend.example.com/api",))
    assert form == (
        ("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"), ("subject_token", "tok"),
        ("subject_token_type", "urn:ietf:params:oauth:token-type:access_token"),
        ("requested_token_type", "urn:x:custom"), ("resource", "https://backend.example.com/api"))


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"subject_token": "", "subject_token_type": "jwt"}, "subject token"),
    ({"subject_token": "t", "subject_token_type": ""}, "--subject-token-type"),
    ({"subject_token": "t", "subject_token_type": "jwt", "actor_token": "a"}, "--actor-token-type"),
    ({"subject_token": "t", "subject_token_type": "jwt", "actor_token_type": "jwt"}, "without an actor token"),
])
def test_token_exchange_refuses_incomplete_requests(kwargs, message):
    with pytest.raises(ConfigError, match=message):
        grants.token_exchange_form(**kwargs)


def test_grant_names_and_urns():
    assert grants.grant_type_value("device_code") == "urn:ietf:params:oauth:grant-type:device_code"
    assert grants.grant_type_value("urn:ietf:params:oauth:grant-type:jwt-bearer").endswith("jwt-bearer")
    assert grants.short_name("urn:ietf:params:oauth:grant-type:token-exchange") == "token-exchange"
    assert grants.grant_of_form(grants.refresh_token_form("r")) == "refresh_token"
    with pytest.raises(KeyError):
        grants.grant_type_value("telepathy")


def test_authorization_code_and_jwt_bearer_forms():
    assert grants.authorization_code_form("c", "http://127.0.0.1:1/cb", "v", resources=("r",)) == (
        ("grant_type", "authorization_code"), ("code", "c"), ("redirect_uri", "http://127.0.0.1:1/cb"),
        ("code_verifier", "v"), ("resource", "r"))
    assert grants.jwt_bearer_form("a.b.c", scope="s")[:3] == (
        ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", "a.b.c"), ("scope", "s"))
