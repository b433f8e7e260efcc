"""Startup stays light: the heavy libraries load only in the code that needs them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("httpx", "rich", "keyring", "joserfc", "cryptography")

PROBE = """
import json, sys
argv, heavy_names = json.loads(sys.argv[1]), json.loads(sys.argv[2])
import oauth2cli.cli
try:
    oauth2cli.cli.main(argv)
except SystemExit as e:
    pass
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(heavy_names))
sys.stderr.write("HEAVY=" + json.dumps(heavy) + "\\n")
"""


def loaded_after(*argv: str) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(list(argv)), json.dumps(HEAVY)],
        capture_output=True, text=True, timeout=30,
    )
    line = [l for l in proc.stderr.splitlines() if l.startswith("HEAVY=")]
    assert line, proc.stderr
    return json.loads(line[-1][len("HEAVY="):])


def test_importing_the_cli_loads_nothing_heavy():
    proc = subprocess.run(
        [sys.executable, "-c", "import sys, oauth2cli.cli; print(sorted(m for m in sys.modules))"],
        capture_output=True, text=True, check=True,
    )
    loaded = {m.split(".")[0] for m in eval(proc.stdout)}
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["token", "--help"], ["login", "--help"],
                                  ["profile", "--help"], ["call", "--help"]], ids=" ".join)
def test_help_and_version_load_nothing_heavy(argv):
    assert loaded_after(*argv) == []


def test_the_probe_can_see_a_heavy_import():
    # A command that does talk to a server does load httpx: the probe is not blind.
    assert "httpx" in loaded_after("discover", "http://127.0.0.1:9")
