"""`oauth2 git-credential get|store|erase`: git's credential helper (see `git help credential`)."""

from __future__ import annotations

import click

from oauth2cli.cli import render
from oauth2cli.cli.helper_options import helper_choices, login_wait_options, read_stdin_bytes
from oauth2cli.cli.params import PROFILE


def run_git_credential(action: str, profile: str | None, choices, deps) -> None:
    from oauth2cli.core.gitcred import ACTIONS, parse_request
    from oauth2cli.flows import git_credential as flow

    data = read_stdin_bytes(deps)  # read whatever the action, so git never writes into a closed pipe
    if action not in ACTIONS:
        return  # gitcredentials(7): a helper ignores operations it does not know
    request = parse_request(data)
    if action == "get":
        answer = flow.get(deps, request, profile, choices)
        if answer:
            deps.stdout.write(answer)
            deps.stdout.flush()
    elif action == "erase":
        flow.erase(deps, request, profile)
    # store: the token lives in oauth2's own store already; nothing to do


@click.command("git-credential", short_help="git's credential helper: a profile's access token as the password.")
@click.option("-p", "--profile", type=PROFILE, help="The profile to use (default: the one whose urls match the host).")
@login_wait_options
@click.argument("action", metavar="get|store|erase",  # not a Choice: git's future operations are ignored, not refused
                shell_complete=lambda ctx, param, incomplete: [a for a in ("get", "store", "erase")
                                                               if a.startswith(incomplete)])
def git_credential(profile: str | None, method: str | None, browser_timeout: float, action: str) -> None:
    """git's credential helper: key=value lines on stdin (protocol, host, ...); for
    `get`, username= and password= (the access token, refreshed when needed) and
    password_expiry_utc= on stdout.

    The profile is -p, else the one whose urls match protocol://host[:port] (and the
    path, when git sends one). With no match nothing is printed, so git asks its next
    helper. The username is the profile's git_username (default: the preset's, such as
    x-access-token for GitHub, else oauth2). `erase` (git was refused the token) makes
    the next `get` refresh; `store` changes nothing. A login it needs opens the browser
    once, however many git processes wait for it. Set it up with `oauth2 setup-git`.

    \b
    Examples:
      $ oauth2 setup-git work --host https://git.example.com
      $ printf 'protocol=https\\nhost=git.example.com\\n' | oauth2 git-credential get
    """
    run_git_credential(action, profile, helper_choices(method, browser_timeout), render.deps_of())
