"""The request `oauth2 call` sends, as plain data (curl's -H, -d, -F rules), and its bytes.

No dataclasses, typing or urllib at import: `oauth2 call` is run in loops.
"""

from __future__ import annotations

from oauth2cli.core.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO


class RequestSpec:
    """method, url, headers (pairs, in order), removed (`-H 'Name:'` drops a default header, as in
    curl), content (the body) and parts (-F: (name, (filename or None for a text field, content,
    content type or None)))."""

    __slots__ = ("method", "url", "headers", "removed", "content", "parts")

    def __init__(self, method: str, url: str, headers=None, removed=None, content: bytes | None = None,
                 parts=None) -> None:
        self.method, self.url = method, url
        self.headers: list[tuple[str, str]] = list(headers or ())
        self.removed: set[str] = set(removed or ())
        self.content = content
        self.parts: list[tuple[str, tuple[str | None, bytes, str | None]]] = list(parts or ())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RequestSpec) and all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    def __repr__(self) -> str:
        return "RequestSpec(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__) + ")"

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
    from urllib.parse import quote_plus

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


def body_of(spec: RequestSpec) -> tuple[bytes | None, list[tuple[str, str]]]:
    """The bytes to send and the headers to send them with: -F parts as multipart/form-data
    (RFC 7578), in command-line order, text fields too, as curl (and httpx) write them."""
    if not spec.parts:
        return spec.content, list(spec.headers)
    import os

    boundary = os.urandom(16).hex()
    out = []
    for name, (filename, content, ctype) in spec.parts:
        disposition = f'form-data; name="{_quoted(name)}"'
        head = [f"--{boundary}", ""]
        if filename is not None:
            disposition += f'; filename="{_quoted(filename)}"'
        head[1] = f"Content-Disposition: {disposition}"
        if filename is not None:
            head.append(f"Content-Type: {ctype or 'application/octet-stream'}")
        out.append("\r\n".join(head).encode("utf-8") + b"\r\n\r\n" + content + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode("ascii"))
    headers = list(spec.headers)
    if spec.header("content-type") is None:
        headers.append(("Content-Type", f"multipart/form-data; boundary={boundary}"))
    return b"".join(out), headers


def _quoted(value: str) -> str:
    """A name in a Content-Disposition parameter (the HTML standard's escapes, as httpx)."""
    return value.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
