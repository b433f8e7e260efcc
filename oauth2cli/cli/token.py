"""`oauth2 token`: print a valid access token, and nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import click

from oauth2cli.cli import render
from oauth2cli.cli.options import all_client_options, grant_option, pop_common
from oauth2cli.cli.params import PROFILE

OUTPUTS = ("token", "json", "header", "env")


@dataclass
class TokenOptions:
    profile: str | None
    grant: str | None
    output: str
    min_ttl: float | None
    common: dict[str, Any] = field(default_factory=dict)


def run_token(opts: TokenOptions, deps) -> None:
    from oauth2cli.core.errors import NotImplementedYet
    from oauth2cli.flows import settings as settings_flow
    from oauth2cli.flows import token as token_flow

    settings = settings_flow.resolve(opts.common, deps, opts.profile)
    grant = opts.grant or "client_credentials"
    if grant != "client_credentials":
        raise NotImplementedYet(f"--grant {grant}")
    tokens = token_flow.client_credentials(settings, deps)
    print_token(tokens, opts.output, deps.clock())


def print_token(tokens, output: str, now: float) -> None:
    if output == "token":
        render.data(tokens.access_token)
    elif output == "header":
        if tokens.token_type == "DPoP":  # RFC 9449 §7.1: every request needs its own proof
            from oauth2cli.flows.dpop import bare_header_refused
            raise bare_header_refused()
        render.data(f"Authorization: {tokens.token_type} {tokens.access_token}")
    elif output == "env":
        import shlex

        render.data(f"export OAUTH2_ACCESS_TOKEN={shlex.quote(tokens.access_token)}")
        render.data(f"export OAUTH2_TOKEN_TYPE={shlex.quote(tokens.token_type)}")
        if tokens.expires_at is not None:
            render.data(f"export OAUTH2_EXPIRES_AT={int(tokens.expires_at)}")
    else:
        data = tokens.to_dict()
        remaining = tokens.expires_in(now)
        if remaining is not None:
            data["expires_in"] = max(int(remaining), 0)
        render.json_data(data)


@click.command(short_help="Print a valid access token (refreshing or re-fetching it when needed).")
@click.argument("profile", required=False, type=PROFILE)
@grant_option
@click.option("-o", "--output", type=click.Choice(OUTPUTS), default="token", show_default=True,
              help="token: the access token alone; json: the token response; header: an Authorization header; "
                   "env: shell export lines.")
@click.option("--min-ttl", type=click.FloatRange(min=0), metavar="SECONDS",
              help="Refresh unless the token is valid for at least this long (default 60).")
@all_client_options
def token(profile: str | None, grant: str | None, output: str, min_ttl: float | None, **kwargs: Any) -> None:
    """Print an access token on stdout, and nothing else.

    With a PROFILE, print its stored token, refreshing it first when it expires within
    --min-ttl. Without one, run a grant ad hoc from flags and OAUTH2_* variables; the
    client secret comes from OAUTH2_CLIENT_SECRET, --client-secret-env or
    --client-secret-file, never from the command line.

    \b
    Examples:
      $ export OAUTH2_CLIENT_SECRET=...
      $ oauth2 token --issuer https://id.example.com --client-id ci --grant client_credentials
      $ curl -H "$(oauth2 token work --output header)" https://api.example.com/
    """
    opts = TokenOptions(profile=profile, grant=grant, output=output, min_ttl=min_ttl, common=pop_common(kwargs))
    run_token(opts, render.deps_of())
