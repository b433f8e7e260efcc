"""The root click group of `oauth2`; the command modules load on demand (cli/lazy.py)."""

from __future__ import annotations

import click

from oauth2cli import __version__
from oauth2cli.cli import ALIASES, COMMANDS, SHORT_HELP
from oauth2cli.cli.lazy import LazyGroup


@click.group(
    cls=LazyGroup,
    commands=COMMANDS,
    aliases=ALIASES,
    command_help=SHORT_HELP,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "-V", "--version", prog_name="oauth2", message="%(prog)s %(version)s")
@click.option("-v", "--verbose", count=True, help="Trace HTTP exchanges on stderr, secrets masked (-vv adds timing).")
@click.option("--reveal-secrets", is_flag=True, help="Show secrets in the -v trace instead of masking them.")
@click.option("--no-color", is_flag=True, help="No colour or decoration, even on a terminal.")
@click.option(
    "--store",
    type=click.Choice(["auto", "keyring", "file"]),
    envvar="OAUTH2CLI_STORE",
    help="Where secrets and tokens live: the OS keyring, a 0600 file, or keyring with an announced file fallback (auto).",
)
@click.option("--debug", is_flag=True, envvar="OAUTH2CLI_DEBUG", help="Show a traceback for unexpected errors.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, reveal_secrets: bool, no_color: bool, store: str | None, debug: bool) -> None:
    """OAuth 2.0 and OpenID Connect from the command line.

    Log in through the browser, print tokens for scripts, call APIs with tokens that
    refresh themselves, and inspect, revoke and introspect tokens. Profiles keep the
    settings; secrets and tokens live in the OS keyring.

    Data goes to stdout, messages to stderr. `oauth2 COMMAND --help` and
    `man oauth2-COMMAND` tell more; `oauth2 completion SHELL` sets up TAB completion.

    \b
    Examples:
      $ oauth2 login github
      $ oauth2 token --issuer https://id.example.com --client-id ci --grant client_credentials
    """
    from oauth2cli.deps import Deps

    deps = ctx.ensure_object(Deps)
    deps.verbose = verbose
    deps.reveal_secrets = reveal_secrets
    if no_color:
        deps.color = False
    deps.store_choice = store
    if reveal_secrets:
        click.echo("oauth2: warning: --reveal-secrets prints secrets and tokens in the trace", err=True)
    ctx.call_on_close(deps.close)
