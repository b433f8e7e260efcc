"""`oauth2 call`: one authenticated HTTP request, curl's way. No click here.

The request is built from curl-style arguments, sent through an httpx client whose
OAuth2Auth (transport/auth.py) refreshes the profile's token through flows.session, and
redirects are followed here, hop by hop, so that the token (and its DPoP proof) only
ever goes to the origin it was meant for.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING
from urllib.parse import quote_plus, urlsplit

from oauth2cli.core.errors import ConfigError, ExitCode, LoginRequired, NetworkError, OAuth2CliError, ServerError
from oauth2cli.core.settings import ClientSettings

if TYPE_CHECKING:
    import httpx

    from oauth2cli.deps import Deps

REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 50  # curl's default --max-redirs
TOKEN_HEADERS = ("authorization", "dpop")


class HttpStatusError(OAuth2CliError):
    """`--fail`: the resource answered 4xx (exit 4) or 5xx (exit 5)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status
        self.exit_code = ExitCode.HTTP_SERVER_ERROR if status >= 500 else ExitCode.HTTP_CLIENT_ERROR


# -- which profile, and where its token may go ------------------------------------

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


def choose_profile(deps: Deps, url: str, explicit: str | None) -> str:
    """-p, else the profile whose `urls` best match, else the config's default."""
    if explicit:
        return explicit
    config = deps.store.config
    matches: list[tuple[int, str]] = []
    for name, values in config.profiles.items():
        for base in profile_urls(values):
            if within(url, base):
                matches.append((len(base.rstrip("/")), name))
    if matches:
        matches.sort(reverse=True)
        best = [name for length, name in matches if length == matches[0][0]]
        if len(set(best)) > 1:
            raise ConfigError(f"profiles {', '.join(sorted(set(best)))} all claim {url}", hint="choose one with -p PROFILE")
        return best[0]
    if config.default:
        return config.default
    raise ConfigError(
        f"no profile for {url}",
        hint="choose one with -p PROFILE, tie one to this API with `oauth2 profile set NAME urls URL`, "
             "or set a default with `oauth2 profile default NAME`",
    )


def token_may_go(settings: ClientSettings, url: str) -> bool:
    return not settings.urls or any(within(url, base) for base in settings.urls)


# -- the request from curl's arguments --------------------------------------------

@dataclass
class RequestSpec:
    method: str
    url: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)  # `-H 'Name:'` removes a default header, as in curl
    content: bytes | None = None
    # multipart parts (-F): (name, (filename or None for a text field, content, content type or None))
    parts: list[tuple[str, tuple[str | None, bytes, str | None]]] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None


def read_source(value: str, stdin: IO[bytes] | None, what: str) -> bytes:
    """The bytes of `@file` or `@-` (stdin)."""
    name = value[1:]
    if name == "-":
        if stdin is None:
            raise ConfigError(f"{what} @- reads stdin, which is not available")
        return stdin.read()
    try:
        with open(name, "rb") as f:
            return f.read()
    except OSError as exc:
        raise ConfigError(f"cannot read {what} file {name}: {exc.strerror or exc}") from None


def data_bytes(value: str, stdin: IO[bytes] | None, *, binary: bool) -> bytes:
    """curl -d / --data-binary: `@file` or `@-` reads; -d strips CR and LF from files as curl does."""
    if value.startswith("@"):
        raw = read_source(value, stdin, "--data")
        return raw if binary else raw.replace(b"\r", b"").replace(b"\n", b"")
    return value.encode("utf-8")


def urlencoded(value: str, stdin: IO[bytes] | None) -> str:
    """curl --data-urlencode: `content`, `=content`, `name=content`, `@file`, `name@file`."""
    eq, at = value.find("="), value.find("@")
    if eq == 0:
        return quote_plus(value[1:])
    if eq > 0 and (at < 0 or eq < at):
        return value[:eq] + "=" + quote_plus(value[eq + 1:])
    if at >= 0:
        content = read_source(value[at:], stdin, "--data-urlencode").decode("utf-8", "replace")
        encoded = quote_plus(content)
        return f"{value[:at]}={encoded}" if at > 0 else encoded
    return quote_plus(value)


def form_part(value: str, stdin: IO[bytes] | None, spec: RequestSpec) -> None:
    """curl -F: `name=value`, `name=@file[;type=...][;filename=...]`, `name=<file` (contents as a field)."""
    import os

    name, sep, rest = value.partition("=")
    if not sep or not name:
        raise ConfigError(f"-F wants name=value, name=@file or name=<file, got {value!r}")
    if rest.startswith("@"):
        path, *options = rest.split(";")
        ctype = filename = None
        for option in options:
            key, _, val = option.partition("=")
            if key.strip() == "type":
                ctype = val.strip()
            elif key.strip() == "filename":
                filename = val.strip()
        content = read_source(path, stdin, "-F")
        filename = filename or (os.path.basename(path[1:]) if path != "@-" else "-")
        spec.parts.append((name, (filename, content, ctype or "application/octet-stream")))
    elif rest.startswith("<"):
        spec.parts.append((name, (None, read_source("@" + rest[1:], stdin, "-F"), None)))
    else:
        spec.parts.append((name, (None, rest.encode("utf-8"), None)))


def header_line(value: str, spec: RequestSpec) -> None:
    """curl -H: `Name: value`; `Name:` removes a default header; `Name;` sends it empty."""
    if ":" in value:
        name, _, val = value.partition(":")
        name, val = name.strip(), val.strip()
        if not name:
            raise ConfigError(f"not a header: {value!r}")
        if not val:
            spec.removed.add(name.lower())
            return
        spec.headers.append((name, val))
    elif value.rstrip().endswith(";"):
        spec.headers.append((value.rstrip()[:-1].strip(), ""))
    else:
        raise ConfigError(f"a header is 'Name: value', got {value!r}")


# -- sending ------------------------------------------------------------------

def build_httpx_request(client: httpx.Client, spec: RequestSpec) -> httpx.Request:
    if spec.parts:
        # curl -F is always multipart/form-data, text fields too, in command-line order.
        request = client.build_request(spec.method, spec.url, headers=spec.headers, files=spec.parts)
    else:
        request = client.build_request(spec.method, spec.url, headers=spec.headers, content=spec.content)
    for name in spec.removed:
        request.headers.pop(name, None)
    request.read()  # buffered, so that a 401 or a 307 can send it again
    return request


@dataclass
class Call:
    """One `oauth2 call`: what it needs, and what happened."""

    settings: ClientSettings
    deps: Deps
    follow: bool = False
    timeout: float | None = None
    trace: Callable[[str], None] | None = None
    refreshes: int = 0
    _warned_http: bool = False

    def client(self, cacert: str | None, insecure: bool) -> httpx.Client:
        from oauth2cli.transport.http import TransportOptions, build_client

        s = self.settings
        options = TransportOptions(timeout=self.timeout or s.timeout, cacert=cacert or s.cacert,
                                   insecure=insecure or s.insecure, cert=s.cert, key=s.key)
        try:
            client = build_client(options)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot set up TLS: {exc}") from None
        if self.trace:
            client.event_hooks = {"request": [self._trace_request], "response": [self._trace_response]}
        return client

    # token plumbing ------------------------------------------------------------
    def auth(self, token_in_query: bool):
        from oauth2cli.flows import dpop as dpop_flow
        from oauth2cli.transport.auth import OAuth2Auth

        def proof(method: str, url: str, access_token: str, nonce: str | None) -> str:
            return dpop_flow.proof(self.settings, self.deps, method, url, access_token=access_token, nonce=nonce)

        def observe(url: str, headers) -> None:
            dpop_flow.remember_nonce(self.deps, url, headers)

        return OAuth2Auth(self._current_token, self._refresh, proof=proof, observe=observe,
                          token_in_query=token_in_query)

    def _current_token(self):
        from oauth2cli.flows import session

        with _login_on_refusal(self.settings):
            tokens = session.current_token(self.settings, self.deps)
        return tokens

    def _refresh(self, stale):
        from oauth2cli.flows import session

        try:
            with _login_on_refusal(self.settings):
                new = session.refresh(self.settings, self.deps, stale=stale)
        except LoginRequired as exc:
            # The 401 stands; say why it could not be cured, and let the answer through.
            self._say(f"oauth2: warning: the resource refused the token and it cannot be refreshed: {exc.message}"
                      + (f"; {exc.hint}" if exc.hint else ""))
            return None
        self.refreshes += 1
        return new

    def _say(self, text: str) -> None:
        self.deps.stderr.write(text + "\n")
        self.deps.stderr.flush()

    # sending -----------------------------------------------------------------
    def send(self, client: httpx.Client, spec: RequestSpec, *, token_in_query: bool = False,
             with_token: bool = True) -> httpx.Response:
        """The final response, open for streaming; redirects followed here when asked (-L)."""
        from oauth2cli.transport.http import describe_network_error, httpx

        first = spec.url
        request = build_httpx_request(client, spec)
        for _hop in range(MAX_REDIRECTS + 1):
            url = str(request.url)
            # The token goes only to the origin it was asked for, and only under the profile's urls.
            auth = self.auth(token_in_query) if with_token and same_origin(url, first) and token_may_go(self.settings, url) else None
            if auth is not None:
                # RFC 6750 §5.3: a bearer token only over TLS (loopback excepted, --allow-http warns).
                from oauth2cli.core.http import check_transport_security

                if check_transport_security(url, allow_http=self.settings.allow_http) and not self._warned_http:
                    self._warned_http = True
                    self._say(f"oauth2: warning: --allow-http: sending the token to {urlsplit(url).netloc} "
                              "over plain http://, unencrypted")
            try:
                response = client.send(request, auth=auth, stream=True)
            except httpx.HTTPError as exc:
                raise NetworkError(describe_network_error(exc, url, self.timeout or self.settings.timeout)) from None
            except OSError as exc:  # ssl.SSLError and friends outside httpx's mapping
                raise NetworkError(f"cannot reach {urlsplit(url).netloc}: {exc}") from None
            if not (self.follow and response.status_code in REDIRECTS and response.next_request is not None):
                return response
            request = response.next_request
            response.close()
            # Our token and proof are added again by the next hop's auth, if it may have them;
            # a header the user gave (-H Authorization) stays with its origin, as in curl.
            for name in TOKEN_HEADERS if with_token or not same_origin(str(request.url), first) else ():
                request.headers.pop(name, None)
            if token_in_query:
                request.url = request.url.copy_remove_param("access_token")
        raise NetworkError(f"more than {MAX_REDIRECTS} redirects, starting at {first}")

    # -v ----------------------------------------------------------------------
    def _trace_request(self, request: httpx.Request) -> None:
        from oauth2cli.transport.trace import mask_header, mask_url

        reveal = self.deps.reveal_secrets
        self.trace(f"> {request.method} {request.url if reveal else mask_url(str(request.url))}")
        for name, value in request.headers.multi_items():
            self.trace(f"> {name}: {value if reveal else mask_header(name, value)}")

    def _trace_response(self, response: httpx.Response) -> None:
        from oauth2cli.transport.trace import mask_header

        reveal = self.deps.reveal_secrets
        self.trace(f"< {response.http_version} {response.status_code} {response.reason_phrase}")
        for name, value in response.headers.multi_items():
            self.trace(f"< {name}: {value if reveal else mask_header(name, value)}")


@contextmanager
def _login_on_refusal(settings: ClientSettings) -> Iterator[None]:
    """A refresh token the server refuses (invalid_grant) means: log in again (exit 7)."""
    profile = settings.profile
    try:
        yield
    except ServerError as exc:
        if exc.error != "invalid_grant":
            raise
        raise LoginRequired(f"the refresh token of profile {profile!r} was refused ({exc.message})",
                            hint=f"log in again with `oauth2 login {profile}`") from None
    except LoginRequired as exc:
        if exc.hint:
            raise
        raise LoginRequired(exc.message, hint=f"log in with `oauth2 login {profile}`") from None


def body_chunks(response: httpx.Response, deadline: float | None, timeout: float) -> Iterator[bytes]:
    """The body as it arrives (decoded from any Content-Encoding), within the --max-time deadline."""
    from oauth2cli.transport.http import describe_network_error, httpx

    try:
        for chunk in response.iter_bytes():
            if deadline is not None and time.monotonic() > deadline:
                raise NetworkError(f"--max-time {timeout:g} s reached while reading the answer of {urlsplit(str(response.url)).netloc}")
            yield chunk
    except httpx.HTTPError as exc:
        raise NetworkError(describe_network_error(exc, str(response.url), timeout)) from None


