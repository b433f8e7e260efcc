"""What every HTTP transport is told, importable without httpx: the fast paths' wire client
(transport/wire.py) and the httpx one (transport/http.py) read the same options and send the
same User-Agent and Accept-Encoding."""

from __future__ import annotations

from dataclasses import dataclass

from oauth2cli import __version__

USER_AGENT = f"oauth2cli/{__version__}"
# Encodings we can decode with a bound on the output (no brotli/zstd: a bomb could not be capped).
ACCEPT_ENCODING = "gzip, deflate"
# Token, metadata and introspection answers are small; anything bigger is a broken or hostile server.
DEFAULT_MAX_BYTES = 4 * 1024 * 1024


@dataclass
class TransportOptions:
    timeout: float = 30.0  # seconds for the whole exchange: connect, send, and the last byte of the body
    cacert: str | None = None
    insecure: bool = False
    cert: str | None = None
    key: str | None = None
    allow_http: bool = False  # plain http:// to hosts other than loopback
