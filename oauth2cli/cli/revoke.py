"""`oauth2 revoke`: revoke a token (RFC 7009)."""

from __future__ import annotations

import click

from oauth2cli.cli.params import PROFILE


@click.command(short_help="Revoke a token (RFC 7009).")
@click.argument("profile", required=False, type=PROFILE)
@click.argument("token", required=False)
def revoke(profile, token) -> None:
    """Revoke TOKEN, or the stored tokens of PROFILE (the refresh token first), at the
    revocation endpoint, with the profile's client authentication.

    \b
    Examples:
      $ oauth2 revoke work
      $ oauth2 revoke --issuer https://id.example.com --client-id app "$TOKEN"
    """
    from oauth2cli.core.errors import NotImplementedYet

    raise NotImplementedYet("oauth2 revoke (issue #3)")
