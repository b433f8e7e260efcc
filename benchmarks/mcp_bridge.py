"""Benchmark row of issue #27: what `oauth2 mcp URL` adds to each MCP message, and its memory.

Two sessions of the same MCP client (the MCP Python SDK's ClientSession) with the same MCP server
(the SDK's, behind OAuth, tests/support/mcp_server.py) are open at once: one through
`oauth2 mcp -p P URL` (stdio; the bridge POSTs each message with the profile's fresh token), one
speaking Streamable HTTP to the server itself with the same token. Each pair calls the same tool
once on each side, one after the other, every other pair through the bridge first (A B, B A, ...:
benchmarks/timing.py's order, after its warm-up pairs), so whatever else the machine does slows
both alike. The row is the median of the per-pair differences, bridged minus direct (goal <= 5 ms
on loopback); its note gives each side's median and the bridge's peak RSS (GNU time). Needs
`pip install -e '.[test]'` (PyPI mcp).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from timing import TIME, WARM_UPS
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
    differences = [one - other for one, other in zip(bridged, direct)]
    note = (f"median of {len(differences)} per-pair differences; bridged median {statistics.median(bridged) * 1000:.2f} ms, "
            f"direct {statistics.median(direct) * 1000:.2f} ms"
            + (f"; bridge peak RSS {rss / 1e6:.1f} MB" if rss else ""))
    b.add(Row(NAME, BASELINE, GOAL_MS, differences, [], absolute=True, note=note))


def measure(world, runs: int) -> tuple[list[float], list[float], float | None]:
    import sys

    sys.path.insert(0, str(ROOT))
    import anyio

    from tests.support.mcp_server import McpServer

    with McpServer(world.provider, any_audience=True, required_scopes=None) as server:
        cc = world.provider.clients["cc-only"]
        env = dict(world.file_env, OAUTH2_CLIENT_SECRET=cc["client_secret"])
        world.oauth2("profile", "add", "mcpbench", "--issuer", world.provider.issuer, "--client-id", cc["client_id"],
                     "--grant", "client_credentials", "--url", server.url, env=env)
        token = world.oauth2("token", "mcpbench", env=world.file_env).strip()
        with tempfile.TemporaryDirectory() as tmp:
            rss_file = Path(tmp) / "rss"
            bridged, direct = anyio.run(_interleaved, server.url, dict(world.file_env), token, runs, rss_file)
            rss = float(rss_file.read_text().split()[-1]) * 1024 if rss_file.exists() and rss_file.read_text() else None
    return bridged, direct, rss


async def _interleaved(url: str, env: dict[str, str], token: str, runs: int, rss_file: Path) -> tuple[list[float], list[float]]:
    """Both sessions open; `runs` pairs of timed calls after the warm-ups, alternating which side goes first."""
    import httpx2

    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client
    from mcp.client.streamable_http import streamable_http_client

    argv = [OAUTH2, "mcp", "-p", "mcpbench", url]
    if TIME:
        argv = [TIME, "-f", "%M", "-o", str(rss_file), *argv]
    params = StdioServerParameters(command=argv[0], args=argv[1:], env={**os.environ, **env})
    with open(os.devnull, "w") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as through:
            async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30) as http, \
                    streamable_http_client(url, http_client=http) as (read2, write2), \
                    ClientSession(read2, write2) as direct:
                for session in (through, direct):
                    await session.initialize()
                    await session.call_tool("echo", {"text": "warm"})  # the SDK's first call also lists the tools
                bridged: list[float] = []
                plain: list[float] = []
                sides = [(through, bridged), (direct, plain)]
                for i in range(WARM_UPS + runs):
                    for session, times in (sides if i % 2 == 0 else sides[::-1]):  # A B, B A, ...
                        started = time.perf_counter()
                        await session.call_tool("echo", {"text": "hello"})
                        if i >= WARM_UPS:
                            times.append(time.perf_counter() - started)
                return bridged, plain
