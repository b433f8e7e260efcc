"""The options several use cases share, taken from their options object."""

from __future__ import annotations

from oauth2cli.cmdline.shared import COMMON, TOKEN_SOURCE_NAMES


def common(opts, *names: str) -> dict:
    """The shared server, client, request and transport options the command has (and `names`)."""
    values = vars(opts)
    return {name: values[name] for name in (*COMMON, *names) if name in values}


def token_sources(opts) -> dict:
    """The CI token source options, as ClientSettings fields (they merge over a profile like any flag)."""
    values = vars(opts)
    return {name: values[name] for name in TOKEN_SOURCE_NAMES if name in values}
