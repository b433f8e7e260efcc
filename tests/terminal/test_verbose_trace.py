"""-v traces each HTTP exchange on stderr; every secret is masked unless --reveal-secrets."""

from __future__ import annotations

import base64
import io
import json

import pytest

from oauth2cli.core.http import HttpRequest, HttpResponse
from oauth2cli.transport.trace import MASK, Tracer, mask_body, mask_header, mask_url
from tests.support.cli import assert_no_traceback, run_cli

# RFC 7519 §3.1's example JWT, standing in for an id_token, assertion or DPoP proof.
JWT = ("eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxl"
       "LmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")


@pytest.mark.parametrize("name,value,shown", [
    ("Authorization", "Basic " + base64.b64encode(b"app:s3cret").decode(), "Basic ***"),
    ("Authorization", "Bearer 2YotnFZFEjr1zCsicMWpAA", "Bearer ***"),
    ("Authorization", "DPoP 2YotnFZFEjr1zCsicMWpAA", "DPoP ***"),
    ("DPoP", JWT, MASK),
    ("Cookie", "session=abc; other=def", MASK),
    ("Set-Cookie", "session=abc; HttpOnly", MASK),
    ("Location", "http://127.0.0.1:8765/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz", "http://127.0.0.1:8765/cb?code=***&state=xyz"),
    ("WWW-Authenticate", 'Bearer error="invalid_token"', 'Bearer error="invalid_token"'),
    ("Content-Type", "application/json", "application/json"),
], ids=["basic", "bearer", "dpop-token", "dpop-proof", "cookie", "set-cookie", "location", "www-authenticate", "plain"])
def test_headers(name, value, shown):
    assert mask_header(name, value) == shown


def test_form_body_masks_every_credential_and_keeps_the_rest():
    form = ("grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
            "&client_id=app&client_secret=s3cret&client_assertion=" + JWT + "&assertion=" + JWT
            + "&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA&subject_token=abc&password=hunter2&scope=openid+email")
    shown = mask_body(form.encode(), "application/x-www-form-urlencoded")
    for secret in ("SplxlOBeZQQYbYS6WxSbIA", "dBjftJeZ", "s3cret", "eyJ", "tGzv3JOkF0XG5Qx2TlKWIA", "hunter2", "abc"):
        assert secret not in shown
    assert "grant_type=authorization_code" in shown and "client_id=app" in shown and "scope=openid+email" in shown
    assert "client_secret=***" in shown  # the mask stays readable, not %2A%2A%2A


def test_json_body_masks_nested_tokens_and_jwts_in_text():
    body = {"access_token": "2YotnFZFEjr1zCsicMWpAA", "token_type": "Bearer", "expires_in": 3600,
            "refresh_token": "tGzv3JOkF0XG5Qx2TlKWIA", "id_token": JWT,
            "nested": {"issued_token": "x1"}, "error_description": f"bad token {JWT}"}
    shown = json.loads(mask_body(json.dumps(body).encode(), "application/json"))
    assert shown == {"access_token": MASK, "token_type": "Bearer", "expires_in": 3600, "refresh_token": MASK,
                     "id_token": MASK, "nested": {"issued_token": MASK}, "error_description": f"bad token {MASK}"}


def test_urls_mask_query_fragment_and_user_info():
    assert mask_url("https://app:s3cret@id.example/t?client_secret=s3cret&x=1#access_token=abc&state=s") == \
        "https://app:***@id.example/t?client_secret=***&x=1#access_token=***&state=s"


def test_tracer_masks_and_reveals():
    request = HttpRequest("POST", "https://id.example/token", headers=(("Authorization", "Basic YXBwOnMzY3JldA=="),),
                          form=(("grant_type", "client_credentials"), ("client_secret", "s3cret")))
    response = HttpResponse(200, (("Content-Type", "application/json"),), b'{"access_token":"2YotnFZFEjr1zCsicMWpAA"}')
    masked, revealed = io.StringIO(), io.StringIO()
    Tracer(masked, verbose=1)(request, response, 0.0123)
    Tracer(revealed, verbose=2, reveal=True)(request, response, 0.0123)
    assert masked.getvalue().splitlines() == [
        "> POST https://id.example/token",
        "> Authorization: Basic ***",
        "> Content-Type: application/x-www-form-urlencoded",
        "> grant_type=client_credentials&client_secret=***",
        "< HTTP 200",
        "< Content-Type: application/json",
        '< {"access_token": "***"}',
    ]
    assert "s3cret" in revealed.getvalue() and "2YotnFZFEjr1zCsicMWpAA" in revealed.getvalue()
    assert "< HTTP 200 (12 ms)" in revealed.getvalue()


def test_long_bodies_are_cut_with_their_size():
    out = io.StringIO()
    Tracer(out)(HttpRequest("GET", "https://x.example/"), HttpResponse(200, (("Content-Type", "text/html"),), b"a" * 5000), 0)
    assert out.getvalue().splitlines()[-1] == "< " + "a" * 500 + "… (5000 bytes)"


# -- against the real provider, through the real command ------------------------------------
def cc(provider, client: str, *argv: str):
    """`oauth2 <argv> --issuer ... --client-id ... --grant client_credentials`, secret from the environment."""
    info = provider.clients[client]
    return run_cli(*argv, "--issuer", provider.issuer, "--client-id", info["client_id"], "--grant",
                   "client_credentials", env={"OAUTH2_CLIENT_SECRET": info["client_secret"]})


@pytest.mark.parametrize("argv", [("-v", "token"), ("token", "-v")], ids=["root", "subcommand"])
def test_basic_client_trace_shows_the_exchange_and_no_secret(provider, argv):
    info = provider.clients["conf-basic"]
    result = cc(provider, "conf-basic", *argv)
    assert result.code == 0, result
    token = result.stdout.strip()
    err = result.stderr
    assert f"> POST {provider.issuer}" in err and "< HTTP 200" in err
    assert "> Authorization: Basic ***" in err
    assert '"access_token": "***"' in err
    assert info["client_secret"] not in err and token not in err
    assert "ms)" not in err  # timing only with -vv
    assert_no_traceback(result)


def test_post_client_trace_masks_the_form_secret_and_vv_adds_timing(provider):
    info = provider.clients["conf-post"]
    result = run_cli("-vv", "token", "--issuer", provider.issuer, "--client-id", info["client_id"],
                     "--auth-method", "client_secret_post", "--grant", "client_credentials",
                     env={"OAUTH2_CLIENT_SECRET": info["client_secret"]})
    assert result.code == 0, result
    assert "client_secret=***" in result.stderr and info["client_secret"] not in result.stderr
    assert " ms)" in result.stderr


def test_reveal_secrets_shows_them_with_one_warning(provider):
    info = provider.clients["conf-basic"]
    result = run_cli("token", "-v", "--reveal-secrets", "--issuer", provider.issuer, "--client-id", info["client_id"],
                     "--grant", "client_credentials", env={"OAUTH2_CLIENT_SECRET": info["client_secret"]})
    assert result.code == 0, result
    token = result.stdout.strip()
    assert token in result.stderr
    basic = base64.b64encode(f"{info['client_id']}:{info['client_secret']}".encode()).decode()
    assert f"Basic {basic}" in result.stderr or info["client_secret"] in result.stderr
    assert result.stderr.count("warning: --reveal-secrets") == 1
    assert result.stderr.splitlines()[0] == "oauth2: warning: --reveal-secrets prints secrets and tokens in the trace"


def test_without_v_there_is_no_trace(provider):
    info = provider.clients["conf-basic"]
    result = run_cli("token", "--issuer", provider.issuer, "--client-id", info["client_id"], "--grant",
                     "client_credentials", env={"OAUTH2_CLIENT_SECRET": info["client_secret"]})
    assert result.code == 0 and result.stderr == "", result


def test_discover_takes_v_too(provider):
    result = run_cli("discover", "-v", provider.issuer)
    assert result.code == 0, result
    assert "> GET " in result.stderr and "< HTTP 200" in result.stderr
    json.loads(result.stdout)


def test_the_trace_is_the_same_whichever_stack_sends(provider):
    """-v is one observer (transport/trace.Tracer) on both clients: the wire client by default, httpx
    when a proxy is configured (NO_PROXY lets it go straight to the loopback provider)."""
    import re

    def trace(env):
        result = run_cli("discover", "-v", provider.issuer, env=env)
        assert result.code == 0, result
        return re.sub(r"(?m)^< (date|etag|x-request-id|keep-alive|connection): .*\n", "", result.stderr)

    wire = trace({})
    proxied = trace({"HTTP_PROXY": "http://127.0.0.1:9", "NO_PROXY": "127.0.0.1"})
    assert "> GET " in wire and "< HTTP 200" in wire
    assert wire == proxied
