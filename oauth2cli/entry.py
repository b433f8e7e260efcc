"""The `oauth2` program's entry point.

CI scripts call `oauth2 token PROFILE` before every step, often many at once. That exact call
is served here before click is even imported, when the stored token is fresh; everything
else, and any doubt, goes to the click command tree (oauth2cli.cli), which gives the same
answer more slowly.
"""

from __future__ import annotations

import os
import sys


def _plain_token_call(args: list[str]) -> str | None:
    """The profile of `oauth2 token PROFILE` with nothing else that could change the answer."""
    if len(args) != 2 or args[0] != "token" or not args[1] or args[1].startswith("-"):
        return None
    # OAUTH2_* variables are flags in disguise (click reads them as options); the client secret
    # only matters when a token has to be fetched, which the full path does.
    if any(name.startswith("OAUTH2_") and name != "OAUTH2_CLIENT_SECRET" for name in os.environ):
        return None
    return args[1]


def _fast_token(profile: str, args: list[str]) -> bool:
    from oauth2cli.deps import Deps
    from oauth2cli.flows.cached import fresh_stored_token

    deps = Deps()
    hit = fresh_stored_token(deps, profile, None)
    if hit is False:
        # Stale: wait for the profile's lock and look again. When N processes race on an expired
        # token, one refreshes (the full path, inside this same lock: it is re-entrant within a
        # process) and the others print its result from here.
        with deps.store.lock(profile):
            hit = fresh_stored_token(deps, profile, None)
            if not hit:
                from oauth2cli.cli import main as cli_main

                cli_main(args)  # exits
    if not hit:
        return False
    sys.stdout.write(hit[0] + "\n")
    sys.stdout.flush()
    return True


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    if args[:1] in (["git-credential"], ["kube-credential"]):  # git and kubectl call these all day
        from oauth2cli.flows.helper_fast import serve

        if serve(args):
            sys.exit(0)
    profile = _plain_token_call(args)
    if profile is not None:
        try:
            if _fast_token(profile, args):
                sys.exit(0)
        except KeyboardInterrupt:
            sys.stderr.write("oauth2: interrupted\n")
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)
        except OSError:
            pass  # the full path below reports it in its own words
        except Exception as exc:  # noqa: BLE001
            from oauth2cli.core.errors import StoreError

            if isinstance(exc, StoreError):  # e.g. the profile lock not released in time: no second wait
                sys.stderr.write(f"oauth2: error: {exc.message}" + (f"; {exc.hint}" if exc.hint else "") + "\n")
                sys.exit(1)
            # anything else: the full path below says what is wrong, in its words
            pass
    from oauth2cli.cli import main as cli_main

    cli_main(args)
