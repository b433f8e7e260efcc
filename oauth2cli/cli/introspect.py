"""`oauth2 introspect`: ask the server about a token (RFC 7662); JSON on stdout."""

from __future__ import annotations

import click

from oauth2cli.cli.params import PROFILE


@click.command(short_help="Ask the server about a token (RFC 7662); JSON on stdout.")
@click.argument("profile", required=False, type=PROFILE)
@click.argument("token", required=False)
def introspect(profile, token) -> None:
    """Introspect TOKEN, or the stored access token of PROFILE, and print the answer
    as JSON. `active: false` is a normal answer (exit 0).

    \b
    Examples:
      $ oauth2 introspect work
      $ oauth2 introspect --issuer https://id.example.com --client-id rs "$TOKEN"
    """
    from oauth2cli.core.errors import NotImplementedYet

    raise NotImplementedYet("oauth2 introspect (issue #3)")
