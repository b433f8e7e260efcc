"""The words for a network fault, and the once-per-run warnings, shared by both transports
(transport/http.py with httpx, transport/wire.py by default), so that the same fault or
warning reads the same whichever sent the request. No urllib here: the wire client does
without it."""

from __future__ import annotations

from oauth2cli.core.errors import NetworkError

TLS_HINT = "for a private CA give --cacert PATH or set SSL_CERT_FILE"
_C0_AND_SPACE = "".join(chr(i) for i in range(0x21))


def netloc(url: str) -> str:
    """The authority of `url` as written (what urllib's urlsplit calls netloc), without any
    user:password@ in front: a password does not belong in an error message."""
    url = url.strip(_C0_AND_SPACE).replace("\t", "").replace("\r", "").replace("\n", "")
    scheme, colon, rest = url.partition(":")
    if not (colon and scheme[:1].isascii() and scheme[:1].isalpha()
            and all(c.isascii() and (c.isalnum() or c in "+-.") for c in scheme)):
        rest = url
    if not rest.startswith("//"):
        return ""
    rest = rest[2:]
    end = min([rest.find(c) for c in "/?#" if c in rest] or [len(rest)])
    return rest[:end].rpartition("@")[2]


def where(url: str) -> str:
    """HOST:PORT as the URL says it, for messages."""
    return netloc(url) or url


def hostname(url: str) -> str | None:
    """The host alone, lower-cased, IPv6 without its brackets (urlsplit's hostname)."""
    host = netloc(url)
    if host.startswith("["):
        host = host[1:].partition("]")[0]
    else:
        host = host.partition(":")[0]
    return host.lower() or None


def timed_out(url: str, timeout: float, kind: str) -> str:
    """kind: ConnectTimeout, ReadTimeout or WriteTimeout, as httpx names its timeouts."""
    return f"no answer from {where(url)} within {timeout:g} s ({kind})"


def describe(text: str, url: str, *, protocol: bool = False) -> str:
    """A fault that is not a timeout, from the text of the exception that reported it.
    protocol: the server answered with something that is not HTTP/1.1, or stopped midway."""
    at = where(url)
    lowered = text.lower()
    if "certificate" in lowered or "ssl" in lowered or "tls" in lowered:
        return f"TLS failure talking to {at}: {text}"
    if "connection refused" in lowered or "errno 111" in lowered:
        return f"connection refused by {at}"
    if "name or service not known" in lowered or "nodename nor servname" in lowered or "getaddrinfo" in lowered:
        return f"cannot resolve host {hostname(url)!r}"
    if protocol:
        return f"{at} broke off the HTTP exchange: {text}"
    return f"cannot reach {at}: {text}"


def network_error(message: str) -> NetworkError:
    """The error for a described fault: a certificate that does not verify says what to do."""
    if message.startswith("TLS failure") and "verify failed" in message:
        return NetworkError(message, hint=TLS_HINT)
    return NetworkError(message)


def max_time_reached(timeout: float, url: str) -> NetworkError:
    """`oauth2 call --max-time` passed while the answer's body was still coming."""
    return NetworkError(f"--max-time {timeout:g} s reached while reading the answer of {netloc(url)}")


def whole_exchange_timeout(url: str, timeout: float) -> NetworkError:
    """The client's own deadline for the whole exchange (--timeout) passed."""
    return NetworkError(f"no complete answer from {netloc(url)} within {timeout:g} s (--timeout)")


def stderr_warning(message: str) -> None:
    import sys

    sys.stderr.write(f"oauth2: warning: {message}\n")
    sys.stderr.flush()


class Warnings:
    """What an HTTP client warns about, each at most once per client: --insecure, and plain
    http:// to a host other than loopback under --allow-http (once per host)."""

    def __init__(self, warn=None) -> None:
        self._warn = warn or stderr_warning
        self._given: set[str] = set()

    def once(self, key: str, message: str) -> None:
        if key not in self._given:
            self._given.add(key)
            self._warn(message)

    def insecure(self) -> None:
        self.once("insecure", "--insecure: TLS certificates are not verified; anyone on the network path can read "
                              "and change this exchange")

    def plain_http(self, url: str) -> None:
        host = netloc(url)
        self.once("http:" + host, f"--allow-http: sending to {host} over plain http://, unencrypted")
