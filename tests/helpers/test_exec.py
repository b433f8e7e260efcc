"""`oauth2 exec -- CMD`: the token in CMD's environment, CMD's status and arguments untouched,
signals reaching CMD, and a bad profile stopping before CMD runs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from tests.helpers.accounts import store
from tests.support.cli import assert_no_traceback, run_cli


def profile(name: str, token: str) -> None:
    from oauth2cli.core.tokens import TokenSet

    assert run_cli("profile", "add", name, "--token-url", "http://127.0.0.1:9/token", "--client-id", "cli").code == 0
    store().save_tokens(name, TokenSet(token, expires_at=time.time() + 3600))


def test_cmd_sees_the_token_and_its_status_comes_back():
    profile("work", "tok-work")
    result = run_cli("exec", "-p", "work", "--", "sh", "-c", 'printf %s "$OAUTH2_ACCESS_TOKEN"; exit 3')
    assert (result.code, result.stdout, result.stderr) == (3, "tok-work", "")


def test_arguments_reach_cmd_unchanged_and_env_names_the_variable():
    profile("work", "tok-work")
    args = ["a b", "", "--flag", "-p", "$HOME", "*", "--", "naïve\ttab"]
    script = "import json, os, sys; print(json.dumps([sys.argv[1:], os.environ.get('GH_TOKEN')]))"
    result = run_cli("exec", "-p", "work", "--env", "GH_TOKEN", "--", sys.executable, "-c", script, *args)
    assert result.code == 0, result
    assert json.loads(result.stdout) == [args, "tok-work"]


def test_without_p_the_default_profile():
    profile("first", "tok-first")
    profile("second", "tok-second")
    assert run_cli("profile", "default", "second").code == 0
    result = run_cli("exec", "--", "sh", "-c", 'printf %s "$OAUTH2_ACCESS_TOKEN"')
    assert (result.code, result.stdout) == (0, "tok-second"), result


def test_stdin_passes_through():
    profile("work", "tok-work")
    result = run_cli("exec", "-p", "work", "--", "cat", input="piped in\n")
    assert (result.code, result.stdout) == (0, "piped in\n")


def test_an_unknown_profile_fails_before_cmd_runs(tmp_path):
    profile("work", "tok-work")
    marker = tmp_path / "ran"
    result = run_cli("exec", "-p", "nope", "--", "touch", str(marker))
    assert (result.code, result.stdout) == (1, "") and not marker.exists()
    assert "unknown profile 'nope'" in result.stderr and len(result.stderr.splitlines()) == 1
    bad_env = run_cli("exec", "-p", "work", "--env", "NOT-A-NAME", "--", "touch", str(marker))
    assert bad_env.code == 1 and not marker.exists() and "not an environment variable name" in bad_env.stderr


def test_a_missing_command_exits_127_in_one_line():
    profile("work", "tok-work")
    result = run_cli("exec", "-p", "work", "--", "no-such-command-anywhere")
    assert result.code == 127 and "command not found: no-such-command-anywhere" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert_no_traceback(result)


def test_sigterm_and_sigint_reach_cmd(tmp_path):
    profile("work", "tok-work")
    script = ("import signal, sys, time\n"
              "signal.signal(signal.SIGTERM, lambda *a: sys.exit(42))\n"
              "signal.signal(signal.SIGINT, lambda *a: sys.exit(43))\n"
              "print('ready', flush=True)\n"
              "time.sleep(60)\n")
    for signum, status in ((signal.SIGTERM, 42), (signal.SIGINT, 43)):
        proc = subprocess.Popen([sys.executable, "-m", "oauth2cli", "exec", "-p", "work", "--", sys.executable, "-c",
                                 script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=dict(os.environ))
        assert proc.stdout.readline() == "ready\n"
        proc.send_signal(signum)
        assert proc.wait(timeout=30) == status
