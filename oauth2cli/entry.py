"""The `oauth2` program's entry point.

Some calls are made far more often than others: CI runs `oauth2 token PROFILE` before every
step, a shell runs `oauth2` on every TAB. Those are answered here, before click is imported,
by the fast paths in FAST_PATHS: each gets the arguments and the environment and returns an
exit code when it has answered, or None when the call is not exactly its case. Everything
else is read by the lean parser over the option table (cmdline/) and runs the command's
click-free use case (commands/); help, usage errors and any doubt go to the click command tree
(oauth2cli.cli), made from the same table, which calls the same use case. A fast path imports
only what it needs, inside its function.
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


def _plain_token_call(args: list[str], environ: Mapping[str, str]) -> str | None:
    """The profile of `oauth2 token PROFILE` with nothing else that could change the answer."""
    if len(args) != 2 or args[0] != "token" or not args[1] or args[1].startswith("-"):
        return None
    # OAUTH2_* variables are flags in disguise (click reads them as options); the client secret
    # only matters when a token has to be fetched, which the full path does.
    if any(name.startswith("OAUTH2_") and name != "OAUTH2_CLIENT_SECRET" for name in environ):
        return None
    return args[1]


def _token(args: list[str], environ: Mapping[str, str]) -> int | None:
    """`oauth2 token PROFILE` with a fresh stored token: config.toml and one store entry."""
    profile = _plain_token_call(args, environ)
    if profile is None:
        return None
    import time

    from oauth2cli.store import view

    # Stale: one of N racers refreshes on the full path inside the profile's lock, the others
    # print its result from here (store/view.settle).
    hit = view.settle(lambda: view.fresh_token(environ, profile, None, time.time),
                      lambda: view.lean_lock(environ, profile), lambda: _full_path(args))
    if not hit:
        return None
    sys.stdout.write(hit[0] + "\n")
    sys.stdout.flush()
    return 0


def _full_path(args: list[str]) -> None:
    """The click command tree, for a fast path that found it must hand over (it exits)."""
    from oauth2cli.cli import main as cli_main

    cli_main(args)


# Tried in order; the first that answers ends the run. A new fast path is one function and one
# line here (tests/cli/test_startup.py checks that each keeps click out).
FAST_PATHS: tuple[FastPath, ...] = (_completion, _version, _token)


def _fast(args: list[str], environ: Mapping[str, str]) -> int | None:
    for path in FAST_PATHS:
        try:
            code = path(args, environ)
        except KeyboardInterrupt:
            sys.stderr.write("oauth2: interrupted\n")
            return 130
        except BrokenPipeError:
            return 0
        except OSError:
            code = None  # the full path below reports it in its own words
        except Exception as exc:  # noqa: BLE001
            from oauth2cli.core.errors import StoreError

            if isinstance(exc, StoreError):  # e.g. the profile lock not released in time: no second wait
                sys.stderr.write(f"oauth2: error: {exc.message}" + (f"; {exc.hint}" if exc.hint else "") + "\n")
                return 1
            code = None  # anything else: the full path below says what is wrong, in its words
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
