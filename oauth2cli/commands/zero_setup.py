"""The terminal side of zero-setup (flows/profiles/resource_login): who can answer, and the y/N
question before an authorization server on another origin is trusted."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    from oauth2cli.deps import Deps


def _tty(stream) -> bool:
    return bool(getattr(stream, "isatty", lambda: False)())


def ask(deps: Deps) -> Callable[[str], bool] | None:
    """A y/N question on the terminal (prompt on stderr, answer from stdin); None without one."""
    if not _tty(deps.stdin):
        return None

    def confirm(resource: str, server: str) -> bool:
        from urllib.parse import urlsplit

        deps.stderr.write(f"Trust {urlsplit(server).netloc} to log in for {urlsplit(resource).netloc}? [y/N] ")
        deps.stderr.flush()
        answer = deps.stdin.readline()
        return answer.strip().lower() in ("y", "yes")

    return confirm


def run_for(deps: Deps, options: Mapping[str, Any], *, need_terminal: bool, yes: bool, make_default: bool,
            always_login: bool = False, login=None, challenge: tuple[str, ...] = ()):
    """The ZeroSetup of this run: a person can log in at a terminal (or, for `login`, anywhere
    but CI); the question is asked only where a terminal can answer it."""
    from oauth2cli.flows.login.login_common import LoginChoices
    from oauth2cli.flows.profiles.resource_login import ZeroSetup

    ci = deps.environ.get("CI", "").lower() not in ("", "0", "false")
    person = not ci and (not need_terminal or _tty(deps.stdin))
    return ZeroSetup(options=options, confirm=ask(deps), yes=yes, make_default=make_default, always_login=always_login,
                     login=login or LoginChoices(), challenge=challenge, person=person,
                     why_not="CI is set" if ci else "this run has no terminal")


def after_401(opts, deps: Deps, url: str, response) -> str | None:
    """`oauth2 call`'s tokenless request was answered 401: zero-setup from its challenge; the
    logged-in profile's name, or None when the resource names no authorization server."""
    from oauth2cli.flows.profiles.resource_login import after_401 as set_up_after
    from oauth2cli.flows.profiles.resource_login import challenge_of

    answer, challenge = challenge_of(response, url)
    options = {k: opts.ad_hoc.get(k) for k in ("client_id", "scope")}
    options.update(cacert=opts.cacert, insecure=opts.insecure or None, allow_http=opts.allow_http or None,
                   timeout=opts.max_time)
    run = run_for(deps, options, need_terminal=True, yes=opts.yes, make_default=opts.make_default, challenge=challenge)
    return set_up_after(url, answer, deps, run)
