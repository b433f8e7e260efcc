"""A usage error found by a use case reads the same whichever parser read the command line: the
lean path words it as click does (cmdline/usage.py), for every command of the tree."""

from __future__ import annotations

import click
import pytest

from oauth2cli.cmdline.usage import usage_error
from tests.cli.test_lean_parser import PATHS
from tests.support.cli import run_cli


def _clicks(path):
    from oauth2cli.cli.root import cli

    ctx = click.Context(cli, info_name="oauth2")
    command = cli
    for name in path:
        command = command.get_command(ctx, name)
        ctx = click.Context(command, info_name=name, parent=ctx)
    error = click.UsageError("something is wrong", ctx)
    import io

    out = io.StringIO()
    error.show(out)
    return out.getvalue()


@pytest.mark.parametrize("path,command", PATHS, ids=[" ".join(p) for p, _ in PATHS])
def test_the_lean_wording_is_clicks(path, command):
    assert usage_error(path, command, "something is wrong") == _clicks(path)


def test_a_use_case_usage_error_on_either_path(monkeypatch):
    """`discover` with neither ISSUER nor --resource: the use case says so; the lean path (python -m
    oauth2cli) and click's tree (oauth2cli.cli.main) show the same text and exit 2."""
    import subprocess
    import sys

    monkeypatch.delenv("OAUTH2_ISSUER", raising=False)
    lean = run_cli("discover")
    clicks = subprocess.run([sys.executable, "-c", "import oauth2cli.cli as c; c.main(['discover'])"],
                            capture_output=True, text=True, timeout=60)
    expected = ("Usage: oauth2 discover [OPTIONS] [ISSUER]\nTry 'oauth2 discover --help' for help.\n\n"
                "Error: give an ISSUER or --resource URL (one of them)\n")
    assert (lean.code, lean.stdout, lean.stderr) == (2, "", expected)
    assert (clicks.returncode, clicks.stdout, clicks.stderr) == (2, "", expected)
