"""Data on stdout, as every command prints it: one piece of text, or JSON (indented always,
coloured only on a terminal that wants colour; rich is imported only then)."""

from __future__ import annotations


def json_text(value) -> str:
    import json

    return json.dumps(value, indent=2, ensure_ascii=False)


def print_json(deps, value, stream=None) -> None:
    stream = stream or deps.stdout
    text = json_text(value)
    if deps.use_color(stream):
        from rich.console import Console
        from rich.json import JSON

        Console(file=stream, soft_wrap=True, highlight=False).print(JSON(text))
    else:
        stream.write(text + "\n")
    stream.flush()


def print_data(deps, text: str) -> None:
    """One piece of data and a newline."""
    deps.stdout.write(text + "\n")
    deps.stdout.flush()
