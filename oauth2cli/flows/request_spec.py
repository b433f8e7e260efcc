"""The request `oauth2 call` sends, as plain data (curl's -H, -d, -F rules), and its httpx form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING
from urllib.parse import quote_plus

from oauth2cli.core.errors import ConfigError

if TYPE_CHECKING:
    import httpx


@dataclass
class RequestSpec:
    method: str
    url: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)  # `-H 'Name:'` removes a default header, as in curl
    content: bytes | None = None
    # multipart parts (-F): (name, (filename or None for a text field, content, content type or None))
    parts: list[tuple[str, tuple[str | None, bytes, str | None]]] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None


def read_source(value: str, stdin: IO[bytes] | None, what: str) -> bytes:
    """The bytes of `@file` or `@-` (stdin)."""
    name = value[1:]
    if name == "-":
        if stdin is None:
            raise ConfigError(f"{what} @- reads stdin, which is not available")
        return stdin.read()
    try:
        with open(name, "rb") as f:
            return f.read()
    except OSError as exc:
        raise ConfigError(f"cannot read {what} file {name}: {exc.strerror or exc}") from None


def data_bytes(value: str, stdin: IO[bytes] | None, *, binary: bool) -> bytes:
    """curl -d / --data-binary: `@file` or `@-` reads; -d strips CR and LF from files as curl does."""
    if value.startswith("@"):
        raw = read_source(value, stdin, "--data")
        return raw if binary else raw.replace(b"\r", b"").replace(b"\n", b"")
    return value.encode("utf-8")


def urlencoded(value: str, stdin: IO[bytes] | None) -> str:
    """curl --data-urlencode: `content`, `=content`, `name=content`, `@file`, `name@file`."""
    eq, at = value.find("="), value.find("@")
    if eq == 0:
        return quote_plus(value[1:])
    if eq > 0 and (at < 0 or eq < at):
        return value[:eq] + "=" + quote_plus(value[eq + 1:])
    if at >= 0:
        content = read_source(value[at:], stdin, "--data-urlencode").decode("utf-8", "replace")
        encoded = quote_plus(content)
        return f"{value[:at]}={encoded}" if at > 0 else encoded
    return quote_plus(value)


def form_part(value: str, stdin: IO[bytes] | None, spec: RequestSpec) -> None:
    """curl -F: `name=value`, `name=@file[;type=...][;filename=...]`, `name=<file` (contents as a field)."""
    import os

    name, sep, rest = value.partition("=")
    if not sep or not name:
        raise ConfigError(f"-F wants name=value, name=@file or name=<file, got {value!r}")
    if rest.startswith("@"):
        path, *options = rest.split(";")
        ctype = filename = None
        for option in options:
            key, _, val = option.partition("=")
            if key.strip() == "type":
                ctype = val.strip()
            elif key.strip() == "filename":
                filename = val.strip()
        content = read_source(path, stdin, "-F")
        filename = filename or (os.path.basename(path[1:]) if path != "@-" else "-")
        spec.parts.append((name, (filename, content, ctype or "application/octet-stream")))
    elif rest.startswith("<"):
        spec.parts.append((name, (None, read_source("@" + rest[1:], stdin, "-F"), None)))
    else:
        spec.parts.append((name, (None, rest.encode("utf-8"), None)))


def header_line(value: str, spec: RequestSpec) -> None:
    """curl -H: `Name: value`; `Name:` removes a default header; `Name;` sends it empty (core/header_arg.py)."""
    from oauth2cli.core.header_arg import header_arg

    name, val = header_arg(value)
    if val is None:
        spec.removed.add(name.lower())
    else:
        spec.headers.append((name, val))


def build_httpx_request(client: httpx.Client, spec: RequestSpec) -> httpx.Request:
    if spec.parts:
        # curl -F is always multipart/form-data, text fields too, in command-line order.
        request = client.build_request(spec.method, spec.url, headers=spec.headers, files=spec.parts)
    else:
        request = client.build_request(spec.method, spec.url, headers=spec.headers, content=spec.content)
    for name in spec.removed:
        request.headers.pop(name, None)
    request.read()  # buffered, so that a 401 or a 307 can send it again
    return request
