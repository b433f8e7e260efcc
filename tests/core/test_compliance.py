"""Compliance fixes as pure rewrites of requests and responses."""

from __future__ import annotations

import json

import pytest

from oauth2cli.core import compliance
from oauth2cli.core.compliance import ComplianceFix, apply_request, apply_response, builtin_fix, coerce_fix
from oauth2cli.core.errors import ConfigError
from oauth2cli.core.http import HttpRequest, HttpResponse
from oauth2cli.core.tokens import parse_token_response


def answer(body, ctype="application/json", status=200):
    raw = json.dumps(body).encode() if isinstance(body, dict) else body.encode()
    return HttpResponse(status, (("Content-Type", ctype),), raw)


def fixed(spec, response, hook="access_token_response"):
    return apply_response([builtin_fix(spec)], hook, response)


def test_every_builtin_touches_both_token_response_hooks_or_all_request_hooks():
    for name in ("form_token_response", "expires", "missing_token_type", "error_in_200"):
        assert set(builtin_fix(name).hooks) == {"access_token_response", "refresh_token_response"}
    assert set(builtin_fix("query_param:a=b").hooks) == set(compliance.REQUEST_HOOKS)


def test_form_answer_becomes_json_and_json_is_left_alone():
    out = fixed("form_token_response", answer("access_token=x&token_type=bearer&scope=a%2Cb", "text/plain"))
    assert out.content_type == "application/json"
    assert json.loads(out.body) == {"access_token": "x", "token_type": "bearer", "scope": "a,b"}
    untouched = answer({"access_token": "y", "token_type": "Bearer"})
    assert fixed("form_token_response", untouched) is untouched
    html = answer("<html>nope</html>", "text/html")
    assert fixed("form_token_response", html) is html


def test_expires_and_missing_token_type():
    out = fixed("missing_token_type", fixed("expires", answer({"access_token": "a", "expires": "60"})))
    tokens = parse_token_response(out, 1000.0)
    assert tokens.expires_at == 1060.0 and tokens.token_type == "Bearer"
    both = answer({"access_token": "a", "token_type": "mac", "expires": 1, "expires_in": 2})
    assert fixed("expires", both) is both and fixed("missing_token_type", both) is both


def test_error_in_200_normalizes_to_rfc6749_5_2():
    out = fixed("error_in_200", answer({"error": {"message": "Bad code", "type": "OAuthException", "code": 100}}))
    assert out.status == 400 and json.loads(out.body) == {"error": "OAuthException", "error_description": "Bad code"}
    out = fixed("error_in_200", answer({"error": "access_denied", "error_message": "no"}))
    assert json.loads(out.body) == {"error": "access_denied", "error_description": "no"}
    ok = answer({"access_token": "a", "token_type": "Bearer"})
    assert fixed("error_in_200", ok) is ok


def test_query_param_on_requests():
    request = HttpRequest("POST", "https://so.example/oauth/access_token?x=1")
    out = apply_request([builtin_fix("query_param:site=stack overflow")], "revoke_token_request", request)
    assert out.url == "https://so.example/oauth/access_token?x=1&site=stack+overflow"
    assert apply_request([builtin_fix("query_param:site=so")], "nonexistent_hook", request) is request


def test_unknown_hooks_and_wrong_return_types_are_configuration_errors():
    with pytest.raises(ConfigError, match="unknown hooks: access_token"):
        ComplianceFix("bad", {"access_token": lambda r: r})
    broken = ComplianceFix("broken", {"access_token_request": lambda r: None})
    with pytest.raises(ConfigError, match="returned NoneType"):
        apply_request([broken], "access_token_request", HttpRequest("POST", "https://x/"))


def test_plugin_shapes_are_coerced():
    hook = {"protected_request": lambda r: r}
    assert coerce_fix("a", hook).hooks == hook
    assert coerce_fix("b", lambda arg: {"access_token_request": lambda r: r}, "x").name == "b"
    assert coerce_fix("c", builtin_fix("expires")).name == "expires"
    with pytest.raises(ConfigError):
        coerce_fix("d", 42)
    assert builtin_fix("nope") is None
