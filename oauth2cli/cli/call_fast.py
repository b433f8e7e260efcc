"""The fast path of `oauth2 call`: a GET or HEAD with a fresh stored Bearer token, sent before
click or httpx is imported (transport/wire.py), printed by the same code as the full path
(cli/call_output.py).

It serves `oauth2 call [-p PROFILE] [GET|HEAD] URL` with -H, -i, -I, -s, -f, -o FILE and
--max-time, on a pipe, into a file or on a terminal (pretty JSON and the summary line, drawn by
the same code). Before anything is sent, any doubt hands the call to the full path untouched
(returns None): another option, an OAUTH2_* variable, a proxy in the environment, a profile chosen by nothing, a profile or
preset with a setting that changes how requests are sent (DPoP, mTLS, --cacert, compliance
fixes, plain http off loopback), a URL outside the profile's `urls`, a token that is missing,
stale or not Bearer. Once the request is sent the answer is this path's: a 401 (the token may
need a refresh, or the resource a stronger sign-in) is the one answer given back to the full
path, which sends the request again — so only GET and HEAD, which RFC 9110 §9.2.1 makes safe to
repeat, are served here.
"""

from __future__ import annotations

import os
import sys

from oauth2cli.cli.fast import FLAG, VALUE, VALUES, parse, seconds

TYPE_CHECKING = False  # typing costs ~5 ms to import; this path does without it
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

OPTIONS = {
    "-p": ("profile", VALUE), "--profile": ("profile", VALUE),
    "-X": ("request", VALUE), "--request": ("request", VALUE),
    "-H": ("headers", VALUES), "--header": ("headers", VALUES),
    "-i": ("include", FLAG), "--include": ("include", FLAG),
    "-I": ("head", FLAG), "--head": ("head", FLAG),
    "-o": ("output", VALUE), "--output": ("output", VALUE),
    "-s": ("silent", FLAG), "--silent": ("silent", FLAG),
    "-f": ("fail", FLAG), "--fail": ("fail", FLAG),
    "--max-time": ("max_time", VALUE),
}
SAFE = ("GET", "HEAD")
METHOD_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ-_")  # cli/call.py's
# Profile keys that change how a request is sent: the full path does those.
SENDING_KEYS = ("cacert", "insecure", "cert", "key", "allow_http", "dpop", "compliance_fixes", "fapi2")
DEFAULT_TIMEOUT = 30.0  # core.settings.ClientSettings.timeout (tests keep the two equal)


class Options:
    """What cli/call_output.render_response reads of cli/call_spec.CallOptions."""

    def __init__(self, values: dict) -> None:
        self.include = bool(values.get("include"))
        self.head = bool(values.get("head"))
        self.output = values.get("output")
        self.silent = bool(values.get("silent"))
        self.fail = bool(values.get("fail"))
        self.max_time: float | None = values.get("max_time")


class Streams:
    """The part of Deps that render_response uses: the streams, and Deps.use_color's rule."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.stdout, self.stderr, self.environ = sys.stdout, sys.stderr, environ

    def use_color(self, stream) -> bool:
        if "NO_COLOR" in self.environ or self.environ.get("TERM") == "dumb":
            return False
        from oauth2cli.cli.call_output import _isatty

        return _isatty(stream)


class NoRefresh:
    refreshes = 0


def plain_call(args: list[str], environ: Mapping[str, str]) -> tuple[dict, str, str] | None:
    """(options, method, URL) of a call this path serves, else None."""
    if args[:1] != ["call"]:
        return None
    if any(name.startswith("OAUTH2_") and name != "OAUTH2_CLIENT_SECRET" for name in environ):
        return None  # flags in disguise (an ad-hoc call among them)
    from oauth2cli.transport.wire import proxied

    if proxied(environ):
        return None  # httpx honours proxies, as curl does
    parsed = parse(args[1:], OPTIONS)
    if parsed is None:
        return None
    values, positional = parsed
    if len(positional) == 1:
        method_arg, url = None, positional[0]
    elif len(positional) == 2 and positional[0] and set(positional[0]) <= METHOD_CHARS:
        method_arg, url = positional
    else:
        return None
    if not url.lower().startswith(("http://", "https://")):
        return None
    explicit = values.get("request") or method_arg
    method = explicit or ("HEAD" if values.get("head") else "GET")
    if method not in SAFE or (values.get("head") and method != "HEAD"):
        return None
    if "max_time" in values:
        values["max_time"] = seconds(values["max_time"])
        if values["max_time"] is None:
            return None
    output = values.get("output")
    if output not in (None, "-") and (not output or os.path.isdir(output)):
        return None  # click's Path(dir_okay=False) says what is wrong
    return values, method, url


def _route(environ: Mapping[str, str], url: str, explicit: str | None) -> tuple[str, float] | None:
    """(profile, timeout) when this path may send the profile's token to `url`."""
    from oauth2cli.core.origins import choose_profile, profile_urls, within
    from oauth2cli.core.errors import ConfigError
    from oauth2cli.store import view

    config = view.read_config(environ)
    if not config or not isinstance(config.get("profiles"), dict):
        return None
    profiles, default = config["profiles"], config.get("default")
    try:
        name = choose_profile(profiles, default, url, explicit)
    except ConfigError:
        return None  # no profile, or a tie: the full path discovers (RFC 9728) or says so
    settings = view.settings(environ, name, profiles.get(name))  # the profile over its preset
    if settings is None or any(key in settings for key in SENDING_KEYS):
        return None
    urls = profile_urls(settings)
    if urls and not any(within(url, base) for base in urls):
        return None  # outside the profile's urls (or under a URL its token answer named): the full path decides
    timeout = settings.get("timeout")
    if timeout is None:
        timeout = DEFAULT_TIMEOUT
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        return None
    return name, float(timeout)


def serve(args: list[str], environ: Mapping[str, str], full_path: Callable[[list[str]], None]) -> int | None:
    """The exit code of a call answered here, or None for the full path."""
    plain = plain_call(args, environ)
    if plain is None:
        return None
    values, method, url = plain
    from urllib.parse import urlsplit

    from oauth2cli.core.origins import is_loopback_host

    parts = urlsplit(url)
    if not parts.hostname or (parts.scheme.lower() == "http" and not is_loopback_host(parts.hostname)):
        return None  # RFC 6750 §5.3: plain http off loopback is the full path's to refuse or warn about
    route = _route(environ, url, values.get("profile"))
    if route is None:
        return None
    name, timeout = route
    from oauth2cli.core.errors import ConfigError
    from oauth2cli.core.header_arg import header_arg

    headers: list[tuple[str, str]] = []
    removed: set[str] = set()
    try:
        for value in values.get("headers", ()):
            field, text = header_arg(value)
            if text is None:
                removed.add(field.lower())
            else:
                headers.append((field, text))
    except ConfigError:
        return None  # the full path says what is wrong with it
    if {field.lower() for field, _ in headers} & {"authorization", "host"} or "host" in removed:
        return None  # an explicit Authorization wins in the full path; Host is httpx's to write
    import time

    from oauth2cli.store.view import fresh_token

    hit = fresh_token(environ, name, None, time.time)
    if not hit or hit[1] != "Bearer":
        return None
    return _send(values, method, url, headers, removed, hit[0], timeout, args, environ, full_path)


def _send(values: dict, method: str, url: str, headers: list[tuple[str, str]], removed: set[str], access_token: str,
          timeout: float, args: list[str], environ: Mapping[str, str], full_path: Callable[[list[str]], None]) -> int:
    import time

    from oauth2cli.core.errors import OAuth2CliError
    from oauth2cli.cli.fast import say_error
    from oauth2cli.transport import wire

    opts = Options(values)
    started = time.monotonic()
    deadline = started + opts.max_time if opts.max_time else None
    headers = [*headers, ("Authorization", f"Bearer {access_token}")]
    try:
        # --max-time is the per-operation timeout until the answer's head is in, and then a deadline
        # checked between pieces of the body: what the full path does (flows/call.py, body_chunks).
        response = wire.open_response(method, url, headers, None, timeout=opts.max_time or timeout, removed=removed)
    except wire.Unsupported:
        return None  # nothing was sent: httpx takes it
    except OAuth2CliError as exc:
        return say_error(exc)
    try:
        if response.status_code == 401:
            _hand_over_401(response, method, headers[-1][1])
            response.close()
            full_path(args)  # a refresh and a replay, a step-up, a hint: the full path's (it exits)
        from oauth2cli.cli.call_output import render_response

        chunks = _body(response, deadline, opts.max_time or timeout)
        render_response(opts, Streams(environ), NoRefresh(), response, started, deadline, chunks=chunks)
        return 0
    except BrokenPipeError:
        raise
    except OAuth2CliError as exc:
        return say_error(exc)
    except OSError as exc:  # the network's are NetworkErrors already (transport/wire.py): this is ours
        return say_error(OAuth2CliError(f"cannot write the answer: {exc.strerror or exc}"))
    finally:
        response.close()


def _body(response, deadline: float | None, timeout: float):
    """The decoded body as it arrives, within --max-time (flows/call.body_chunks' words)."""
    import time

    from oauth2cli.transport.faults import max_time_reached

    for chunk in response.iter_bytes():
        if deadline is not None and time.monotonic() > deadline:
            raise max_time_reached(timeout, response.url)
        yield chunk


def _hand_over_401(response, method: str, authorization: str) -> None:
    """Keep the 401 for the full path, which takes it as the answer to its own first request
    (flows/call_replay.py), so the resource is not asked twice. A body too big to keep is not:
    then the full path asks again."""
    from oauth2cli.core.errors import OAuth2CliError
    from oauth2cli.flows.call_replay import MAX_BODY, Answer, keep

    body = b""
    try:
        for piece in response.iter_raw():
            body += piece
            if len(body) > MAX_BODY:
                return
    except OAuth2CliError:
        return  # a 401 that broke off: the full path asks again and says what happens
    keep(Answer(method, response.url, authorization, response.status_code, response.reason_phrase,
                response.http_version, list(response.headers.raw), body))
