"""`oauth2 setup-git PROFILE --host URL`: make git ask oauth2 for that host's credentials."""

from __future__ import annotations

from oauth2cli.cli import render
from oauth2cli.cli.params import PROFILE


def run_setup_git(profile: str, host: str, local: bool, remove: bool, deps) -> None:
    from oauth2cli.flows.git_setup import helper_command, setup

    result = setup(deps, profile, host, local=local, remove=remove)
    where = f"the {result.scope} git config"
    if remove:
        render.say(f"oauth2: removed {result.key} = {helper_command(profile)} from {where}" if result.changed
                   else f"oauth2: {where} has no {result.key} for profile {profile!r}; nothing to remove")
    elif result.changed:
        render.say(f"oauth2: set {result.key} = {helper_command(profile)} in {where} "
                   f"(after an empty helper line, which keeps other helpers out of this host)"
                   + (f"; it replaces {', '.join(repr(v) for v in result.replaced)}" if result.replaced else ""))
    else:
        render.say(f"oauth2: {where} already has {result.key} = {helper_command(profile)}; nothing changed")


def setup_git(profile: str, host: str, local: bool, remove: bool) -> None:
    run_setup_git(profile, host, local, remove, render.deps_of())
