"""A refused authorization response still shows what the server said: unverified, escaped."""

from __future__ import annotations

import pytest

from oauth2cli.core.authorization import CallbackCheck, CallbackIgnored, check_response
from oauth2cli.core.device import DeviceAuthorization, DevicePoll
from oauth2cli.core.errors import LoginRequired, ProtocolError
from oauth2cli.core.http import HttpResponse

CHECK = CallbackCheck(path="/callback", state="s" * 43, issuer="https://as.example", iss_required=True)


def test_missing_iss_shows_the_error():
    with pytest.raises(ProtocolError) as caught:
        check_response(CHECK, "error=access_denied&error_description=The+user+said+no&state=" + "s" * 43)
    assert caught.value.message.endswith("; the server (unverified) said: access_denied: The user said no")


def test_wrong_iss_shows_the_error_with_its_uri_escaped():
    with pytest.raises(ProtocolError) as caught:
        check_response(CHECK, "error=invalid_scope&error_description=bad%1b%5B31m&error_uri=https%3A%2F%2Fdoc"
                       "&iss=https%3A%2F%2Fevil.example&state=" + "s" * 43)
    message = caught.value.message
    assert "comes from issuer 'https://evil.example'" in message
    assert message.endswith("the server (unverified) said: invalid_scope: bad\\x1b[31m (see https://doc)")
    assert "\x1b" not in message


@pytest.mark.parametrize("state, reason", [
    ("", "the callback has no state parameter"),
    ("&state=other", "the state parameter does not match this login"),
], ids=["no-state", "wrong-state"])
def test_bad_state_is_ignored_but_says_what_the_server_said(state, reason):
    with pytest.raises(CallbackIgnored) as caught:
        check_response(CHECK, "error=server_error&error_description=Database+down" + state)
    assert caught.value.reason == reason + "; the server (unverified) said: server_error: Database down"


def test_a_response_without_error_adds_nothing():
    with pytest.raises(CallbackIgnored) as caught:
        check_response(CHECK, "code=abc&state=other")
    assert caught.value.reason == "the state parameter does not match this login"


def test_device_expiry_says_what_the_server_said():
    poll = DevicePoll(DeviceAuthorization("dc", "UC", "https://as.example/device", None, 100.0, 5.0), 0.0)
    answer = HttpResponse(400, (("Content-Type", "application/json"),),
                          b'{"error":"expired_token","error_description":"The device code has expired after 900s"}')
    with pytest.raises(LoginRequired) as caught:
        poll.on_response(answer, 10.0)
    assert caught.value.message == ("the device code expired before the sign-in was completed "
                                    "(the server said: The device code has expired after 900s)")
