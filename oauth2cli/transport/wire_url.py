"""URLs for the wire client (transport/wire.py), read and normalised as httpx does, so that
the request line, the Host header and the response's url are the ones httpx would send and
report: scheme and host lower-cased, the default port dropped, "." and ".." segments removed,
and characters that may not stand in a request line percent-encoded (UTF-8), with escapes
already there (%2F, and even a lone %) left as they are (RFC 3986 §2.1, §5.2.4; the sets are
the WHATWG URL standard's path, query, fragment and userinfo percent-encode sets). Host names
outside ASCII raise Unsupported: the caller sends those with httpx.

No urllib, re or ipaddress: the wire client does without them.
"""

from __future__ import annotations

import socket

from oauth2cli.core.errors import ConfigError
from oauth2cli.transport.faults import where

MAX_URL_LENGTH = 65536
DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"


def _printable_except(excluded: str) -> frozenset[str]:
    return frozenset(chr(i) for i in range(0x21, 0x7F) if chr(i) not in excluded)


_QUERY_SAFE = _printable_except('"#<>')
_PATH_SAFE = _printable_except('"#<>?`{}')
_FRAGMENT_SAFE = _printable_except('"<>`')
_USERINFO_SAFE = _printable_except('"#<>?`{}/;=@[\\]^|')
_HOST_SAFE = frozenset(_UNRESERVED + "!$&'()*+,;=" + '"`{}%|\\')


def quote(text: str, safe: frozenset[str]) -> str:
    """Every character outside `safe` (and outside RFC 3986's unreserved ones) as %XX of its
    UTF-8 bytes. "%" itself is safe in every set used here, so existing escapes stay."""
    if all(c in safe or c in _UNRESERVED for c in text):
        return text
    return "".join(c if c in safe or c in _UNRESERVED else "".join(f"%{b:02X}" for b in c.encode("utf-8"))
                   for c in text)


def unquote_bytes(text: str) -> bytes:
    """%XX escapes undone, as UTF-8 text (what is not UTF-8 becomes U+FFFD, as urllib does)."""
    raw = text.encode("utf-8")
    out = bytearray()
    i = 0
    while i < len(raw):
        if raw[i] == 0x25 and _is_hex(raw[i + 1:i + 3]):
            out.append(int(raw[i + 1:i + 3], 16))
            i += 3
        else:
            out.append(raw[i])
            i += 1
    return bytes(out).decode("utf-8", "replace").encode("utf-8")


def _is_hex(pair: bytes) -> bool:
    return len(pair) == 2 and all(b in b"0123456789abcdefABCDEF" for b in pair)


def remove_dot_segments(path: str) -> str:
    """RFC 3986 §5.2.4, as httpx applies it: "/a/./b/../c" is "/a/c"."""
    segments = path.split("/")
    if "." not in segments and ".." not in segments:
        return path
    out: list[str] = []
    for segment in segments:
        if segment == ".":
            continue
        if segment == "..":
            if out and out != [""]:
                out.pop()
        else:
            out.append(segment)
    return "/".join(out)


class Unsupported(ConfigError):
    """A request httpx can send and the wire client does not: hand it to httpx (nothing was sent)."""


class Target:
    """Where a request goes and how it is written on the wire."""

    __slots__ = ("scheme", "host", "port", "netloc", "target", "url", "userinfo", "where")

    def __init__(self, scheme: str, userinfo: str, host: str, port: int | None, path: str,
                 query: str | None, fragment: str | None, where: str) -> None:
        self.scheme = scheme
        self.userinfo = userinfo  # percent-encoded, as in the URL
        self.host = host  # for the socket and SNI: ASCII, IPv6 without brackets
        self.port = port or DEFAULT_PORTS[scheme]  # for the socket
        self.netloc = (f"[{host}]" if ":" in host else host) + (f":{port}" if port else "")  # the Host header
        self.target = (path or "/") + (f"?{query}" if query is not None else "")  # the request line
        self.url = (f"{scheme}://" + (f"{userinfo}@" if userinfo else "") + self.netloc + path
                    + (f"?{query}" if query is not None else "") + (f"#{fragment}" if fragment is not None else ""))
        self.where = where  # HOST:PORT as the caller wrote it, for messages

    def credentials(self) -> tuple[bytes, bytes] | None:
        """(user, password) from user:password@ in the URL, decoded, or None."""
        if not self.userinfo:
            return None
        user, _, password = self.userinfo.partition(":")
        return unquote_bytes(user), unquote_bytes(password)


def parse(url: str) -> Target:
    """The Target of an absolute http:// or https:// URL, or a ConfigError saying what is wrong
    (Unsupported, a ConfigError, for a URL httpx would take: give the request to httpx)."""

    def invalid(reason: str) -> ConfigError:
        return ConfigError(f"invalid URL {url[:200]!r}: {reason}")

    if len(url) > MAX_URL_LENGTH:
        raise invalid("it is longer than 65536 characters")
    for position, char in enumerate(url):
        if char < " " or char == "\x7f":
            raise invalid(f"it contains the control character {char!r} at position {position}")
    written, colon, rest = url.partition(":")
    scheme = written.lower()
    if not colon or scheme not in DEFAULT_PORTS or not rest.startswith("//"):
        raise invalid("only absolute http:// and https:// URLs can be sent")
    rest = rest[2:]
    end = min([rest.find(c) for c in "/?#" if c in rest] or [len(rest)])
    authority, rest = rest[:end], rest[end:]
    rest, hash_sign, fragment = rest.partition("#")
    path, question, query = rest.partition("?")
    userinfo, at, hostport = authority.rpartition("@")
    if not at:
        userinfo, hostport = "", authority
    if hostport.startswith("["):
        close = hostport.rfind("]") + 1  # IPv6: [address]:port
        host, after = hostport[:close] or hostport, hostport[close:] if close else ""
        if after and not after.startswith(":"):
            raise invalid(f"invalid port {after[:20]!r}")
        port_text = after[1:]
    else:
        host, _, port_text = hostport.partition(":")
    return Target(
        scheme,
        quote(userinfo, _USERINFO_SAFE),
        _host(host, invalid),
        _port(port_text, written, invalid),
        quote(remove_dot_segments(path), _PATH_SAFE),
        quote(query, _QUERY_SAFE) if question else None,
        quote(fragment, _FRAGMENT_SAFE) if hash_sign else None,
        where(url),
    )


def _host(host: str, invalid) -> str:
    if not host:
        raise invalid("it names no host")
    if host.startswith("["):
        inner = host[1:-1] if host.endswith("]") else ""
        try:
            socket.inet_pton(socket.AF_INET6, inner)
        except (OSError, ValueError):
            raise invalid(f"invalid IPv6 address {host[:60]!r}") from None
        return inner
    parts = host.split(".")
    if len(parts) == 4 and all(p.isascii() and p.isdigit() for p in parts):
        try:
            socket.inet_pton(socket.AF_INET, host)
        except OSError:
            raise invalid(f"invalid IPv4 address {host!r}") from None
        return host
    if not host.isascii():
        # httpx encodes these with IDNA 2008 (the idna package); the stdlib's codec is IDNA
        # 2003, which differs (ß, ς, joiners, symbols). Not worth a wrong host: httpx's turn.
        raise Unsupported(f"the wire client leaves international host names to httpx ({host[:60]!r})")
    return quote(host.lower(), _HOST_SAFE)


def _port(text: str, scheme: str, invalid) -> int | None:
    """The port, None for the scheme's default. As httpx, the default is known only for a
    scheme written in lower case: HTTP://h:80/ keeps its :80 (in the Host header too)."""
    if not text:
        return None
    digits = text.lstrip("0")
    if not (text.isascii() and text.isdigit()) or len(digits) > 5 or not 0 < int(digits or "0") < 65536:
        raise invalid(f"invalid port {text[:20]!r}")
    port = int(digits)
    return None if port == DEFAULT_PORTS.get(scheme) else port
