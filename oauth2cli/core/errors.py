"""Exit codes and the errors that carry them (see the README's exit-code table)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1  # our side: configuration, files, store
    USAGE = 2  # click's usage errors
    SERVER_REFUSED = 3  # an RFC 6749 §5.2 error, or an answer we cannot use
    HTTP_CLIENT_ERROR = 4  # `call --fail`: 4xx from the resource
    HTTP_SERVER_ERROR = 5  # `call --fail`: 5xx from the resource
    NETWORK = 6  # connection, DNS, TLS, timeout
    LOGIN_REQUIRED = 7  # no usable token and no way to ask for one
    INTERRUPTED = 130


class OAuth2CliError(Exception):
    """An error a user should see as one line, with a documented exit code."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class ConfigError(OAuth2CliError):
    """Bad configuration, an unreadable file, a missing setting."""


class UsageError(OAuth2CliError):
    """The command line itself is wrong (exit 2): shown in click's words, with the command's usage
    line, whichever parser read it (cmdline/ or click)."""

    exit_code = ExitCode.USAGE


class HelperInputError(OAuth2CliError):
    """What git (or whoever called the helper) sent is not the credential protocol (core/gitcred.py)."""

    exit_code = ExitCode.USAGE


class StoreError(OAuth2CliError):
    """The secret store or the config file cannot be used."""


class NotImplementedYet(OAuth2CliError):
    """A command or option whose issue has not landed yet."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} is not implemented yet")


class ServerError(OAuth2CliError):
    """The authorization server refused: an RFC 6749 §5.2 error object."""

    exit_code = ExitCode.SERVER_REFUSED

    def __init__(
        self,
        error: str,
        description: str | None = None,
        uri: str | None = None,
        *,
        status: int | None = None,
        endpoint: str = "authorization server",
    ) -> None:
        self.error = error
        self.error_description = description
        self.error_uri = uri
        self.status = status
        self.endpoint = endpoint
        text = f"the {endpoint} refused: {printable(error, 100)}"
        if description:
            text += f": {printable(description)}"
        if uri:
            text += f" (see {printable(uri, 200)})"
        super().__init__(text)


class ProtocolError(OAuth2CliError):
    """The server answered, but not with anything the protocol allows."""

    exit_code = ExitCode.SERVER_REFUSED


class HttpStatusError(OAuth2CliError):
    """`oauth2 call --fail`: the resource answered 4xx (exit 4) or 5xx (exit 5)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status
        self.exit_code = ExitCode.HTTP_SERVER_ERROR if status >= 500 else ExitCode.HTTP_CLIENT_ERROR


class NetworkError(OAuth2CliError):
    """Connection refused, DNS, TLS or timeout."""

    exit_code = ExitCode.NETWORK


class LoginRequired(OAuth2CliError):
    """No usable token, and this run cannot ask a person for one."""

    exit_code = ExitCode.LOGIN_REQUIRED


def printable(text: object, limit: int = 500) -> str:
    """Text from a server, made safe for one terminal line: no control characters."""
    out = []
    for ch in str(text):
        if ch == "\n" or ch == "\t":
            out.append(" ")
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 or ch in _BIDI:
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    result = "".join(out)
    return result if len(result) <= limit else result[: limit - 1] + "…"


# Bidirectional controls reorder what a terminal shows ("Trojan Source", CVE-2021-42574).
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
