"""The `oauth2` program's entry point.

Some calls are made far more often than others: CI runs `oauth2 token PROFILE` before every
step, a shell runs `oauth2` on every TAB. Those are answered here, before click is imported,
by the fast paths in FAST_PATHS: each gets the arguments and the environment and returns an
exit code when it has answered, or None when the call is not exactly its case. Everything
else, and any doubt, goes to the click command tree (oauth2cli.cli), which gives the same
answer more slowly. A fast path imports only what it needs, inside its function.
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

    from oauth2cli.flows.cached import fresh_token

    hit = fresh_token(environ, profile, None, time.time)
    if hit is False:
        # Stale: wait for the profile's lock and look again. When N processes race on an expired
        # token, one refreshes (the full path, inside this same lock: it is re-entrant within a
        # process) and the others print its result from here. The lock and the look inside it
        # are the lean ones (no store package): the racers wake when the refresher lets go, and
        # take the lock one after another.
        from oauth2cli.flows.cached import state_dir
        from oauth2cli.profile_lock import ProfileLock

        with ProfileLock(state_dir(environ), profile):
            hit = fresh_token(environ, profile, None, time.time)
            if not hit:
                _full_path(args)  # exits
    if not hit:
        return None
    sys.stdout.write(hit[0] + "\n")
    sys.stdout.flush()
    return 0


def _helpers(args: list[str], environ: Mapping[str, str]) -> int | None:
    """`git-credential get` and `kube-credential PROFILE` with a fresh stored token: git and
    kubectl run them on every fetch and every call (flows/helper_fast.py)."""
    if args[:1] not in (["git-credential"], ["kube-credential"]):
        return None
    from oauth2cli.flows.helper_fast import serve

    return 0 if serve(args, _full_path, environ) else None


def _call(args: list[str], environ: Mapping[str, str]) -> int | None:
    """`oauth2 call [-p P] URL`, a GET or HEAD with a fresh stored Bearer token: sent without click
    or httpx, printed as the full path prints it (cli/call_fast.py)."""
    if args[:1] != ["call"]:
        return None
    from oauth2cli.cli.call_fast import serve

    return serve(args, environ, _full_path)


def _ad_hoc_token(args: list[str], environ: Mapping[str, str]) -> int | None:
    """An ad-hoc `oauth2 token` (any grant, as CI runs it): its command line read without click
    (cli/token_fast.py), then commands/token.run, the one use case, on the wire client."""
    if args[:1] != ["token"] or (len(args) > 1 and not args[1].startswith("-")):
        return None  # `oauth2 token PROFILE ...` is a profile's
    from oauth2cli.cli.token_fast import serve

    return serve(args, environ)


def _full_path(args: list[str]) -> None:
    """The click command tree, for a fast path that found it must hand over (it exits)."""
    from oauth2cli.cli import main as cli_main

    cli_main(args)


# Tried in order; the first that answers ends the run. A new fast path is one function and one
# line here (tests/cli/test_startup.py checks that each keeps click out).
FAST_PATHS: tuple[FastPath, ...] = (_completion, _version, _token, _helpers, _call, _ad_hoc_token)


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


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    code = _fast(args, os.environ)
    if code is not None:
        sys.exit(code)
    from oauth2cli.cli import main as cli_main

    cli_main(args)
