"""Tables for people: rich on a terminal, plain tab-separated columns when piped."""

from __future__ import annotations

from collections.abc import Sequence


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], title: str | None = None) -> None:
    from oauth2cli.cli.render import deps_of

    deps = deps_of()
    out = deps.stdout
    if getattr(out, "isatty", lambda: False)():
        from rich.console import Console
        from rich.table import Table

        t = Table(*headers, title=title, box=None, header_style="bold", pad_edge=False)
        for row in rows:
            t.add_row(*row)
        Console(file=out, no_color=not deps.use_color(out), highlight=False).print(t)
        return
    out.write("\t".join(h.lower() for h in headers) + "\n")
    for row in rows:
        out.write("\t".join(row) + "\n")
    out.flush()
