"""`oauth2 mcp URL` and the server's event streams (MCP Streamable HTTP transport): a message the
server sends on its own GET stream reaches the client; a server that offers no such stream (405)
is bridged all the same, silently; a stream that breaks off half-way through the answer is resumed
with `Last-Event-ID`, and the client gets every message once. The MCP Python SDK on both sides, a
profile logged in at the real oidc-provider."""

from __future__ import annotations

import json
from pathlib import Path

import anyio
import pytest

pytest.importorskip("mcp", reason="the MCP Python SDK (PyPI mcp) drives these tests")

from mcp import types  # noqa: E402
from mcp.client.session import ClientSession  # noqa: E402
from mcp.client.stdio import stdio_client  # noqa: E402

from tests.mcp_bridge.support import PROFILE, bridge_command, exit_code, json_rpc_lines, log_in, raw_session, run_bridge  # noqa: E402
from tests.support.mcp_server import Events, McpServer  # noqa: E402


def mcp_requests(server: McpServer) -> list[dict]:
    return [r for r in server.requests if r["path"] == "/mcp"]


async def bridged(server: McpServer, tmp_path: Path, steps) -> str:
    """Start the bridge for the logged-in profile, initialize, run `steps(session)`, end stdin; its stderr."""
    with open(tmp_path / "stderr.txt", "w") as errlog:
        async with stdio_client(bridge_command(server.url, tmp_path, "-p", PROFILE), errlog=errlog) as (read, write):
            async with ClientSession(read, write, message_handler=steps.on_message) as session:
                with anyio.fail_after(60):
                    await session.initialize()
                    await steps(session)
    return (tmp_path / "stderr.txt").read_text()


def test_a_message_the_server_sends_on_its_own_stream_reaches_the_client(provider, standin_browser, tmp_path):
    with McpServer(provider) as server:
        log_in(server.url, provider)
        seen: dict = {"notes": []}

        class Steps:
            changed = anyio.Event()

            async def on_message(self, message) -> None:
                if isinstance(message, types.ResourceListChangedNotification):
                    seen["notes"].append(message)
                    self.changed.set()

            async def __call__(self, session) -> None:
                seen["told"] = (await session.call_tool("changed", {})).content[0].text
                await self.changed.wait()

        stderr = anyio.run(bridged, server, tmp_path, Steps())

    assert exit_code(tmp_path) == 0 and stderr == "", stderr
    assert seen["told"] == "told" and len(seen["notes"]) == 1
    # at the server: it went out on the GET stream the bridge opened after initialize, on no POST's answer
    requests = mcp_requests(server)
    (get,) = [r for r in requests if r["method"] == "GET"]
    assert get["status"] == 200 and get["session"] and get["last_event_id"] is None
    assert get["accept"] == "text/event-stream" and get["authorization"].startswith("Bearer ")
    assert b'"method":"notifications/resources/list_changed"' in get["sent"]
    assert not any(b"list_changed" in r["sent"] for r in requests if r["method"] == "POST")
    # stdout: the notification once, among nothing but JSON-RPC
    methods = [m.get("method") for m in json_rpc_lines(tmp_path)]
    assert methods.count("notifications/resources/list_changed") == 1


def test_a_server_without_a_stream_of_its_own_405_is_bridged_silently(provider, standin_browser):
    with McpServer(provider, json_response=True, get_stream=False) as server:
        log_in(server.url, provider)
        proc = run_bridge(server.url, raw_session(), "-p", PROFILE)
    assert proc.returncode == 0 and proc.stderr == b"", proc
    out = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [m["id"] for m in out] == [1, 2, 3]
    assert out[2]["result"]["content"][0]["text"] == "x"
    # one GET, refused with 405, not tried again; the session went on and ended with DELETE
    methods = [(r["method"], r["status"]) for r in mcp_requests(server)]
    assert methods.count(("GET", 405)) == 1 and [m for m, _ in methods].count("GET") == 1
    assert methods[-1] == ("DELETE", 200)


def test_an_answer_cut_off_half_way_is_resumed_with_last_event_id_and_arrives_once(provider, standin_browser, tmp_path):
    events = Events()
    with McpServer(provider, event_store=events, cut="slow") as server:
        log_in(server.url, provider)
        seen: dict = {"progress": []}

        class Steps:
            async def on_message(self, message) -> None:
                pass

            async def __call__(self, session) -> None:
                async def on_progress(progress, total, message) -> None:
                    seen["progress"].append((progress, total, message))

                seen["slow"] = (await session.call_tool("slow", {}, progress_callback=on_progress)).content[0].text
                seen["echo"] = (await session.call_tool("echo", {"text": "after"})).content[0].text

        stderr = anyio.run(bridged, server, tmp_path, Steps())

    assert exit_code(tmp_path) == 0 and stderr == "", stderr
    assert seen["slow"] == "done" and seen["echo"] == "after"
    assert seen["progress"] == [(1, 2, "half-way")]
    # the connection was cut inside the answer's event, after its id line: that id was never dispatched
    (cut,) = server.cuts
    assert cut.startswith(b"id: ") and b"\r\n\r\n" not in cut and b'"done"' not in cut
    # the bridge came back with a GET naming the last event it did get (the progress), once
    requests = mcp_requests(server)
    resumed = [r for r in requests if r["last_event_id"] is not None]
    assert len(resumed) == 1, resumed
    assert resumed[0]["method"] == "GET" and resumed[0]["last_event_id"] == events.id_of("notifications/progress")
    assert resumed[0]["status"] == 200 and b'"done"' in resumed[0]["sent"]
    assert resumed[0]["session"] == requests[-1]["session"] and resumed[0]["authorization"].startswith("Bearer ")
    # stdout: each message once
    messages = json_rpc_lines(tmp_path)
    answers = [m["id"] for m in messages if "result" in m or "error" in m]
    assert len(answers) == len(set(answers)) >= 3  # initialize, slow, echo (and the SDK's own tools/list)
    assert [m.get("method") for m in messages].count("notifications/progress") == 1
    assert sum(1 for m in messages if "result" in m and m["result"].get("content", [{}])[0].get("text") == "done") == 1
