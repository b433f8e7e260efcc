"""git's credential-helper protocol (`git help credential`), pure: reading what git sends and
writing the answer. No I/O here; oauth2cli/flows/git_credential.py does the rest.

git writes `key=value` lines on the helper's stdin and ends them with a blank line or by
closing stdin (git itself does the latter). A helper answers with `key=value` lines too, and
says nothing when it has nothing, so that git asks its next helper.
"""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlsplit

from oauth2cli.core.errors import ExitCode, OAuth2CliError, printable

ACTIONS = ("get", "store", "erase")
GIT_USERNAME_DEFAULT = "oauth2"  # presets say their forge's own (providers/github.toml: x-access-token)
MAX_INPUT = 64 * 1024  # git sends a few hundred bytes


class HelperInputError(OAuth2CliError):
    """What git (or whoever called the helper) sent is not the credential protocol."""

    exit_code = ExitCode.USAGE


class CredentialRequest(NamedTuple):  # a NamedTuple, not a dataclass: git's fast path skips that import
    protocol: str | None = None
    host: str | None = None  # host[:port], as git sends it
    path: str | None = None
    username: str | None = None
    password: str | None = None

    @property
    def url(self) -> str:
        """protocol://host[:port]/path, for matching against a profile's `urls`."""
        return f"{self.protocol}://{self.host}/{(self.path or '').lstrip('/')}"


def parse_request(data: bytes) -> CredentialRequest:
    """The attributes git sent; HelperInputError (one line) when it is not the protocol."""
    if len(data) > MAX_INPUT:
        raise HelperInputError(f"credential helper input is over {MAX_INPUT // 1024} KiB; git sends a few lines")
    if b"\0" in data:
        raise HelperInputError("credential helper input contains a NUL byte; git sends key=value text lines")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise HelperInputError("credential helper input is not UTF-8 text; git sends key=value lines") from None
    values: dict[str, str] = {}
    for line in text.split("\n"):
        line = line.removesuffix("\r")
        if not line:
            break  # the blank line that ends the attributes (end of input does too)
        key, sep, value = line.partition("=")
        if not sep or not key:
            raise HelperInputError(f"credential helper input line {printable(line, 60)!r} is not key=value",
                                   hint="git sends lines such as protocol=https and host=example.com")
        values[key] = value  # a repeated key: the last one wins, as in git; unknown keys are ignored
    if "url" in values:
        # `url=` stands for its parts (git's credential_from_url); explicit keys given after it win in git,
        # here the explicit ones always win.
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
        raise HelperInputError("credential helper input has no host= line",
                               hint="git sends protocol=https and host=example.com")
    if not request.protocol:
        raise HelperInputError("credential helper input has no protocol= line",
                               hint="git sends protocol=https and host=example.com")
    if any(c in request.host for c in "/ \t") or not _port_ok(request.host):
        raise HelperInputError(f"credential helper input has a malformed host {printable(request.host, 80)!r}")
    return request


def _port_ok(host: str) -> bool:
    if host.startswith("["):  # [::1]:8443
        rest = host.partition("]")[2]
        return not rest or (rest.startswith(":") and rest[1:].isdigit())
    if ":" not in host:
        return True
    port = host.rpartition(":")[2]
    return port.isdigit() and 0 < int(port) < 65536


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
