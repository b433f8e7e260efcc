"""Options shared by the commands that talk to a server (the ad-hoc flags of DESIGN.md)."""

from __future__ import annotations

from typing import Any

import click

from oauth2cli.cmdline import shared

# flag name -> RFC 8414 metadata name
ENDPOINT_FLAGS = {
    "token_url": "token_endpoint",
    "authorization_url": "authorization_endpoint",
    "device_authorization_url": "device_authorization_endpoint",
    "revocation_url": "revocation_endpoint",
    "introspection_url": "introspection_endpoint",
    "userinfo_url": "userinfo_endpoint",
    "jwks_url": "jwks_uri",
}


def names_of(options) -> frozenset[str]:
    """The names a command's callback gets for these options of the table (cmdline/shared.py)."""
    return frozenset(p.dest for p in options if p.kw.get("expose_value", True))


def _add_verbose(ctx: click.Context, param: click.Parameter, value: int) -> None:
    # A subcommand's -v adds to the root group's: `oauth2 -v token -v` traces with timing.
    if value and not ctx.resilient_parsing:
        from oauth2cli.cli.render import deps_of

        deps_of(ctx).verbose += value


def _reveal(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from oauth2cli.cli.render import deps_of

        deps = deps_of(ctx)
        if not deps.reveal_secrets:
            deps.reveal_secrets = True
            click.echo(REVEAL_WARNING, err=True)


REVEAL_WARNING = "oauth2: warning: --reveal-secrets prints secrets and tokens in the trace"

# The CI token sources (issue #17): `token`, `call`, `profile add` and `exec` take them alike.
TOKEN_SOURCE_NAMES = tuple(p.dest for p in shared.TOKEN_SOURCES)
# The shared server, client, request and transport options (the trace options feed deps instead).
COMMON_NAMES = names_of(shared.ALL_CLIENT)


def pop_token_sources(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The token source options, as ClientSettings fields (they merge over a profile like any flag)."""
    return {name: kwargs.pop(name) for name in TOKEN_SOURCE_NAMES if name in kwargs}


def pop_common(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Split the shared options out of a command's keyword arguments."""
    return {name: kwargs.pop(name) for name in list(kwargs) if name in COMMON_NAMES}
