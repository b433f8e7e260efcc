"""`oauth2 logout`: revoke and forget the tokens of a profile."""

from __future__ import annotations

import click

from oauth2cli.cli.params import PROFILE


@click.command(short_help="Revoke and forget the tokens of a profile.")
@click.argument("profile", required=False, type=PROFILE)
def logout(profile) -> None:
    """Revoke the tokens of PROFILE when the server supports it, then delete them from
    the store. The profile itself stays.

    \b
    Examples:
      $ oauth2 logout work
    """
    from oauth2cli.core.errors import NotImplementedYet

    raise NotImplementedYet("oauth2 logout (issue #5)")
