"""The `oauth2` command: its table of commands (from the option table, without click), so that
TAB completion (cli/tab.py) and the root help can read it cheaply; the click group is in
cli/root.py, made from the same table, and every command module loads on demand."""

from __future__ import annotations

import os
import sys

from oauth2cli.cmdline import tree as _tree

# The command table is the option table's (cmdline/tree.py): name -> (where its entry is, its short help).
COMMANDS = _tree.COMMANDS
ALIASES = _tree.ALIASES
SHORT_HELP = {name: short for name, (_, short) in COMMANDS.items()}


def __getattr__(name: str):
    # `from oauth2cli.cli import cli` loads click and the group only when asked for.
    if name == "cli":
        from oauth2cli.cli.root import cli

        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(argv: list[str] | None = None) -> None:
    from oauth2cli.cli.errors import run
    from oauth2cli.cli.root import cli

    sys.exit(run(cli, argv, debug=os.environ.get("OAUTH2CLI_DEBUG", "") not in ("", "0")))
