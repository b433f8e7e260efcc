"""`oauth2 completion`: print the shell completion script for bash, zsh or fish."""

from __future__ import annotations

import click


@click.command(short_help="Print the shell completion script for bash, zsh or fish.")
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell) -> None:
    """Print the completion script for SHELL on stdout.

    \b
    Examples:
      $ oauth2 completion bash > ~/.local/share/bash-completion/completions/oauth2
    """
    from oauth2cli.core.errors import NotImplementedYet

    raise NotImplementedYet("oauth2 completion (issue #8)")
