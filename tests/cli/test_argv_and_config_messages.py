"""Messages a person sees before any network: secrets on argv, a broken config.toml."""

from __future__ import annotations

import os
from pathlib import Path

from tests.support.cli import assert_no_traceback, run_cli


def test_a_token_on_the_command_line_gets_a_warning():
    result = run_cli("introspect", "--introspection-url", "http://127.0.0.1:9/introspect", "--client-id", "c",
                     "literal-token-value", "--timeout", "2")
    lines = result.stderr.strip().splitlines()
    assert lines[0] == ("oauth2: warning: the token on the command line is visible to other users of this "
                        "machine; pass - to read it from stdin, or use a variable or a file"), result
    assert result.code == 6  # then the closed port
    assert "literal-token-value" not in result.stderr


def test_a_token_from_stdin_gets_no_warning():
    result = run_cli("introspect", "--introspection-url", "http://127.0.0.1:9/introspect", "--client-id", "c",
                     "-", "--timeout", "2", input="from-stdin\n")
    assert "visible to other users" not in result.stderr and result.code == 6, result


def test_a_broken_config_is_named_even_without_a_profile():
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "oauth2cli" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[profiles.a\n")
    result = run_cli("token")
    assert result.code == 1, result
    assert str(config) in result.stderr and "line 1" in result.stderr, result
    assert len(result.stderr.strip().splitlines()) == 1
    assert config.read_text() == "[profiles.a\n"
    assert_no_traceback(result)
