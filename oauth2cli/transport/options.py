"""What every HTTP transport is told and says, importable without httpx or dataclasses: the wire
client (transport/wire.py) and the httpx one (transport/http.py) read the same options and send
the same User-Agent and Accept-Encoding."""

from __future__ import annotations

from oauth2cli import __version__

USER_AGENT = f"oauth2cli/{__version__}"
# Encodings we can decode with a bound on the output (no brotli/zstd: a bomb could not be capped).
ACCEPT_ENCODING = "gzip, deflate"
# Token, metadata and introspection answers are small; anything bigger is a broken or hostile server.
DEFAULT_MAX_BYTES = 4 * 1024 * 1024

FIELDS = {
    "timeout": 30.0,  # seconds for the whole exchange: connect, send, and the last byte of the body
    "cacert": None,
    "insecure": False,
    "cert": None,
    "key": None,
    "allow_http": False,  # plain http:// to hosts other than loopback
}


class TransportOptions:
    """timeout, cacert, insecure, cert, key, allow_http (a plain class: dataclasses cost an import
    on every `oauth2 call`)."""

    __slots__ = tuple(FIELDS)

    def __init__(self, timeout: float = 30.0, cacert: str | None = None, insecure: bool = False,
                 cert: str | None = None, key: str | None = None, allow_http: bool = False) -> None:
        self.timeout, self.cacert, self.insecure = timeout, cacert, insecure
        self.cert, self.key, self.allow_http = cert, key, allow_http

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in FIELDS)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TransportOptions) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        return "TransportOptions(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in FIELDS) + ")"
