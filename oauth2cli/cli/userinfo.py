"""`oauth2 userinfo`: print the OpenID Connect userinfo of a profile as JSON."""

from __future__ import annotations

import click

from oauth2cli.cli.params import PROFILE


@click.command(short_help="Print the OpenID Connect userinfo of a profile as JSON.")
@click.argument("profile", required=False, type=PROFILE)
def userinfo(profile) -> None:
    """Call the userinfo endpoint with the stored access token of PROFILE and print
    the claims as JSON.

    \b
    Examples:
      $ oauth2 userinfo work
    """
    from oauth2cli.core.errors import NotImplementedYet

    raise NotImplementedYet("oauth2 userinfo (issue #7)")
