"""What a person sees in a real terminal (tmux): help, errors, colour only where it belongs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.tmux import TMUX

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (CI installs it)")
SGR = "\x1b["


def test_help_on_screen(pane):
    screen, status = pane.run("oauth2 --help")
    assert status == 0
    assert "Usage: oauth2 [OPTIONS] COMMAND [ARGS]..." in screen
    assert "Commands:" in screen and "  token " in screen
    assert "$ oauth2 login github" in screen
    assert "Traceback" not in screen


def test_an_error_is_one_line_that_says_what_to_do(pane):
    screen, status = pane.run("oauth2 token --token-url http://127.0.0.1:9/t --grant client_credentials")
    assert status == 1
    assert output_of(screen, "oauth2 token") == "oauth2: error: no client id: give --client-id or set OAUTH2_CLIENT_ID"
    assert "Traceback" not in screen


def test_a_network_error_on_screen(pane):
    screen, status = pane.run("oauth2 discover http://127.0.0.1:9")
    assert status == 6
    assert "oauth2: error: connection refused by 127.0.0.1:9" in screen


def output_of(screen: str, command: str) -> str:
    """The lines a command printed: after the line it was typed on, before run()'s exit-status line."""
    lines = screen.splitlines()
    start = next(i for i, line in enumerate(lines) if command in line) + 1
    end = next(i for i in range(start, len(lines)) if "__done_" in lines[i])
    return "\n".join(lines[start:end])


def test_json_is_coloured_on_a_terminal_only(pane, provider):
    for command, colour in [
        (f"oauth2 discover {provider.issuer}", True),
        (f"oauth2 discover {provider.issuer} | cat", False),
        (f"NO_COLOR=1 oauth2 discover {provider.issuer}", False),
        (f"oauth2 --no-color discover {provider.issuer}", False),
        (f"TERM=dumb oauth2 discover {provider.issuer}", False),
    ]:
        pane.clear()
        screen, status = pane.run(command)
        assert status == 0 and f'"issuer": "{provider.issuer}"' in screen, screen
        output = output_of(pane.capture(escapes=True, scrollback=True), command)
        assert (SGR in output) is colour, f"colour {'missing' if colour else 'unwanted'} for: {command}"


def test_completion_script_from_the_command_works_in_the_pane(pane):
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "oauth2cli" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[profiles.staging]\nissuer = "https://id.example"\n')
    pane.run('eval "$(oauth2 completion bash)"; clear')
    pane.type("oauth2 refresh st")
    pane.keys("Tab")
    pane.wait_for("oauth2 refresh staging")
