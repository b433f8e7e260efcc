"""`oauth2 refresh`: force a refresh_token grant."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import click

from oauth2cli.cli import render
from oauth2cli.cli.options import all_client_options, pop_common
from oauth2cli.cli.params import PROFILE, read_secret


@dataclass
class RefreshOptions:
    profile: str | None
    output: str | None
    refresh_token_env: str | None = None
    refresh_token_file: str | None = None
    common: dict[str, Any] = field(default_factory=dict)


def run_refresh(opts: RefreshOptions, deps) -> None:
    from oauth2cli.commands.token import print_token
    from oauth2cli.flows import settings as settings_flow

    if not (opts.refresh_token_env or opts.refresh_token_file):
        opts.profile = settings_flow.profile_or_default(opts.profile, opts.common, deps)
    settings = settings_flow.resolve(opts.common, deps, opts.profile)
    now = deps.clock
    if opts.profile and not (opts.refresh_token_env or opts.refresh_token_file):
        from oauth2cli.flows import session

        tokens = session.refresh(settings, deps)
        if opts.output:
            print_token(tokens, opts.output, deps)
            return
        remaining = tokens.expires_in(now())
        lifetime = "no stated lifetime" if remaining is None else f"valid for {max(int(remaining), 0)} s"
        render.say(f"oauth2: refreshed profile {opts.profile}: new access token, {lifetime}")
        return
    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.flows import token as token_flow

    refresh_token = read_secret(deps, "refresh token", env=opts.refresh_token_env, path=opts.refresh_token_file,
                                stdin_default=True)
    from oauth2cli.flows import commit

    # Saved in a profile: the store proves it can take the answer before the refresh token is spent.
    with commit.prepared(deps, opts.profile, kind="grant") as saving:
        tokens = token_flow.refresh(settings, deps, TokenSet(access_token="", refresh_token=refresh_token))
        if saving is not None:
            saving.final(tokens)
    # Ad hoc, nothing is stored: the whole answer (with a rotated refresh token) is the result.
    print_token(tokens, opts.output or "json", deps)


@click.command(short_help="Force a refresh_token grant and save the new tokens.")
@click.argument("profile", required=False, type=PROFILE)
@click.option("--refresh-token-env", metavar="VAR", help="Ad hoc: read the refresh token from this variable.")
@click.option("--refresh-token-file", metavar="PATH", type=click.Path(dir_okay=False),
              help="Ad hoc: read the refresh token from this file (default: stdin).")
@click.option("-o", "--output", type=click.Choice(("token", "json", "header", "env")),
              help="Print the new token (as in `oauth2 token`); with a PROFILE the default is a note on stderr, "
                   "ad hoc it is json.")
@all_client_options
def refresh(profile: str | None, refresh_token_env: str | None, refresh_token_file: str | None,
            output: str | None, **kwargs: Any) -> None:
    """Exchange the stored refresh token of PROFILE for new tokens, even when the
    access token is still valid, and save the result (a rotated refresh token too).

    Without a PROFILE, refresh ad hoc: the refresh token comes from --refresh-token-env,
    --refresh-token-file or stdin, and the new token response is printed as JSON.

    \b
    Examples:
      $ oauth2 refresh work
      $ oauth2 refresh --issuer https://id.example.com --client-id app < refresh_token.txt
    """
    opts = RefreshOptions(profile, output, refresh_token_env, refresh_token_file, pop_common(kwargs))
    run_refresh(opts, render.deps_of())
