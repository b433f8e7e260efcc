"""Benchmark row of issue #27: what `oauth2 mcp URL` adds to each MCP message, and its memory.

The same MCP client (the MCP Python SDK's ClientSession) calls a tool of the same MCP server (the
SDK's, behind OAuth, tests/mcp_bridge/server.py) `runs` times: once through `oauth2 mcp -p P URL`
(stdio, the bridge POSTs each message with the profile's fresh token), once speaking Streamable
HTTP to the server itself with the same token. The row is the median of the bridged calls' times
minus the direct calls' median (goal <= 5 ms on loopback); its note gives the bridge's peak RSS
(GNU time). Needs `pip install -e '.[test]'` (PyPI mcp).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from timing import TIME
from world import OAUTH2, ROOT

NAME = "oauth2 mcp URL: added latency per message"
BASELINE = "the same MCP client over Streamable HTTP"
GOAL_MS = 5.0


def mcp_row(b) -> None:
    from timing import Row

    if not b.wanted(NAME, BASELINE):
        return
    try:
        bridged, direct, rss = measure(b.world, b.runs)
    except Exception as exc:  # a failed set-up is the row's failure, in one line
        while getattr(exc, "exceptions", None):  # an ExceptionGroup of anyio: the first one says it
            exc = exc.exceptions[0]
        reason = [f"{type(exc).__name__}: {line}" for line in str(exc).strip().splitlines()]
        b.add(Row(NAME, BASELINE, GOAL_MS, [], [], error=reason[0] if reason else type(exc).__name__, absolute=True))
        return
    base = statistics.median(direct)
    note = (f"bridged median {statistics.median(bridged) * 1000:.2f} ms, direct {base * 1000:.2f} ms, "
            f"{len(bridged)} calls each; bridge peak RSS {rss / 1e6:.1f} MB" if rss else "")
    b.add(Row(NAME, BASELINE, GOAL_MS, [t - base for t in bridged], [], absolute=True, note=note))


def measure(world, runs: int) -> tuple[list[float], list[float], float | None]:
    import sys

    sys.path.insert(0, str(ROOT))
    import anyio

    from tests.mcp_bridge.server import McpServer

    token: set[str] = set()
    with McpServer(world.provider, any_audience=True) as server:
        cc = world.provider.clients["cc-only"]
        env = dict(world.file_env, OAUTH2_CLIENT_SECRET=cc["client_secret"])
        world.oauth2("profile", "add", "mcpbench", "--issuer", world.provider.issuer, "--client-id", cc["client_id"],
                     "--grant", "client_credentials", "--url", server.url, env=env)
        token.add(world.oauth2("token", "mcpbench", env=world.file_env).strip())
        with tempfile.TemporaryDirectory() as tmp:
            rss_file = Path(tmp) / "rss"
            bridged = anyio.run(_bridged, server.url, dict(world.file_env), runs, rss_file)
            direct = anyio.run(_direct, server.url, next(iter(token)), runs)
            rss = float(rss_file.read_text().split()[-1]) * 1024 if rss_file.exists() and rss_file.read_text() else None
    return bridged, direct, rss


async def _calls(session, runs: int) -> list[float]:
    await session.initialize()
    for _ in range(3):  # warm-ups: imports, first connections
        await session.call_tool("echo", {"text": "warm"})
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await session.call_tool("echo", {"text": "hello"})
        times.append(time.perf_counter() - started)
    return times


async def _bridged(url: str, env: dict[str, str], runs: int, rss_file: Path) -> list[float]:
    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    argv = [OAUTH2, "mcp", "-p", "mcpbench", url]
    if TIME:
        argv = [TIME, "-f", "%M", "-o", str(rss_file), *argv]
    params = StdioServerParameters(command=argv[0], args=argv[1:], env={**os.environ, **env})
    with open(os.devnull, "w") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write):
            async with ClientSession(read, write) as session:
                return await _calls(session, runs)


async def _direct(url: str, token: str, runs: int) -> list[float]:
    import httpx2

    from mcp.client.session import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30) as http:
        async with streamable_http_client(url, http_client=http) as (read, write):
            async with ClientSession(read, write) as session:
                return await _calls(session, runs)
