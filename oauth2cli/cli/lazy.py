"""A click group that makes a command's click object (and imports its module) only when that
command is used; its list of commands and their short help come from the option table."""

from __future__ import annotations

import click


class LazyGroup(click.Group):
    def __init__(self, *args, commands: dict[str, tuple[str, str]] | None = None,
                 aliases: dict[str, str] | None = None, path: tuple[str, ...] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # name -> (where its table entry is, its short help): `oauth2 --help` and a TAB on command
        # names import no command module.
        self.lazy = dict(commands or {})
        self.aliases = dict(aliases or {})
        self.command_help = {name: short for name, (_, short) in self.lazy.items()}
        self.path = path

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.lazy) | set(self.commands))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        name = self.aliases.get(name, name)
        if name in self.commands:
            return self.commands[name]
        if name not in self.lazy:
            return None
        from oauth2cli.cli.build import click_command
        from oauth2cli.cmdline.spec import load

        ref, short = self.lazy[name]
        command = click_command(load(ref), short, self.path + (name,))
        self.commands[name] = command
        return command

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = args[0] if args else ""
        if not ctx.resilient_parsing and self.get_command(ctx, name) is None and not name.startswith("-"):
            # "Did you mean 'login'?" among every command and alias, not only those made so far.
            raise click.exceptions.NoSuchCommand(name, possibilities=sorted(set(self.lazy) | set(self.aliases)),
                                                 ctx=ctx)
        # The name typed stays the command's name: `oauth2 login --help` says "Usage: oauth2 login".
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        if names:
            # An explicit short_help is shown whole (click does the same), wrapped by the formatter.
            with formatter.section("Commands"):
                formatter.write_dl([(name, self.command_help[name]) for name in names])
        if self.aliases:
            with formatter.section("Aliases"):
                formatter.write_dl([(alias, f"same as {target}") for alias, target in sorted(self.aliases.items())])

    def shell_complete(self, ctx: click.Context, incomplete: str):
        from click.shell_completion import CompletionItem

        if incomplete.startswith("-"):
            return super().shell_complete(ctx, incomplete)
        names = sorted(set(self.lazy) | set(self.aliases))
        return [CompletionItem(name, help=self.command_help.get(self.aliases.get(name, name)))
                for name in names if name.startswith(incomplete)]
