"""The pure parts of login: PKCE, the authorization request, callback checks, the device poll."""

from __future__ import annotations

import pytest

from oauth2cli.core import pkce
from oauth2cli.core.authorization import (
    CallbackCheck,
    CallbackIgnored,
    build_authorization_request,
    check_redirect_url,
    check_response,
    parse_redirect_uri,
)
from oauth2cli.core.device import DeviceAuthorization, DevicePoll, parse_device_authorization_response
from oauth2cli.core.errors import ConfigError, LoginRequired, ProtocolError, ServerError
from oauth2cli.core.http import HttpResponse
from oauth2cli.flows.login.login import choose_method

JSON = (("Content-Type", "application/json"),)


def test_pkce_rfc7636_appendix_b():
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert pkce.challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    assert pkce.challenge(verifier, "plain") == verifier


def test_pkce_verifier_shape():
    made = {pkce.new_verifier() for _ in range(20)}
    assert len(made) == 20 and all(43 <= len(v) <= 128 for v in made)
    with pytest.raises(ValueError):
        pkce.challenge("too-short")


def test_authorization_request_fresh_state_nonce_and_pkce():
    a = build_authorization_request("https://as.example/authorize?tenant=x", client_id="c",
                                    redirect_uri="http://127.0.0.1:5000/callback", scope="openid email",
                                    extra=(("login_hint", "bob"),))
    b = build_authorization_request("https://as.example/authorize", client_id="c",
                                    redirect_uri="http://127.0.0.1:5000/callback", scope="openid")
    assert a.state != b.state and a.nonce != b.nonce and len(a.state) >= 43
    assert a.url.startswith("https://as.example/authorize?tenant=x&response_type=code&client_id=c&")
    assert ("code_challenge_method", "S256") in a.params and ("login_hint", "bob") in a.params
    assert pkce.challenge(a.code_verifier) == dict(a.params)["code_challenge"]
    plain = build_authorization_request("https://as/a", client_id="c", redirect_uri="http://127.0.0.1/cb",
                                        scope="profile", pkce="none")
    assert plain.nonce is None and plain.code_verifier is None
    assert "code_challenge" not in dict(plain.params)
    with pytest.raises(ConfigError, match="-P code_challenge"):
        build_authorization_request("https://as/a", client_id="c", redirect_uri="http://127.0.0.1/cb",
                                    extra=(("code_challenge", "x"),))


CHECK = CallbackCheck("/callback", "s1", issuer="https://as.example", iss_required=True)


@pytest.mark.parametrize(("query", "status"), [
    ("code=x", 400),
    ("code=x&state=s2&iss=https://as.example", 400),
    ("code=x&state=s1&state=s1&iss=https://as.example", 400),
    ("code=x&state=", 400),
], ids=["no state", "wrong state", "state twice", "empty state"])
def test_callbacks_that_are_not_ours_are_ignored(query, status):
    with pytest.raises(CallbackIgnored) as info:
        check_response(CHECK, query)
    assert info.value.status == status


@pytest.mark.parametrize(("query", "error", "text"), [
    ("code=x&code=y&state=s1&iss=https://as.example", ProtocolError, "repeats the parameter 'code'"),
    ("code=x&state=s1", ProtocolError, "has no iss"),
    ("code=x&state=s1&iss=https://evil.example", ProtocolError, "not 'https://as.example'"),
    ("code=x&state=s1&iss=https://as.example/", ProtocolError, "RFC 9207"),  # simple string comparison
    ("state=s1&iss=https://as.example", ProtocolError, "neither code nor error"),
    ("error=access_denied&error_description=no+way&state=s1&iss=https://as.example", ServerError,
     "refused: access_denied: no way"),
    ("error=access_denied&state=s1&iss=https://evil.example", ProtocolError, "evil"),
], ids=["duplicate code", "iss missing", "iss wrong", "iss trailing slash", "no code", "error", "error wrong iss"])
def test_our_callbacks_that_end_the_login(query, error, text):
    with pytest.raises(error, match=None) as info:
        check_response(CHECK, query)
    assert text in str(info.value)


def test_good_callback_and_iss_optional_without_metadata():
    assert check_response(CHECK, "code=abc&state=s1&iss=https://as.example").code == "abc"
    loose = CallbackCheck("/callback", "s1")
    assert check_response(loose, "code=abc&state=s1").code == "abc"


def test_pasted_url_is_checked_like_the_listener():
    uri = "http://127.0.0.1/callback"
    assert check_redirect_url(CHECK, f"  {uri}?code=c&state=s1&iss=https%3A%2F%2Fas.example \n", uri).code == "c"
    with pytest.raises(CallbackIgnored, match="does not start with"):
        check_redirect_url(CHECK, "http://evil.example/callback?code=c&state=s1", uri)
    with pytest.raises(CallbackIgnored) as info:
        check_redirect_url(CHECK, "http://127.0.0.1/other?code=c&state=s1", uri)
    assert info.value.status == 404


@pytest.mark.parametrize(("uri", "host", "port", "path"), [
    (None, "127.0.0.1", 0, "/callback"),
    ("http://127.0.0.1:8765/callback", "127.0.0.1", 8765, "/callback"),
    ("http://localhost:9000/", "localhost", 9000, "/"),
    ("http://[::1]:9001/cb", "[::1]", 9001, "/cb"),
])
def test_redirect_uris(uri, host, port, path):
    target = parse_redirect_uri(uri)
    assert (target.host, target.port, target.path) == (host, port, path)


@pytest.mark.parametrize("uri", ["https://127.0.0.1:8/cb", "http://example.com:8/cb", "http://127.0.0.1:8/cb?x=1"])
def test_redirect_uris_a_listener_cannot_serve(uri):
    with pytest.raises(ConfigError):
        parse_redirect_uri(uri)


# RFC 8628 §3.2 example response
DEVICE = (b'{"device_code":"GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS","user_code":"WDJB-MJHT",'
          b'"verification_uri":"https://example.com/device",'
          b'"verification_uri_complete":"https://example.com/device?user_code=WDJB-MJHT",'
          b'"expires_in":1800,"interval":5}')


def _answer(status: int, body: bytes) -> HttpResponse:
    return HttpResponse(status, JSON, body)


def test_device_authorization_response():
    auth = parse_device_authorization_response(_answer(200, DEVICE), now=1000)
    assert (auth.user_code, auth.expires_at, auth.interval) == ("WDJB-MJHT", 2800, 5)
    no_interval = parse_device_authorization_response(_answer(200, DEVICE.replace(b',"interval":5', b"")), 0)
    assert no_interval.interval == 5  # RFC 8628 §3.2 default
    with pytest.raises(ProtocolError, match="no user_code"):
        parse_device_authorization_response(_answer(200, b'{"device_code":"d","verification_uri":"u","expires_in":9}'), 0)


def test_device_poll_state_machine():
    auth = DeviceAuthorization("d", "u", "https://v", None, expires_at=100, interval=5)
    poll = DevicePoll(auth, now=0)
    assert poll.wait(0) == 5
    assert poll.on_response(_answer(400, b'{"error":"authorization_pending"}'), now=5) is None
    assert poll.wait(5) == 5
    assert poll.on_response(_answer(400, b'{"error":"slow_down"}'), now=10) is None
    assert poll.interval == 10 and poll.wait(10) == 10  # RFC 8628 §3.5: +5 s, for good
    assert poll.on_response(_answer(400, b'{"error":"authorization_pending"}'), now=20) is None
    assert poll.wait(20) == 10
    tokens = poll.on_response(_answer(200, b'{"access_token":"at","token_type":"Bearer","expires_in":60}'), now=30)
    assert tokens.access_token == "at" and tokens.expires_at == 90
    with pytest.raises(LoginRequired, match="expired"):
        poll.wait(100)
    with pytest.raises(LoginRequired, match="expired"):
        DevicePoll(auth, 0).on_response(_answer(400, b'{"error":"expired_token"}'), 50)
    with pytest.raises(ServerError) as denied:
        DevicePoll(auth, 0).on_response(_answer(400, b'{"error":"access_denied"}'), 50)
    assert denied.value.exit_code == 3


@pytest.mark.parametrize(("environ", "device", "expected"), [
    ({"BROWSER": "lynx"}, True, "browser"),
    ({"DISPLAY": ":0"}, True, "browser"),
    ({"WAYLAND_DISPLAY": "wayland-0"}, False, "browser"),
    ({}, True, "device"),
    ({"DISPLAY": ":0", "SSH_CONNECTION": "1 2 3 4"}, True, "device"),
    ({"SSH_TTY": "/dev/pts/1"}, False, "ssh"),
    ({}, False, "browser"),
], ids=["$BROWSER", "X11", "Wayland", "headless+device", "ssh+device", "ssh no device", "headless no device"])
def test_choose_method(environ, device, expected, monkeypatch):
    monkeypatch.setattr("sys.platform", "linux")
    assert choose_method("auto", environ, has_device_endpoint=device) == expected
    assert choose_method("manual", environ, has_device_endpoint=device) == "manual"
