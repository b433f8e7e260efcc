"""What click's side needs of the shared options (declared once, in cmdline/shared.py): the trace
options' callbacks, and the split of a click callback's keyword arguments (token, call, assertion)."""

from __future__ import annotations

from typing import Any

import click

from oauth2cli.cmdline import shared

def _add_verbose(ctx: click.Context, param: click.Parameter, value: int) -> None:
    # A subcommand's -v adds to the root group's: `oauth2 -v token -v` traces with timing.
    if value and not ctx.resilient_parsing:
        from oauth2cli.cli.render import deps_of
        from oauth2cli.cmdline.running import add_trace

        add_trace(deps_of(ctx), verbose=value)


def _reveal(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from oauth2cli.cli.render import deps_of
        from oauth2cli.cmdline.running import add_trace

        add_trace(deps_of(ctx), reveal_secrets=True)


# The CI token sources (issue #17): `token`, `call`, `profile add` and `exec` take them alike.
TOKEN_SOURCE_NAMES = shared.TOKEN_SOURCE_NAMES


def pop_token_sources(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The token source options, as ClientSettings fields (they merge over a profile like any flag)."""
    return {name: kwargs.pop(name) for name in TOKEN_SOURCE_NAMES if name in kwargs}


def pop_common(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Split the shared options out of a command's keyword arguments."""
    return {name: kwargs.pop(name) for name in list(kwargs) if name in shared.COMMON}
