"""A click group that imports a command's module only when that command is used."""

from __future__ import annotations

import importlib

import click


class LazyGroup(click.Group):
    def __init__(self, *args, commands: dict[str, str] | None = None, aliases: dict[str, str] | None = None,
                 command_help: dict[str, str] | None = None, package: str = "oauth2cli.cli", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(commands or {})
        self.aliases = dict(aliases or {})
        # Each command's short help, so `oauth2 --help` and a TAB on command names import no command
        # module; tests/cli/test_tree.py keeps it equal to the commands' own.
        self.command_help = dict(command_help or {})
        self.package = package

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.lazy) | set(self.commands))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        name = self.aliases.get(name, name)
        if name in self.commands:
            return self.commands[name]
        if name not in self.lazy:
            return None
        module = importlib.import_module(f"{self.package}.{self.lazy[name]}")
        # `git-credential` is git_credential in Python, `exec` is exec_ (a builtin's name)
        command = next(getattr(module, attr) for attr in (name, name.replace("-", "_"), name + "_")
                       if hasattr(module, attr))
        self.commands[name] = command
        return command

    def resolve_command(self, ctx: click.Context, args: list[str]):
        _, command, rest = super().resolve_command(ctx, args)
        # Report the canonical name, so `login` runs and documents as `authorize`.
        return (command.name if command else None), command, rest

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        if not all(name in self.command_help for name in names):
            super().format_commands(ctx, formatter)
        elif names:
            # An explicit short_help is shown whole (click does the same), wrapped by the formatter.
            with formatter.section("Commands"):
                formatter.write_dl([(name, self.command_help[name]) for name in names])
        if self.aliases:
            with formatter.section("Aliases"):
                formatter.write_dl([(alias, f"same as {target}") for alias, target in sorted(self.aliases.items())])

    def shell_complete(self, ctx: click.Context, incomplete: str):
        from click.shell_completion import CompletionItem

        if incomplete.startswith("-") or not all(name in self.command_help for name in self.lazy):
            return super().shell_complete(ctx, incomplete)
        names = sorted(set(self.lazy) | set(self.aliases))
        return [CompletionItem(name, help=self.command_help.get(self.aliases.get(name, name)))
                for name in names if name.startswith(incomplete)]
