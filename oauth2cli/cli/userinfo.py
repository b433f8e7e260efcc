"""`oauth2 userinfo`: print the OpenID Connect userinfo of a profile as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import click

from oauth2cli.cli import render
from oauth2cli.cli.options import server_options
from oauth2cli.cli.params import PROFILE


@dataclass
class UserinfoOptions:
    profile: str | None
    token_env: str | None = None
    common: dict[str, Any] = field(default_factory=dict)


def _given_token(opts: UserinfoOptions, deps) -> str:
    from oauth2cli.core.errors import ConfigError

    if opts.token_env:
        value = deps.environ.get(opts.token_env, "").strip()
        if not value:
            raise ConfigError(f"--token-env names {opts.token_env}, which is not set or is empty")
        return value
    if getattr(deps.stdin, "isatty", lambda: False)():
        raise click.UsageError("give a PROFILE, --token-env VAR, or the access token on stdin")
    value = deps.stdin.read().strip()
    if not value:
        raise ConfigError("no access token on stdin")
    return value


def run_userinfo(opts: UserinfoOptions, deps) -> None:
    from oauth2cli.flows import userinfo as userinfo_flow

    if not opts.token_env and not opts.profile:
        from oauth2cli.flows.settings import profile_or_default

        opts.profile = profile_or_default(None, opts.common, deps)
    if opts.profile and not opts.token_env:
        from oauth2cli.flows import settings as settings_flow

        settings = settings_flow.resolve(opts.common, deps, opts.profile)
        claims = userinfo_flow.profile_userinfo(settings, deps)
    else:
        from oauth2cli.flows.oidc import settings_without_client

        if opts.profile:
            from oauth2cli.flows import settings as settings_flow

            settings = settings_flow.resolve(opts.common, deps, opts.profile)
        else:
            settings = settings_without_client(opts.common, deps)
        claims = userinfo_flow.fetch_userinfo(settings, deps, _given_token(opts, deps))
    render.json_data(claims)


@click.command(short_help="Print the OpenID Connect userinfo of a profile as JSON.")
@click.argument("profile", required=False, type=PROFILE)
@click.option("--token-env", metavar="VAR", help="Use the access token in this environment variable "
                                                 "(without a PROFILE and --token-env, it is read from stdin).")
@server_options
@click.option("--client-id", envvar="OAUTH2_CLIENT_ID", show_envvar=True,
              help="The client identifier (checked against the aud of a signed answer).")
@click.option("--timeout", type=click.FloatRange(min=0.1), metavar="SECONDS", show_default="30",
              help="Give up on a server after this long.")
@click.option("--cacert", type=click.Path(dir_okay=False), metavar="PATH", help="Trust these CA certificates (PEM).")
@click.option("--insecure", is_flag=True, help="Skip TLS certificate verification.")
def userinfo(profile, token_env, **kwargs: Any) -> None:
    """Call the userinfo endpoint with the stored access token of PROFILE and print
    the claims as JSON. The token is refreshed first when it is about to expire, and
    the answer's sub must be the stored id_token's. A signed answer (application/jwt)
    is verified against the issuer's keys; encrypted answers are not supported yet.

    Ad hoc, give --userinfo-url or --issuer, and the token with --token-env VAR or on stdin.

    \b
    Examples:
      $ oauth2 userinfo work
      $ oauth2 token work | oauth2 userinfo --issuer https://id.example.com
    """
    opts = UserinfoOptions(profile=profile, token_env=token_env, common=dict(kwargs))
    run_userinfo(opts, render.deps_of())
