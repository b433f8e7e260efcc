"""Step-up (RFC 9470): a small stdlib resource server refuses the first token with
error="insufficient_user_authentication"; `call` shows what it wants and exits 7 naming the login
command, or, with --step-up on a real terminal (tmux), logs in again through the real provider
with those parameters and retries once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from oauth2cli.core.step_up import login_command, parse_challenge
from tests.login.conftest import stored_tokens, write_profile
from tests.support.cli import assert_no_traceback, run_cli
from tests.support.loopback_http import LoopbackServer, QuietHandler
from tests.support.shim import oauth2_bin, path_with
from tests.support.tmux import TmuxPane

ACR = "urn:example:acr:mfa"
CHALLENGE = (f'Bearer error="insufficient_user_authentication", error_description="A different authentication '
             f'level is required", acr_values="{ACR}", max_age="0"')


class SteppingResource(LoopbackServer):
    """Refuses the tokens in `weak` with the RFC 9470 §3 challenge; answers others that the
    provider says are active."""

    def __init__(self, provider) -> None:
        self.weak: set[str] = set()
        self.seen: list[str] = []
        resource = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802
                token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
                resource.seen.append(token)
                if token in resource.weak or not provider.introspect(token).get("active"):
                    self.reply(401, b'{"error": "insufficient_user_authentication"}',
                               headers={"WWW-Authenticate": CHALLENGE})
                else:
                    self.reply(200, b'{"ok": "stepped up"}')

        super().__init__(Handler)
        self.account = self.url("/account")
        self.start()


@pytest.fixture
def logged_in(provider, standin_browser):
    resource = SteppingResource(provider)
    write_profile("su", issuer=provider.issuer, client_id="public-pkce", scope="openid",
                  urls=[resource.base])
    result = run_cli("login", "su")
    assert result.code == 0, result
    resource.weak.add(stored_tokens("su").access_token)
    yield resource
    resource.stop()


def test_challenge_parsed_and_command_named():
    step_up = parse_challenge(401, [CHALLENGE])
    assert step_up.acr_values == ACR and step_up.max_age == 0
    assert login_command("work", step_up) == f"oauth2 login work -P acr_values={ACR} -P max_age=0"
    assert parse_challenge(401, ['Bearer error="invalid_token"']) is None
    assert parse_challenge(403, [CHALLENGE]) is None


@pytest.mark.parametrize("flags", [(), ("--step-up",)], ids=["plain", "step-up-without-terminal"])
def test_without_a_terminal_exit_7_names_the_login(logged_in, flags):
    before = stored_tokens("su")
    result = run_cli("call", *flags, "-p", "su", logged_in.account)
    assert result.code == 7, result
    assert_no_traceback(result)
    assert result.stdout == ""
    assert f"it wants acr_values {ACR} and a sign-in at most 0 s old (max_age)" in result.stderr
    assert "A different authentication level is required" in result.stderr
    assert f"`oauth2 login su -P acr_values={ACR} -P max_age=0`" in result.stderr
    assert stored_tokens("su") == before  # nothing changed


@pytest.mark.parametrize("how", ["flag", "profile"])
def test_step_up_on_a_terminal_logs_in_again_and_retries_once(logged_in, provider, standin_browser, tmp_path, how):
    if how == "profile":  # step_up = true in the profile does what --step-up does
        path = Path(os.environ["XDG_CONFIG_HOME"]) / "oauth2cli" / "config.toml"
        path.write_text(path.read_text("utf-8") + "step_up = true\n", "utf-8")
    env = {"PATH": path_with(oauth2_bin(tmp_path / "bin"))}
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "HOME", "PYTHONPATH",
                 "PYTHON_KEYRING_BACKEND", "OAUTH2CLI_TEST_KEYRING_FILE", "BROWSER", "STANDIN_LOG"):
        if name in os.environ:
            env[name] = os.environ[name]
    weak = stored_tokens("su").access_token
    with TmuxPane(env=env, width=200, height=50) as pane:
        flag = "--step-up " if how == "flag" else ""
        screen, status = pane.run(f"oauth2 call {flag}-p su {logged_in.account}", timeout=60)
    assert status == 0, screen
    assert '"stepped up"' in screen and "200" in screen
    assert "signed in again for profile 'su'" in screen
    sent = provider.authorizations()[-1]
    assert sent["acr_values"] == ACR and sent["max_age"] == "0"
    assert len(logged_in.seen) == 2 and logged_in.seen[0] == weak and logged_in.seen[1] != weak  # one retry
    assert stored_tokens("su").access_token == logged_in.seen[1]
