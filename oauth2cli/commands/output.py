"""What a use case prints: data on stdout, messages for people on stderr, tables and JSON drawn
by rich only on a terminal that wants decoration (Deps.use_color decides), plain otherwise.
cli/render.py, cli/ui.py and cli/table.py give click's side the same functions."""

from __future__ import annotations


def data(deps, text: str) -> None:
    """One piece of data and a newline, on stdout."""
    deps.stdout.write(text + "\n")
    deps.stdout.flush()


def say(deps, message: str) -> None:
    deps.stderr.write(message + "\n")
    deps.stderr.flush()


def warn(deps, message: str) -> None:
    say(deps, f"oauth2: warning: {message}")


def json_text(value) -> str:
    """json.dumps(value, indent=2, ensure_ascii=False); without importing json for plain data (core/jsonlite)."""
    from oauth2cli.core.jsonlite import dumps_indented

    return dumps_indented(value)


def json_data(deps, value, stream=None) -> None:
    """JSON indented always; coloured only on a terminal that wants colour."""
    stream = stream or deps.stdout
    text = json_text(value)
    if deps.use_color(stream):
        from rich.console import Console
        from rich.json import JSON

        Console(file=stream, soft_wrap=True, highlight=False).print(JSON(text))
    else:
        stream.write(text + "\n")
    stream.flush()


def table(deps, headers, rows, title: str | None = None) -> None:
    """A table for people on a terminal (rich); tab-separated columns, headers lower-case, when piped."""
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
