"""Around a use case, whichever parser read its command line: the run's Deps set up from the root
options, and every failure made one line on stderr with its documented exit code (cli/errors.py
runs click's tree inside the same guard)."""

from __future__ import annotations

import sys

from oauth2cli.core.errors import ExitCode, OAuth2CliError, UsageError, printable

REVEAL_WARNING = "oauth2: warning: --reveal-secrets prints secrets and tokens in the trace"


def say(text: str) -> None:
    try:
        sys.stderr.write(f"oauth2: {text}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def configure(deps, *, verbose: int, reveal_secrets: bool, no_color: bool, store: str | None) -> None:
    """What the root options (`oauth2 -v --no-color --store file ...`) do to the run."""
    deps.verbose = verbose
    deps.reveal_secrets = reveal_secrets
    if no_color:
        deps.color = False
    deps.store_choice = store
    if reveal_secrets:
        deps.stderr.write(REVEAL_WARNING + "\n")


def add_trace(deps, *, verbose: int = 0, reveal_secrets: bool = False) -> None:
    """A command's own -v and --reveal-secrets (cmdline/shared.TRACE) add to the root's."""
    deps.verbose += verbose or 0
    if reveal_secrets and not deps.reveal_secrets:
        deps.reveal_secrets = True
        deps.stderr.write(REVEAL_WARNING + "\n")


def guarded(call, *, debug: bool = False, usage=None) -> int:
    """call()'s exit code; an exception becomes what the user sees: one line, or click's usage text."""
    try:
        return call() or ExitCode.OK
    except KeyboardInterrupt:
        say("interrupted")
        return ExitCode.INTERRUPTED
    except UsageError as exc:
        if usage is None:
            raise
        sys.stderr.write(usage(exc.message))
        return exc.exit_code
    except OAuth2CliError as exc:
        # One line: what went wrong, then what to do about it.
        say(f"error: {exc.message}" + (f"; {exc.hint}" if exc.hint else ""))
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
        say(f"unexpected error: {type(exc).__name__}: {printable(exc, 300)}"
            + ("" if debug else "; run again with --debug for a traceback, and report it"))
        return ExitCode.ERROR


def run_parsed(parsed) -> int:
    """Run the use case of a command line the lean parser read (entry.py), as click's tree would."""
    from oauth2cli.cmdline.spec import use_case
    from oauth2cli.cmdline.usage import usage_error
    from oauth2cli.deps import Deps

    root = parsed.root
    deps = Deps()

    def call() -> int:
        try:
            configure(deps, verbose=root.verbose, reveal_secrets=root.reveal_secrets, no_color=root.no_color,
                      store=root.store)
            add_trace(deps, **parsed.effects)
            return use_case(parsed.command.run)(parsed.options, deps)
        finally:
            deps.close()

    return guarded(call, debug=root.debug, usage=lambda message: usage_error(parsed.path, parsed.command, message))
