"""An ad-hoc `oauth2 token` (a CI job's grant from flags and OAUTH2_* variables) read without click
(entry.py → cmdline/parse.py, over the one option table) runs the one use case, commands/token.run, on transport/wire.py: without
click or httpx. Against the real provider and a recording stand-in, it asks the same and prints
the same as when click reads the same command line."""

from __future__ import annotations

import json
import os
import re
import time

import pytest

from tests.support.loopback_http import LoopbackServer, QuietHandler
from tests.support.startup import run_mode


def run(mode: str, *args: str, env: dict | None = None):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OAUTH2_")}
    return run_mode(mode, *args, env={**clean, **(env or {})}, text=True)


class TokenEndpoint(LoopbackServer):
    """A stand-in token endpoint that records each request and answers with RFC 6750 §4's example
    (or, with `error`, §5.2's error answer)."""

    ANSWER = {"access_token": "mF_9.B5f-4.1JqM", "token_type": "Bearer", "expires_in": 3600}

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.error: str | None = None
        endpoint = self

        class Handler(QuietHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                endpoint.requests.append({"path": self.path, "headers": list(self.headers.items()), "body": self.body()})
                if endpoint.error:
                    status, answer = 400, {"error": endpoint.error, "error_description": "Client authentication failed"}
                else:
                    status, answer = 200, TokenEndpoint.ANSWER
                self.reply(status, answer, headers={"Cache-Control": "no-store"})

        super().__init__(Handler)
        self.token_url = self.url("/token")


@pytest.fixture
def endpoint():
    with TokenEndpoint() as server:
        yield server


SECRET = {"OAUTH2_CLIENT_SECRET": "s3cr:et/+="}
CC = ["--grant", "client_credentials"]
SAME = {
    "basic": ([*CC, "--client-id", "ci job"], SECRET),
    "post": ([*CC, "--client-id", "ci", "--auth-method", "client_secret_post"], SECRET),
    "public": ([*CC, "--client-id", "ci", "--auth-method", "none"], {}),
    "parameters": ([*CC, "--client-id", "ci", "--scope", "a b", "--audience", "api", "--resource", "https://r1/",
                    "--resource", "https://r2/", "-P", "x=1=2", "--param=y="], SECRET),
    "variables": (CC, {**SECRET, "OAUTH2_CLIENT_ID": "from-env", "OAUTH2_SCOPE": "s", "OAUTH2_TIMEOUT": "5"}),
    "header-output": ([*CC, "--client-id", "ci", "-o", "header"], SECRET),
    "env-output": ([*CC, "--client-id", "ci", "--output=env"], SECRET),
    "no-grant-flag": (["--client-id", "ci"], SECRET),
    "secret-env": ([*CC, "--client-id", "ci", "--client-secret-env", "MY_SECRET"], {"MY_SECRET": "other"}),
    # RFC 7523 with a CI job's token: no client, so no client authentication (§3.1)
    "jwt-bearer": (["--grant", "jwt-bearer", "--assertion-source", "env:CI_JWT", "--scope", "deploy"],
                   {"CI_JWT": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvIn0.c2ln"}),
    "jwt-bearer-implied": (["--client-id", "ci", "--assertion-source=env:CI_JWT"],
                           {**SECRET, "CI_JWT": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvIn0.c2ln"}),
    # RFC 8693 with the job's token as the subject (type jwt unless told otherwise)
    "token-exchange": (["--grant", "token-exchange", "--client-id", "sts", "--audience", "backend"],
                       {**SECRET, "OAUTH2_SUBJECT_TOKEN_SOURCE": "env:CI_JWT", "CI_JWT": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvIn0.c2ln"}),
    "token-exchange-type": (["--client-id", "sts", "--subject-token-source", "env:CI_JWT",
                             "--subject-token-type", "id_token"], {**SECRET, "CI_JWT": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvIn0.c2ln"}),
}


@pytest.mark.parametrize(("args", "env"), SAME.values(), ids=SAME.keys())
def test_the_same_request_and_the_same_output_as_click(endpoint, args, env):
    argv = ["token", "--token-url", endpoint.token_url, *args]
    fast = run("entry", *argv, env=env)
    full = run("click", *argv, env=env)
    assert fast[3] == [] and "click" in full[3], (fast, full)
    expires = [re.search(r"OAUTH2_EXPIRES_AT=(\d+)", out) for out in (fast[1], full[1])]
    if expires[0]:  # -o env: seconds since the epoch, a second apart at most between the two runs
        assert abs(int(expires[0][1]) - int(expires[1][1])) <= 2 and abs(int(expires[0][1]) - time.time() - 3600) < 30
    same = [(code, re.sub(r"EXPIRES_AT=\d+", "EXPIRES_AT=N", out), err) for code, out, err, _ in (fast, full)]
    assert same[0] == same[1]
    assert fast[0] == 0 and "mF_9.B5f-4.1JqM" in fast[1]
    first, second = endpoint.requests
    assert first == second  # header names, order, values and the form body


def test_the_servers_error_is_the_same_line(endpoint):
    endpoint.error = "invalid_client"
    argv = ["token", "--token-url", endpoint.token_url, "--client-id", "ci", "--grant", "client_credentials"]
    fast, full = run("entry", *argv, env=SECRET), run("click", *argv, env=SECRET)
    assert fast[:3] == full[:3] and fast[0] == 3 and fast[1] == ""
    assert fast[2].startswith("oauth2: error: ") and "invalid_client" in fast[2] and fast[2].count("\n") == 1
    assert "click" not in fast[3]


def test_an_unreachable_token_endpoint_is_the_same_line():
    from tests.support.provider import free_port

    url = f"http://127.0.0.1:{free_port()}/token"
    argv = ["token", "--token-url", url, "--client-id", "ci", "--grant", "client_credentials"]
    fast, full = run("entry", *argv, env=SECRET), run("click", *argv, env=SECRET)
    assert fast[:3] == full[:3] and fast[0] == 6 and "connection refused" in fast[2]


def test_plain_http_off_loopback_is_refused_in_the_same_words():
    argv = ["token", "--token-url", "http://token.example/token", "--client-id", "ci", "--grant", "client_credentials"]
    fast, full = run("entry", *argv, env=SECRET), run("click", *argv, env=SECRET)
    assert fast[:3] == full[:3] and fast[0] != 0 and "refusing plain http://" in fast[2]


def test_discovery_and_the_grant_against_the_real_provider(provider):
    client = provider.clients["cc-only"]
    env = {"OAUTH2_CLIENT_SECRET": client["client_secret"]}
    provider.reset_events()
    code, stdout, stderr, loaded = run("entry", "token", "--issuer", provider.issuer, "--client-id", "cc-only",
                                       "--grant", "client_credentials", "--scope", "api:read", env=env)
    assert (code, stderr) == (0, ""), stderr
    assert loaded == [] and len(stdout.strip().splitlines()) == 1
    grants = [e for e in provider.events() if e["type"] == "token.request"]
    assert [(g["grant_type"], g["client_id"]) for g in grants] == [("client_credentials", "cc-only")]
    # the token is the provider's: its introspection endpoint says it is active
    import httpx

    answer = httpx.post(provider.endpoint("introspection"), data={"token": stdout.strip()},
                        auth=("cc-only", client["client_secret"])).json()
    assert answer["active"] is True and answer["client_id"] == "cc-only"


def test_a_wrong_secret_at_the_real_provider(provider):
    argv = ["token", "--issuer", provider.issuer, "--client-id", "cc-only", "--grant", "client_credentials"]
    env = {"OAUTH2_CLIENT_SECRET": "wrong"}
    fast, full = run("entry", *argv, env=env), run("click", *argv, env=env)
    assert fast[:3] == full[:3] and fast[0] == 3 and "invalid_client" in fast[2]


@pytest.fixture(scope="module")
def ec_key(tmp_path_factory):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    path = tmp_path_factory.mktemp("keys") / "client.pem"
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return str(path)


def form_of(request: dict) -> dict:
    from urllib.parse import parse_qsl

    return dict(parse_qsl(request["body"].decode()))


def claims_of(jwt: str) -> dict:
    import base64

    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_json_output_is_the_same_without_click(endpoint):
    argv = ["token", "--token-url", endpoint.token_url, *CC, "--client-id", "ci", "-o", "json"]
    fast, full = run("entry", *argv, env=SECRET), run("click", *argv, env=SECRET)
    assert fast[3] == [] and fast[0] == full[0] == 0 and fast[2] == full[2] == ""
    answers = [json.loads(out) for _, out, _, _ in (fast, full)]
    for answer in answers:
        assert answer.pop("expires_at") - time.time() == pytest.approx(3600, abs=30)
        assert answer.pop("expires_in") == pytest.approx(3600, abs=30)
    assert answers[0] == answers[1] == {"access_token": "mF_9.B5f-4.1JqM", "token_type": "Bearer"}
    assert form_of(endpoint.requests[0]) == form_of(endpoint.requests[1])


def test_private_key_jwt_signs_without_click_or_httpx(endpoint, ec_key):
    """RFC 7523 §2.2 client authentication, from --private-key or OAUTH2_PRIVATE_KEY: a fresh
    assertion each time, with the same claims whichever parser read the line."""
    argv = ["token", "--token-url", endpoint.token_url, *CC, "--client-id", "ci", "--auth-method", "private_key_jwt"]
    fast = run("entry", *argv, "--private-key", ec_key, "--key-id", "k1")
    from_env = run("entry", *argv, "--key-id", "k1", env={"OAUTH2_PRIVATE_KEY": ec_key})
    full = run("click", *argv, "--private-key", ec_key, "--key-id", "k1")
    assert fast[3] == from_env[3] == [] and "click" in full[3]
    assert fast[:3] == from_env[:3] == full[:3] == (0, "mF_9.B5f-4.1JqM\n", "")
    forms = [form_of(r) for r in endpoint.requests]
    assert len({f["client_assertion"] for f in forms}) == 3  # a new jti and signature every time
    for form in forms:
        assert form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        claims = claims_of(form.pop("client_assertion"))
        assert (claims["iss"], claims["sub"], claims["aud"]) == ("ci", "ci", endpoint.token_url)
        assert claims["exp"] - claims["iat"] == 60
        assert form == {"grant_type": "client_credentials", "client_id": "ci",
                        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}


SERVED = {
    "password-grant": (["--grant", "password", "--username", "ann", "--password-env", "PW"], {"PW": "pw"}),
    "assertion-file": (["--grant", "jwt-bearer", "--assertion-file", "{jwt}"], {}),
    "grant-urn": (["--grant", "urn:ietf:params:oauth:grant-type:jwt-bearer", "--assertion-source", "env:X"],
                  {"X": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvIn0.c2ln"}),
    "extension-grant": (["--grant", "urn:example:grant", "-P", "x=1"], {}),
    "missing-key": (["--auth-method", "private_key_jwt"], {}),
    "unreadable-cacert": (["--cacert", "/nonexistent.pem", "--token-url", "https://127.0.0.1:9/token"], {}),
}


@pytest.mark.parametrize(("args", "env"), SERVED.values(), ids=SERVED.keys())
def test_every_grant_and_setting_is_served_without_click_alike(endpoint, tmp_path, args, env):
    jwt = tmp_path / "assertion.jwt"
    jwt.write_text("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbm4ifQ.c2ln\n")
    args = [a.format(jwt=jwt) for a in args]
    argv = ["token", "--token-url", endpoint.token_url, "--client-id", "ci", *args]
    if "--grant" not in args:
        argv += CC
    fast, full = run("entry", *argv, env={**SECRET, **env}), run("click", *argv, env={**SECRET, **env})
    assert fast[3] == [] and "click" in full[3], (fast, full)
    assert fast[:3] == full[:3]
    assert len(endpoint.requests) in (0, 2) and endpoint.requests[:1] == endpoint.requests[1:]


def test_verbose_traces_without_click(endpoint):
    argv = ["token", "--token-url", endpoint.token_url, *CC, "--client-id", "ci", "-v"]
    fast, full = run("entry", *argv, env=SECRET), run("click", *argv, env=SECRET)
    assert "click" not in fast[3] and fast[:2] == full[:2] == (0, "mF_9.B5f-4.1JqM\n")
    traces = [re.sub(r"(?m)^< date: .*$", "< date: D", err, flags=re.IGNORECASE) for err in (fast[2], full[2])]
    assert traces[0] == traces[1] and "POST " + endpoint.token_url in fast[2] and "s3cr" not in fast[2]


HANDED_OVER = {
    "unknown-option": (["--no-such-option"], {}),
    "bad-param": (["-P", "novalue"], {}),
    "bad-grant": (["--grant", "telepathy"], {}),
}


@pytest.mark.parametrize(("args", "env"), HANDED_OVER.values(), ids=HANDED_OVER.keys())
def test_a_usage_error_reaches_click_before_a_request_is_sent(endpoint, args, env):
    argv = ["token", "--token-url", endpoint.token_url, "--client-id", "ci", *args]
    if "--grant" not in args:
        argv += ["--grant", "client_credentials"]
    code, stdout, stderr, loaded = run("entry", *argv, env={**SECRET, **env})
    assert "click" in loaded and code == 2 and "Usage: oauth2 token" in stderr, (code, stdout, stderr)
    assert endpoint.requests == []


def test_a_proxy_and_reveal_secrets_are_read_without_click(endpoint):
    """What the fast path once left to click: a proxy in the environment (httpx sends, as it honours
    it; NO_PROXY keeps the loopback endpoint direct) and --reveal-secrets (its warning)."""
    argv = ["token", "--token-url", endpoint.token_url, "--client-id", "ci", *CC]
    proxied = {**SECRET, "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": "127.0.0.1"}
    code, stdout, stderr, loaded = run("entry", *argv, env=proxied)
    assert (code, stdout) == (0, "mF_9.B5f-4.1JqM\n") and "click" not in loaded, stderr
    code, stdout, stderr, loaded = run("entry", *argv, "-v", "--reveal-secrets", env=SECRET)
    assert code == 0 and "click" not in loaded
    assert "oauth2: warning: --reveal-secrets prints secrets and tokens in the trace" in stderr


def test_a_profile_argument_is_a_profiles_token():
    """`oauth2 token NAME` is the profile's, however many ad-hoc flags come with it."""
    from oauth2cli.cmdline.parse import parse

    assert parse(["token", "work"], {}).options.profile == "work"
    assert parse(["token", "--token-url", "https://id/token", "work"], {}).options.profile == "work"


def test_a_github_actions_assertion_at_the_real_provider_without_click_or_httpx(provider, github):
    """The job's ID token fetched from the (stand-in) GitHub service and the JWT bearer grant at the real
    provider, both over transport/wire.py: the provider takes it and the token is active."""
    from tests.ci.conftest import token_events
    from tests.support.ci_trust import CI_AUDIENCE, JWT_BEARER

    provider.reset_events()
    code, stdout, stderr, loaded = run("entry", "token", "--token-url", provider.endpoint("token"), "--grant",
                                       "jwt-bearer", "--assertion-source", f"github-actions:{CI_AUDIENCE}",
                                       env=github.env())
    assert (code, stderr, loaded) == (0, "", []), stderr
    assert provider.introspect(stdout.strip())["active"] is True
    (sent,) = token_events(provider, grant_type=JWT_BEARER)
    assert sent["client_id"] == "assertion-public" and len(github.issued) == 1
