"""`oauth2 mcp URL` driven by a real MCP client (the MCP Python SDK's stdio client spawns it) against an
MCP server of the same SDK behind OAuth, whose tokens the real oidc-provider issues and introspects:
zero set-up with the question asked in the browser, initialize, tools/list, tools/call, a request
from the server mid-call, a notification, a 401 mid-session (one refresh), end of stdin (DELETE),
and stdout checked line by line to carry nothing but JSON-RPC."""

from __future__ import annotations

import json
import os
from pathlib import Path

import anyio
import pytest

pytest.importorskip("mcp", reason="the MCP Python SDK (PyPI mcp) drives these tests")

from mcp import types  # noqa: E402
from mcp.client.session import ClientSession  # noqa: E402
from mcp.client.stdio import stdio_client  # noqa: E402

from tests.login.conftest import stored_tokens  # noqa: E402
from tests.mcp_bridge.support import (PROFILE, bridge_command, exit_code, initialize, json_rpc_lines, log_in,  # noqa: E402
                                      raw_session, run_bridge)
from tests.support.mcp_server import McpServer  # noqa: E402


@pytest.fixture
def server(provider):
    with McpServer(provider) as running:
        yield running


async def session_run(server: McpServer, tmp_path: Path, between=None, *args: str) -> dict:
    """initialize, tools/list, tools/call echo, tools/call ask (a question asked back, a log
    notification), `between()`, tools/call echo once more; then end of stdin."""
    seen: dict = {"logs": [], "questions": []}

    async def on_elicit(context, params: types.ElicitRequestParams):
        seen["questions"].append(params.message)
        return types.ElicitResult(action="accept", content={"text": "Ada"})

    async def on_log(params: types.LoggingMessageNotificationParams) -> None:
        seen["logs"].append(params.data)

    with open(tmp_path / "stderr.txt", "w") as errlog:
        async with stdio_client(bridge_command(server.url, tmp_path, *args), errlog=errlog) as (read, write):
            async with ClientSession(read, write, elicitation_callback=on_elicit, logging_callback=on_log) as session:
                with anyio.fail_after(120):
                    seen["init"] = await session.initialize()
                    seen["tools"] = sorted(t.name for t in (await session.list_tools()).tools)
                    seen["echo"] = (await session.call_tool("echo", {"text": "hello"})).content[0].text
                    seen["ask"] = (await session.call_tool("ask", {"question": "Your name?"})).content[0].text
                    if between is not None:
                        between()
                    seen["again"] = (await session.call_tool("echo", {"text": "again"})).content[0].text
    seen["code"] = exit_code(tmp_path)
    seen["stderr"] = (tmp_path / "stderr.txt").read_text()
    return seen


def test_first_use_asks_in_the_browser_logs_in_once_and_bridges_a_session(provider, standin_browser, server,
                                                                          tmp_path, monkeypatch):
    monkeypatch.setenv("STANDIN_PROVIDER", provider.issuer)  # the first page is ours, then the provider's
    expired = []
    seen = anyio.run(session_run, server, tmp_path, lambda: expired.append(server.expire_current()))

    assert seen["code"] == 0, seen["stderr"]
    assert seen["init"].server_info.name == "oauth2cli-test"
    assert seen["tools"] == ["ask", "changed", "echo", "slow"]
    assert seen["echo"] == "hello" and seen["again"] == "again"
    assert seen["ask"] == "accept: Ada" and seen["questions"] == ["Your name?"]  # a request from the server mid-call
    assert seen["logs"] == ["asking: Your name?"]  # a notification
    # stdout: nothing but JSON-RPC, one message a line
    messages = json_rpc_lines(tmp_path)
    assert any(m.get("method") == "elicitation/create" for m in messages)
    assert any(m.get("method") == "notifications/message" for m in messages)
    stderr = seen["stderr"]
    assert "Traceback" not in stderr
    assert "Logged in to 127.0.0.1 as alice" in stderr

    # the question came first, in the browser, naming the resource and the server; then the sign-in, same tab
    visits = standin_browser.visits()
    assert f"oauth2: {server.url} wants a login at " in stderr
    assert len(visits) == 1 and "/callback?code=" in visits[0]["url"], visits  # one browser, one tab, to the end
    assert len(provider.authorizations()) >= 1
    sent = provider.authorizations()[-1]
    assert sent["resource"] == server.url and sent["code_challenge_method"] == "S256"

    # at the server: every request with a token and the right Accept; the session id after initialize;
    # the 401 of the expired token refreshed once and the message sent again; DELETE at the end
    posts = [r for r in server.requests if r["path"] == "/mcp" and r["authorization"]]  # after zero set-up's probe
    assert posts[0]["method"] == "POST" and posts[0]["session"] is None
    session = next(r["session"] for r in posts if r["session"])
    later = [r for r in posts if r["method"] != "POST" or r["session"]]
    assert all(r["session"] == session for r in later[1:])
    assert all(r["accept"] == "application/json, text/event-stream" for r in posts if r["method"] == "POST")
    assert any(r["method"] == "GET" and r["session"] == session for r in posts)  # the server's own stream
    assert posts[-1]["method"] == "DELETE" and posts[-1]["session"] == session
    assert all(r["version"] for r in posts[2:])
    refused = [i for i, r in enumerate(posts) if r["authorization"] == f"Bearer {expired[0]}" and i > 0]
    retried = posts[refused[-1] + 1]
    assert retried["method"] == "POST" and retried["authorization"] not in ("", f"Bearer {expired[0]}")
    assert stored_tokens("127.0.0.1").access_token == retried["authorization"][7:]

    # a second run: no question, no login, no registration
    logins = len(provider.authorizations())
    again = anyio.run(session_run, server, tmp_path)
    assert again["code"] == 0 and again["echo"] == "hello", again["stderr"]
    assert len(provider.authorizations()) == logins and "wants a login" not in again["stderr"]


def test_a_logged_in_profile_bridges_raw_json_rpc_in_order(provider, standin_browser, server):
    log_in(server.url, provider)
    proc = run_bridge(server.url, raw_session("2025-06-18"), "-p", PROFILE, tail="not json\n")
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    answers = [m for m in out if m.get("id") is not None]
    assert [m["id"] for m in answers] == [1, 2, 3]  # each request's answer, in order (the parse error may come between)
    assert answers[0]["result"]["protocolVersion"] == "2025-06-18"
    assert answers[2]["result"]["content"][0]["text"] == "x"
    assert [m["error"]["code"] for m in out if m.get("id") is None] == [-32700]
    assert proc.stderr.decode().splitlines() == ["oauth2: warning: a line on stdin is not JSON; answered with a parse error"]
    assert [r["method"] for r in server.requests if r["path"] == "/mcp"][-1] == "DELETE"


def test_cancel_on_the_question_page_saves_nothing_and_sends_nothing(provider, standin_browser, server, monkeypatch):
    monkeypatch.setenv("STANDIN_PROVIDER", provider.issuer)
    standin_browser.configure(action="deny")
    logins = len(provider.authorizations())
    proc = run_bridge(server.url, [initialize()])
    assert proc.returncode == 7, proc
    assert_answered_with_the_reason(proc)
    assert proc.stderr.decode().splitlines()[-1] == (
        f"oauth2: error: the login at {provider.issuer} was cancelled in the browser; nothing was saved; "
        "restart the MCP client to be asked again")
    assert len(provider.authorizations()) == logins
    assert not (Path(os.environ["XDG_CONFIG_HOME"]) / "oauth2cli" / "config.toml").exists()


def assert_answered_with_the_reason(proc) -> None:
    """stdout is the protocol even when the login cannot happen: one JSON-RPC error answers the
    client's initialize (id 1) with the line stderr ends with."""
    (answer,) = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert answer["id"] == 1 and answer["error"]["code"] == -32000
    assert answer["error"]["message"].startswith("oauth2 mcp: ")
    assert answer["error"]["message"][len("oauth2 mcp: "):] in proc.stderr.decode()


@pytest.mark.parametrize("why", ["CI", "no browser"])
def test_no_one_to_ask_exits_7_naming_the_login_to_run_and_saves_nothing(provider, server, monkeypatch, why):
    """A sign-in server on another site, and no browser to ask in (CI=true, or none can open here):
    one line on stderr with the command to run at a terminal, on stdout only the JSON-RPC error
    that answers `initialize`, nothing saved."""
    env = {"CI": "true"} if why == "CI" else {}  # the isolate fixture leaves no $BROWSER, no $DISPLAY
    logins = len(provider.authorizations())
    proc = run_bridge(server.url, [initialize()], env=env)
    assert proc.returncode == 7, proc
    assert_answered_with_the_reason(proc)
    stderr = proc.stderr.decode().splitlines()
    assert len(stderr) == 1, stderr
    reason = "and CI is set" if why == "CI" else "and no browser can be opened here to ask you"
    assert stderr[0] == (f"oauth2: error: {server.url} wants a login at {provider.issuer}/, {reason}; "
                         f"run `oauth2 login --resource {server.url}` at a terminal first")
    assert len(provider.authorizations()) == logins  # nothing asked of the sign-in server
    assert [r["authorization"] for r in server.requests] == [None] * len(server.requests)  # only the tokenless initialize
    assert not (Path(os.environ["XDG_CONFIG_HOME"]) / "oauth2cli" / "config.toml").exists()
    assert not Path(os.environ["OAUTH2CLI_TEST_KEYRING_FILE"]).exists()
