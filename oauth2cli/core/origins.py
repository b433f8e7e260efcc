"""Which token goes where (README "Security"), pure: RFC 3986 normalization, RFC 6454 origins
and a profile's `urls`. Every path that sends a token asks `token_may_go` (call and its -L hops,
whichever client sends) or chooses a profile with `claimed_by` (call, git-credential): both
compare URLs only through `within`, after `normalize` and `_compare_path`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_HEX = "0123456789abcdefABCDEF"


def _decode(text: str, also: str = "") -> str:
    """%XX of an unreserved character (and of those in `also`) decoded, other escapes upper-cased
    (RFC 3986 §6.2.2.1-2)."""
    if "%" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        pair = text[i + 1:i + 3]
        if text[i] == "%" and len(pair) == 2 and pair[0] in _HEX and pair[1] in _HEX:
            char = chr(int(pair, 16))
            out.append(char if char in _UNRESERVED or char in also else "%" + pair.upper())
            i += 3
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def remove_dot_segments(path: str, *, lax: bool = False) -> str:
    """RFC 3986 §5.2.4: "/a/./b/../c" is "/a/c". `lax` also takes "..;x" for ".." (servers
    such as Tomcat drop path parameters before they resolve dots)."""
    segments = path.split("/")
    if not lax and "." not in segments and ".." not in segments:
        return path
    out: list[str] = []
    for index, segment in enumerate(segments):
        bare = segment.partition(";")[0] if lax else segment
        last = index == len(segments) - 1
        if bare == ".":
            if last:
                out.append("")
        elif bare == "..":
            if len(out) > 1 or (out and out[0]):
                out.pop()
            if last:
                out.append("")
        else:
            out.append(segment)
    return "/".join(out)


def normalize(url: str) -> str:
    """The URL as RFC 3986 §6.2.2-3 normalizes it (scheme and host in lower case, no default
    port, unreserved escapes decoded, dot segments removed, "/" for an empty path): what `call`
    sends and what the trust rule compares. ValueError names what is wrong."""
    for position, char in enumerate(url):
        if char <= " " or char == "\x7f":
            raise ValueError(f"it contains {'a space' if char == ' ' else 'the control character ' + repr(char)} "
                             f"at position {position}")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.netloc:
        raise ValueError("only absolute http:// and https:// URLs can be sent")
    host = parts.hostname or ""
    if not host:
        raise ValueError("it names no host")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"invalid port in {parts.netloc[:80]!r}") from None
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = (f"{userinfo}@" if userinfo else "") + (f"[{host}]" if ":" in host else host)
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    path = remove_dot_segments(_decode(parts.path)) or "/"
    text = f"{scheme}://{netloc}{path}"
    if "?" in url.partition("#")[0]:
        text += "?" + parts.query
    return text + (f"#{parts.fragment}" if "#" in url else "")


def _compare_path(path: str) -> str:
    """The path as the trust rule compares it: escaped dots and slashes decoded too, since a
    server may decode them before it routes ("/api/%2e%2e/admin" is "/admin" to some)."""
    return remove_dot_segments(_decode(path, also="/\\").replace("\\", "/"), lax=True) or "/"


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = -1  # a port no server has: the same as no other origin
    port = port or DEFAULT_PORTS.get(scheme)
    return scheme, (parts.hostname or "").lower().rstrip("."), port


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
    """`url` is under `base`: same origin, and the path, compared as `_compare_path` reads it,
    starts at a segment boundary of base's path."""
    if not same_origin(url, base):
        return False
    path, prefix = _compare_path(urlsplit(url).path), _compare_path(urlsplit(base).path)
    if prefix.endswith("/"):
        return path.startswith(prefix) or path == prefix.rstrip("/")
    return path == prefix or path.startswith(prefix + "/")


def token_may_go(urls, url: str, asked: str) -> bool:
    """THE trust rule for sending a token: only to the origin of the URL the person asked for
    (`asked`; a redirect elsewhere goes without it), and within the profile's `urls` when it has
    them. Which profile may be used at all is `claimed_by`'s (or -p's) word."""
    return same_origin(url, asked) and (not urls or any(within(url, base) for base in urls))


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


def choose_profile(profiles: dict, url: str, explicit: str | None) -> str | None:
    """-p, else the profile whose `urls` claim `url` best; None when none does (then no token
    goes: the default profile is for commands that name no URL). ConfigError on a tie."""
    if explicit:
        return explicit
    best = claimed_by(profiles, url)
    if len(best) > 1:
        from oauth2cli.core.errors import ConfigError

        raise ConfigError(f"profiles {', '.join(best)} all claim {url}", hint="choose one with -p PROFILE")
    return best[0] if best else None
