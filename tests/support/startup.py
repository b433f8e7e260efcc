"""Probes for the start-up tests: run `oauth2`'s entry point in a fresh interpreter and see
what it printed and which modules it loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

LOADED_PROBE = """
import sys
argv = sys.argv[1:]
import oauth2cli.entry
try:
    oauth2cli.entry.main(argv)
except SystemExit as e:
    code = e.code
else:
    code = None
sys.stdout.flush()
modules = sorted(sys.modules)  # before json, which the probe itself needs below
import json
sys.stderr.write("\\nLOADED=" + json.dumps({"code": code, "modules": modules}) + "\\n")
"""
CLICK_PROBE = """
import sys
import oauth2cli.cli
oauth2cli.cli.main(sys.argv[1:])
"""
# What the leanest fast paths must not need (Python's own start-up loads none of them).
LEAN_OUT = ("click", "typing", "pathlib", "tomllib", "tomli", "datetime", "ipaddress", "urllib", "threading", "json",
            "oauth2cli.deps", "oauth2cli.store", "httpx", "rich", "keyring")


def run_entry(*argv: str, env: dict | None = None) -> tuple[str, str, int | None, list[str]]:
    proc = subprocess.run([sys.executable, "-c", LOADED_PROBE, *argv], capture_output=True,
                          text=True, timeout=30, env=env)
    head, _, tail = proc.stderr.rpartition("\nLOADED=")
    assert tail, proc.stderr
    result = json.loads(tail)
    return proc.stdout, head, result["code"], result["modules"]


def run_click(*argv: str, env: dict | None = None) -> tuple[str, str, int]:
    proc = subprocess.run([sys.executable, "-c", CLICK_PROBE, *argv], capture_output=True, text=True,
                          timeout=30, env=env)
    return proc.stdout, proc.stderr, proc.returncode


def lean_violations(modules: list[str]) -> list[str]:
    return sorted(m for m in modules if m in LEAN_OUT or m.split(".")[0] in LEAN_OUT
                  or any(m.startswith(p + ".") for p in LEAN_OUT if "." in p))


def write_config(text: str) -> Path:
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "oauth2cli" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path
