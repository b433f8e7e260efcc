"""`oauth2 git-credential get|store|erase`: git's credential helper (see `git help credential`)."""

from __future__ import annotations

from oauth2cli.commands.helper_input import helper_choices, read_stdin_bytes


def run(opts, deps) -> int:
    from oauth2cli.core.gitcred import ACTIONS, parse_request

    data = read_stdin_bytes(deps)  # read whatever the action, so git never writes into a closed pipe
    if opts.action not in ACTIONS:
        return 0  # gitcredentials(7): a helper ignores operations it does not know
    from oauth2cli.flows.helpers import git_credential as flow

    request = parse_request(data)
    if opts.action == "get":
        answer = flow.get(deps, request, opts.profile, helper_choices(opts))
        if answer:
            deps.stdout.write(answer)
            deps.stdout.flush()
    elif opts.action == "erase":
        flow.erase(deps, request, opts.profile)
    # store: the token lives in oauth2's own store already; nothing to do
    return 0
