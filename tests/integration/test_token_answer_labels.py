"""Token answers read by their label, as real servers send them; hostile ones still refused;
compliance fixes in a fixed order; a failure that a built-in fix would cure names it."""

from __future__ import annotations

import json

import pytest

from tests.support.cli import assert_no_traceback, run_cli
from tests.support.tokenserver import TokenServer

SECRET = {"OAUTH2_CLIENT_SECRET": "s3cret"}


@pytest.fixture
def server():
    with TokenServer() as s:
        yield s
        s.assert_all_used()


def token(server, *args):
    return run_cli("token", "--token-url", server.url(), "--client-id", "app", *args, env=SECRET)


@pytest.mark.parametrize("body, ctype, note", [
    ("access_token=plain-form&token_type=bearer&expires_in=3600", "text/plain; charset=utf-8",
     "read the text/plain answer as a form"),
    ('{"access_token": "json-as-html", "token_type": "Bearer", "expires_in": 3600}', "text/html",
     "the answer is JSON labelled text/html; read it as JSON"),
    ('{"access_token": "json-as-text", "token_type": "Bearer", "expires_in": 3600}', "text/plain",
     "the answer is JSON labelled text/plain; read it as JSON"),
], ids=["form-as-text-plain", "json-as-text-html", "json-as-text-plain"])
def test_answers_read_by_their_label_with_a_note_under_v(server, body, ctype, note):
    server.answer(200, body, ctype)
    result = token(server, "-o", "json", "-v")
    assert result.code == 0, result
    data = json.loads(result.stdout)
    assert data["access_token"] in ("plain-form", "json-as-html", "json-as-text") and 3590 <= data["expires_in"] <= 3600
    assert f"oauth2: the token endpoint: {note}" in result.stderr


def test_without_v_there_is_no_note(server):
    server.answer(200, '{"access_token": "quiet", "token_type": "Bearer"}', "text/plain")
    result = token(server)
    assert result.code == 0 and result.stdout == "quiet\n" and result.stderr == "", result


@pytest.mark.parametrize("status, body, ctype, expected, code", [
    # an error object is an error, whatever its label
    (200, "error=bad_verification_code&error_description=The+code+is+wrong", "application/x-www-form-urlencoded",
     "the token endpoint refused: bad_verification_code: The code is wrong", 3),
    (400, '{"error": "invalid_grant", "error_description": "expired"}', "text/html",
     "the token endpoint refused: invalid_grant: expired", 3),
    # a text/plain form without access_token is not a token answer
    (200, "hello=world", "text/plain", "did not answer with JSON", 3),
    # an HTML page is an HTML page
    (200, "<html><title>Sign in</title></html>", "text/html", "did not answer with JSON", 3),
    # a JSON array labelled text/plain is not an object
    (200, '[{"access_token": "x"}]', "text/plain", "a JSON array where an object belongs", 3),
    # a form with a parameter twice (RFC 6749 §3.1 forbids it)
    (200, "access_token=a&access_token=b&token_type=bearer", "application/x-www-form-urlencoded",
     "did not answer with JSON", 3),
], ids=["form-error", "json-error-as-html", "text-without-token", "html-page", "json-array", "repeated"])
def test_hostile_or_wrong_answers_stay_refused(server, status, body, ctype, expected, code):
    server.answer(status, body, ctype)
    result = token(server)
    assert result.code == code, result
    assert expected in result.stderr, result
    assert result.stdout == ""
    assert_no_traceback(result)


def test_size_cap_holds_for_form_answers(server):
    server.answer(200, "access_token=" + "a" * (5 * 1024 * 1024) + "&token_type=bearer",
                  "application/x-www-form-urlencoded")
    result = token(server)
    assert result.code == 3, result
    assert "larger than the size limit" in result.stderr


SLACK = {"ok": True, "app_id": "A0KRD7HC3", "authed_user": {"id": "U1234"}, "scope": "commands,incoming-webhook",
         "token_type": "bot", "access_token": "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy",
         "bot_user_id": "U0KRQLJ9H", "team": {"name": "Slack Softball Team", "id": "T9TK3CUKW"}}


def test_slacks_bot_token_type_is_refused_with_a_hint(server):
    server.answer(200, SLACK)
    result = token(server)
    assert result.code == 3, result
    assert "issued a token of type 'bot'" in result.stderr and "Slack names its tokens" in result.stderr
    assert "--compliance-fix token_type_bearer" in result.stderr
    assert "xoxb" not in result.stderr


def test_slacks_bot_token_with_the_fix(server):
    server.answer(200, SLACK)
    result = token(server, "--compliance-fix", "token_type_bearer", "-o", "header")
    assert result.code == 0, result
    assert result.stdout == "Authorization: Bearer xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy\n"


def test_a_failure_a_builtin_fix_would_cure_names_it(server):
    # Facebook's old answer: `expires` and no token_type.
    server.answer(200, {"access_token": "fb", "expires": 5183999})
    result = token(server)
    assert result.code == 3, result
    assert "has no token_type" in result.stderr
    assert "give --compliance-fix missing_token_type" in result.stderr


@pytest.mark.parametrize("order", [("form_token_response", "missing_token_type", "expires"),
                                   ("expires", "missing_token_type", "form_token_response")],
                         ids=["form-first", "form-last"])
def test_the_order_of_fixes_does_not_matter(server, order):
    # A form labelled text/html (only the fix reads it) with `expires` and no token_type.
    server.answer(200, "access_token=old-style&expires=3600", "text/html")
    args = [a for name in order for a in ("--compliance-fix", name)]
    result = token(server, *args, "-o", "json")
    assert result.code == 0, result
    data = json.loads(result.stdout)
    assert data["token_type"] == "Bearer" and 3590 <= data["expires_in"] <= 3600
