"""Walking whatever command tree exists: every command, subcommand and option, with its context."""

from __future__ import annotations

import click

from oauth2cli.cli import cli


def commands() -> list[tuple[str, click.Command, click.Context]]:
    """("oauth2 profile add", command, ctx) for the root and every command below it."""
    out = []

    def visit(command: click.Command, ctx: click.Context, path: str) -> None:
        out.append((path, command, ctx))
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None and not sub.hidden:
                    visit(sub, click.Context(sub, info_name=name, parent=ctx), f"{path} {name}")

    visit(cli, click.Context(cli, info_name="oauth2"), "oauth2")
    return out


def options() -> list[tuple[str, click.Option]]:
    """("oauth2 token --output", option) for every visible option except --help."""
    out = []
    for path, command, ctx in commands():
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden and not set(param.opts) & set(ctx.help_option_names):
                out.append((f"{path} {max(param.opts, key=len)}", param))
    return out
