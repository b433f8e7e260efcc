"""Tables for people: rich on a terminal, plain tab-separated columns when piped (commands/output.py)."""

from __future__ import annotations

from collections.abc import Sequence


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], title: str | None = None) -> None:
    from oauth2cli.cli.render import deps_of
    from oauth2cli.commands.output import table as draw

    draw(deps_of(), headers, rows, title)
