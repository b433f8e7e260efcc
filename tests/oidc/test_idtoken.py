"""id_token validation (OIDC Core §3.1.3.7) with forged tokens: each refused with its own
message, and nothing stored. The server is an httpx.MockTransport: the real provider only
signs good tokens."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

from oauth2cli.core.client_auth import ClientCredentials
from oauth2cli.core.errors import ConfigError, ProtocolError
from oauth2cli.core.jose import b64url, token_hash
from oauth2cli.core.settings import ClientSettings
from oauth2cli.deps import Deps
from oauth2cli.flows.exchange import token as token_flow
from oauth2cli.flows.exchange.oidc import check_id_token
from oauth2cli.transport.http import HttpClient

ISSUER = "https://op.example.test"
CLIENT_ID = "s6BhdRkqt3"  # OIDC Core's example client
CLIENT_SECRET = "7Fjfp0ZBr1KtDRbnfVdmIw-a-long-enough-client-secret"
NONCE = "n-0S6_WzA2Mj"
ACCESS_TOKEN = "SlAV32hkKG"


class FakeOP:
    """Discovery, JWKS and a token endpoint that hands out whatever id_token the test forged."""

    def __init__(self, keys, *, algs=("RS256", "ES256", "HS256")) -> None:
        self.keys = list(keys)
        self.algs = list(algs)
        self.id_token = ""
        self.jwks_fetches = 0

    def handler(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/.well-known/openid-configuration":
            return httpx.Response(200, json={
                "issuer": ISSUER, "token_endpoint": ISSUER + "/token", "jwks_uri": ISSUER + "/jwks",
                "userinfo_endpoint": ISSUER + "/me", "id_token_signing_alg_values_supported": self.algs,
            })
        if path == "/jwks":
            self.jwks_fetches += 1
            return httpx.Response(200, json={"keys": [k.as_dict(private=False) for k in self.keys]})
        if path == "/token":
            return httpx.Response(200, json={"access_token": ACCESS_TOKEN, "token_type": "Bearer",
                                             "expires_in": 3600, "id_token": self.id_token})
        return httpx.Response(404)


@pytest.fixture
def rsa() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig", "alg": "RS256"})


@pytest.fixture
def op(rsa):
    return FakeOP([rsa])


@pytest.fixture
def deps(op):
    transport = httpx.MockTransport(op.handler)
    d = Deps(http_factory=lambda options: HttpClient(options, client=httpx.Client(transport=transport)))
    d.store_choice = "file"
    return d


def settings(secret: str | None = CLIENT_SECRET) -> ClientSettings:
    return ClientSettings(client=ClientCredentials(client_id=CLIENT_ID, client_secret=secret), issuer=ISSUER,
                          profile="work")


def claims(**changes) -> dict:
    now = int(time.time())
    base = {"iss": ISSUER, "sub": "248289761001", "aud": CLIENT_ID, "exp": now + 600, "iat": now,
            "nonce": NONCE, "at_hash": token_hash(ACCESS_TOKEN, "RS256")}
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def signed(key, payload: dict, alg: str = "RS256", **header) -> str:
    return jwt.encode({"alg": alg, "kid": key.kid, **header}, payload, key, algorithms=[alg])


def hs256(secret: bytes, payload: dict, **header) -> str:
    head = b64url(json.dumps({"alg": "HS256", **header}).encode())
    body = b64url(json.dumps(payload).encode())
    mac = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64url(mac)}"


def unsigned(payload: dict) -> str:
    head = b64url(json.dumps({"alg": "none"}).encode())
    return f"{head}.{b64url(json.dumps(payload).encode())}."


def login(deps: Deps, s: ClientSettings, *, nonce: str = NONCE, max_age: int | None = None):
    """What the login command does after the callback: exchange, check, and only then store."""
    tokens = token_flow.authorization_code(s, deps, "SplxlOBeZQQYbYS6WxSbIA", "http://127.0.0.1/cb", None)
    checked = check_id_token(s, deps, tokens, nonce=nonce, max_age=max_age)
    deps.store.save_tokens(s.profile, tokens)
    return checked


def test_a_good_id_token_is_accepted_and_stored(op, deps, rsa):
    op.id_token = signed(rsa, claims())
    assert login(deps, settings())["sub"] == "248289761001"
    assert deps.store.load_tokens("work").id_token == op.id_token


FORGED = {
    "alg-none": (lambda rsa, other: unsigned(claims()), 'alg "none" (an unsigned token) is never accepted'),
    "unknown-key": (lambda rsa, other: signed(other, claims()), "unknown signing key (kid 'stranger'"),
    "hs256-with-public-key": (
        lambda rsa, other: hs256(rsa.as_pem(private=False), claims(), kid="k1"),
        "the HS256 signature does not verify with the client secret"),
    "wrong-iss": (lambda rsa, other: signed(rsa, claims(iss="https://evil.example.test")),
                  "iss is 'https://evil.example.test', expected 'https://op.example.test'"),
    "iss-trailing-slash": (lambda rsa, other: signed(rsa, claims(iss=ISSUER + "/")),
                           "iss is 'https://op.example.test/', expected"),
    "wrong-aud": (lambda rsa, other: signed(rsa, claims(aud="someone-else")),
                  "aud 'someone-else' does not contain client_id 's6BhdRkqt3'"),
    "several-aud-no-azp": (lambda rsa, other: signed(rsa, claims(aud=[CLIENT_ID, "other"])),
                           "aud has several audiences (s6BhdRkqt3, other) but no azp"),
    "wrong-azp": (lambda rsa, other: signed(rsa, claims(aud=[CLIENT_ID, "other"], azp="other")),
                  "azp is 'other', expected client_id"),
    "expired": (lambda rsa, other: signed(rsa, claims(exp=int(time.time()) - 600)), "it expired 6"),
    "iat-in-future": (lambda rsa, other: signed(rsa, claims(iat=int(time.time()) + 900)), "s in the future"),
    "wrong-nonce": (lambda rsa, other: signed(rsa, claims(nonce="replayed")),
                    "nonce does not match the one sent"),
    "no-nonce": (lambda rsa, other: signed(rsa, claims(nonce=None)), "nonce is missing, but the request sent one"),
    "bad-at-hash": (lambda rsa, other: signed(rsa, claims(at_hash=token_hash("another-token", "RS256"))),
                    "at_hash does not match the access token"),
    "bad-signature": (lambda rsa, other: signed(rsa, claims())[:-6] + "AAAAAA",
                      "the signature does not verify (RS256, kid 'k1')"),
    "alg-not-announced": (lambda rsa, other: signed(other, claims(), alg="PS256"),
                          "alg PS256 is not one the server announces for id_tokens (RS256, ES256, HS256)"),
}


@pytest.mark.parametrize("case", list(FORGED), ids=list(FORGED))
def test_forged_id_tokens_are_refused_and_nothing_is_stored(op, deps, rsa, case):
    other = RSAKey.generate_key(2048, parameters={"kid": "stranger"})
    make, message = FORGED[case]
    op.id_token = make(rsa, other)
    with pytest.raises(ProtocolError) as caught:
        login(deps, settings())
    assert str(caught.value).startswith("id_token rejected: ")
    assert message in str(caught.value)
    assert caught.value.exit_code == 3
    assert deps.store.load_tokens("work") is None


def test_each_refusal_has_its_own_message(op, deps, rsa):
    other = RSAKey.generate_key(2048, parameters={"kid": "stranger"})
    messages = set()
    for make, _ in FORGED.values():
        op.id_token = make(rsa, other)
        with pytest.raises(ProtocolError) as caught:
            login(deps, settings())
        messages.add(str(caught.value).split(" (")[0].split(", expected")[0])
    assert len(messages) == len(FORGED)


def test_hmac_needs_the_client_secret(op, deps, rsa):
    op.id_token = hs256(rsa.as_pem(private=False), claims(at_hash=token_hash(ACCESS_TOKEN, "HS256")))
    with pytest.raises(ProtocolError, match="alg HS256 is keyed with the client secret, and this client has none"):
        login(deps, settings(secret=None))
    # ... and an id_token really MACed with the client secret is fine (OIDC Core §10.1).
    op.id_token = hs256(CLIENT_SECRET.encode(), claims(at_hash=token_hash(ACCESS_TOKEN, "HS256")))
    assert login(deps, settings())["sub"] == "248289761001"


def test_max_age_requires_a_recent_auth_time(op, deps, rsa):
    op.id_token = signed(rsa, claims())
    with pytest.raises(ProtocolError, match="auth_time is missing, but max_age was requested"):
        login(deps, settings(), max_age=300)
    op.id_token = signed(rsa, claims(auth_time=int(time.time()) - 4000))
    with pytest.raises(ProtocolError, match="more than max_age 300"):
        login(deps, settings(), max_age=300)
    op.id_token = signed(rsa, claims(auth_time=int(time.time()) - 10))
    assert login(deps, settings(), max_age=300)["auth_time"]


def test_es256_and_the_jwks_cache(op, deps, rsa, isolate):
    ec = ECKey.generate_key("P-256", parameters={"kid": "e1"})
    op.keys.append(ec)
    op.id_token = signed(ec, claims(at_hash=token_hash(ACCESS_TOKEN, "ES256")), alg="ES256")
    login(deps, settings())
    login(deps, settings())
    assert op.jwks_fetches == 1  # the second check used the cache
    files = list((isolate / "cache" / "oauth2cli" / "jwks").iterdir())
    assert len(files) == 1 and files[0].stat().st_mode & 0o777 == 0o600
    cached = files[0].read_text()
    assert '"d"' not in cached and "PRIVATE" not in cached  # public keys only


def test_a_rotated_key_is_fetched_once(op, deps, rsa):
    op.id_token = signed(rsa, claims())
    login(deps, settings())
    assert op.jwks_fetches == 1
    rotated = RSAKey.generate_key(2048, parameters={"kid": "k2"})
    op.keys = [rotated]
    op.id_token = signed(rotated, claims())
    login(deps, settings())
    assert op.jwks_fetches == 2
    # a kid that is nowhere costs exactly one extra fetch, then fails
    op.id_token = signed(RSAKey.generate_key(2048, parameters={"kid": "k9"}), claims())
    with pytest.raises(ProtocolError, match="unknown signing key"):
        login(deps, settings())
    assert op.jwks_fetches == 3


def test_no_issuer_means_no_check(deps, op, rsa):
    op.id_token = signed(rsa, claims())
    s = ClientSettings(client=ClientCredentials(client_id=CLIENT_ID), endpoints={"token_endpoint": ISSUER + "/token"},
                       profile="work")
    with pytest.raises(ConfigError, match="cannot check the id_token without the issuer"):
        login(deps, s)
    assert deps.store.load_tokens("work") is None


def test_a_refreshed_id_token_must_name_the_same_user(op, deps, rsa):
    from oauth2cli.core.tokens import TokenSet

    s = settings()
    before = TokenSet(ACCESS_TOKEN, id_token=signed(rsa, claims()))
    same_user = TokenSet(ACCESS_TOKEN, id_token=signed(rsa, claims(nonce=None)))
    assert check_id_token(s, deps, same_user, nonce=None, previous=before)["sub"] == "248289761001"
    other_user = TokenSet(ACCESS_TOKEN, id_token=signed(rsa, claims(nonce=None, sub="someone-else")))
    with pytest.raises(ProtocolError, match="the refreshed id_token has sub 'someone-else', the original '248289761001'"):
        check_id_token(s, deps, other_user, nonce=None, previous=before)


def test_a_refresh_whose_id_token_names_another_user_stores_nothing(op, deps, rsa):
    """The session's refresh validates a new id_token before it saves anything (OIDC Core §12.2)."""
    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.flows.grants import session

    s = settings()
    stored = TokenSet("old-access", expires_at=time.time() - 10, refresh_token="old-refresh",
                      id_token=signed(rsa, claims()))
    deps.store.save_tokens("work", stored)
    op.id_token = signed(rsa, claims(nonce=None, sub="someone-else"))
    with pytest.raises(ProtocolError, match="the refreshed id_token has sub 'someone-else'"):
        session.current_token(s, deps)
    assert deps.store.load_tokens("work") == stored

    op.id_token = signed(rsa, claims(nonce=None))
    fresh = session.current_token(s, deps)
    assert fresh.access_token == ACCESS_TOKEN and deps.store.load_tokens("work").access_token == ACCESS_TOKEN
