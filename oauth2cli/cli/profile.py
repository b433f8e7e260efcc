"""`oauth2 profile`: manage named profiles (settings in config.toml, secrets in the keyring).
Each subcommand lives in its own module: profile_add, profile_view (list, show) and
profile_edit (set, unset, secret, remove, rename, default), profile_presets (presets)."""

from __future__ import annotations

import click

from oauth2cli.cli import profile_add, profile_edit, profile_presets, profile_view


@click.group(short_help="Add, list, show, change and remove profiles.")
def profile() -> None:
    """Manage profiles: named sets of issuer, client and request settings.

    Settings live in $XDG_CONFIG_HOME/oauth2cli/config.toml (or $OAUTH2CLI_CONFIG);
    secrets and tokens in the OS keyring, or in an announced 0600 file when there is none.

    \b
    Examples:
      $ oauth2 profile add work --issuer https://id.example.com --client-id cli
      $ oauth2 profile add gh --preset github --client-id Iv1.0123
      $ oauth2 profile list
    """


for _command in (profile_add.add, profile_view.list_, profile_view.show, profile_edit.set_, profile_edit.unset,
                 profile_edit.secret, profile_edit.remove, profile_edit.rename, profile_edit.default,
                 profile_presets.presets):
    profile.add_command(_command)
