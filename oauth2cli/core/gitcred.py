"""git's credential-helper protocol (`git help credential`), pure: reading what git sends and
writing the answer. No I/O here; oauth2cli/flows/helpers/git_credential.py does the rest.

git writes `key=value` lines on the helper's stdin and ends them with a blank line or by
closing stdin (git itself does the latter). A helper answers with `key=value` lines too, and
says nothing when it has nothing, so that git asks its next helper.

git runs the helper on every fetch, and its first step (flows/helpers/helper_view.py) answers a fresh
token with this module: so it imports no typing, no enum (core.errors, only to raise) and no
urllib.parse (only for `url=` lines and for matching a profile's `urls`).
"""

from __future__ import annotations

ACTIONS = ("get", "store", "erase")
GIT_USERNAME_DEFAULT = "oauth2"  # presets say their forge's own (providers/github.toml: x-access-token)
MAX_INPUT = 64 * 1024  # git sends a few hundred bytes


PROTOCOLS = ("https", "http")  # a token is an HTTP credential; git asks helpers about smtp and cert too


def __getattr__(name: str):
    if name == "HelperInputError":  # lives in core.errors, so that this module need not import it
        from oauth2cli.core.errors import HelperInputError

        return HelperInputError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _refuse(message: str, hint: str | None = None):
    from oauth2cli.core.errors import HelperInputError

    return HelperInputError(message, hint=hint)


def _printable(text: object, limit: int) -> str:
    from oauth2cli.core.errors import printable

    return printable(text, limit)


class CredentialRequest:  # a plain class, not a NamedTuple or dataclass: git's fast path skips typing
    __slots__ = ("protocol", "host", "path", "username", "password")

    def __init__(self, protocol: str | None = None, host: str | None = None, path: str | None = None,
                 username: str | None = None, password: str | None = None) -> None:
        self.protocol = protocol
        self.host = host  # host[:port], as git sends it
        self.path = path
        self.username = username
        self.password = password

    def _fields(self) -> tuple:
        return self.protocol, self.host, self.path, self.username, self.password

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CredentialRequest) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return "CredentialRequest(" + ", ".join(f"{k}={v!r}" for k, v in zip(self.__slots__, self._fields())) + ")"

    @property
    def url(self) -> str:
        """protocol://host[:port]/path, for matching against a profile's `urls`."""
        return f"{self.protocol}://{self.host}/{(self.path or '').lstrip('/')}"


def parse_request(data: bytes) -> CredentialRequest:
    """The attributes git sent; HelperInputError (one line) when it is not the protocol."""
    if len(data) > MAX_INPUT:
        raise _refuse(f"credential helper input is over {MAX_INPUT // 1024} KiB; git sends a few lines")
    if b"\0" in data:
        raise _refuse("credential helper input contains a NUL byte; git sends key=value text lines")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse("credential helper input is not UTF-8 text; git sends key=value lines") from None
    values: dict[str, str] = {}
    for line in text.split("\n"):
        line = line.removesuffix("\r")
        if not line:
            break  # the blank line that ends the attributes (end of input does too)
        key, sep, value = line.partition("=")
        if not sep or not key:
            raise _refuse(f"credential helper input line {_printable(line, 60)!r} is not key=value",
                          hint="git sends lines such as protocol=https and host=example.com")
        values[key] = value  # a repeated key: the last one wins, as in git; unknown keys are ignored
    if "url" in values:
        # `url=` stands for its parts (git's credential_from_url); explicit keys given after it win in git,
        # here the explicit ones always win.
        from urllib.parse import urlsplit

        parts = urlsplit(values["url"])
        netloc = parts.netloc.rpartition("@")[2]
        for key, part in (("protocol", parts.scheme), ("host", netloc), ("path", parts.path.lstrip("/"))):
            if part and key not in values:
                values[key] = part
    request = CredentialRequest(
        protocol=values.get("protocol") or None, host=values.get("host") or None, path=values.get("path") or None,
        username=values.get("username") or None, password=values.get("password") or None,
    )
    if not request.host:
        raise _refuse("credential helper input has no host= line",
                      hint="git sends protocol=https and host=example.com")
    if not request.protocol:
        raise _refuse("credential helper input has no protocol= line",
                      hint="git sends protocol=https and host=example.com")
    if not host_ok(request.host):
        raise _refuse(f"credential helper input has a malformed host {_printable(request.host, 80)!r}",
                      hint="git sends a host name or address, with an optional :port")
    return request


_IPV6 = frozenset("0123456789abcdefABCDEF:.")


def host_ok(host: str) -> bool:
    """A host name (letters, digits, '-', '_', dots between labels), an IPv4 address or an IPv6 one in
    brackets, and an optional :port; nothing else (no '#', '?', '@', '/', spaces or control characters)."""
    if host.startswith("["):  # [::1]:8443
        address, bracket, rest = host[1:].partition("]")
        if not (address and bracket) or not set(address) <= _IPV6:
            return False
    else:
        address, colon, port = host.partition(":")
        rest = colon + port
        labels = address.removesuffix(".").split(".")
        if not all(label and all(c.isalnum() or c in "-_" for c in label) for label in labels):
            return False
    if not rest:
        return True
    port = rest[1:]
    return rest[0] == ":" and port.isascii() and port.isdigit() and 0 < int(port) < 65536


def git_username(*layers: dict) -> str:
    """The username git sends with the token: the first layer's `git_username` (profile, then
    preset), else oauth2."""
    for layer in layers:
        value = layer.get("git_username")
        if isinstance(value, str) and value:
            return value
    return GIT_USERNAME_DEFAULT


def format_answer(username: str, password: str, expires_at: float | None) -> str:
    """What `get` prints (git ≥ 2.41 drops a stored password past password_expiry_utc)."""
    for value in (username, password):
        if "\n" in value or "\0" in value:
            raise ValueError("a credential value cannot hold a newline or NUL")
    lines = [f"username={username}", f"password={password}"]
    if expires_at is not None:
        lines.append(f"password_expiry_utc={int(expires_at)}")
    return "\n".join(lines) + "\n"


def covers(request: CredentialRequest, base: str) -> bool:
    """`base` (a profile url) covers what git asks about: its origin, and its path when git sent one."""
    from oauth2cli.core.origins import same_origin, within  # here: `-p PROFILE` (setup-git's helper) needs no matching

    return within(request.url, base) if request.path else same_origin(request.url, base)


def match_profile(profiles: dict, request: CredentialRequest) -> str | None:
    """The profile whose `urls` cover the request most narrowly; None when none does."""
    from oauth2cli.core.origins import profile_urls

    matches = sorted(((len(base.rstrip("/")), name) for name, values in profiles.items()
                      if isinstance(values, dict) for base in profile_urls(values) if covers(request, base)),
                     reverse=True)
    if not matches:
        return None
    best = sorted({name for length, name in matches if length == matches[0][0]})
    if len(best) > 1:
        from oauth2cli.core.errors import ConfigError

        raise ConfigError(f"profiles {', '.join(best)} all claim {request.protocol}://{request.host}",
                          hint="name one in the helper: `oauth2 setup-git PROFILE --host URL`")
    return best[0]
