"""Client authentication: Basic encoding, post, none, TLS, URI, and the JWT assertions."""

from __future__ import annotations

import base64
import warnings
from types import SimpleNamespace

import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, OKPKey, OctKey, RSAKey

from oauth2cli.core import client_auth
from oauth2cli.core.client_auth import ClientCredentials, authenticate, basic_header
from oauth2cli.core.errors import ConfigError
from oauth2cli.core.http import HttpRequest
from oauth2cli.core.settings import ClientSettings

REQUEST = HttpRequest("POST", "https://as.example/token", form=(("grant_type", "client_credentials"),))


def test_basic_header_is_the_rfc_6749_example():
    # RFC 6749 §2.3.1
    assert basic_header("s6BhdRkqt3", "7Fjfp0ZBr1KtDRbnfVdmIw") == "Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3"


@pytest.mark.parametrize(("cid", "secret", "encoded"), [
    ("a b", "c:d", "a+b:c%3Ad"),
    ("id", "p%w+/=", "id:p%25w%2B%2F%3D"),
    ("ü", "é", "%C3%BC:%C3%A9"),
], ids=["space-colon", "reserved", "non-ascii"])
def test_basic_form_encodes_before_base64_and_raw_does_not(cid, secret, encoded):
    decode = lambda h: base64.b64decode(h.split(" ", 1)[1]).decode()  # noqa: E731
    assert decode(basic_header(cid, secret)) == encoded
    assert decode(basic_header(cid, secret, raw=True)) == f"{cid}:{secret}"


def test_method_defaults_follow_the_secret():
    assert ClientCredentials("c", "s").method == "client_secret_basic"
    assert ClientCredentials("c").method == "none"
    assert ClientCredentials("c", "s", auth_method="client_secret_post").method == "client_secret_post"


@pytest.mark.parametrize(("method", "form_tail", "header"), [
    ("client_secret_post", (("client_id", "c"), ("client_secret", "s")), None),
    ("none", (("client_id", "c"),), None),
    ("tls_client_auth", (("client_id", "c"),), None),
    ("self_signed_tls_client_auth", (("client_id", "c"),), None),
    ("client_secret_basic", (), "Basic Yzpz"),
])
def test_builtin_methods(method, form_tail, header):
    out = authenticate(REQUEST, ClientCredentials("c", "s", auth_method=method))
    assert out.form == REQUEST.form + form_tail
    assert out.header("authorization") == header
    assert out.url == REQUEST.url


def test_client_secret_uri_moves_the_whole_form_to_the_query():
    req = HttpRequest("POST", "https://as.example/token?x=1", form=(("grant_type", "password"),))
    out = authenticate(req, ClientCredentials("c d", "s&t", auth_method="client_secret_uri"))
    assert out.url == "https://as.example/token?x=1&client_id=c+d&client_secret=s%26t&grant_type=password"
    assert out.form is None and out.encoded_body() == b""


def test_secret_methods_without_a_secret_say_where_to_put_one():
    with pytest.raises(ConfigError, match="needs a client secret") as info:
        authenticate(REQUEST, ClientCredentials("c", auth_method="client_secret_post"))
    assert "OAUTH2_CLIENT_SECRET" in info.value.hint


def test_jwt_methods_send_the_assertion():
    out = authenticate(REQUEST, ClientCredentials("c", auth_method="private_key_jwt"), assertion="a.b.c")
    assert out.form[-3:] == (("client_id", "c"), ("client_assertion_type", client_auth.CLIENT_ASSERTION_TYPE),
                             ("client_assertion", "a.b.c"))
    with pytest.raises(ConfigError):
        authenticate(REQUEST, ClientCredentials("c", auth_method="private_key_jwt"))


def test_assertion_claims_and_audience_choice():
    claims = client_auth.assertion_claims("c", "https://as.example/token", 1000.9, "j1")
    assert claims == {"iss": "c", "sub": "c", "aud": "https://as.example/token", "jti": "j1", "iat": 1000, "exp": 1060}
    aud = client_auth.assertion_audience
    assert aud("token_endpoint", token_endpoint="T", issuer="I", called_url="U") == "T"
    assert aud("token_endpoint", token_endpoint=None, issuer="I", called_url="U") == "U"
    assert aud("issuer", token_endpoint="T", issuer="I", called_url="U") == "I"
    with pytest.raises(ConfigError):
        aud("issuer", token_endpoint="T", issuer=None, called_url="U")
    assert client_auth.rsa_alg(["PS256", "ES256"]) == "PS256"
    assert client_auth.rsa_alg(["RS256", "PS256"]) == "RS256" and client_auth.rsa_alg(None) == "RS256"


# -- the assertion as flows/exchange/token signs it ---------------------------------------

class StubEndpoints:
    def __init__(self, algs=None):
        self.metadata = SimpleNamespace(issuer="https://as.example",
                                        document={"token_endpoint_auth_signing_alg_values_supported": algs or []})

    def get(self, name):
        return {"token_endpoint": "https://as.example/token"}.get(name)


def sign(tmp_path, key, *, method="private_key_jwt", secret=None, algs=None, **settings):
    from oauth2cli.flows.exchange.token import client_assertion

    path = tmp_path / "key.pem"
    if key is not None:
        path.write_bytes(key.as_pem(private=True))
    s = ClientSettings(client=ClientCredentials("client-1", secret, auth_method=method), issuer="https://as.example",
                       private_key=str(path) if key is not None else None, **settings)
    deps = SimpleNamespace(clock=lambda: 1_700_000_000.0)
    return client_assertion(s, deps, StubEndpoints(algs), "https://as.example/revoke")


@pytest.mark.parametrize(("make", "alg", "algs"), [
    (lambda: RSAKey.generate_key(2048), "RS256", None),
    (lambda: RSAKey.generate_key(2048), "PS256", ["PS256"]),
    (lambda: ECKey.generate_key("P-256"), "ES256", None),
    (lambda: OKPKey.generate_key("Ed25519"), "EdDSA", None),
], ids=["rsa", "rsa-pss", "ec", "ed25519"])
def test_private_key_jwt_signs_by_key_type(tmp_path, make, alg, algs):
    key = make()
    first = sign(tmp_path, key, algs=algs, key_id="kid-1")
    second = sign(tmp_path, key, algs=algs, key_id="kid-1")
    with warnings.catch_warnings():  # joserfc warns about EdDSA (RFC 9864); servers still ask for it
        warnings.simplefilter("ignore")
        token = jwt.decode(first, key, algorithms=[alg])
        second_jti = jwt.decode(second, key, algorithms=[alg]).claims["jti"]
    assert token.header["alg"] == alg and token.header["kid"] == "kid-1"
    claims = token.claims
    assert claims["iss"] == claims["sub"] == "client-1"
    assert claims["aud"] == "https://as.example/token"
    assert claims["exp"] - claims["iat"] == 60 and claims["iat"] == 1_700_000_000
    assert claims["jti"] != second_jti  # fresh every time


def test_issuer_audience_switch(tmp_path):
    key = ECKey.generate_key("P-256")
    token = jwt.decode(sign(tmp_path, key, assertion_audience="issuer"), key, algorithms=["ES256"])
    assert token.claims["aud"] == "https://as.example"


def test_client_secret_jwt_is_hs256_with_the_secret(tmp_path):
    secret = "a-client-secret-of-enough-length-for-hs256!"
    value = sign(tmp_path, None, method="client_secret_jwt", secret=secret)
    token = jwt.decode(value, OctKey.import_key(secret), algorithms=["HS256"])
    assert token.header["alg"] == "HS256" and token.claims["sub"] == "client-1"


def test_private_key_jwt_with_an_unreadable_key(tmp_path):
    from oauth2cli.flows.exchange.token import client_assertion

    s = ClientSettings(client=ClientCredentials("c", auth_method="private_key_jwt"), private_key=str(tmp_path / "nope.pem"))
    with pytest.raises(ConfigError, match="cannot read the private key"):
        client_assertion(s, SimpleNamespace(clock=lambda: 0.0), StubEndpoints(), "https://as.example/token")
