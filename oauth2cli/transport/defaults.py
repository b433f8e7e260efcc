"""What every request says about its sender, and how much of an answer is read: the same for
the httpx transport (transport/http.py) and the wire client (transport/wire.py). Nothing is
imported here, so the fast paths pay nothing for it (transport/options.py needs dataclasses)."""

from oauth2cli import __version__

USER_AGENT = f"oauth2cli/{__version__}"
# Encodings we can decode with a bound on the output (no brotli/zstd: a bomb could not be capped).
ACCEPT_ENCODING = "gzip, deflate"
# Token, metadata and introspection answers are small; anything bigger is a broken or hostile server.
DEFAULT_MAX_BYTES = 4 * 1024 * 1024
