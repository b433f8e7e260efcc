"""`oauth2 exec [-p PROFILE] -- CMD [ARGS...]`: run CMD with a valid access token in its environment."""

from __future__ import annotations

import click

from oauth2cli.cli import render
from oauth2cli.cli.helper_options import helper_choices, login_wait_options
from oauth2cli.cli.options import pop_token_sources, token_source_options
from oauth2cli.cli.params import PROFILE


def run_exec(profile: str | None, env_name: str, command: tuple[str, ...], choices, deps,
             sources: dict | None = None) -> None:
    from oauth2cli.flows import exec_command

    environ = exec_command.token_environment(deps, profile, env_name, choices, sources)  # fails before CMD runs
    deps.close()
    raise SystemExit(exec_command.run(list(command), environ))


@click.command("exec", short_help="Run a command with a valid access token in its environment.",
               context_settings={"allow_interspersed_args": False})
@click.option("-p", "--profile", type=PROFILE, help="The profile whose token to pass (default: the default profile).")
@click.option("--env", "env_name", default="OAUTH2_ACCESS_TOKEN", show_default=True, metavar="NAME",
              help="The environment variable that holds the token.")
@login_wait_options
@token_source_options
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED, metavar="-- CMD [ARGS]...")
def exec_(profile: str | None, env_name: str, method: str | None, browser_timeout: float,
          command: tuple[str, ...], **kwargs) -> None:
    """Run CMD with the profile's access token (refreshed first when it is about to
    expire) in the environment variable NAME. CMD's exit status is oauth2's; it gets
    signals, stdin, stdout and stderr as if run directly (on POSIX it replaces this
    process). A command that cannot be found exits 127, one that cannot run 126.
    A login it needs opens the browser once, as for `oauth2 login`. A token source
    (--assertion-source, --subject-token-source) replaces the profile's, as for `token`.

    \b
    Examples:
      $ oauth2 exec -p work -- terraform apply
      $ oauth2 exec --env GITHUB_TOKEN -- gh api /user
      $ oauth2 exec -p ci --subject-token-source github-actions -- terraform plan
      $ oauth2 exec -p work -- sh -c 'curl -H "Authorization: Bearer $OAUTH2_ACCESS_TOKEN" https://api.example.com/'
    """
    run_exec(profile, env_name, command, helper_choices(method, browser_timeout), render.deps_of(),
             pop_token_sources(kwargs))
