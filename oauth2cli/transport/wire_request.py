"""The request head the wire client (transport/wire.py) writes: exactly the header lines httpx's
client (transport/http.build_client) sends for the same request, in its order and name case,
so that a server (or a test recording the bytes) cannot tell the two transports apart."""

from __future__ import annotations

from oauth2cli.core.errors import ConfigError
from oauth2cli.transport.options import ACCEPT_ENCODING, USER_AGENT

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from oauth2cli.transport.wire_url import Target

# httpx.Client's own defaults, then build_client's User-Agent and Accept-Encoding: httpx's
# Headers.update drops a name it is given again and appends the new value at the end.
DEFAULT_HEADERS = (("Accept", "*/*"), ("Connection", "keep-alive"), ("User-Agent", USER_AGENT),
                   ("Accept-Encoding", ACCEPT_ENCODING))
_TOKEN = frozenset("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def request_headers(method: str, target: Target, headers: Iterable[tuple[str, str]],
                    body: bytes | None) -> list[tuple[str, str]]:
    """The header lines httpx's client sends for this request, in its order and name case:
    Host (and Content-Length: 0 for an empty POST, PUT or PATCH) first, then the defaults,
    then the caller's (a default the caller also gives is dropped), then Content-Length."""
    given = [(str(name), str(value)) for name, value in headers]
    names = {name.lower() for name, _ in given}
    lines = [(n, v) for n, v in DEFAULT_HEADERS if n.lower() not in names] + given
    present = {name.lower() for name, _ in lines}
    if body and "content-length" not in present:
        lines.append(("Content-Length", str(len(body))))
        present.add("content-length")
    front = [] if "host" in present else [("Host", target.netloc)]
    if method in ("POST", "PUT", "PATCH") and not present & {"content-length", "transfer-encoding"}:
        front.append(("Content-Length", "0"))
    return front + lines


def set_header(lines: list[tuple[str, str]], name: str, value: str) -> None:
    """httpx's headers[name] = value: the first field of that name takes it, the others go."""
    found = [i for i, (n, _) in enumerate(lines) if n.lower() == name.lower()]
    for i in reversed(found[1:]):
        del lines[i]
    if found:
        lines[found[0]] = (name, value)
    else:
        lines.append((name, value))


def encode_head(method: str, target: Target, lines: list[tuple[str, str]]) -> bytes:
    """The request line and header section as bytes; a ConfigError for what cannot be sent
    (a line break in a value would start a header, or a request, of the caller's choosing)."""
    if not method or not set(method) <= _TOKEN:
        raise ConfigError(f"invalid HTTP method {method[:40]!r}")
    out = [f"{method} {target.target} HTTP/1.1\r\n".encode("ascii")]
    # Host first, as httpx's writer (h11) puts it (RFC 9112 §3.2: it SHOULD come first).
    for name, value in sorted(lines, key=lambda line: line[0].lower() != "host"):
        if not name or not set(name) <= _TOKEN:
            raise ConfigError(f"invalid header name {name[:60]!r}")
        if "\r" in value or "\n" in value or "\0" in value:
            raise ConfigError(f"the value of header {name} has a line break or NUL in it")
        try:
            out.append(f"{name}: {value}\r\n".encode("ascii"))
        except UnicodeEncodeError:
            raise ConfigError(f"the value of header {name} is not ASCII") from None
    out.append(b"\r\n")
    return b"".join(out)
