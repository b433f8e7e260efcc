"""`oauth2 COMMAND github` with no profile yet: made from the preset, the client id asked
for on a terminal, or an error that says what to give when there is none."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.cli import assert_no_traceback, run_cli

pty = pytest.importorskip("pty")


def config_text() -> str:
    return (Path(os.environ["XDG_CONFIG_HOME"]) / "oauth2cli" / "config.toml").read_text()


def run_on_terminal(*args: str, answer: str, timeout: float = 30) -> tuple[int, str]:
    """Run oauth2 with stdin/stdout/stderr on a pseudo-terminal; type `answer` at the prompt."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "oauth2cli", *args], stdin=follower, stdout=follower,
                            stderr=follower, close_fds=True)
    os.close(follower)
    seen = b""
    typed = False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        if not typed and b"Client id" in seen:
            os.write(leader, answer.encode() + b"\n")
            typed = True
        if proc.poll() is not None and not ready:
            break
    os.close(leader)
    return proc.wait(timeout=5), seen.decode(errors="replace")


def test_the_client_id_is_asked_for_on_a_terminal():
    code, screen = run_on_terminal("token", "github", answer="Iv1.0123abcd")
    assert "Client id of your GitHub application: " in screen
    assert "created profile 'github' from the github preset" in screen
    assert code == 7, screen  # no login yet: the profile exists, the token does not
    assert "oauth2 login github" in screen
    text = config_text()
    assert 'preset = "github"' in text and 'client_id = "Iv1.0123abcd"' in text


def test_without_a_terminal_the_client_id_comes_from_the_flag():
    missing = run_cli("token", "google")
    assert missing.code == 1, missing
    assert_no_traceback(missing)
    assert missing.stderr.strip().splitlines() == [
        "oauth2: error: profile 'google' does not exist yet and needs a client id; "
        "give --client-id (or OAUTH2_CLIENT_ID) to create it from the google preset"]

    made = run_cli("token", "microsoft", "--client-id", "0000-1111", env={"OAUTH2_CLIENT_SECRET": "ms-secret"})
    assert made.code == 7, made
    assert "created profile 'microsoft'" in made.stderr
    shown = run_cli("profile", "show", "microsoft")
    assert "tenant = common    [preset default]" in shown.stdout
    assert "client_secret = ********" in shown.stdout
    assert "ms-secret" not in config_text()
