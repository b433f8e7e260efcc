"""The command tree: every command is registered, documented, and honest about what it does."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support.cli import assert_no_traceback, run_cli

COMMANDS = [
    "authorize", "token", "refresh", "revoke", "introspect", "call", "assertion", "profile",
    "status", "logout", "userinfo", "discover", "decode", "completion", "git-credential", "setup-git",
    "kube-credential", "exec",
]


def test_root_help_lists_every_command_and_the_login_alias():
    result = run_cli("--help")
    assert result.code == 0, result
    listed = result.stdout.split("Commands:")[1]
    for name in COMMANDS:
        assert f"\n  {name} " in listed, f"{name} missing from --help"
    assert "login" in result.stdout.split("Aliases:")[1]


@pytest.mark.parametrize("name", COMMANDS + ["login"])
def test_every_command_has_help(name):
    result = run_cli(name, "--help")
    assert result.code == 0, result
    assert "Usage: oauth2" in result.stdout
    assert "Examples:" in result.stdout and "$ oauth2" in result.stdout, f"{name} --help has no example"


def test_version():
    from oauth2cli import __version__

    result = run_cli("--version")
    assert (result.code, result.stdout) == (0, f"oauth2 {__version__}\n")


def test_python_dash_m_runs_the_same_command():
    proc = subprocess.run([sys.executable, "-m", "oauth2cli", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("oauth2 ")


def test_unknown_grant_is_a_usage_error():
    result = run_cli("token", "--client-id", "x", "--token-url", "http://127.0.0.1:9/t", "--grant", "magic")
    assert result.code == 2, result
    assert "unknown grant 'magic'" in result.stderr
    assert_no_traceback(result)


def test_unknown_command_is_a_usage_error():
    result = run_cli("frobnicate")
    assert result.code == 2
    assert "No such command 'frobnicate'" in result.stderr


def test_missing_client_id_is_one_line_and_exit_1():
    result = run_cli("token", "--token-url", "http://127.0.0.1:9/t", "--grant", "client_credentials")
    assert result.code == 1, result
    assert result.stderr.strip().splitlines() == ["oauth2: error: no client id: give --client-id or set OAUTH2_CLIENT_ID"]
    assert result.stdout == ""


def test_secret_file_that_does_not_exist(tmp_path):
    missing = tmp_path / "nope"
    result = run_cli("token", "--client-id", "x", "--token-url", "http://127.0.0.1:9/t",
                     "--client-secret-file", str(missing))
    assert result.code == 1, result
    assert f"cannot read the client secret file {missing}" in result.stderr
    assert_no_traceback(result)


def test_secret_env_var_not_set():
    result = run_cli("token", "--client-id", "x", "--token-url", "http://127.0.0.1:9/t",
                     "--client-secret-env", "NOT_SET_ANYWHERE")
    assert result.code == 1
    assert "--client-secret-env names NOT_SET_ANYWHERE, which is not set" in result.stderr


def test_the_root_short_help_table_matches_every_command():
    """`oauth2 --help` prints cli.SHORT_HELP without importing the command modules: it must not drift."""
    import click

    from oauth2cli.cli import COMMANDS, SHORT_HELP, cli

    ctx = click.Context(cli)
    assert set(SHORT_HELP) == set(COMMANDS)
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        assert SHORT_HELP[name] == command.get_short_help_str(limit=300), name
