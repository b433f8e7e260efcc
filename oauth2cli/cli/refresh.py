"""`oauth2 refresh`: force a refresh_token grant and save the new tokens."""

from __future__ import annotations

import click

from oauth2cli.cli.params import PROFILE


@click.command(short_help="Force a refresh_token grant and save the new tokens.")
@click.argument("profile", required=False, type=PROFILE)
def refresh(profile) -> None:
    """Exchange the stored refresh token of PROFILE for new tokens, even when the
    access token is still valid, and save the result (a rotated refresh token too).

    \b
    Examples:
      $ oauth2 refresh work
    """
    from oauth2cli.core.errors import NotImplementedYet

    raise NotImplementedYet("oauth2 refresh (issue #3)")
