"""HTTP requests and responses as plain data, so the core can build and parse them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from oauth2cli.core.errors import ProtocolError

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class HttpRequest:
    method: str
    url: str
    headers: Pairs = ()
    # Form parameters as ordered pairs: RFC 8707 `resource` and friends repeat.
    form: Pairs | None = None
    body: bytes | None = None

    def with_header(self, name: str, value: str) -> HttpRequest:
        kept = tuple((k, v) for k, v in self.headers if k.lower() != name.lower())
        return replace(self, headers=kept + ((name, value),))

    def with_form(self, *pairs: tuple[str, str]) -> HttpRequest:
        return replace(self, form=(self.form or ()) + tuple(pairs))

    def header(self, name: str) -> str | None:
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def encoded_body(self) -> bytes | None:
        if self.form is not None:
            return urlencode(self.form).encode("ascii")
        return self.body


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: Pairs
    body: bytes
    url: str = ""
    # True when the body was cut at the size cap.
    truncated: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def header(self, name: str) -> str | None:
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    @property
    def content_type(self) -> str:
        value = self.header("content-type") or ""
        return value.split(";", 1)[0].strip().lower()

    def excerpt(self, limit: int = 120) -> str:
        """A short, printable, single-line piece of the body for error messages."""
        text = self.body[: limit * 4].decode("utf-8", "replace")
        text = " ".join(text.split())
        if len(text) > limit:
            text = text[: limit - 1] + "…"
        return text or "(empty body)"

    def describe(self) -> str:
        ctype = self.content_type or "no content type"
        return f"HTTP {self.status}, {ctype}: {self.excerpt()!r}"


def parse_json_object(response: HttpResponse, what: str) -> dict[str, Any]:
    """The body as a JSON object, or a ProtocolError that says what came instead."""
    if response.truncated:
        raise ProtocolError(f"the {what} answer is larger than the size limit ({response.describe()})")
    try:
        text = response.body.decode("utf-8")
        data = json.loads(text)
    except (UnicodeDecodeError, ValueError):
        raise ProtocolError(f"the {what} did not answer with JSON ({response.describe()})") from None
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "null"
        raise ProtocolError(f"the {what} answered with a JSON {kind} where an object belongs ({response.describe()})")
    return data
