"""`oauth2 profile`: manage named profiles (settings in config.toml, secrets in the keyring)."""

from __future__ import annotations

import click


def _not_yet(what: str) -> None:
    from oauth2cli.core.errors import NotImplementedYet

    raise NotImplementedYet(f"oauth2 profile {what} (issue #5)")


@click.group(short_help="Add, list, show, change and remove profiles.")
def profile() -> None:
    """Manage profiles: named sets of issuer, client and request settings.

    Settings live in $XDG_CONFIG_HOME/oauth2cli/config.toml; secrets and tokens in
    the OS keyring.

    \b
    Examples:
      $ oauth2 profile add work --issuer https://id.example.com --client-id cli
      $ oauth2 profile list
    """


@profile.command(short_help="Add a profile.")
@click.argument("name")
def add(name: str) -> None:
    """Add the profile NAME.

    \b
    Examples:
      $ oauth2 profile add work --issuer https://id.example.com --client-id cli
    """
    _not_yet("add")


@profile.command(name="list", short_help="List the profiles.")
def list_() -> None:
    """List the profiles.

    \b
    Examples:
      $ oauth2 profile list
    """
    _not_yet("list")


@profile.command(short_help="Show a profile, secrets masked.")
@click.argument("name")
def show(name: str) -> None:
    """Show the settings of NAME, secrets masked.

    \b
    Examples:
      $ oauth2 profile show work
    """
    _not_yet("show")
