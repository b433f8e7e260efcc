"""`oauth2 call`: make an authenticated HTTP request, like curl, with a token that refreshes itself."""

from __future__ import annotations

import click


@click.command(short_help="Make an authenticated HTTP request, like curl, with a token that refreshes itself.")
@click.argument("args", nargs=-1, metavar="[METHOD] URL")
def call(args) -> None:
    """Send a request to URL with the profile's access token, refreshing it first when
    it is about to expire, and print the response body on stdout.

    \b
    Examples:
      $ oauth2 call https://api.github.com/user
      $ oauth2 call -p work POST https://api.example.com/items --json '{"a":1}'
    """
    from oauth2cli.core.errors import NotImplementedYet

    raise NotImplementedYet("oauth2 call (issue #6)")
