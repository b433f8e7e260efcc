"""`oauth2 login` against the real oidc-provider, with the stand-in browser as the person."""

from __future__ import annotations

import json
import signal
import socket
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.login.conftest import stored_tokens, write_profile
from tests.support import browser
from tests.support.cli import assert_no_traceback, run_cli
from tests.support.loopback_http import free_port


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def _token_requests(provider) -> list[tuple]:
    return [(e["grant_type"], e["client_id"], e["error"]) for e in provider.events() if e["type"] == "token.request"]


def _wait_visits(standin_browser, count: int = 1, timeout: float = 15) -> list[dict]:
    deadline = time.monotonic() + timeout
    while len(standin_browser.visits()) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return standin_browser.visits()


def test_public_client_with_pkce_saves_tokens(provider, standin_browser):
    provider.reset_events()
    write_profile("dev", issuer=provider.issuer, client_id="public-pkce", scope="openid email")
    result = run_cli("login", "dev")
    assert result.code == 0, result
    assert_no_traceback(result)
    assert result.stdout == ""  # data only on stdout, and a saved login prints none
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("Logged in to dev as alice@example.test; the access token expires at "), result
    assert "with a refresh token" in last

    sent = provider.authorizations()[-1]
    assert sent["code_challenge_method"] == "S256" and len(sent["code_challenge"]) == 43
    assert len(sent["state"]) >= 43 and sent["nonce"]
    redirect = urlsplit(sent["redirect_uri"])
    assert (redirect.scheme, redirect.hostname, redirect.path) == ("http", "127.0.0.1", "/callback")
    assert redirect.port and redirect.port > 1024  # ephemeral

    tokens = stored_tokens("dev")
    assert tokens.refresh_token and tokens.id_token
    assert provider.introspect(tokens.access_token)["active"] is True
    assert _token_requests(provider) == [("authorization_code", "public-pkce", None)]

    visit = _wait_visits(standin_browser)[-1]
    assert visit["status"] == 200 and "You are signed in" in visit["body"]
    assert "alice" in visit["body"]
    # the listener is closed once the flow is over
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", redirect.port), timeout=1).close()


def test_confidential_client_prints_json_without_saving(provider, standin_browser):
    provider.reset_events()
    write_profile("work", issuer=provider.issuer, client_id="conf-basic", scope="openid")
    secret = provider.clients["conf-basic"]["client_secret"]
    result = run_cli("login", "work", "--output", "json", env={"OAUTH2_CLIENT_SECRET": secret})
    assert result.code == 0, result
    data = json.loads(result.stdout)
    assert data["token_type"] == "Bearer" and data["id_token"]
    assert provider.introspect(data["access_token"])["client_id"] == "conf-basic"
    assert stored_tokens("work") is None
    assert result.stderr.strip().endswith("(not saved).")
    events = [e for e in provider.events() if e["type"] == "token.request"]
    assert [(e["auth_method"], e["error"]) for e in events] == [("client_secret_basic", None)]


def test_output_json_with_save_does_both(provider, standin_browser):
    write_profile("both", issuer=provider.issuer, client_id="public-pkce", scope="openid")
    result = run_cli("login", "both", "-o", "json", "--save")
    assert result.code == 0, result
    assert json.loads(result.stdout)["access_token"] == stored_tokens("both").access_token


def test_login_hint_and_resource_pass_through(provider, standin_browser):
    write_profile("hint", issuer=provider.issuer, client_id="public-pkce", scope="openid")
    result = run_cli("login", "hint", "-P", "login_hint=bob@example.test", "-P", "prompt=login",
                     "--resource", "urn:oauth2cli:test-api", "--scope", "api:read")
    assert result.code == 0, result
    sent = provider.authorizations()[-1]
    assert sent["login_hint"] == "bob@example.test" and sent["prompt"] == "login"
    assert sent["resource"] == "urn:oauth2cli:test-api"
    # the resource's JWT access token went through the code exchange too
    assert stored_tokens("hint").access_token.count(".") == 2


def test_max_age_makes_the_login_check_auth_time(provider, standin_browser, monkeypatch):
    write_profile("fresh", issuer=provider.issuer, client_id="public-pkce", scope="openid")
    result = run_cli("login", "fresh", "-P", "max_age=300")
    assert result.code == 0, result
    assert provider.authorizations()[-1]["max_age"] == "300"
    from oauth2cli.flows.exchange.oidc import unverified_claims

    assert isinstance(unverified_claims(stored_tokens("fresh").id_token)["auth_time"], int)
    bad = run_cli("login", "fresh", "-P", "max_age=soon", "--no-browser")
    assert bad.code == 1 and "max_age must be a number of seconds, not 'soon'" in bad.stderr, bad


def test_max_age_is_passed_to_the_id_token_check(monkeypatch):
    """OIDC Core §3.1.3.7 item 13: with max_age asked, the id_token check gets it (auth_time checked)."""
    from oauth2cli.core.client_auth import ClientCredentials
    from oauth2cli.core.settings import ClientSettings
    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.flows.login import login as login_flow
    from oauth2cli.flows.exchange import oidc

    seen = {}
    monkeypatch.setattr(oidc, "check_id_token", lambda *a, **kw: seen.update(kw) or {"sub": "x"})
    settings = ClientSettings(client=ClientCredentials("c"), issuer="https://id.example.test",
                              auth_params=(("max_age", "120"),))
    login_flow._check_tokens(settings, None, TokenSet("t", id_token="a.b.c"), "n", None)
    assert seen["max_age"] == 120 and seen["nonce"] == "n"


def test_reserved_parameter_cannot_be_replaced(provider):
    write_profile("p", issuer=provider.issuer, client_id="public-pkce", scope="openid")
    result = run_cli("login", "p", "-P", "state=fixed", "--no-browser")
    assert result.code == 1
    assert "-P state=... would replace a parameter" in result.stderr


def test_pkce_plain_and_no_pkce(provider, standin_browser):
    write_profile("conf", issuer=provider.issuer, client_id="conf-post", scope="openid")
    env = {"OAUTH2_CLIENT_SECRET": provider.clients["conf-post"]["client_secret"]}
    assert run_cli("login", "conf", "--no-pkce", "--auth-method", "client_secret_post", env=env).code == 0
    assert "code_challenge" not in provider.authorizations()[-1]
    # oidc-provider 9 lists S256 only: plain is refused before the browser opens (issue #26), in one line
    sent = len(provider.authorizations())
    result = run_cli("login", "conf", "--pkce", "plain", "--auth-method", "client_secret_post", env=env)
    assert result.code == 1, result
    assert result.stderr.strip().splitlines() == [
        f"oauth2: error: the server at {provider.issuer} lists code_challenge_methods_supported S256, without PKCE "
        "plain: the code could be stolen on its way back (RFC 7636); not logging in there"]
    assert len(provider.authorizations()) == sent


def test_exact_redirect_uri_with_fixed_port(exact_provider, standin_browser):
    provider, port = exact_provider
    uri = f"http://127.0.0.1:{port}/oauth/cb"
    write_profile("exact", issuer=provider.issuer, client_id="exact-web", scope="openid", redirect_uri=uri)
    result = run_cli("login", "exact", env={"OAUTH2_CLIENT_SECRET": "exact-web-secret-0123456789abcdef"})
    assert result.code == 0, result
    assert provider.authorizations()[-1]["redirect_uri"] == uri
    assert stored_tokens("exact").access_token


def test_access_denied_exits_3(provider, standin_browser):
    provider.reset_events()
    write_profile("deny", issuer=provider.issuer, client_id="public-pkce", scope="openid")
    standin_browser.configure(action="deny")
    result = run_cli("login", "deny")
    assert result.code == 3, result
    assert_no_traceback(result)
    error_line = result.stderr.strip().splitlines()[-1]
    assert error_line.startswith("oauth2: error: the authorization server refused: access_denied"), result
    assert stored_tokens("deny") is None
    assert _token_requests(provider) == []
    visit = _wait_visits(standin_browser)[-1]
    assert "Sign-in failed" in visit["body"] and "access_denied" in visit["body"]


def test_forged_state_does_not_end_the_wait(provider, standin_browser):
    provider.reset_events()
    port = free_port()
    write_profile("forge", issuer=provider.issuer, client_id="public-pkce", scope="openid",
                  redirect_uri=f"http://127.0.0.1:{port}/callback")
    forged = f"http://127.0.0.1:{port}/callback?code=forged-code&state=guessed"
    standin_browser.configure(extra_callback=forged)
    result = run_cli("login", "forge")
    assert result.code == 0, result
    visits = _wait_visits(standin_browser, 2)
    assert visits[0]["extra"] is True and visits[0]["status"] == 400
    assert "does not match" in visits[0]["body"]
    assert visits[1]["status"] == 200
    # exactly one code was exchanged: the real one
    assert _token_requests(provider) == [("authorization_code", "public-pkce", None)]


def test_wrong_iss_is_refused_and_no_code_exchanged(provider, standin_browser, stub_server):
    provider.reset_events()
    stub = stub_server(lambda q: ("query", {"code": "c0de", "state": q["state"], "iss": "https://evil.example"}))
    write_profile("mixup", issuer=provider.issuer, client_id="public-pkce", scope="openid")
    result = run_cli("login", "mixup", "--authorization-url", stub.url)
    assert result.code == 3, result
    assert "comes from issuer 'https://evil.example', not " + repr(provider.issuer) in result.stderr
    assert "RFC 9207" in result.stderr
    assert _token_requests(provider) == []


def test_missing_iss_is_refused_when_metadata_promises_it(provider, standin_browser, stub_server):
    assert provider.discovery()["authorization_response_iss_parameter_supported"] is True
    stub = stub_server(lambda q: ("query", {"code": "c0de", "state": q["state"]}))
    write_profile("noiss", issuer=provider.issuer, client_id="public-pkce", scope="openid")
    result = run_cli("login", "noiss", "--authorization-url", stub.url)
    assert result.code == 3, result
    assert "has no iss" in result.stderr


def test_port_in_use_falls_back_to_the_next_port(provider, standin_browser):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    taken = busy.getsockname()[1]
    spare = free_port()
    try:
        write_profile("ports", issuer=provider.issuer, client_id="public-pkce", scope="openid")
        result = run_cli("login", "ports", "--redirect-port", str(taken), "--redirect-port", str(spare))
        assert result.code == 0, result
        assert f"oauth2: warning: port {taken} for the redirect URI is in use; trying port {spare}" in result.stderr
        assert provider.authorizations()[-1]["redirect_uri"] == f"http://127.0.0.1:{spare}/callback"

        result = run_cli("login", "ports", "--redirect-uri", f"http://127.0.0.1:{taken}/callback")
        assert result.code == 1, result
        assert f"oauth2: error: cannot listen for the redirect: port {taken} on 127.0.0.1 is in use" in result.stderr
    finally:
        busy.close()


def test_browser_timeout_exits_7(provider):
    write_profile("slow", issuer=provider.issuer, client_id="public-pkce", scope="openid")
    started = time.monotonic()
    result = run_cli("login", "slow", "--no-browser", "--browser-timeout", "1")
    assert result.code == 7, result
    assert time.monotonic() - started < 15
    assert "oauth2: error: no answer from the browser within 1 s" in result.stderr
    assert "--browser-timeout" in result.stderr
    assert "Open this URL in a browser to sign in:" in result.stderr  # --no-browser still prints it


def test_blocking_browser_command_does_not_deadlock(provider, standin_browser):
    standin_browser.foreground()  # $BROWSER returns only when the stand-in is done
    write_profile("fg", issuer=provider.issuer, client_id="public-pkce", scope="openid")
    result = run_cli("login", "fg", timeout=60)
    assert result.code == 0, result


def test_ctrl_c_exits_130_and_closes_the_listener(provider, background):
    write_profile("int", issuer=provider.issuer, client_id="public-pkce", scope="openid")
    bg = background("login", "int", "--no-browser")
    port = urlsplit(_query(bg.auth_url())["redirect_uri"]).port
    socket.create_connection(("127.0.0.1", port), timeout=2).close()  # it listens
    bg.proc.send_signal(signal.SIGINT)
    code, _, stderr = bg.finish(20)
    assert code == 130, stderr
    assert "oauth2: interrupted" in stderr and "Traceback" not in stderr
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_listener_ignores_other_paths_and_foreign_hosts(provider, background):
    import httpx

    write_profile("probe", issuer=provider.issuer, client_id="public-pkce", scope="openid")
    bg = background("login", "probe", "--no-browser", "--browser-timeout", "30")
    url = bg.auth_url()
    redirect_uri = _query(url)["redirect_uri"]
    base = redirect_uri.rsplit("/", 1)[0]
    state = _query(url)["state"]
    with httpx.Client(trust_env=False) as client:
        assert client.get(base + "/favicon.ico").status_code == 404
        assert client.get(redirect_uri + "?code=x").status_code == 400  # no state
        # DNS rebinding: the right state, but sent to a foreign Host name
        rebound = client.get(f"{redirect_uri}?code=x&state={state}", headers={"Host": "evil.example"})
        assert rebound.status_code == 400 and "Host header" in rebound.text
        assert client.get(f"{redirect_uri}?code=x&state={state}&state={state}").status_code == 400
        # still waiting: a real answer ends it (an error answer, so no exchange is needed)
        final = client.get(f"{redirect_uri}?error=login_required&error_description=%3Cb%3Enope%3C%2Fb%3E&state={state}"
                           f"&iss={provider.issuer}", timeout=20)
    assert final.status_code == 200
    assert "&lt;b&gt;nope&lt;/b&gt;" in final.text and "<b>nope" not in final.text
    assert final.headers["content-security-policy"].startswith("default-src 'none'")
    code, _, stderr = bg.finish(20)
    assert code == 3, stderr
    assert "login_required: <b>nope</b>" in stderr


def test_par_when_asked(provider, standin_browser):
    write_profile("par", issuer=provider.issuer, client_id="public-pkce", scope="openid", use_par=True)
    result = run_cli("login", "par")
    assert result.code == 0, result
    sent = provider.authorizations()[-1]
    assert set(sent) == {"client_id", "request_uri"}
    assert sent["request_uri"].startswith("urn:ietf:params:oauth:request_uri:")


@pytest.mark.parametrize("client", ["pkjwt-rsa", "conf-post", "conf-basic"])
def test_par_with_the_clients_own_authentication(provider, standin_browser, client):
    """The pushed request is authenticated like a token request: assertion, post or basic."""
    info = provider.clients[client]
    values = dict(issuer=provider.issuer, client_id=info["client_id"], scope="openid", use_par=True)
    env = {}
    if info.get("private_key_path"):
        values.update(auth_method="private_key_jwt", private_key=str(info["private_key_path"]))
    else:
        env["OAUTH2_CLIENT_SECRET"] = info["client_secret"]
        values["auth_method"] = info["auth_method"]
    write_profile(f"par-{client}", **values)
    result = run_cli("login", f"par-{client}", env=env)
    assert result.code == 0, result
    sent = provider.authorizations()[-1]
    assert set(sent) == {"client_id", "request_uri"}


def test_device_flow_by_default_without_a_display(provider, background):
    """No $BROWSER, no DISPLAY: the device flow; the person approves on another device over HTTP."""
    provider.reset_events()
    write_profile("tv", issuer=provider.issuer, client_id="public-pkce", scope="openid")
    bg = background("login", "tv")
    bg.wait_for(r"To sign in, visit http://127\.0\.0\.1:\d+/device")
    code = bg.wait_for(r"enter the code:\s+(\S+)").group(1)
    complete = bg.wait_for(r"\(or open (\S+) ,").group(1)
    assert "user_code=" in complete
    browser.run(complete, login="dave")
    rc, stdout, stderr = bg.finish(60)
    assert rc == 0, stderr
    assert "Logged in to tv as dave" in stderr
    assert stored_tokens("tv").id_token
    grants = {e["grant_type"] for e in provider.events() if e["type"] == "token.request"}
    assert grants == {"urn:ietf:params:oauth:grant-type:device_code"}
    assert code


def test_device_flow_with_a_private_key_jwt_client(provider, background):
    """The device authorization request carries the same client assertion as the token endpoint."""
    provider.reset_events()
    client = provider.clients["pkjwt-ec"]
    write_profile("tv-jwt", issuer=provider.issuer, client_id=client["client_id"], scope="openid",
                  auth_method="private_key_jwt", private_key=str(client["private_key_path"]))
    bg = background("login", "tv-jwt", "--device")
    complete = bg.wait_for(r"\(or open (\S+) ,").group(1)
    browser.run(complete, login="erin")
    rc, _, stderr = bg.finish(60)
    assert rc == 0, stderr
    assert "Logged in to tv-jwt as erin" in stderr
    requests = [e for e in provider.events() if e["type"] in ("device_authorization.request", "token.request")]
    assert requests and {e.get("auth_method") for e in requests} == {"private_key_jwt"}, requests


def test_device_flow_polls_carry_the_profiles_resource(provider, background):
    """Issue #26 row 5: RFC 8707 `resource` in the device flow's token requests too."""
    write_profile("tv-res", issuer=provider.issuer, client_id="public-pkce", scope="openid",
                  resources=["http://127.0.0.1:1/api"])
    provider.reset_events()
    bg = background("login", "tv-res", "--device")
    browser.run(bg.wait_for(r"\(or open (\S+) ,").group(1), login="erin")
    rc, _, stderr = bg.finish(60)
    assert rc == 0, stderr
    polls = [e for e in provider.events() if e["type"] == "token.request"]
    assert polls and all(e["resource"] == "http://127.0.0.1:1/api" for e in polls), polls


def test_device_flow_denied_exits_3(provider, background):
    write_profile("tv2", issuer=provider.issuer, client_id="public-pkce", scope="openid")
    bg = background("login", "tv2", "--device")
    complete = bg.wait_for(r"\(or open (\S+) ,").group(1)
    browser.run(complete, action="deny")
    rc, _, stderr = bg.finish(60)
    assert rc == 3, stderr
    assert "access_denied" in stderr.strip().splitlines()[-1]


def test_paste_flow_through_stdin(provider, background, tmp_path):
    write_profile("paste", issuer=provider.issuer, client_id="public-pkce", scope="openid")
    bg = background("login", "paste", "--manual")
    url = bg.auth_url()
    assert _query(url)["redirect_uri"] == "http://127.0.0.1/callback"
    log = tmp_path / "paste.jsonl"
    with pytest.raises(browser.BrowserError):  # nothing listens: the browser shows an error page
        browser.run(url, log=log)
    landed = json.loads(log.read_text().splitlines()[-1])["url"]
    assert landed.startswith("http://127.0.0.1/callback?code=")
    bg.send("http://127.0.0.1/callback?code=abc&state=wrong\n")
    bg.wait_for(r"not the answer to this login: the state parameter does not match")
    bg.send(landed + "\n")
    rc, _, stderr = bg.finish(30)
    assert rc == 0, stderr
    assert stored_tokens("paste").access_token


def test_over_ssh_without_device_endpoint_listens_and_reads_a_paste(provider, background):
    """Ad hoc endpoints (no discovery, so no device endpoint) over SSH: the ssh -L hint, the listener
    and the paste prompt together; here the forwarded browser reaches the listener."""
    env = {"SSH_CONNECTION": "10.0.0.2 50000 10.0.0.1 22"}
    # not openid: without --issuer (which would discover the device endpoint) an id_token cannot be
    # validated and is refused (OIDC Core §3.1.3.7, tests/oidc/test_idtoken.py); that is not this test's point
    bg = background("login", "--client-id", "public-pkce", "--scope", "api:read",
                    "--authorization-url", provider.endpoint("authorization"),
                    "--token-url", provider.endpoint("token"), env=env)
    hint = bg.wait_for(r"ssh -L (\d+):127\.0\.0\.1:(\d+) ")
    assert hint.group(1) == hint.group(2)
    url = bg.auth_url()
    assert _query(url)["redirect_uri"] == f"http://127.0.0.1:{hint.group(1)}/callback"
    bg.wait_for(r"Paste the full address")
    browser.run(url)
    rc, stdout, stderr = bg.finish(30)
    assert rc == 0, stderr
    assert json.loads(stdout)["access_token"]  # no profile: the token response on stdout


def test_device_flow_opens_the_complete_uri_when_a_browser_is_available(provider, standin_browser):
    write_profile("tv3", issuer=provider.issuer, client_id="public-pkce", scope="openid")
    standin_browser.configure(login="erin")
    result = run_cli("login", "tv3", "--device")
    assert result.code == 0, result
    assert "enter the code:" in result.stderr and "Logged in to tv3 as erin;" in result.stderr
    visit = _wait_visits(standin_browser)[-1]
    assert "/device" in visit["url"] and visit["status"] == 200


def test_authorization_endpoint_must_be_a_web_url(provider):
    result = run_cli("login", "--client-id", "c", "--authorization-url", "file:///etc/passwd",
                     "--token-url", provider.endpoint("token"), "--no-browser")
    assert result.code == 1, result
    assert "is not an http(s) URL" in result.stderr


def test_an_openid_login_without_an_issuer_is_refused_before_the_browser(provider):
    result = run_cli("login", "--client-id", "public-pkce", "--scope", "openid",
                     "--authorization-url", provider.endpoint("authorization_endpoint"),
                     "--token-url", provider.endpoint("token_endpoint"), "--no-browser", timeout=20)
    assert result.code == 1, result
    assert result.stderr.strip().splitlines() == [
        "oauth2: error: an OpenID Connect login (scope openid) needs the issuer, to check the id_token; "
        "give --issuer too (the endpoints are found from it), or leave openid out of --scope"]
    assert_no_traceback(result)
