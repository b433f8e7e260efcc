"""Running the click command tree: every failure becomes one line on stderr and a documented exit
code, in the same guard as the lean path's (cmdline/running.py)."""

from __future__ import annotations

import sys

import click

from oauth2cli.cmdline.running import guarded, say
from oauth2cli.core.errors import ExitCode


def run(command: click.Command, argv: list[str] | None, *, debug: bool = False) -> int:
    debug = debug or "--debug" in (argv if argv is not None else sys.argv[1:])

    def main() -> int:
        try:
            command.main(args=argv, prog_name="oauth2", standalone_mode=False)
            return ExitCode.OK
        except click.exceptions.Exit as exc:
            return exc.exit_code
        except click.exceptions.Abort:
            say("interrupted")
            return ExitCode.INTERRUPTED
        except click.ClickException as exc:
            exc.show()
            return exc.exit_code

    return guarded(main, debug=debug)
