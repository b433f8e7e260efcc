"""The `oauth2` command. Only click is imported here: every command module loads on demand."""

from __future__ import annotations

import os
import sys

import click

from oauth2cli import __version__
from oauth2cli.cli.lazy import LazyGroup

# name -> module under oauth2cli.cli that defines a click command of the same name
COMMANDS = {
    "authorize": "authorize",
    "token": "token",
    "refresh": "refresh",
    "revoke": "revoke",
    "introspect": "introspect",
    "call": "call",
    "assertion": "assertion",
    "userinfo": "userinfo",
    "discover": "discover",
    "decode": "decode",
    "profile": "profile",
    "status": "status",
    "logout": "logout",
    "completion": "completion",
    "git-credential": "git_credential",
    "setup-git": "setup_git",
    "kube-credential": "kube_credential",
    "exec": "exec",
}
ALIASES = {"login": "authorize"}
# Kept equal to each command's short_help by tests/cli/test_tree.py.
SHORT_HELP = {
    "authorize": "Log in through the browser: authorization code with PKCE via a loopback redirect.",
    "token": "Print a valid access token (refreshing or re-fetching it when needed).",
    "refresh": "Force a refresh_token grant and save the new tokens.",
    "revoke": "Revoke a token (RFC 7009).",
    "introspect": "Ask the server about a token (RFC 7662); JSON on stdout.",
    "call": "Make an authenticated HTTP request, like curl, with a token that refreshes itself.",
    "assertion": "Get a token with a signed JWT assertion (RFC 7523), e.g. a service account.",
    "userinfo": "Print the OpenID Connect userinfo of a profile as JSON.",
    "discover": "Print an authorization server's metadata (RFC 8414, then OpenID discovery).",
    "decode": "Decode a JWT (header and claims as JSON), optionally verifying it.",
    "profile": "Add, list, show, change and remove profiles.",
    "status": "Show every profile: logged in or not, expiry, scopes, store backend.",
    "logout": "Revoke and forget the tokens of a profile.",
    "completion": "Print the shell completion script for bash, zsh or fish.",
    "git-credential": "git's credential helper: a profile's access token as the password.",
    "setup-git": "Make git use a profile's token for a host (credential helper set-up).",
    "kube-credential": "kubectl's exec credential plugin: an ExecCredential with the profile's token.",
    "exec": "Run a command with a valid access token in its environment.",
}


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


def main(argv: list[str] | None = None) -> None:
    from oauth2cli.cli.errors import run

    sys.exit(run(cli, argv, debug=os.environ.get("OAUTH2CLI_DEBUG", "") not in ("", "0")))
