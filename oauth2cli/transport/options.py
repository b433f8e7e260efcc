"""What every HTTP transport is told, importable without httpx: the fast paths' wire client
(transport/wire.py) and the httpx one (transport/http.py) read the same options and send the
same User-Agent and Accept-Encoding (transport/defaults.py, re-exported here)."""

from __future__ import annotations

from dataclasses import dataclass

from oauth2cli.transport.defaults import ACCEPT_ENCODING, DEFAULT_MAX_BYTES, USER_AGENT  # noqa: F401


@dataclass
class TransportOptions:
    timeout: float = 30.0  # seconds for the whole exchange: connect, send, and the last byte of the body
    cacert: str | None = None
    insecure: bool = False
    cert: str | None = None
    key: str | None = None
    allow_http: bool = False  # plain http:// to hosts other than loopback
