"""Hypothesis on the parsers the first fuzz suite could not reach: the loopback callback
(what any local process can send), WWW-Authenticate challenges (what any resource can send),
and curl-style -H arguments."""

from __future__ import annotations

from urllib.parse import urlencode

from hypothesis import given, settings
from hypothesis import strategies as st

from oauth2cli.core.authorization import CallbackCheck, CallbackIgnored, check_redirect_url, check_response
from oauth2cli.core.errors import ConfigError, ProtocolError, ServerError
from oauth2cli.core.www_authenticate import parse, parse_all

STATE = "s" * 43
CHECK = CallbackCheck(path="/callback", state=STATE, issuer="https://id.example.test")
text = st.text(max_size=60)
params = st.lists(st.tuples(st.sampled_from(["code", "state", "iss", "error", "error_description", "x"]) | text, text),
                  max_size=8)


@settings(max_examples=300)
@given(query=st.text(max_size=300) | params.map(urlencode))
def test_a_callback_is_accepted_ignored_or_refused_never_crashes(query):
    try:
        response = check_response(CHECK, query)
    except (CallbackIgnored, ProtocolError, ServerError):
        return
    # Accepted only with our state exactly once, and a code.
    assert response.params["state"] == STATE and response.code


@given(pairs=params)
def test_without_our_state_nothing_ends_the_wait(pairs):
    pairs = [(k, v) for k, v in pairs if k != "state"] + [("state", "not-ours")]
    try:
        check_response(CHECK, urlencode(pairs))
    except CallbackIgnored as ignored:
        assert ignored.status == 400
    else:  # pragma: no cover - the assertion says what went wrong
        raise AssertionError("a callback with a foreign state was accepted")


@given(code=st.text(min_size=1, max_size=40).filter(lambda c: "\x00" not in c))
def test_a_pasted_url_round_trips(code):
    url = "http://127.0.0.1:8765/callback?" + urlencode({"code": code, "state": STATE, "iss": CHECK.issuer})
    assert check_redirect_url(CHECK, url, "http://127.0.0.1:8765/callback").code == code


@settings(max_examples=300)
@given(header=st.text(max_size=200))
def test_www_authenticate_never_crashes(header):
    for challenge in parse(header):
        assert isinstance(challenge.scheme, str) and challenge.scheme
        assert all(isinstance(k, str) and k == k.lower() for k in challenge.params)


@given(error=st.sampled_from(["invalid_token", "insufficient_scope", "use_dpop_nonce"]),
       description=st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=40))
def test_quoted_parameters_round_trip(error, description):
    quoted = description.replace("\\", "\\\\").replace('"', '\\"')
    challenges = parse_all([f'Bearer realm="api", error="{error}", error_description="{quoted}"'])
    bearer = challenges[0]
    assert bearer.is_scheme("bearer") and bearer.get("error") == error
    assert bearer.get("error_description") == description


@given(value=st.text(max_size=80))
def test_header_arguments_are_parsed_or_refused(value):
    from oauth2cli.flows.call.call import RequestSpec, header_line

    spec = RequestSpec(method="GET", url="https://api.example.test/")
    try:
        header_line(value, spec)
    except ConfigError:
        return
    assert all(isinstance(n, str) and isinstance(v, str) for n, v in spec.headers)
