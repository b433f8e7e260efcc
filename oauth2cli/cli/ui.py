"""The terminal for people: spinner with a countdown, tables, durations, pretty JSON.

rich is imported only inside the functions that draw, and only when the stream is a
terminal that wants decoration: NO_COLOR, --no-color, TERM=dumb or a pipe turn it off
(Deps.use_color decides). Decoration changes how things look, never what is printed:
the plain form carries the same words.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import IO, Any


def decorated(deps, stream: IO[str]) -> bool:
    return deps.use_color(stream)


# -- durations ------------------------------------------------------------------------
def duration(seconds: float) -> str:
    """A short human duration: "42 s", "42 min", "3 h 5 min", "2 days"."""
    seconds = int(round(abs(seconds)))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{hours // 24} days"


def relative(seconds: float | None) -> str:
    """When something happens, from now: "in 42 min", "3 min ago", "unknown"."""
    if seconds is None:
        return "unknown"
    if abs(seconds) < 1:
        return "now"
    return f"in {duration(seconds)}" if seconds > 0 else f"{duration(seconds)} ago"


def clock(seconds: float) -> str:
    """A countdown as m:ss (or h:mm:ss)."""
    seconds = max(int(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


# -- JSON -----------------------------------------------------------------------------
from oauth2cli.commands.output import json_data as print_json, json_text  # noqa: E402,F401 (one printer for every command)


# -- tables ---------------------------------------------------------------------------
def plain_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Columns padded with spaces: readable, and easy for awk/cut when piped."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines) + "\n"


def print_table(deps, headers: Sequence[str], rows: Sequence[Sequence[Any]], stream: IO[str] | None = None,
                title: str | None = None) -> None:
    stream = stream or deps.stdout
    if decorated(deps, stream):
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title, header_style="bold", box=None, pad_edge=False)
        for header in headers:
            table.add_column(str(header))
        for row in rows:
            table.add_row(*("" if c is None else str(c) for c in row))
        Console(file=stream, highlight=False).print(table)
    else:
        stream.write(plain_table(headers, rows))
    stream.flush()


# -- a code to type, large and clear ----------------------------------------------------
def show_code(deps, label: str, code: str, url: str | None = None) -> None:
    """E.g. the device flow's user code: boxed and bold on a terminal, one line otherwise."""
    stream = deps.stderr
    if decorated(deps, stream):
        from rich.console import Console
        from rich.panel import Panel
        from rich.text import Text

        body = Text(code, style="bold", justify="center")
        Console(file=stream, highlight=False).print(
            Panel(body, title=label, subtitle=url, expand=False, padding=(1, 4))
        )
    else:
        stream.write(f"{label}: {code}" + (f"  ({url})" if url else "") + "\n")
    stream.flush()


# -- waiting --------------------------------------------------------------------------
class Waiting:
    """A spinner with a countdown on stderr while waiting (browser, device code).

    On a decorated terminal: `⠋ Waiting for the browser… 4:59 left`, redrawn in place and
    erased when the wait ends. Otherwise the message is printed once, as a plain line.
    Use as a context manager; `update(message)` changes the text.
    """

    def __init__(self, deps, message: str, *, deadline: float | None = None, interval: float = 0.25) -> None:
        self.deps, self.message, self.deadline, self.interval = deps, message, deadline, interval
        self._status = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def text(self) -> str:
        if self.deadline is None:
            return self.message
        return f"{self.message} {clock(self.deadline - self.deps.clock())} left"

    def __enter__(self) -> Waiting:
        stream = self.deps.stderr
        if not decorated(self.deps, stream):
            stream.write(self.text() + "\n")
            stream.flush()
            return self
        from rich.console import Console

        self._status = Console(file=stream, highlight=False).status(self.text(), spinner="dots")
        self._status.start()
        self._thread = threading.Thread(target=self._tick, name="oauth2-countdown", daemon=True)
        self._thread.start()
        return self

    def _tick(self) -> None:
        while not self._stop.wait(self.interval):
            self._status.update(self.text())

    def update(self, message: str) -> None:
        self.message = message
        if self._status is not None:
            self._status.update(self.text())
        else:
            self.deps.stderr.write(self.text() + "\n")
            self.deps.stderr.flush()

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._status is not None:
            self._status.stop()
