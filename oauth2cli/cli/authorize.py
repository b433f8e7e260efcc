"""`oauth2 authorize`: log in through the browser: authorization code with PKCE via a loopback redirect."""

from __future__ import annotations

import click

from oauth2cli.cli.params import PROFILE


@click.command(short_help="Log in through the browser: authorization code with PKCE via a loopback redirect.")
@click.argument("profile", required=False, type=PROFILE)
def authorize(profile) -> None:
    """Log in as a person and save the tokens in the profile PROFILE.

    Opens the browser at the authorization endpoint, catches the redirect on a
    loopback listener (state and PKCE checked), exchanges the code and saves the
    token set. `login` is an alias.

    \b
    Examples:
      $ oauth2 login github
      $ oauth2 authorize work --device
    """
    from oauth2cli.core.errors import NotImplementedYet

    raise NotImplementedYet("oauth2 authorize (issue #4)")
