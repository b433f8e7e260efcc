"""Writing results: data to stdout, messages for people to stderr."""

from __future__ import annotations

from typing import Any

import click


def deps_of(ctx: click.Context | None = None):
    from oauth2cli.deps import Deps

    ctx = ctx or click.get_current_context()
    return ctx.find_object(Deps) or ctx.ensure_object(Deps)


def data(text: str) -> None:
    """One piece of data and a newline, on stdout."""
    deps = deps_of()
    deps.stdout.write(text + "\n")
    deps.stdout.flush()


def json_data(value: Any) -> None:
    """JSON on stdout: indented always, coloured only on a terminal that wants colour."""
    from oauth2cli.commands.output import json_data as write

    write(deps_of(), value)


def say(message: str) -> None:
    deps = deps_of()
    deps.stderr.write(message + "\n")
    deps.stderr.flush()


def warn(message: str) -> None:
    say(f"oauth2: warning: {message}")
