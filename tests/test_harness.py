"""Tests of the test harness itself: the real provider, the stand-in browser, the test keyring."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet, RSAKey

from tests.support import browser
from tests.support.loopback_http import LoopbackServer, QuietHandler
from tests.support.login import OneShotCallback
from tests.support.provider import (
    API_RESOURCE,
    CLIENT_ASSERTION_TYPE,
    DEVICE_CODE_GRANT,
    Provider,
)

TOKEN_ALGS = ["RS256", "ES256"]


# ---------------------------------------------------------------------------
# helpers


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorization_url(provider: Provider, client_id: str, redirect_uri: str, **params: str) -> str:
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": "openid offline_access profile email",
        "state": secrets.token_urlsafe(16),
        "nonce": secrets.token_urlsafe(16),
        **params,
    }
    return provider.endpoint("authorization") + "?" + urlencode(query)


def provider_keys(provider: Provider) -> KeySet:
    return KeySet.import_key_set(httpx.get(provider.endpoint("jwks_uri")).json())


def verify_jwt(provider: Provider, value: str) -> dict:
    token = jwt.decode(value, provider_keys(provider), algorithms=TOKEN_ALGS)
    return token.claims


def dpop_proof(key: ECKey, method: str, url: str) -> str:
    header = {"typ": "dpop+jwt", "alg": "ES256", "jwk": key.as_dict(private=False)}
    claims = {"htm": method, "htu": url, "iat": int(time.time()), "jti": uuid.uuid4().hex}
    return jwt.encode(header, claims, key, algorithms=["ES256"])


def login_with_browser(provider: Provider, client_id: str, **params: str):
    """Authorization request driven by the stand-in; returns (callback params, state, verifier)."""
    callback = OneShotCallback()
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(16)
    url = authorization_url(
        provider,
        client_id,
        callback.redirect_uri,
        state=state,
        code_challenge=challenge,
        code_challenge_method="S256",
        **params,
    )
    final = browser.run(url)
    got = callback.wait()
    assert final.startswith(callback.redirect_uri + "?")
    return got, state, verifier, callback.redirect_uri


# ---------------------------------------------------------------------------
# provider


def test_discovery_document(provider: Provider) -> None:
    resp = httpx.get(provider.issuer + "/.well-known/openid-configuration")
    assert resp.status_code == 200
    meta = resp.json()
    base = f"http://127.0.0.1:{provider.port}"
    assert meta["issuer"] == provider.issuer == base
    assert meta["token_endpoint"] == base + "/token"
    assert meta["introspection_endpoint"] == base + "/token/introspection"
    assert meta["revocation_endpoint"] == base + "/token/revocation"
    assert meta["device_authorization_endpoint"] == base + "/device/auth"
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert "ES256" in meta["dpop_signing_alg_values_supported"]
    assert {"openid", "offline_access", "profile", "email", "api:read", "api:write"} <= set(
        meta["scopes_supported"]
    )
    assert {"client_credentials", "refresh_token", DEVICE_CODE_GRANT} <= set(meta["grant_types_supported"])
    assert {"client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none"} <= set(
        meta["token_endpoint_auth_methods_supported"]
    )
    algs = {key["alg"] for key in httpx.get(meta["jwks_uri"]).json()["keys"]}
    assert algs == {"RS256", "ES256"}


def test_provider_listens_on_loopback_only(provider: Provider) -> None:
    with socket.create_connection(("127.0.0.1", provider.port), timeout=5):
        pass
    # Not bound to the wildcard address: binding the same port on another loopback IP works.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.2", provider.port))


def test_client_credentials_token_is_introspected_active(provider: Provider) -> None:
    cc = provider.clients["cc-only"]
    resp = httpx.post(
        provider.endpoint("token"),
        data={"grant_type": "client_credentials"},
        auth=(cc["client_id"], cc["client_secret"]),
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["access_token"].count(".") == 0  # opaque without a resource

    info = provider.introspect(body["access_token"])
    assert info["active"] is True
    assert info["client_id"] == "cc-only"
    assert provider.introspect("not-a-token")["active"] is False

    wrong = httpx.post(
        provider.endpoint("token"),
        data={"grant_type": "client_credentials"},
        auth=(cc["client_id"], "wrong-secret"),
    )
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"


def test_resource_indicator_gives_jwt_access_token(provider: Provider) -> None:
    resp = provider.post_as(
        "cc-only",
        "token",
        {"grant_type": "client_credentials", "resource": API_RESOURCE, "scope": "api:read"},
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["scope"] == "api:read"
    claims = verify_jwt(provider, body["access_token"])
    assert claims["aud"] == API_RESOURCE
    assert claims["iss"] == provider.issuer
    assert claims["client_id"] == "cc-only"
    assert claims["scope"] == "api:read"

    unknown = provider.post_as("cc-only", "token", {"grant_type": "client_credentials", "resource": "urn:nope"})
    assert unknown.status_code == 400
    assert unknown.json()["error"] == "invalid_target"


@pytest.mark.parametrize("client", ["conf-basic", "conf-post", "secret-jwt", "pkjwt-rsa", "pkjwt-ec", "short-conf"])
def test_every_confidential_client_authenticates(provider: Provider, client: str) -> None:
    resp = provider.post_as(client, "token", {"grant_type": "client_credentials"})
    assert resp.status_code == 200, resp.text
    assert provider.introspect(resp.json()["access_token"], client=client)["client_id"] == client


@pytest.mark.parametrize("client", ["pkjwt-rsa", "pkjwt-ec"])
def test_private_key_jwt(provider: Provider, client: str) -> None:
    info = provider.clients[client]
    key_path = Path(info["private_key_path"])
    assert key_path.stat().st_mode & 0o777 == 0o600
    pem = key_path.read_bytes()
    key = RSAKey.import_key(pem) if info["alg"] == "RS256" else ECKey.import_key(pem)
    assert key.thumbprint() == info["kid"]

    def assertion(signing_key, alg: str) -> str:
        now = int(time.time())
        claims = {
            "iss": client,
            "sub": client,
            "aud": provider.endpoint("token"),
            "jti": uuid.uuid4().hex,
            "iat": now,
            "exp": now + 60,
        }
        return jwt.encode({"alg": alg, "kid": info["kid"]}, claims, signing_key, algorithms=[alg])

    def token(value: str) -> httpx.Response:
        return httpx.post(
            provider.endpoint("token"),
            data={
                "grant_type": "client_credentials",
                "client_id": client,
                "client_assertion_type": CLIENT_ASSERTION_TYPE,
                "client_assertion": value,
            },
        )

    provider.reset_events()
    good = assertion(key, info["alg"])
    resp = token(good)
    assert resp.status_code == 200, resp.text
    assert provider.introspect(resp.json()["access_token"])["client_id"] == client

    replay = token(good)
    assert replay.status_code == 401
    assert replay.json()["error"] == "invalid_client"

    impostor = (
        RSAKey.generate_key(2048, private=True)
        if info["alg"] == "RS256"
        else ECKey.generate_key("P-256", private=True)
    )
    forged = token(assertion(impostor, info["alg"]))
    assert forged.status_code == 401
    assert forged.json()["error"] == "invalid_client"

    requests = [e for e in provider.events() if e["type"] == "token.request"]
    assert [(e["client_id"], e["auth_method"], e["error"]) for e in requests] == [
        (client, "private_key_jwt", None),
        (client, "private_key_jwt", "invalid_client"),
        (client, "private_key_jwt", "invalid_client"),
    ]


def test_revocation_by_any_client(provider: Provider) -> None:
    token = provider.post_as("cc-only", "token", {"grant_type": "client_credentials"}).json()["access_token"]
    provider.reset_events()
    resp = provider.post_as("conf-basic", "revocation", {"token": token, "token_type_hint": "access_token"})
    assert resp.status_code == 200, resp.text
    assert provider.introspect(token)["active"] is False
    assert [(e["type"], e["client_id"], e["error"]) for e in provider.events()] == [
        ("revocation.request", "conf-basic", None)
    ]


def test_short_lived_access_tokens(provider: Provider) -> None:
    resp = provider.post_as("short-conf", "token", {"grant_type": "client_credentials"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["expires_in"] == 2
    token = resp.json()["access_token"]
    assert provider.introspect(token)["active"] is True
    time.sleep(3.1)
    assert provider.introspect(token)["active"] is False


# ---------------------------------------------------------------------------
# browser flows


def test_authorization_code_with_pkce_via_standin_browser(provider: Provider) -> None:
    provider.reset_events()
    got, state, verifier, redirect_uri = login_with_browser(provider, "public-pkce")
    assert got["state"] == state
    assert got["iss"] == provider.issuer
    assert "code" in got

    resp = httpx.post(
        provider.endpoint("token"),
        data={
            "grant_type": "authorization_code",
            "code": got["code"],
            "redirect_uri": redirect_uri,
            "client_id": "public-pkce",
            "code_verifier": verifier,
        },
    )
    assert resp.status_code == 200, resp.text
    tokens = resp.json()
    assert tokens["id_token"]
    assert tokens["refresh_token"]
    assert tokens["expires_in"] == 3600
    claims = verify_jwt(provider, tokens["id_token"])
    assert claims["sub"] == "alice"
    assert claims["aud"] == "public-pkce"
    assert claims["iss"] == provider.issuer

    userinfo = httpx.get(
        provider.endpoint("userinfo"), headers={"Authorization": f"Bearer {tokens['access_token']}"}
    ).json()
    assert userinfo == {
        "sub": "alice",
        "name": "Test alice",
        "email": "alice@example.test",
        "email_verified": True,
    }

    refresh = {"grant_type": "refresh_token", "client_id": "public-pkce"}
    rotated = httpx.post(provider.endpoint("token"), data={**refresh, "refresh_token": tokens["refresh_token"]})
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["refresh_token"] != tokens["refresh_token"]
    reused = httpx.post(provider.endpoint("token"), data={**refresh, "refresh_token": tokens["refresh_token"]})
    assert reused.status_code == 400
    assert reused.json()["error"] == "invalid_grant"

    seen = [(e["type"], e["grant_type"], e["client_id"]) for e in provider.events()]
    assert seen == [
        ("token.request", "authorization_code", "public-pkce"),
        ("grant.success", "authorization_code", "public-pkce"),
        ("token.request", "refresh_token", "public-pkce"),
        ("grant.success", "refresh_token", "public-pkce"),
        ("token.request", "refresh_token", "public-pkce"),
        ("grant.revoked", "refresh_token", "public-pkce"),
        ("grant.error", "refresh_token", "public-pkce"),
    ]


def test_public_client_without_pkce_is_refused(provider: Provider) -> None:
    callback = OneShotCallback()
    browser.run(authorization_url(provider, "public-pkce", callback.redirect_uri))
    got = callback.wait()
    assert got["error"] == "invalid_request"
    assert "PKCE" in got["error_description"]


def test_confidential_client_code_flow_without_pkce(provider: Provider) -> None:
    callback = OneShotCallback(host="localhost" if _has_localhost() else "127.0.0.1")
    url = authorization_url(provider, "conf-post", callback.redirect_uri, scope="openid email", nonce="n-0S6")
    browser.run(url, login="bob")
    got = callback.wait()
    resp = provider.post_as(
        "conf-post",
        "token",
        {"grant_type": "authorization_code", "code": got["code"], "redirect_uri": callback.redirect_uri},
    )
    assert resp.status_code == 200, resp.text
    tokens = resp.json()
    claims = verify_jwt(provider, tokens["id_token"])
    assert (claims["sub"], claims["nonce"], claims["aud"]) == ("bob", "n-0S6", "conf-post")
    # refresh tokens come with the refresh_token grant, offline_access or not
    assert tokens["refresh_token"]
    assert tokens["scope"] == "openid email"


def _has_localhost() -> bool:
    try:
        return socket.gethostbyname("localhost") == "127.0.0.1"
    except OSError:
        return False


def test_deny_yields_access_denied(provider: Provider) -> None:
    callback = OneShotCallback()
    state = "deny-state"
    final = browser.run(authorization_url(provider, "conf-basic", callback.redirect_uri, state=state), action="deny")
    got = callback.wait()
    assert got["error"] == "access_denied"
    assert got["state"] == state
    assert "error=access_denied" in final


def test_start_page_served_by_the_client(provider: Provider) -> None:
    callback = OneShotCallback()
    auth_url = authorization_url(provider, "conf-basic", callback.redirect_uri, state="via-start")

    class Start(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.reply(302, b"", None, {"Location": auth_url})

    start = LoopbackServer(Start).start()
    try:
        final = browser.run(start.url("/start"), provider=provider.issuer)
    finally:
        start.stop()
    assert callback.wait()["state"] == "via-start"
    assert final.startswith(callback.redirect_uri)


def test_unregistered_redirect_uri_makes_the_browser_fail(provider: Provider, tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    url = authorization_url(provider, "conf-basic", "http://127.0.0.1:9/elsewhere")
    with pytest.raises(browser.BrowserError, match="redirect_uri"):
        browser.run(url, log=log)
    entry = json.loads(log.read_text().splitlines()[-1])
    assert "redirect_uri" in entry["error"]


def test_standin_runs_through_BROWSER(provider: Provider, standin_browser) -> None:  # noqa: N802
    callback = OneShotCallback()
    verifier, challenge = pkce_pair()
    url = authorization_url(
        provider, "short-public", callback.redirect_uri, code_challenge=challenge, code_challenge_method="S256"
    )
    standin_browser.configure(login="carol", delay=0.2)
    opener = subprocess.run(
        [sys.executable, "-c", "import sys, webbrowser; sys.exit(0 if webbrowser.open(sys.argv[1]) else 3)", url],
        env=os.environ.copy(),
        timeout=30,
        capture_output=True,
        text=True,
    )
    assert opener.returncode == 0, opener.stderr
    got = callback.wait()

    deadline = time.monotonic() + 15
    while not standin_browser.visits() and time.monotonic() < deadline:
        time.sleep(0.05)
    visits = standin_browser.visits()
    assert len(visits) == 1
    assert visits[0]["url"].startswith(callback.redirect_uri + "?code=")
    assert visits[0]["status"] == 200
    assert visits[0]["body"] == "callback received"

    resp = httpx.post(
        provider.endpoint("token"),
        data={
            "grant_type": "authorization_code",
            "code": got["code"],
            "redirect_uri": callback.redirect_uri,
            "client_id": "short-public",
            "code_verifier": verifier,
        },
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["expires_in"] == 2
    assert verify_jwt(provider, resp.json()["id_token"])["sub"] == "carol"


def test_standin_program_reports_failure(provider: Provider, tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(Path(browser.__file__)), provider.issuer + "/auth?client_id=nobody"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode != 0
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("stand-in browser:")


def test_device_flow_with_dpop(provider: Provider) -> None:
    resp = httpx.post(
        provider.endpoint("device_authorization"), data={"client_id": "dpop-client", "scope": "openid offline_access"}
    )
    assert resp.status_code == 200, resp.text
    device = resp.json()
    final = browser.run(device["verification_uri_complete"], login="dave")
    assert final.startswith(provider.issuer)

    token_url = provider.endpoint("token")
    form = {"grant_type": DEVICE_CODE_GRANT, "device_code": device["device_code"], "client_id": "dpop-client"}
    without = httpx.post(token_url, data=form)
    assert without.status_code == 400
    # dpop_bound_access_tokens: no proof -> invalid_grant, with only a generic description
    assert without.json() == {"error": "invalid_grant", "error_description": "grant request is invalid"}

    key = ECKey.generate_key("P-256", private=True)
    resp = httpx.post(token_url, data=form, headers={"DPoP": dpop_proof(key, "POST", token_url)})
    assert resp.status_code == 200, resp.text
    tokens = resp.json()
    assert tokens["token_type"] == "DPoP"
    assert tokens["refresh_token"]
    info = provider.introspect(tokens["access_token"])
    assert info["active"] is True
    assert info["token_type"] == "DPoP"
    assert info["cnf"]["jkt"] == key.thumbprint()


def test_device_flow_deny(provider: Provider) -> None:
    device = httpx.post(provider.endpoint("device_authorization"), data={"client_id": "public-pkce"}).json()
    browser.run(device["verification_uri_complete"], action="deny")
    resp = httpx.post(
        provider.endpoint("token"),
        data={"grant_type": DEVICE_CODE_GRANT, "device_code": device["device_code"], "client_id": "public-pkce"},
    )
    assert resp.status_code == 400
    assert resp.json()["error"] == "access_denied"


# ---------------------------------------------------------------------------
# harness plumbing


def test_events_reset(provider: Provider) -> None:
    provider.post_as("cc-only", "token", {"grant_type": "client_credentials"})
    assert provider.events()
    provider.reset_events()
    assert provider.events() == []


def test_provider_starts_fast_and_stops(tmp_path: Path) -> None:
    other = Provider(tmp_path / "second")
    started = time.monotonic()
    other.start()
    elapsed = time.monotonic() - started
    try:
        assert elapsed < 5, f"provider took {elapsed:.2f} s to start"
        assert httpx.get(other.issuer + "/.well-known/openid-configuration").status_code == 200
        assert (other.workdir / "config.json").stat().st_mode & 0o777 == 0o600
    finally:
        stopped = time.monotonic()
        other.stop()
    assert time.monotonic() - stopped < 3
    assert not other.running
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", other.port), timeout=2).close()
    other.stop()  # idempotent


def test_isolation(isolate: Path) -> None:
    assert os.environ["HOME"].startswith(str(isolate))
    assert os.environ["XDG_CONFIG_HOME"].startswith(str(isolate))
    assert os.environ["NO_COLOR"] == "1"
    assert "BROWSER" not in os.environ and "DISPLAY" not in os.environ
    assert [k for k in os.environ if k.startswith("OAUTH2_")] == []
    assert [k for k in os.environ if k.startswith("OAUTH2CLI_")] == ["OAUTH2CLI_TEST_KEYRING_FILE"]


def test_memkeyring_round_trips_across_a_subprocess() -> None:
    import keyring
    from keyring.errors import PasswordDeleteError

    from tests.support.memkeyring import FileBackedTestKeyring

    assert isinstance(keyring.get_keyring(), FileBackedTestKeyring)
    keyring.set_password("oauth2cli-test", "alice", "from-parent")

    child = (
        "import keyring\n"
        "kr = keyring.get_keyring()\n"
        "print(type(kr).__module__ + '.' + type(kr).__name__)\n"
        "print(keyring.get_password('oauth2cli-test', 'alice'))\n"
        "keyring.set_password('oauth2cli-test', 'bob', 'from-child')\n"
        "keyring.delete_password('oauth2cli-test', 'alice')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", child], env=os.environ.copy(), capture_output=True, text=True, timeout=60, cwd="/"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["tests.support.memkeyring.FileBackedTestKeyring", "from-parent"]

    assert keyring.get_password("oauth2cli-test", "bob") == "from-child"
    assert keyring.get_password("oauth2cli-test", "alice") is None
    with pytest.raises(PasswordDeleteError):
        keyring.delete_password("oauth2cli-test", "alice")

    path = Path(os.environ["OAUTH2CLI_TEST_KEYRING_FILE"])
    assert json.loads(path.read_text()) == {"oauth2cli-test": {"bob": "from-child"}}


# ---------------------------------------------------------------------------
# the stand-in servers' base (tests/support/loopback_http.py)


def test_a_loopback_server_reads_each_body_of_a_kept_alive_connection_and_answers_head_without_one() -> None:
    import http.client

    from tests.support.loopback_http import Seen

    seen: list[Seen] = []

    class Echo(QuietHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802
            seen.append(self.seen())
            self.reply(201, {"form": seen[-1].form_dict()}, headers={"X-Count": str(len(seen))})

        do_HEAD = do_POST  # noqa: N815

    with LoopbackServer(Echo, host="::1") as server:
        assert server.base == f"http://[::1]:{server.port}"
        connection = http.client.HTTPConnection("::1", server.port, timeout=10)
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        answers = []
        for method, body in (("POST", "a=1"), ("POST", "b=2&b=3"), ("HEAD", "")):
            connection.request(method, "/t?q=1", body=body or None, headers=form)
            response = connection.getresponse()
            answers.append((response.status, response.getheader("Content-Type"), response.getheader("X-Count"),
                            response.read()))
        connection.close()
    assert answers == [(201, "application/json", "1", b'{"form": {"a": "1"}}'),
                       (201, "application/json", "2", b'{"form": {"b": "3"}}'),
                       (201, "application/json", "3", b"")]
    assert [(s.method, s.path, s.query, s.form) for s in seen] == [
        ("POST", "/t", [("q", "1")], [("a", "1")]), ("POST", "/t", [("q", "1")], [("b", "2"), ("b", "3")]),
        ("HEAD", "/t", [("q", "1")], [])]


def test_a_loopback_server_never_started_stops_at_once() -> None:
    started = time.monotonic()
    LoopbackServer(QuietHandler).stop()
    assert time.monotonic() - started < 1
