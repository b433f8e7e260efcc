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
# Runs `oauth2 ARGS` through the entry point (fast paths first) or straight into click, and
# reports on stderr, after the run, which of click, httpx and rich it imported.
MODES_PROBE = """
import sys
mode, argv = sys.argv[1], sys.argv[2:]
code = 0
try:
    if mode == "entry":
        import oauth2cli.entry
        oauth2cli.entry.main(argv)
    else:
        import oauth2cli.cli
        oauth2cli.cli.main(argv)
except SystemExit as e:
    code = e.code
sys.stdout.flush()
loaded = [m for m in ("click", "httpx", "rich") if m in sys.modules]
sys.stderr.write("\\nLOADED=" + ",".join(loaded) + "\\n")
sys.exit(code)
"""


def run_mode(mode: str, *args: str, env: dict | None = None, text: bool = False, stdout=None):
    """(exit code, stdout, stderr, heavy modules loaded) of `oauth2 ARGS`, mode "entry" or "click"."""
    proc = subprocess.run([sys.executable, "-c", MODES_PROBE, mode, *args], stdout=stdout or subprocess.PIPE,
                          stderr=subprocess.PIPE, env=env, timeout=60)
    head, _, loaded = proc.stderr.decode("utf-8", "replace").rpartition("\nLOADED=")
    assert "Traceback" not in head, head
    out = proc.stdout.decode("utf-8", "replace") if text and proc.stdout is not None else proc.stdout
    return proc.returncode, out, head, [m for m in loaded.strip().split(",") if m]


# What the leanest command lines (a cached token, a helper's fresh token) must not need; Python's own
# start-up loads none of them. (oauth2cli.deps, the run's Deps, is the one pipeline's and loads no typing.)
LEAN_OUT = ("click", "typing", "pathlib", "tomllib", "tomli", "datetime", "ipaddress", "urllib", "threading", "json",
            "httpx", "rich", "keyring")
# Of the store package, the lean view of a profile is all they may load (store/view.py and what it reads
# with); the Store, config.py, paths.py, the secret stores are the full path's.
STORE_LEAN = ("oauth2cli.store", "oauth2cli.store.view", "oauth2cli.store.documents", "oauth2cli.store.xdg", "oauth2cli.store.memo",
              "oauth2cli.store.presets", "oauth2cli.store.lock")


def store_violations(modules) -> list[str]:
    """The modules of the store package loaded beyond its lean view."""
    return sorted(m for m in modules if (m == "oauth2cli.store" or m.startswith("oauth2cli.store.")) and m not in STORE_LEAN)


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
    return sorted([m for m in modules if m in LEAN_OUT or m.split(".")[0] in LEAN_OUT
                   or any(m.startswith(p + ".") for p in LEAN_OUT if "." in p)] + store_violations(modules))


def write_config(text: str) -> Path:
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "oauth2cli" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path
