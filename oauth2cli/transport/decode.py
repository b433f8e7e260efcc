"""Content-Encoding undone with a bound on what comes out, for both transports: a small gzip
bomb stays small. No httpx here (the wire client uses it)."""

from __future__ import annotations

import zlib

from oauth2cli.core.errors import ProtocolError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

# The most one decompress call hands back: streaming a large answer never holds more than this.
PIECE = 64 * 1024
_KNOWN = ("gzip", "x-gzip", "deflate")


def _codings(encoding: str) -> list[str]:
    return [c.strip().lower() for c in encoding.split(",") if c.strip() and c.strip().lower() != "identity"]


class Decoder:
    """One Content-Encoding (gzip or deflate, or none) undone, `limit` bytes at a time."""

    def __init__(self, encoding: str) -> None:
        codings = _codings(encoding)
        if len(codings) > 1 or (codings and codings[0] not in _KNOWN):
            raise ProtocolError(f"the server answered with content encoding {encoding[:60]!r}, which was not asked for")
        self.coding = codings[0] if codings else None
        # 32+: zlib or gzip header, detected; raw deflate is tried if that fails.
        self._d = zlib.decompressobj(32 + zlib.MAX_WBITS) if self.coding else None
        self._raw_tried = False

    def feed(self, data: bytes, limit: int) -> tuple[bytes, bool]:
        """Up to `limit` decoded bytes, and whether there was more."""
        if self._d is None:
            return data[:limit], len(data) > limit
        try:
            out = self._d.decompress(data, limit)
        except zlib.error:
            if self.coding == "deflate" and not self._raw_tried:
                # Some servers send raw deflate (no zlib header) as "deflate".
                self._raw_tried = True
                self._d = zlib.decompressobj(-zlib.MAX_WBITS)
                return self.feed(data, limit)
            raise ProtocolError(f"the answer's {self.coding} encoding is corrupt") from None
        return out, bool(self._d.unconsumed_tail)

    def tail(self) -> bytes:
        """What the last feed left undecoded (it was asked for fewer bytes), to feed again."""
        return self._d.unconsumed_tail if self._d is not None else b""

    def finish(self) -> bytes:
        """Output the decompressor still holds once all input is in (a few bytes at most)."""
        if self._d is None:
            return b""
        try:
            return self._d.flush()
        except zlib.error:
            raise ProtocolError(f"the answer's {self.coding} encoding is corrupt") from None


def read_capped(chunks: Iterable[bytes], encoding: str, max_bytes: int) -> tuple[bytes, bool]:
    """The decoded body, whole or cut at max_bytes, and whether it was cut. `chunks` are the
    bytes as sent (httpx's own decoding has no bound on what a chunk expands to)."""
    decoder = Decoder(encoding)
    out: list[bytes] = []
    size = 0
    for chunk in chunks:
        data, more = decoder.feed(chunk, max_bytes - size + 1)
        out.append(data)
        size += len(data)
        if size > max_bytes or more:
            return b"".join(out)[:max_bytes], True
    return b"".join(out), False


def iter_decoded(chunks: Iterable[bytes], encoding: str) -> Iterator[bytes]:
    """The body decoded as it arrives, in pieces of at most PIECE bytes, however far it expands.

    As httpx's iter_bytes (without brotli or zstandard installed): gzip and deflate are undone
    (several, in the reverse of the order they were applied); others, x-gzip among them, are
    passed over as httpx passes them. Corrupt data is a ProtocolError, as in read_capped."""
    layers = [Decoder(c) for c in reversed(_codings(encoding)) if c in ("gzip", "deflate")]
    for chunk in chunks:
        yield from _through(layers, chunk)
    for i, layer in enumerate(layers):
        yield from _through(layers[i + 1:], layer.finish())


def _through(layers: list[Decoder], data: bytes) -> Iterator[bytes]:
    if not layers:
        if data:
            yield data
        return
    first, rest = layers[0], layers[1:]
    while data:
        out, more = first.feed(data, PIECE)
        left = first.tail() if more else b""
        if len(left) == len(data) and not out:  # no progress: never loop on it
            raise ProtocolError(f"the answer's {first.coding} encoding is corrupt")
        data = left
        yield from _through(rest, out)
