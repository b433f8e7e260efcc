"""Property tests (hypothesis) for the token response parser and the expiry arithmetic."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from oauth2cli.core.errors import OAuth2CliError, ProtocolError, ServerError
from oauth2cli.core.http import HttpResponse
from oauth2cli.core.tokens import TokenSet, parse_expires_in, parse_token_response

TEN_YEARS = 10 * 365 * 86400
JSON_TYPE = (("content-type", "application/json"),)
nows = st.floats(min_value=0, max_value=4e9, allow_nan=False)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=10,
)


def response(data, status=200, headers=JSON_TYPE) -> HttpResponse:
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    return HttpResponse(status, headers, body)


@given(now=nows, lifetime=st.integers(min_value=0, max_value=TEN_YEARS),
       form=st.sampled_from(["int", "str", "float", "padded"]))
def test_expires_in_in_every_form_gives_the_same_absolute_expiry(now, lifetime, form):
    value = {"int": lifetime, "str": str(lifetime), "float": float(lifetime), "padded": f" {lifetime} "}[form]
    tokens = parse_token_response(response({"access_token": "a", "token_type": "bearer", "expires_in": value}), now)
    assert tokens.expires_at == pytest.approx(now + lifetime)
    assert tokens.expires_in(now) == pytest.approx(lifetime)
    assert tokens.token_type == "Bearer"


@given(value=st.one_of(st.integers(min_value=0), st.floats(min_value=0, allow_nan=False, allow_infinity=False)))
def test_lifetimes_are_capped_at_ten_years(value):
    seconds = parse_expires_in(value)
    assert 0 <= seconds <= TEN_YEARS
    if value <= TEN_YEARS:
        assert seconds == pytest.approx(value)


@given(value=st.one_of(st.integers(max_value=-1), st.floats(max_value=-0.001, allow_nan=False, allow_infinity=False)))
def test_negative_lifetimes_are_protocol_errors(value):
    # A lifetime below zero is nonsense, not "already expired": refusing it avoids a refresh loop.
    with pytest.raises(ProtocolError):
        parse_expires_in(value)


@given(value=st.one_of(st.booleans(), st.text().filter(lambda s: s.strip() != "" and not _is_number(s)),
                       st.lists(st.integers()), st.just(math.inf), st.just(math.nan)))
def test_nonsense_lifetimes_are_protocol_errors(value):
    with pytest.raises(ProtocolError):
        parse_expires_in(value)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@given(now=nows, expires_at=st.floats(min_value=0, max_value=4e9), leeway=st.floats(min_value=0, max_value=1e6))
def test_needs_refresh_is_exactly_within_leeway_of_expiry(now, expires_at, leeway):
    tokens = TokenSet("a", expires_at=expires_at)
    assert tokens.needs_refresh(now, leeway) == (now >= expires_at - leeway)
    # More leeway never makes a token look fresher; later never makes it look fresher either.
    if tokens.needs_refresh(now, leeway):
        assert tokens.needs_refresh(now, leeway + 1) and tokens.needs_refresh(now + 1, leeway)


@given(now=nows, leeway=st.floats(min_value=0, max_value=1e9))
def test_unknown_expiry_never_needs_refresh_ahead_of_a_401(now, leeway):
    assert not TokenSet("a").needs_refresh(now, leeway)


# 3xx answers are reported as a redirect that was not followed, whatever their body says.
@given(status=st.integers(min_value=100, max_value=599).filter(lambda s: not 300 <= s < 400), error=st.text(min_size=1),
       description=st.none() | st.text(), uri=st.none() | st.text())
@example(status=200, error="invalid_grant", description="bad\x1b[2J\nline", uri=None)
def test_an_error_object_is_a_server_error_at_any_status(status, error, description, uri):
    data = {"error": error, "access_token": "ignored", "token_type": "Bearer"}
    if description is not None:
        data["error_description"] = description
    if uri is not None:
        data["error_uri"] = uri
    with pytest.raises(ServerError) as info:
        parse_token_response(response(data, status), 0.0)
    assert info.value.error == error and info.value.error_description == description
    assert "\x1b" not in info.value.message and "\n" not in info.value.message


@settings(max_examples=300)
@given(status=st.integers(min_value=100, max_value=599), body=st.binary(max_size=200) | json_values.map(
    lambda v: json.dumps(v).encode()), ctype=st.sampled_from(["application/json", "text/html", "", "text/plain"]),
    truncated=st.booleans())
def test_any_answer_is_a_token_set_or_a_typed_error(status, body, ctype, truncated):
    headers = (("content-type", ctype),) if ctype else ()
    try:
        tokens = parse_token_response(HttpResponse(status, headers, body, truncated=truncated), 100.0)
    except OAuth2CliError as exc:
        assert exc.exit_code == 3
        assert "\n" not in exc.message
        return
    assert 200 <= status < 300 and not truncated
    assert tokens.access_token and tokens.token_type


@given(data=st.fixed_dictionaries(
    {"access_token": st.text(min_size=1), "token_type": st.sampled_from(["bearer", "Bearer", "DPoP", "dpop"])},
    optional={"refresh_token": st.text(min_size=1), "scope": st.text(), "id_token": st.text(min_size=1),
              "expires_in": st.integers(0, 10**6), "extra_member": json_values}),
       now=nows)
def test_stored_token_sets_round_trip(data, now):
    tokens = parse_token_response(response(data), now)
    assume(tokens is not None)
    assert TokenSet.from_dict(json.loads(json.dumps(tokens.to_dict()))) == tokens
    assert tokens.token_type in ("Bearer", "DPoP")


@given(old_refresh=st.text(min_size=1), new_refresh=st.none() | st.text(min_size=1))
def test_refresh_keeps_the_old_refresh_token_when_the_server_omits_it(old_refresh, new_refresh):
    previous = TokenSet("old", refresh_token=old_refresh, scope="s")
    data = {"access_token": "new", "token_type": "Bearer"}
    if new_refresh is not None:
        data["refresh_token"] = new_refresh
    tokens = parse_token_response(response(data), 0.0).after_refresh(previous)
    assert tokens.refresh_token == (new_refresh or old_refresh)
    assert tokens.scope == "s"
