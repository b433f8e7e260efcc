"""What the tests of `oauth2 mcp` share: the bridge started as a desktop MCP client starts it (its
stdout also kept in a file), that file read back as JSON-RPC, and a profile logged in for a server."""

from __future__ import annotations

import json
import os
import shlex
import sys
from pathlib import Path

from mcp.client.stdio import StdioServerParameters

from tests.login.conftest import write_profile
from tests.support.cli import run_cli

NO_CI = {"CI": ""}
PROFILE = "mcp"


def bridge_command(url: str, tmp_path: Path, *args: str) -> StdioServerParameters:
    """`oauth2 mcp URL` as a desktop client starts it, its stdout also copied to a file (tee)."""
    out = tmp_path / "stdout.jsonl"
    command = f"{shlex.quote(sys.executable)} -m oauth2cli mcp {' '.join(map(shlex.quote, args))} {shlex.quote(url)}"
    script = f"set -o pipefail; {command} | tee {shlex.quote(str(out))}; echo $? > {shlex.quote(str(tmp_path / 'code'))}"
    return StdioServerParameters(command="bash", args=["-c", script], env={**os.environ, **NO_CI})


def json_rpc_lines(tmp_path: Path) -> list[dict]:
    """Every line of the bridge's stdout, each one JSON-RPC 2.0 message."""
    lines = (tmp_path / "stdout.jsonl").read_bytes().split(b"\n")
    assert lines[-1] == b""  # each message ends its line
    messages = [json.loads(line) for line in lines[:-1]]
    for message in messages:
        assert isinstance(message, dict) and message["jsonrpc"] == "2.0", message
        assert "method" in message or "result" in message or "error" in message, message
    return messages


def exit_code(tmp_path: Path) -> int:
    """The bridge's exit code, once the SDK has closed its stdin and the shell has written it."""
    import time

    code = tmp_path / "code"
    for _ in range(100):
        if code.exists() and code.read_text().strip():
            break
        time.sleep(0.05)
    return int(code.read_text())


def log_in(url: str, provider) -> None:
    """Profile PROFILE, for the MCP server at `url`, logged in through the (stand-in) browser."""
    write_profile(PROFILE, issuer=provider.issuer, client_id="public-pkce", scope="openid api:read",
                  resources=[url], urls=[url])
    login = run_cli("login", PROFILE)
    assert login.code == 0, login


def initialize(version: str = "2025-11-25") -> dict:
    return {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}}


def raw_session(version: str = "2025-11-25") -> list[dict]:
    """initialize, notifications/initialized, tools/list (id 2), tools/call echo "x" (id 3)."""
    return [initialize(version), {"jsonrpc": "2.0", "method": "notifications/initialized"},
            {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
            {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "echo", "arguments": {"text": "x"}}}]


def run_bridge(url: str, messages: list[dict], *args: str, tail: str = "", env: dict | None = None):
    """`oauth2 mcp [ARGS] URL` with the messages (then `tail`) on stdin, to the end: the finished process."""
    import subprocess

    text = "".join(json.dumps(m) + "\n" for m in messages) + tail
    return subprocess.run([sys.executable, "-m", "oauth2cli", "mcp", *args, url], input=text.encode(),
                          capture_output=True, timeout=60, env={**os.environ, **NO_CI, **(env or {})})
