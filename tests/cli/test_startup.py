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


def test_a_cached_token_loads_nothing_heavy(monkeypatch, tmp_path):
    """`oauth2 token PROFILE` with a fresh stored token: no HTTP, JOSE or drawing library is needed."""
    import os
    import time

    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.deps import Deps

    monkeypatch.setenv("OAUTH2CLI_STORE", "file")
    config = tmp_path / "isolated" / "config" / "oauth2cli" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[profiles.work]\nclient_id = "cli"\nissuer = "https://id.example.com"\n')
    Deps(environ=dict(os.environ)).store.save_tokens("work", TokenSet("cached-token", expires_at=time.time() + 3600))
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(["token", "work"]), json.dumps(HEAVY)],
        capture_output=True, text=True, timeout=30,
    )
    assert proc.stdout == "cached-token\n", proc.stderr
    heavy = json.loads([l for l in proc.stderr.splitlines() if l.startswith("HEAVY=")][-1][len("HEAVY="):])
    assert heavy == [], heavy


def test_root_help_imports_no_command_module():
    proc = subprocess.run(
        [sys.executable, "-c", "import sys, oauth2cli.cli as c\ntry:\n    c.main(['--help'])\nexcept SystemExit:\n    pass\n"
         "sys.stderr.write('MODS=' + ' '.join(sorted(m for m in sys.modules if m.startswith('oauth2cli.'))))"],
        capture_output=True, text=True, timeout=30,
    )
    assert "Commands:" in proc.stdout
    loaded = proc.stderr.split("MODS=")[-1].split()
    commands = [m for m in loaded if m.split(".")[-1] in ("token", "authorize", "call", "profile", "status")]
    assert commands == [], loaded


ENTRY_PROBE = """
import json, sys
argv = json.loads(sys.argv[1])
import oauth2cli.entry
try:
    oauth2cli.entry.main(argv)
except SystemExit:
    pass
sys.stderr.write("CLICK=" + str("click" in sys.modules) + "\\n")
"""


def _cached_profile(monkeypatch, tmp_path, expires_in=3600):
    import os
    import time

    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.deps import Deps

    monkeypatch.setenv("OAUTH2CLI_STORE", "file")
    config = tmp_path / "isolated" / "config" / "oauth2cli" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[profiles.work]\nclient_id = "cli"\ntoken_url = "http://127.0.0.1:9/token"\n')
    Deps(environ=dict(os.environ)).store.save_tokens("work", TokenSet("cached-token", expires_at=time.time() + expires_in))


def _entry(*argv):
    proc = subprocess.run([sys.executable, "-c", ENTRY_PROBE, json.dumps(list(argv))],
                          capture_output=True, text=True, timeout=30)
    return proc.stdout, proc.stderr


def test_oauth2_token_profile_is_served_before_click_loads(monkeypatch, tmp_path):
    _cached_profile(monkeypatch, tmp_path)
    stdout, stderr = _entry("token", "work")
    assert stdout == "cached-token\n" and "CLICK=False" in stderr, stderr


@pytest.mark.parametrize("argv,env", [
    (["token", "work", "--output", "header"], {}),
    (["token", "work"], {"OAUTH2_SCOPE": "other"}),  # an OAUTH2_* variable is a flag in disguise
    (["--store", "file", "token", "work"], {}),
], ids=["an-option", "an-env-flag", "a-root-option"])
def test_anything_more_goes_through_click(monkeypatch, tmp_path, argv, env):
    _cached_profile(monkeypatch, tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    stdout, stderr = _entry(*argv)
    assert "CLICK=True" in stderr
    assert "cached-token" in stdout, stderr


def test_a_stale_token_goes_to_the_full_path_and_its_error(monkeypatch, tmp_path):
    # Expired, no refresh token: the full path says what to do, in its own words.
    _cached_profile(monkeypatch, tmp_path, expires_in=-10)
    stdout, stderr = _entry("token", "work")
    assert stdout == "" and "CLICK=True" in stderr
    assert "oauth2 login work" in stderr
