"""RFC 9728: `oauth2 call URL` from an empty configuration to the resource's answer, `login
--resource` and `discover --resource`, against the real oidc-provider and a stdlib resource
server that validates tokens through the provider's introspection."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from tests.login.conftest import stored_tokens
from tests.support.cli import Result, assert_no_traceback, run_cli
from tests.support.protected_resource import ProtectedResource

NO_CI = {"CI": ""}  # the suite may itself run under CI; these tests say when they want it


def call_at_terminal(*args: str, env: dict[str, str] | None = None, timeout: float = 90, answer: str = "") -> Result:
    """`oauth2 ...` with a terminal on stdin (a pty) holding `answer`, stdout and stderr captured."""
    master, slave = pty.openpty()
    try:
        if answer:
            os.write(master, answer.encode())
        proc = subprocess.run([sys.executable, "-m", "oauth2cli", *args], stdin=slave, capture_output=True,
                              text=True, timeout=timeout, env={**os.environ, **NO_CI, **(env or {})})
    finally:
        os.close(slave)
        os.close(master)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def _config() -> str:
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "oauth2cli" / "config.toml"
    return path.read_text("utf-8") if path.exists() else ""


@pytest.fixture
def api(provider):
    with ProtectedResource(provider) as resource:
        yield resource


def test_call_from_empty_config_to_the_answer_then_reuse(provider, standin_browser, api):
    assert _config() == ""
    first = call_at_terminal("call", "--yes", api.url("/things"))
    assert first.code == 0, first
    assert_no_traceback(first)
    answer = json.loads(first.stdout)
    assert answer["ok"] is True and answer["sub"] == "alice" and answer["path"] == "/mcp/things"
    lines = first.stderr.splitlines()
    assert f"oauth2: {api.resource} is protected by {provider.issuer} (RFC 9728)" in lines
    assert any(line.startswith("oauth2: registered client ") for line in lines)
    assert f"oauth2: saved profile '127.0.0.1' for {api.resource} in {Path(os.environ['XDG_CONFIG_HOME'])}" \
           f"/oauth2cli/config.toml" in lines
    # the login went out with PKCE and the resource indicator (RFC 8707)
    sent = provider.authorizations()[-1]
    assert sent["resource"] == api.resource and sent["code_challenge_method"] == "S256"
    assert "api:read" in sent["scope"].split() and "openid" in sent["scope"].split()
    from oauth2cli.deps import Deps

    profile = dict(Deps().store.profile("127.0.0.1"))
    assert profile["urls"] == [api.resource] and profile["resources"] == [api.resource]
    assert provider.introspect(stored_tokens("127.0.0.1").access_token)["aud"] == api.resource
    # a tokenless probe, then the request with the token, which was retried once
    assert [(r["method"], bool(r["authorization"])) for r in api.requests if r["path"] == "/mcp/things"] == \
        [("GET", False), ("GET", True)]

    logins = len(provider.authorizations())
    config = _config()
    api.requests.clear()
    second = run_cli("call", api.url("/other"), env=NO_CI)  # no terminal needed now: nothing to ask
    assert second.code == 0, second
    assert json.loads(second.stdout)["path"] == "/mcp/other"
    assert second.stderr.count("registered client") == 0 and "Opening the browser" not in second.stderr
    assert len(provider.authorizations()) == logins and _config() == config  # no login, no registration
    assert [bool(r["authorization"]) for r in api.requests] == [True]


@pytest.mark.parametrize("env, why", [({}, "this run has no terminal"), ({"CI": "true"}, "CI is set")],
                         ids=["no-terminal", "CI"])
def test_without_a_person_it_exits_7_with_the_command(provider, api, env, why):
    runner = run_cli if not env else call_at_terminal
    result = runner("call", api.url("/things"), env={**NO_CI, **env})
    assert result.code == 7, result
    assert result.stderr.strip().splitlines() == [
        f"oauth2: error: {api.resource} wants a login at {provider.issuer}, and {why}; run "
        f"`oauth2 login --resource {api.url('/things')}` at a terminal first"]
    assert _config() == ""  # nothing registered, nothing saved


def test_login_resource_sets_up_the_profile(provider, standin_browser, api):
    result = run_cli("login", "--resource", api.resource, "--yes", env=NO_CI)
    assert result.code == 0, result
    assert result.stderr.strip().splitlines()[-1].startswith("Logged in to 127.0.0.1 as alice")
    call = run_cli("call", api.url("/x"))
    assert call.code == 0 and json.loads(call.stdout)["ok"] is True, call
    # again: the same profile, a new login, no new registration
    again = run_cli("login", "--resource", api.resource, "--yes", env=NO_CI)
    assert again.code == 0 and "registered client" not in again.stderr, again
    from oauth2cli.deps import Deps

    assert list(Deps().store.config.names()) == ["127.0.0.1"]


def test_discover_resource_prints_the_metadata(provider, api):
    result = run_cli("discover", "--resource", api.resource)
    assert result.code == 0, result
    assert json.loads(result.stdout)["authorization_servers"] == [provider.issuer]
    # §3.3: a well-known lookup wants the exact resource; /mcp/things has no document of its own
    deeper = run_cli("discover", "--resource", api.url("/things"))
    assert deeper.code == 3 and "publishes no protected resource metadata (RFC 9728)" in deeper.stderr, deeper


@pytest.mark.parametrize("metadata, message", [
    ({"resource": "http://127.0.0.1:1/elsewhere"},
     "is for 'http://127.0.0.1:1/elsewhere', not a same-origin prefix of"),
    ({"authorization_servers": []}, "names no authorization_servers: there is no server to log in at"),
], ids=["another-resource", "no-servers"])
def test_bad_resource_metadata_is_refused_in_one_line(provider, metadata, message):
    with ProtectedResource(provider, metadata=metadata) as api:
        result = call_at_terminal("call", api.url("/things"))
        discovered = run_cli("discover", "--resource", api.resource)
    assert result.code == 3, result
    assert_no_traceback(result)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result
    assert discovered.code == 3 and len(discovered.stderr.strip().splitlines()) == 1, discovered
    assert _config() == ""


def test_resource_without_an_announcement_is_no_profile(provider, standin_browser):
    with ProtectedResource(provider, announce=False, path="") as api:
        # the root document exists and names the resource exactly: discovery via the well-known URI
        found = call_at_terminal("call", "--yes", api.base + "/anything")
    assert found.code == 0, found
    assert json.loads(found.stdout)["ok"] is True


def test_the_default_profile_is_no_licence_for_a_url_its_urls_do_not_claim(provider, standin_browser, api):
    """Issue #25: the default profile's token does not go to the resource; the tokenless 401 starts zero set-up."""
    from tests.login.conftest import write_profile

    write_profile("dev", issuer=provider.issuer, client_id="public-pkce", scope="openid")
    assert run_cli("login", "dev").code == 0
    assert run_cli("profile", "default", "dev").code == 0
    result = run_cli("call", api.url("/things"), env=NO_CI)
    assert result.code == 7, result  # zero set-up wants a person, and this run has none
    assert result.stderr.splitlines() == [
        f"oauth2: error: {api.resource} wants a login at {provider.issuer}, and this run has no terminal; "
        f"run `oauth2 login --resource {api.url('/things')}` at a terminal first"]
    assert [r["path"] for r in api.requests if r["path"] == "/mcp/things"] == ["/mcp/things"]
    assert not any(r["authorization"] for r in api.requests)


def test_login_resource_with_a_client_id_registers_nothing(provider, standin_browser, api):
    result = run_cli("login", "--resource", api.resource, "--client-id", "public-pkce", "--yes", env=NO_CI)
    assert result.code == 0, result
    assert "registered client" not in result.stderr
    from oauth2cli.deps import Deps

    profile = dict(Deps().store.profile("127.0.0.1"))
    assert profile["client_id"] == "public-pkce" and "registration" not in profile
    assert json.loads(run_cli("call", api.url("/y"), env=NO_CI).stdout)["client_id"] == "public-pkce"


def test_a_server_without_registration_asks_for_a_client_id(provider):
    from tests.support.standin_server import StandinServer

    with StandinServer() as server:
        plain = {k: v for k, v in server.metadata().items() if k != "registration_endpoint"}
        plain["code_challenge_methods_supported"] = ["S256"]  # issue #26: MCP logins refuse a server without it
        server.metadata = lambda: plain
        with ProtectedResource(provider, metadata={"authorization_servers": [server.issuer]}) as api:
            result = call_at_terminal("call", "--yes", api.url("/things"))
    assert result.code == 1, result
    assert result.stderr.strip().splitlines()[-1] == (
        f"oauth2: error: the server at {server.issuer} announces no registration_endpoint (RFC 7591); register a "
        f"client there by hand and run `oauth2 login --resource {api.url('/things')} --client-id ID`")
    assert _config() == ""
