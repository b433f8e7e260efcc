"""Issue #28, rows 4 and 20: a mistyped command gets "Did you mean", and an alias keeps its own name
in the usage line (click's tree and the lean parser alike)."""

from __future__ import annotations

import pytest

from tests.support.cli import assert_no_traceback, run_cli


@pytest.mark.parametrize(("typed", "meant"), [("tokn", "'token'"), ("logn", "'login'"), ("refesh", "'refresh'"),
                                              ("profle", "'profile'")])
def test_a_mistyped_command_gets_did_you_mean(typed, meant):
    result = run_cli(typed)
    assert result.code == 2, result
    assert result.stdout == ""
    assert_no_traceback(result)
    error = result.stderr.splitlines()[-1]
    assert error.startswith(f"Error: No such command '{typed}'.") and meant in error, result


def test_a_word_like_no_command_gets_no_guess():
    result = run_cli("zzzz")
    assert result.code == 2
    assert result.stderr.splitlines()[-1] == "Error: No such command 'zzzz'."


def test_login_help_says_login():
    result = run_cli("login", "--help")
    assert result.code == 0
    assert result.stdout.splitlines()[0] == "Usage: oauth2 login [OPTIONS] [PROFILE]"
    assert run_cli("authorize", "--help").stdout.splitlines()[0] == "Usage: oauth2 authorize [OPTIONS] [PROFILE]"


@pytest.mark.parametrize("args", [("login", "a", "b"), ("login", "--bogus")])
def test_a_usage_error_of_login_says_login(args):
    # ("login", "a", "b") is refused by click's tree, --bogus too; both through the real command
    result = run_cli(*args)
    assert result.code == 2, result
    lines = result.stderr.splitlines()
    assert lines[0] == "Usage: oauth2 login [OPTIONS] [PROFILE]"
    assert lines[1] == "Try 'oauth2 login --help' for help."


def test_a_use_case_usage_error_of_login_says_login():
    # read by the lean parser, refused by the use case: the usage line is the lean parser's
    result = run_cli("login", "--pkce", "S256", "--no-pkce")
    assert result.code == 2, result
    assert result.stderr.splitlines() == ["Usage: oauth2 login [OPTIONS] [PROFILE]",
                                          "Try 'oauth2 login --help' for help.", "",
                                          "Error: --pkce and --no-pkce exclude each other"]
