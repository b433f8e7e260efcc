"""Server-sent events (the WHATWG HTML standard's `text/event-stream`), read incrementally, no I/O.

    parser = EventParser()
    for chunk in body:
        for event in parser.feed(chunk):
            event.name, event.data, event.id
    parser.end()            # the stream ended (or broke): its unfinished event is dropped
    parser.last_id          # what Last-Event-ID says when the stream is reopened

Lines end in CRLF, LF or CR; `:` starts a comment; `data` lines are joined with LF; an event is
dispatched at a blank line (one without data is not dispatched, but its `id` still counts);
`retry` is kept as the reconnection time in milliseconds. An `id` counts only once its event is
complete: a stream cut off after an event's `id` line but before its blank line leaves last_id
at the event before, so a resumed stream sends that event again rather than skipping it.
"""

from __future__ import annotations


class Event:
    __slots__ = ("name", "data", "id")

    def __init__(self, name: str, data: str, id: str | None) -> None:  # noqa: A002 (the field's name)
        self.name, self.data, self.id = name, data, id

    def __repr__(self) -> str:
        return f"Event({self.name!r}, {self.data!r}, id={self.id!r})"


class EventParser:
    def __init__(self) -> None:
        self._buffer = ""
        self._bytes = b""
        self._data: list[str] = []
        self._name = ""
        self.last_id: str | None = None  # the id of the last complete event: what Last-Event-ID says
        self._id: str | None = None  # the standard's "last event ID buffer": last_id once the event ends
        self.retry: int | None = None
        self._cr = False  # the last chunk ended in CR: an LF first in the next one is its pair

    def feed(self, chunk: bytes) -> list[Event]:
        data = self._bytes + chunk
        try:
            text = data.decode("utf-8")
            self._bytes = b""
        except UnicodeDecodeError as exc:  # a character cut between chunks waits for its rest
            if exc.start < len(data) - 3:
                text, self._bytes = data.decode("utf-8", "replace"), b""
            else:
                text, self._bytes = data[:exc.start].decode("utf-8"), data[exc.start:]
        if self._cr and text.startswith("\n"):
            text = text[1:]
        self._cr = text.endswith("\r")
        self._buffer += text
        events = []
        lines = self._buffer.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self._buffer = lines.pop()  # an unfinished line
        for line in lines:
            event = self._line(line)
            if event is not None:
                events.append(event)
        return events

    def end(self) -> None:
        """The stream is over: what it left unfinished (a line, an event) is dropped; last_id and
        retry stay, for the next stream (a reconnection) to be fed to this parser."""
        self._buffer, self._bytes, self._data, self._name, self._cr = "", b"", [], "", False
        self._id = self.last_id

    def _line(self, line: str) -> Event | None:
        if not line:
            self.last_id = self._id
            if not self._data:
                self._name = ""
                return None
            event = Event(self._name or "message", "\n".join(self._data), self.last_id)
            self._data, self._name = [], ""
            return event
        if line.startswith(":"):
            return None
        field, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if field == "data":
            self._data.append(value)
        elif field == "event":
            self._name = value
        elif field == "id" and "\0" not in value:
            self._id = value
        elif field == "retry" and value.isdigit():
            self.retry = int(value)
        return None
