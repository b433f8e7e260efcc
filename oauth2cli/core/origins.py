"""URL origins (RFC 6454) and a profile's `urls`, pure: which profile a URL belongs to is
decided with these (flows/origins.py, and git's helper in core/gitcred.py)."""

from __future__ import annotations

from urllib.parse import urlsplit


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


def is_loopback_host(host: str | None) -> bool:
    """127.0.0.0/8, ::1 and the name localhost: traffic that never leaves the machine."""
    if not host:
        return False
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost":
        return True
    import ipaddress  # here: the call fast path needs it only for a plain-http URL

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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


def claimed_by(profiles: dict, url: str) -> list[str]:
    """The profiles whose `urls` cover `url` best (the longest base wins); more than one is a tie."""
    matches: list[tuple[int, str]] = []
    for name, values in profiles.items():
        for base in profile_urls(values) if isinstance(values, dict) else ():
            if within(url, base):
                matches.append((len(base.rstrip("/")), name))
    if not matches:
        return []
    best = max(length for length, _ in matches)
    return sorted({name for length, name in matches if length == best})


def choose_profile(profiles: dict, default: str | None, url: str, explicit: str | None) -> str:
    """-p, else the profile whose `urls` best match `url`, else the config's default (ConfigError: none, or a tie)."""
    from oauth2cli.core.errors import ConfigError

    if explicit:
        return explicit
    best = claimed_by(profiles, url)
    if len(best) > 1:
        raise ConfigError(f"profiles {', '.join(best)} all claim {url}", hint="choose one with -p PROFILE")
    if best:
        return best[0]
    if default:
        return default
    raise ConfigError(
        f"no profile for {url}",
        hint="choose one with -p PROFILE, tie one to this API with `oauth2 profile set NAME urls URL`, "
             "or set a default with `oauth2 profile default NAME`",
    )
