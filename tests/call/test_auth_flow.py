"""The pure parts, driven by hand with the RFCs' own example messages: challenges, DPoP proofs,
and the one auth flow's generator (transport/authflow.TokenAuth.flow: next(flow) / flow.send(response), no
network), as httpx's own tests drive an httpx.Auth; the answers are httpx's Response objects."""

from __future__ import annotations

import json

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import ECKey

from oauth2cli.core import dpop
from oauth2cli.core.tokens import TokenSet
from oauth2cli.core.www_authenticate import parse
from oauth2cli.transport.authflow import Request, TokenAuth

RFC6750_EXPIRED = 'Bearer realm="example", error="invalid_token", error_description="The access token expired"'
RFC9449_NONCE = 'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"'
RFC9449_NONCE_VALUE = "eyJ7S_zG.eyJH0-Z.HX4w-7v"


@pytest.mark.parametrize(("header", "expected"), [
    (RFC6750_EXPIRED, [("Bearer", {"realm": "example", "error": "invalid_token",
                                   "error_description": "The access token expired"}, None)]),
    # RFC 9110 §11.6.1: several challenges in one field, quoted-pair escapes, a token68
    ('Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"',
     [("Newauth", {"realm": "apps", "type": "1", "title": 'Login to "apps"'}, None), ("Basic", {"realm": "simple"}, None)]),
    ("Basic dXNlcjpwYXNz==, DPoP algs=\"ES256 PS256\"", [("Basic", {}, "dXNlcjpwYXNz=="), ("DPoP", {"algs": "ES256 PS256"}, None)]),
    ("Bearer", [("Bearer", {}, None)]),
    ("BEARER ERROR=invalid_token", [("BEARER", {"error": "invalid_token"}, None)]),
], ids=["rfc6750", "rfc9110-two", "token68", "bare", "case"])
def test_www_authenticate(header, expected) -> None:
    assert [(c.scheme, c.params, c.token68) for c in parse(header)] == expected


def test_rfc9449_ath_example() -> None:
    # RFC 9449 §7.1: the access token of the example and its ath
    assert dpop.access_token_hash("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU") == "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"


def test_proof_claims_and_signature() -> None:
    key = ECKey.generate_key("P-256", private=True)
    proof = dpop.build_proof(key, "POST", "https://Server.example.com/token?x=1#frag", now=1562262616.7, jti="j-1",
                             access_token="tok", nonce="n-1")
    token = jwt.decode(proof, ECKey.import_key(key.as_dict(private=False)), algorithms=["ES256"])
    assert token.header == {"typ": "dpop+jwt", "alg": "ES256", "jwk": key.as_dict(private=False)}
    assert token.claims == {"jti": "j-1", "htm": "POST", "htu": "https://server.example.com/token", "iat": 1562262616,
                            "ath": dpop.access_token_hash("tok"), "nonce": "n-1"}
    assert dpop.thumbprint(key) == key.thumbprint()


def test_nonce_signals() -> None:
    headers = [("WWW-Authenticate", RFC9449_NONCE), ("DPoP-Nonce", RFC9449_NONCE_VALUE)]
    assert dpop.resource_wants_nonce(401, headers) == RFC9449_NONCE_VALUE
    assert dpop.resource_wants_nonce(401, [("WWW-Authenticate", RFC6750_EXPIRED)]) is None
    body = json.dumps({"error": "use_dpop_nonce", "error_description": "Authorization server requires nonce in DPoP proof"})
    assert dpop.token_endpoint_wants_nonce(400, [("DPoP-Nonce", RFC9449_NONCE_VALUE)], body.encode()) == RFC9449_NONCE_VALUE
    assert dpop.token_endpoint_wants_nonce(400, [("DPoP-Nonce", "x")], b'{"error":"invalid_grant"}') is None
    assert dpop.token_endpoint_wants_nonce(400, [], b"<html>") is None


class Tokens:
    def __init__(self, *tokens: TokenSet, refreshable: bool = True) -> None:
        self.tokens = list(tokens)
        self.refreshable = refreshable
        self.refreshed_from: list[str] = []

    def current(self) -> TokenSet:
        return self.tokens[0]

    def refresh(self, stale: TokenSet):
        self.refreshed_from.append(stale.access_token)
        if not self.refreshable:
            return None
        self.tokens.pop(0)
        return self.tokens[0]


def respond(status: int, request: Request, *headers: tuple[str, str]) -> httpx.Response:
    return httpx.Response(status, headers=list(headers))


def test_401_invalid_token_refreshes_once_and_replays() -> None:
    tokens = Tokens(TokenSet("old", expires_at=2e9), TokenSet("new", expires_at=2e9), TokenSet("newer", expires_at=2e9))
    auth = TokenAuth(tokens.current, tokens.refresh)
    flow = auth.flow(Request("POST", "https://api.example.com/x", [], b"body"))
    sent = next(flow)
    assert sent.header("Authorization") == "Bearer old"
    replay = flow.send(respond(401, sent, ("WWW-Authenticate", RFC6750_EXPIRED)))
    assert replay.header("Authorization") == "Bearer new" and replay.body == b"body"
    with pytest.raises(StopIteration):  # a second 401 is the answer: no second refresh
        flow.send(respond(401, replay, ("WWW-Authenticate", RFC6750_EXPIRED)))
    assert tokens.refreshed_from == ["old"]


@pytest.mark.parametrize(("expires_at", "challenge", "refreshes"), [
    (2e9, 'Bearer realm="x"', False),  # a 401 that is not about the token: no refresh
    (2e9, 'Bearer error="insufficient_scope"', False),
    (None, 'Bearer realm="x"', True),  # unknown expiry: any 401 gets one refresh
    (2e9, 'DPoP error="invalid_token", error_description="Invalid DPoP key binding", algs="ES256"', True),
], ids=["other-401", "scope", "unknown-expiry", "dpop-invalid"])
def test_which_401_refreshes(expires_at, challenge, refreshes) -> None:
    tokens = Tokens(TokenSet("old", expires_at=expires_at), TokenSet("new"))
    flow = TokenAuth(tokens.current, tokens.refresh).flow(Request("GET", "https://a.example/"))
    sent = next(flow)
    if refreshes:
        assert flow.send(respond(401, sent, ("WWW-Authenticate", challenge))).header("Authorization") == "Bearer new"
    else:
        with pytest.raises(StopIteration):
            flow.send(respond(401, sent, ("WWW-Authenticate", challenge)))
        assert tokens.refreshed_from == []


def test_no_refresh_possible_lets_the_401_through() -> None:
    tokens = Tokens(TokenSet("old"), refreshable=False)
    flow = TokenAuth(tokens.current, tokens.refresh).flow(Request("GET", "https://a.example/"))
    sent = next(flow)
    with pytest.raises(StopIteration):
        flow.send(respond(401, sent, ("WWW-Authenticate", RFC6750_EXPIRED)))
    assert tokens.refreshed_from == ["old"]


def test_dpop_proof_per_request_and_one_nonce_retry() -> None:
    proofs: list[tuple] = []

    def proof(method, url, access_token, nonce):
        proofs.append((method, url, access_token, nonce))
        return f"proof-{len(proofs)}"

    tokens = Tokens(TokenSet("bound", token_type="DPoP", expires_at=2e9))
    flow = TokenAuth(tokens.current, tokens.refresh, proof=proof).flow(Request("GET", "https://rs.example/api?q=1"))
    sent = next(flow)
    assert sent.header("Authorization") == "DPoP bound" and sent.header("DPoP") == "proof-1"
    retry = flow.send(respond(401, sent, ("WWW-Authenticate", RFC9449_NONCE), ("DPoP-Nonce", RFC9449_NONCE_VALUE)))
    assert retry.header("DPoP") == "proof-2"
    assert proofs == [("GET", "https://rs.example/api?q=1", "bound", None),
                      ("GET", "https://rs.example/api?q=1", "bound", RFC9449_NONCE_VALUE)]
    with pytest.raises(StopIteration):  # only once
        flow.send(respond(401, retry, ("WWW-Authenticate", RFC9449_NONCE), ("DPoP-Nonce", "another")))
    assert tokens.refreshed_from == []


def test_token_in_query_compliance_fix() -> None:
    tokens = Tokens(TokenSet("tok", expires_at=2e9))
    flow = TokenAuth(tokens.current, tokens.refresh, token_in_query=True).flow(Request("GET", "https://a.example/x?site=so"))
    sent = next(flow)
    assert sent.url == "https://a.example/x?site=so&access_token=tok" and sent.header("Authorization") is None


@pytest.mark.parametrize(("url", "expected"), [
    ("https://server.example.com/token", "https://server.example.com/token"),
    ("https://Server.Example.com:443/a/b?q=1#f", "https://server.example.com/a/b"),
    ("http://user:pw@127.0.0.1:8080", "http://127.0.0.1:8080/"),
    ("http://[::1]:80/x", "http://[::1]/x"),
], ids=["plain", "query-fragment-port", "userinfo", "ipv6"])
def test_htu_is_normalized_without_query_and_fragment(url, expected) -> None:
    assert dpop.htu(url) == expected


def test_the_same_flow_driven_by_the_wire_client_against_a_real_resource(resource) -> None:
    """transport/authflow: the generator driven by hand above is driven by authflow.drive on the wire
    client: the 401 is refreshed and replayed in the same run, the refused answer closed unread."""
    from oauth2cli.transport import wire
    from oauth2cli.transport.authflow import drive

    resource.refused.add("old")
    tokens = Tokens(TokenSet("old", expires_at=2e9), TokenSet("new", expires_at=2e9))
    auth = TokenAuth(tokens.current, tokens.refresh)
    request = Request("POST", resource.base + "/echo", [("Content-Type", "text/plain")], b"body")
    response = drive(auth.flow(request), lambda r: wire.open_response(r.method, r.url, r.headers, r.body, timeout=5))
    assert response.status_code == 200 and json.loads(response.read())["body"] == "body"
    assert [(r["headers"]["Authorization"], r["body"]) for r in resource.requests] == [
        ("Bearer old", b"body"), ("Bearer new", b"body")]
    assert tokens.refreshed_from == ["old"] and auth.refreshes == 1 and auth.sends == 2
