"""`oauth2 exec -- CMD`: run a program with a valid access token in its environment.

On POSIX the program replaces this process (execvp): its exit status is the status, signals
(SIGINT, SIGTERM, ...) reach it directly, and stdin, stdout and stderr are its own. Elsewhere
it runs as a child whose status is passed through and to which Ctrl-C and SIGTERM are sent on.
"""

from __future__ import annotations

import os
import sys

from oauth2cli.core.errors import ConfigError, ExitCode, OAuth2CliError, printable

TYPE_CHECKING = False  # a fresh stored token is handed over without typing, subprocess or the settings
if TYPE_CHECKING:
    from oauth2cli.deps import Deps
    from oauth2cli.flows.helpers.helper import HelperChoices

DEFAULT_ENV = "OAUTH2_ACCESS_TOKEN"
NOT_FOUND, NOT_EXECUTABLE = 127, 126  # the shell's (and env(1)'s) statuses for a command that cannot run


class CommandNotRun(OAuth2CliError):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.exit_code = code  # type: ignore[assignment]


# Variables a dynamic loader, a shell or a language runtime reads to decide what code runs: a
# token there is run, or printed by the loader (LD_PRELOAD=TOKEN names a library it cannot load).
RUN_BY = ("LD_", "DYLD_", "PYTHON", "BASH_FUNC_", "PERL", "RUBY", "NODE_", "JAVA_", "_JAVA_", "GCONV_")
READ_BY_SHELLS = frozenset({"PATH", "BASH_ENV", "ENV", "IFS", "CDPATH", "SHELLOPTS", "BASHOPTS", "PS4",
                            "PROMPT_COMMAND", "SHELL", "HOME", "TMPDIR", "LOCPATH", "NLSPATH", "HOSTALIASES",
                            "LOCALDOMAIN", "RES_OPTIONS", "MALLOC_CHECK_", "GLIBC_TUNABLES", "ZDOTDIR"})


def check_env_name(name: str) -> str:
    import re

    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ConfigError(f"--env {printable(name, 60)!r} is not an environment variable name")
    if name.upper() in READ_BY_SHELLS or name.upper().startswith(RUN_BY):
        raise ConfigError(f"--env {name} is read by a shell, a dynamic loader or a runtime, which would run or "
                          "print the token", hint="name a variable of your own, e.g. --env API_TOKEN")
    return name


def token_environment(deps: Deps, profile: str | None, env_name: str, choices: HelperChoices,
                      sources: dict | None = None) -> dict[str, str]:
    """The environment CMD gets: ours, plus the profile's access token in `env_name`; a token
    source given on the command line replaces the profile's (cli/options.py). A fresh stored token
    is read through the store's lean view (flows/helpers/helper_view.py), as git's and kubectl's are."""
    check_env_name(env_name)
    sources = {k: v for k, v in (sources or {}).items() if v is not None}
    if not [v for v in sources.values() if v not in (False, (), [], "")]:
        from oauth2cli.flows import settings as settings_flow
        from oauth2cli.flows.helpers import helper_view

        name = settings_flow.profile_or_default(profile, {}, deps)
        if name:
            quick = helper_view.settled(
                deps, name, lambda settings, hit: {**deps.environ, env_name: hit[0]} if hit[1] == "Bearer" else None,
                lambda: _token_environment(deps, name, env_name, choices, sources))
            if quick is not None:
                return quick
    return _token_environment(deps, profile, env_name, choices, sources)


def _token_environment(deps: Deps, profile: str | None, env_name: str, choices: HelperChoices,
                       sources: dict) -> dict[str, str]:
    from oauth2cli.flows import settings as settings_flow
    from oauth2cli.flows.helpers.helper import helper_tokens

    profile = settings_flow.profile_or_default(profile, {}, deps)
    if not profile:
        raise ConfigError("no profile given and no default profile",
                          hint="give -p PROFILE, or set one with `oauth2 profile default NAME`")
    settings = settings_flow.resolve(sources, deps, profile)
    tokens = helper_tokens(settings, deps, choices)
    if tokens.token_type == "DPoP":
        from oauth2cli.flows.exchange.dpop import bare_header_refused

        raise bare_header_refused()
    return {**deps.environ, env_name: tokens.access_token}


def run(argv: list[str], environ: dict[str, str]) -> int:
    """Run argv with environ; on POSIX this does not return."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    if os.name == "posix":
        try:
            os.execvpe(argv[0], argv, environ)
        except FileNotFoundError:
            raise CommandNotRun(f"command not found: {printable(argv[0], 200)}", NOT_FOUND) from None
        except PermissionError:
            raise CommandNotRun(f"cannot run {printable(argv[0], 200)}: permission denied", NOT_EXECUTABLE) from None
        except OSError as exc:
            raise CommandNotRun(f"cannot run {printable(argv[0], 200)}: {exc.strerror or exc}", NOT_EXECUTABLE) from None
    import signal
    import subprocess

    try:  # pragma: no cover - Windows
        child = subprocess.Popen(argv, env=environ)
    except FileNotFoundError:  # pragma: no cover
        raise CommandNotRun(f"command not found: {printable(argv[0], 200)}", NOT_FOUND) from None
    forward = lambda signum, frame: child.send_signal(signum)  # noqa: E731  # pragma: no cover
    previous = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}  # pragma: no cover
    try:  # pragma: no cover
        return child.wait()
    finally:  # pragma: no cover
        for s, handler in previous.items():
            signal.signal(s, handler)


__all__ = ["DEFAULT_ENV", "ExitCode", "run", "token_environment"]
