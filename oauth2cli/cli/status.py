"""`oauth2 status`: show every profile: logged in or not, expiry, scopes, store backend."""

from __future__ import annotations

import click


@click.command(short_help="Show every profile: logged in or not, expiry, scopes, store backend.")
def status() -> None:
    """List the profiles with their login state and token lifetimes, and the secret
    store in use.

    \b
    Examples:
      $ oauth2 status
    """
    from oauth2cli.core.errors import NotImplementedYet

    raise NotImplementedYet("oauth2 status (issue #5)")
