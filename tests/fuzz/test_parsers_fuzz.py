"""Hypothesis against every parser that takes outside input.

Property everywhere: the parser returns its result or raises the one error type it
documents (an OAuth2CliError subclass, or click's BadParameter for option values) — never
KeyError, TypeError, AttributeError, RecursionError, UnicodeError or friends, which would
reach a user as "unexpected error". Round trips where a parser has an inverse.
"""

from __future__ import annotations

import base64
import json
import math
import tempfile
import zlib
from pathlib import Path

import click
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from oauth2cli.core.errors import ConfigError, ProtocolError, ServerError
from oauth2cli.core.http import HttpResponse, check_transport_security, mask_secrets, parse_json_object
from oauth2cli.core.metadata import discovery_urls, normalize_issuer, parse_metadata
from oauth2cli.core.tokens import KNOWN_TOKEN_TYPES, MAX_LIFETIME, TokenSet, parse_expires_in, parse_token_response

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                         HealthCheck.too_slow])
NOW = 1_800_000_000.0
TOKEN_FIELDS = ["access_token", "token_type", "expires_in", "refresh_token", "scope", "id_token", "error",
                "error_description", "error_uri", "issued_token_type"]

json_scalars = st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=True) | st.text(max_size=30)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12)
# Objects shaped like token responses: the right keys, any values — the interesting part.
token_like_objects = st.dictionaries(
    st.sampled_from(TOKEN_FIELDS) | st.text(max_size=8),
    json_values | st.sampled_from(["Bearer", "bearer", "DPoP", "mac", "N_A", "3600", "-1", "", "tok"]),
    max_size=8,
)
plausible = st.fixed_dictionaries(
    {"access_token": st.text(min_size=1, max_size=40), "token_type": st.sampled_from(["Bearer", "bearer", "DPoP"])},
    optional={"expires_in": st.integers(0, 10**9) | st.floats(0, 1e12) | st.integers(0, 10**6).map(str),
              "refresh_token": st.text(min_size=1, max_size=40), "scope": st.text(max_size=40),
              "id_token": st.text(min_size=1, max_size=40), "custom": json_values},
)


def _dumps(value) -> bytes:
    return json.dumps(value).encode()


bodies = st.one_of(
    st.binary(max_size=300),
    token_like_objects.map(_dumps),
    plausible.map(_dumps),
    json_values.map(_dumps),
    st.integers(1, 5000).map(lambda n: b"[" * n),
    plausible.map(lambda d: _dumps(d)[: max(1, len(_dumps(d)) // 2)]),  # cut short
)
statuses = st.sampled_from([200, 201, 204, 301, 302, 400, 401, 403, 404, 429, 500, 502, 503])
content_types = st.sampled_from(["application/json", "application/json; charset=utf-8", "text/html", "text/plain",
                                 "application/x-www-form-urlencoded", "", "application/problem+json"])


def response(status: int, ctype: str, body: bytes, truncated: bool = False) -> HttpResponse:
    headers = (("Content-Type", ctype),) if ctype else ()
    if 300 <= status < 400:
        headers += (("Location", "https://elsewhere.example/x?code=secret"),)
    return HttpResponse(status, headers, body, url="https://as.example/token", truncated=truncated)


@FUZZ
@given(statuses, content_types, bodies, st.booleans())
@example(200, "application/json", b'{"access_token":"a","token_type":"Bearer","expires_in":1e999}', False)
@example(200, "application/json", b'{"access_token":"a","token_type":"Bearer","expires_in":-0.0}', False)
def test_token_responses(status, ctype, body, truncated):
    try:
        tokens = parse_token_response(response(status, ctype, body, truncated), now=NOW)
    except (ProtocolError, ServerError) as exc:
        assert "\n" not in exc.message and "\x1b" not in exc.message
        return
    assert 200 <= status < 300
    assert isinstance(tokens.access_token, str) and tokens.access_token
    assert tokens.token_type in KNOWN_TOKEN_TYPES
    assert tokens.refresh_token is None or isinstance(tokens.refresh_token, str)
    assert tokens.scope is None or isinstance(tokens.scope, str)
    if tokens.expires_at is not None:
        assert math.isfinite(tokens.expires_at) and NOW <= tokens.expires_at <= NOW + MAX_LIFETIME
    # The store's round trip: to_dict -> JSON -> from_dict gives the same token set.
    stored = json.loads(json.dumps(tokens.to_dict()))
    again = TokenSet.from_dict(stored)
    assert again.access_token == tokens.access_token and again.refresh_token == tokens.refresh_token
    assert again.expires_at == tokens.expires_at and again.token_type == tokens.token_type
    assert again.scope == tokens.scope and again.id_token == tokens.id_token


@FUZZ
@given(token_like_objects, statuses)
def test_error_objects_anywhere(document, status):
    document = {**document, "error": document.get("error", "invalid_request")}
    try:
        parse_token_response(response(status, "application/json", _dumps(document)), now=NOW)
    except ServerError as exc:
        assert exc.exit_code == 3
        assert all(ch == " " or ch >= " " for ch in exc.message)
    except ProtocolError:
        pass
    else:
        pytest.fail("an error object must never become a token")


@FUZZ
@given(json_values)
def test_expires_in_values(value):
    try:
        seconds = parse_expires_in(value)
    except ProtocolError:
        return
    assert seconds is None or 0 <= seconds <= MAX_LIFETIME


# -- discovery ----------------------------------------------------------------------------

issuers = st.one_of(
    st.text(max_size=40),
    st.builds(lambda scheme, host, path: f"{scheme}://{host}{path}",
              st.sampled_from(["https", "http", "ftp", ""]),
              st.sampled_from(["as.example", "127.0.0.1:8080", "[::1]", "[", "a:b:c", "x:99999", ""]),
              st.sampled_from(["", "/", "/tenant", "/t/", "?q=1", "#f", "/a b"])),
)


@FUZZ
@given(issuers)
def test_issuer_normalisation(issuer):
    try:
        normal = normalize_issuer(issuer)
    except ConfigError:
        return
    assert normalize_issuer(normal) == normal  # idempotent
    urls = discovery_urls(normal)
    assert urls and all(u.startswith(normal.split("://")[0] + "://") for u in urls)


metadata_docs = st.one_of(
    json_values,
    st.dictionaries(st.sampled_from(["issuer", "token_endpoint", "jwks_uri", "revocation_endpoint",
                                     "grant_types_supported", "authorization_endpoint"]),
                    json_values | st.sampled_from(["https://as.example", "https://as.example/token", "/rel",
                                                   "http://[", "javascript:alert(1)"]), max_size=6),
)


@FUZZ
@given(metadata_docs, st.sampled_from([200, 200, 404, 500]), content_types)
def test_discovery_documents(document, status, ctype):
    try:
        meta = parse_metadata(response(status, ctype, _dumps(document)), "https://as.example")
    except (ProtocolError, ConfigError):
        return
    assert meta.issuer.rstrip("/") == "https://as.example"
    for name in ("token_endpoint", "jwks_uri"):
        url = meta.endpoint(name)
        assert url is None or url.startswith(("https://", "http://"))


@FUZZ
@given(st.text(max_size=60))
def test_transport_security_check(url):
    try:
        allowed_plain = check_transport_security(url)
    except ConfigError:
        return
    assert allowed_plain is False  # without --allow-http nothing plain passes but loopback
    assert url.lower().startswith(("https://", "http://"))


# -- masking ------------------------------------------------------------------------------

secret_values = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Nd"), whitelist_characters="-._~"),
                        min_size=6, max_size=60)


@FUZZ
@given(secret_values, st.sampled_from(["access_token", "refresh_token", "id_token", "client_secret", "code"]),
       st.integers(0, 200))
def test_masking_hides_secrets_in_whole_and_cut_bodies(value, field, cut):
    assume(value[:6] not in f'{{"x": 1, "{field}": "", "y": "z"}} a=1&{field}=&b=2')  # not part of the frame
    for text in (json.dumps({"x": 1, field: value, "y": "z"}), f"a=1&{field}={value}&b=2", f"{field}={value}"):
        for shown in (text, text[: len(text) - cut] if cut < len(text) else text):
            masked = mask_secrets(shown)
            # Whatever part of the value survives the cut is hidden.
            start = shown.find(value[:6])
            if start >= 0:
                assert value[:6] not in masked, (shown, masked)


@FUZZ
@given(statuses, content_types, st.binary(max_size=400))
def test_error_excerpts_are_one_short_line(status, ctype, body):
    text = response(status, ctype, body).describe()
    assert "\n" not in text and len(text) < 400


@FUZZ
@given(st.binary(max_size=200), st.booleans())
def test_json_object_parser(body, truncated):
    try:
        data = parse_json_object(response(200, "application/json", body, truncated), "token endpoint")
    except ProtocolError:
        return
    assert isinstance(data, dict)


# -- bounded content decoding ---------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(["gzip", "deflate", "x-gzip", "identity", "br", "gzip, gzip"]),
       st.integers(1, 3000), st.booleans())
def test_content_decoding_is_bounded(payload, encoding, limit, compress):
    from oauth2cli.transport.http import _Decoder

    data = zlib.compress(payload) if compress and encoding == "deflate" else payload
    if compress and encoding in ("gzip", "x-gzip"):
        import gzip

        data = gzip.compress(payload)
    try:
        decoder = _Decoder(encoding)
        out, more = decoder.feed(data, limit)
    except ProtocolError:
        return
    assert len(out) <= limit
    if compress and encoding != "identity" and len(payload) <= limit:
        assert out == payload and not more


# -- JWT decoding ---------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@FUZZ
@given(st.one_of(st.text(max_size=80),
                 st.builds(lambda h, c, s: f"{h}.{c}.{s}", st.text(max_size=20),
                           st.binary(max_size=60).map(_b64), st.text(max_size=10))))
def test_unverified_jwt_claims(token):
    from oauth2cli.flows.exchange.oidc import unverified_claims

    try:
        claims = unverified_claims(token)
    except ProtocolError:
        return
    assert isinstance(claims, dict)


@FUZZ
@given(st.dictionaries(st.text(max_size=10), json_values, max_size=6))
def test_jwt_claims_round_trip(claims):
    from oauth2cli.flows.exchange.oidc import unverified_claims

    assume(json.loads(json.dumps(claims)) == claims)  # NaN is not equal to itself
    header = _b64(b'{"alg":"none"}')
    token = f"{header}.{_b64(json.dumps(claims).encode())}."
    assert unverified_claims(token) == claims


# -- the config file ------------------------------------------------------------------------

toml_fragments = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(str.encode),
    st.lists(st.sampled_from(['[profiles.a]', 'issuer = "https://x"', 'default = "a"', 'default = 3', 'profiles = 1',
                              '[profiles]', 'a = 1', '[[profiles.b]]', 'x = [', '"\\u0000"', 'k = ' + '[' * 50,
                              'timeout = "abc"', '\xff']),
             max_size=6).map(lambda lines: "\n".join(lines).encode("utf-8", "surrogateescape")),
)


@FUZZ
@given(toml_fragments)
def test_config_file_loader(content):
    from oauth2cli.core.errors import StoreError
    from oauth2cli.store.config import load

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "config.toml"
        path.write_bytes(content)
        try:
            config = load(path)
        except StoreError as exc:
            assert str(path) in exc.message
            return
        assert isinstance(config.profiles, dict) and all(isinstance(v, dict) for v in config.profiles.values())
        assert config.default is None or isinstance(config.default, str)
        assert path.read_bytes() == content  # never rewritten


def test_config_file_nested_too_deep(tmp_path):
    from oauth2cli.core.errors import StoreError
    from oauth2cli.store.config import load

    path = tmp_path / "config.toml"
    path.write_text("k = " + "[" * 3000 + "]" * 3000)
    with pytest.raises(StoreError):
        load(path)


profile_values = st.dictionaries(
    st.sampled_from(["issuer", "client_id", "scope", "timeout", "insecure", "resources", "audience"]),
    st.text(max_size=30) | st.integers(-10**6, 10**6) | st.booleans() | st.lists(st.text(max_size=10), max_size=3),
    min_size=1, max_size=5,
)


@FUZZ
@given(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,20}", fullmatch=True), profile_values)
def test_config_file_round_trip(name, values):
    from oauth2cli.store.config import load, set_profile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "oauth2cli" / "config.toml"
        set_profile(path, name, values)
        assert load(path).profiles[name] == values


# -- option values ----------------------------------------------------------------------------


@FUZZ
@given(st.text(max_size=40))
def test_param_key_value(text):
    from oauth2cli.cli.params import KEY_VALUE

    try:
        key, value = KEY_VALUE.convert(text, None, None)
    except click.BadParameter:
        assert "=" not in text or text.startswith("=")
        return
    assert key and f"{key}={value}" == text


@FUZZ
@given(st.one_of(json_values, st.lists(st.dictionaries(st.sampled_from(["kty", "kid", "n", "e", "crv", "x", "y", "k"]),
                                                       json_values | st.sampled_from(["RSA", "EC", "OKP", "oct", "AQAB"]),
                                                       max_size=6) | json_values, max_size=5).map(lambda k: {"keys": k})))
def test_jwk_sets(document):
    from oauth2cli.core.metadata import parse_jwks

    try:
        keys = parse_jwks(response(200, "application/json", _dumps(document)))
    except ProtocolError:
        return
    assert all(isinstance(k, dict) and isinstance(k["kty"], str) for k in keys)
