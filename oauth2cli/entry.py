"""The `oauth2` program's entry point.

One pipeline: argv is read by the lean parser over the option table (cmdline/), and the
command's click-free use case runs (commands/); help, usage errors and any doubt go to the
click command tree (oauth2cli.cli), made from the same table, which calls the same use case.
Before it, FAST_PATHS answer the two calls that are not a command: `--version` alone, and a
TAB (cli/tab.py, which reads the same table); each returns an exit code when it has answered,
or None.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    FastPath = Callable[[list[str], Mapping[str, str]], "int | None"]


def _version(args: list[str], environ: Mapping[str, str]) -> int | None:
    """`oauth2 --version` (or -V) alone: click's version_option prints the same line."""
    if args not in (["--version"], ["-V"]):
        return None
    from oauth2cli import __version__

    sys.stdout.write(f"oauth2 {__version__}\n")
    sys.stdout.flush()
    return 0


def _completion(args: list[str], environ: Mapping[str, str]) -> int | None:
    """A TAB on a command name or a profile name (cli/tab.py); click answers the rest."""
    if "_OAUTH2_COMPLETE" not in environ:
        return None
    from oauth2cli.cli import tab

    return tab.main(args, environ)


# Tried in order; the first that answers ends the run (tests/cli/test_startup.py checks that each
# keeps click out). A command is never one of them: it is the option table's and its use case's.
FAST_PATHS: tuple[FastPath, ...] = (_completion, _version)


def _fast(args: list[str], environ: Mapping[str, str]) -> int | None:
    for path in FAST_PATHS:
        try:
            code = path(args, environ)
        except KeyboardInterrupt:
            sys.stderr.write("oauth2: interrupted\n")
            return 130
        except BrokenPipeError:
            return 0
        except Exception:  # noqa: BLE001 - click's tree answers it, and says what is wrong in its words
            code = None
        if code is not None:
            return code
    return None


def _lean(args: list[str], environ: Mapping[str, str]) -> int | None:
    """Every other command line the lean parser reads exactly (cmdline/parse.py), for a command whose
    use case is click-free (commands/): the same options object and the same run(opts, deps) as
    click's tree would call, without click. None: click reads it (help, a usage error, a doubt)."""
    from oauth2cli.cmdline.parse import parse

    parsed = parse(args, environ)
    if parsed is None or parsed.command.run is None:
        return None
    from oauth2cli.cmdline.running import run_parsed

    return run_parsed(parsed)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    code = _fast(args, os.environ)
    if code is None:
        code = _lean(args, os.environ)
    if code is not None:
        sys.exit(code)
    from oauth2cli.cli import main as cli_main

    cli_main(args)
