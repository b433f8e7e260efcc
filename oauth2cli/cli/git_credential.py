"""`oauth2 git-credential get|store|erase`: git's credential helper (see `git help credential`)."""

from __future__ import annotations

from oauth2cli.cli import render
from oauth2cli.cli.helper_options import helper_choices, read_stdin_bytes


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


def git_credential(profile: str | None, method: str | None, browser_timeout: float, action: str) -> None:
    run_git_credential(action, profile, helper_choices(method, browser_timeout), render.deps_of())
