"""`oauth2 setup-git PROFILE --host URL`: make git ask oauth2 for that host's credentials."""

from __future__ import annotations

from oauth2cli.commands import output


def run(opts, deps) -> int:
    from oauth2cli.flows.helpers.git_setup import helper_command, setup

    profile, host, local, remove = opts.profile, opts.host, opts.local, opts.remove

    result = setup(deps, profile, host, local=local, remove=remove)
    where = f"the {result.scope} git config"
    if remove:
        output.say(deps, f"oauth2: removed {result.key} = {helper_command(profile)} from {where}" if result.changed
                   else f"oauth2: {where} has no {result.key} for profile {profile!r}; nothing to remove")
    elif result.changed:
        output.say(deps, f"oauth2: set {result.key} = {helper_command(profile)} in {where} "
                   f"(after an empty helper line, which keeps other helpers out of this host)"
                   + (f"; it replaces {', '.join(repr(v) for v in result.replaced)}" if result.replaced else ""))
    else:
        output.say(deps, f"oauth2: {where} already has {result.key} = {helper_command(profile)}; nothing changed")
    return 0
