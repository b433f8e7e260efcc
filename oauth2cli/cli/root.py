"""The root click group of `oauth2`, made from the option table (cmdline/tree.py); the command
modules load on demand (cli/lazy.py)."""

from __future__ import annotations

import click

from oauth2cli.cli.build import click_command
from oauth2cli.cmdline.tree import ROOT


def start(ctx: click.Context, verbose: int, reveal_secrets: bool, no_color: bool, store: str | None, debug: bool) -> None:
    """What the root options do before any command runs: they set up the run's Deps."""
    from oauth2cli.cmdline.running import configure
    from oauth2cli.deps import Deps

    deps = ctx.ensure_object(Deps)
    configure(deps, verbose=verbose, reveal_secrets=reveal_secrets, no_color=no_color, store=store)
    ctx.call_on_close(deps.close)


cli = click_command(ROOT)
