"""URL origins (RFC 6454) and a profile's `urls`, pure: which profile a URL belongs to is
decided with these (flows/origins.py, and git's helper in core/gitcred.py)."""

from __future__ import annotations

from urllib.parse import urlsplit


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


def same_origin(a: str, b: str) -> bool:
    """RFC 6454 origin: scheme, host and port, all three (an http->https upgrade is another origin)."""
    return _origin(a) == _origin(b)


def within(url: str, base: str) -> bool:
    """`url` is under `base`: same origin, and the path starts at a segment boundary of base's path."""
    if not same_origin(url, base):
        return False
    path, prefix = urlsplit(url).path or "/", urlsplit(base).path or "/"
    if prefix.endswith("/"):
        return path.startswith(prefix) or path == prefix.rstrip("/")
    return path == prefix or path.startswith(prefix + "/")


def profile_urls(values: dict) -> list[str]:
    urls = values.get("urls") or []
    if isinstance(urls, str):
        urls = [urls]
    return [u for u in urls if isinstance(u, str) and u]
