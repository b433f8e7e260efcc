"""`oauth2 setup-git PROFILE --host URL`: make git ask oauth2 for that host's credentials."""

from __future__ import annotations

import click

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


@click.command("setup-git", short_help="Make git use a profile's token for a host (credential helper set-up).")
@click.argument("profile", type=PROFILE)
@click.option("--host", required=True, metavar="URL", help="The git server, e.g. https://git.example.com.")
@click.option("--local", is_flag=True, help="Write the repository's git config instead of the global one.")
@click.option("--remove", is_flag=True, help="Remove what setup-git wrote for this host and profile.")
def setup_git(profile: str, host: str, local: bool, remove: bool) -> None:
    """Write credential.URL.helper = !oauth2 git-credential -p PROFILE in the global
    (or, with --local, the repository's) git config, after an empty helper line so
    that no other helper answers for that host. Running it again changes nothing;
    --remove takes it out again. What changed is said on stderr. `oauth2 status`
    lists the hosts each profile serves git for.

    \b
    Examples:
      $ oauth2 setup-git work --host https://git.example.com
      $ git clone https://git.example.com/team/repo.git
      $ oauth2 setup-git github --host https://github.com --local
      $ oauth2 setup-git work --host https://git.example.com --remove
    """
    run_setup_git(profile, host, local, remove, render.deps_of())
