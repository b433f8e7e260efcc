"""`oauth2 token`'s command line; the use case is oauth2cli/commands/token.py."""

from __future__ import annotations

from typing import Any

import click

from oauth2cli.cli import render
from oauth2cli.cli.options import _stack, all_client_options, grant_option, token_source_options
from oauth2cli.cli.params import PROFILE
from oauth2cli.commands.token import OUTPUTS, TokenOptions, run


def _secret_options(name: str, what: str, grant: str, *, value: bool = True) -> list:
    options = []
    if value:
        options.append(click.option(f"--{name}", metavar="TOKEN|-",
                                    help=f"{grant}: the {what}; '-' reads it from stdin (safer than argv)."))
    options += [
        click.option(f"--{name}-env", metavar="VAR", help=f"{grant}: read the {what} from this environment variable."),
        click.option(f"--{name}-file", metavar="PATH", type=click.Path(dir_okay=False),
                     help=f"{grant}: read the {what} from this file."),
    ]
    return options


grant_input_options = _stack(
    click.option("--username", envvar="OAUTH2_USERNAME", help="password grant: the resource owner's name."),
    *_secret_options("password", "password (default: a prompt on a terminal, else stdin)", "password grant", value=False),
    *_secret_options("refresh-token", "refresh token (default: stdin)", "refresh_token grant", value=False),
    click.option("--code", metavar="CODE|-", help="authorization_code grant: the code ('-' reads stdin)."),
    click.option("--redirect-uri", metavar="URI", help="authorization_code grant: the redirect_uri of the authorization request."),
    click.option("--code-verifier", metavar="VERIFIER", help="authorization_code grant: the PKCE code_verifier."),
    click.option("--assertion-file", metavar="PATH|-", type=click.Path(dir_okay=False, allow_dash=True), help="jwt-bearer grant: a file holding the signed JWT ('-' for stdin)."),
    *_secret_options("subject-token", "subject token", "token-exchange"),
    *_secret_options("actor-token", "actor token", "token-exchange"),
    click.option("--actor-token-type", metavar="TYPE", help="token-exchange: the type of the actor token."),
    click.option("--requested-token-type", metavar="TYPE", help="token-exchange: the type of token wanted."),
)


@click.command(short_help="Print a valid access token (refreshing or re-fetching it when needed).")
@click.argument("profile", required=False, type=PROFILE)
@grant_option
@click.option("-o", "--output", type=click.Choice(OUTPUTS), default="token", show_default=True,
              help="token: the access token alone; json: the token response; header: an Authorization header; "
                   "env: shell export lines.")
@click.option("--min-ttl", type=click.FloatRange(min=0), metavar="SECONDS",
              help="Refresh unless the token is valid for at least this long (default 60).")
@grant_input_options
@token_source_options
@all_client_options
def token(profile: str | None, grant: str | None, output: str, min_ttl: float | None, **kwargs: Any) -> None:
    """Print an access token on stdout, and nothing else.

    With a PROFILE, print its stored token, refreshing it first when it expires within
    --min-ttl; with a PROFILE and --grant, run that grant and store the result. Without
    a PROFILE, run a grant ad hoc from flags and OAUTH2_* variables (client_credentials by
    default). Secrets (client secret, password, tokens) come from variables, files, stdin
    or a prompt, never from the command line.

    \b
    Examples:
      $ export OAUTH2_CLIENT_SECRET=...
      $ oauth2 token --issuer https://id.example.com --client-id ci --grant client_credentials
      $ oauth2 token --issuer https://id.example.com --client-id ci --resource https://api.example.com
      $ curl -H "$(oauth2 token work --output header)" https://api.example.com/
      $ oauth2 token --token-url https://id.example.com/token --client-id app --grant password --username ann
      $ echo "$TOKEN" | oauth2 token --issuer ... --client-id sts --grant token-exchange \\
            --subject-token - --subject-token-type access_token --audience backend
    """
    code = run(TokenOptions(profile=profile, grant=grant, output=output, min_ttl=min_ttl, **kwargs), render.deps_of())
    if code:
        raise SystemExit(code)
