"""Running the command tree: every failure becomes one line on stderr and a documented exit code."""

from __future__ import annotations

import sys

import click

from oauth2cli.core.errors import ExitCode, OAuth2CliError, printable


def _say(text: str) -> None:
    try:
        sys.stderr.write(f"oauth2: {text}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def run(command: click.Command, argv: list[str] | None, *, debug: bool = False) -> int:
    debug = debug or "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        command.main(args=argv, prog_name="oauth2", standalone_mode=False)
        return ExitCode.OK
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        _say("interrupted")
        return ExitCode.INTERRUPTED
    except KeyboardInterrupt:
        _say("interrupted")
        return ExitCode.INTERRUPTED
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except OAuth2CliError as exc:
        # One line: what went wrong, then what to do about it.
        _say(f"error: {exc.message}" + (f"; {exc.hint}" if exc.hint else ""))
        if debug:
            import traceback

            traceback.print_exc()
        return exc.exit_code
    except BrokenPipeError:
        # `oauth2 ... | head`: the reader went away; nothing left to say.
        try:
            sys.stdout = None  # type: ignore[assignment]
        except Exception:
            pass
        return ExitCode.OK
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if debug:
            import traceback

            traceback.print_exc()
        _say(
            f"unexpected error: {type(exc).__name__}: {printable(exc, 300)}"
            + ("" if debug else "; run again with --debug for a traceback, and report it")
        )
        return ExitCode.ERROR
