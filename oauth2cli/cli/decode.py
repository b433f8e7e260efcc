"""`oauth2 decode`: decode a JWT (header and claims as JSON), optionally verifying it."""

from __future__ import annotations

import click


@click.command(short_help="Decode a JWT (header and claims as JSON), optionally verifying it.")
@click.argument("token", required=False)
def decode(token) -> None:
    """Print the header and claims of TOKEN (or of a JWT read from stdin with -) as JSON.

    \b
    Examples:
      $ oauth2 decode "$ID_TOKEN"
      $ oauth2 token work | oauth2 decode -
    """
    from oauth2cli.core.errors import NotImplementedYet

    raise NotImplementedYet("oauth2 decode (issue #7)")
