"""`oauth2 call`: make an authenticated HTTP request, like curl, with a token that refreshes itself."""

from __future__ import annotations

from dataclasses import dataclass

import click

from oauth2cli.cli import render
from oauth2cli.cli.params import PROFILE

METHOD_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ-_")


@dataclass
class CallOptions:
    args: tuple[str, ...]
    profile: str | None = None
    request: str | None = None
    headers: tuple[str, ...] = ()
    data: tuple[tuple[str, str], ...] = ()  # (flag, value) in command-line order: -d, --data-binary, ...
    json: tuple[str, ...] = ()
    form: tuple[str, ...] = ()
    get: bool = False
    include: bool = False
    head: bool = False
    output: str | None = None
    silent: bool = False
    fail: bool = False
    location: bool = False
    max_time: float | None = None
    cacert: str | None = None
    insecure: bool = False
    allow_http: bool = False
    verbose: bool = False
    print_curl: bool = False


def split_args(args: tuple[str, ...]) -> tuple[str | None, str]:
    if len(args) == 1:
        return None, args[0]
    if len(args) == 2 and args[0] and set(args[0]) <= METHOD_CHARS:
        return args[0], args[1]
    raise click.UsageError("expected [METHOD] URL, e.g. `oauth2 call POST https://api.example.com/items`")


def build_spec(opts: CallOptions, method_arg: str | None, url: str, stdin):
    """The request curl would send for these options (files and stdin read here)."""
    from oauth2cli.flows import call as flow

    if sum(bool(x) for x in (opts.data, opts.json, opts.form)) > 1:
        raise click.UsageError("choose one of -d/--data (and its variants), --json and -F/--form")
    if opts.head and (opts.data or opts.json or opts.form):
        raise click.UsageError("-I/--head sends no body; drop -d/--json/-F")
    spec = flow.RequestSpec(method="GET", url=url)
    for value in opts.headers:
        flow.header_line(value, spec)
    body: bytes | None = None
    if opts.data:
        pieces = []
        for flag, value in opts.data:
            if flag == "--data-urlencode":
                pieces.append(flow.urlencoded(value, stdin).encode("utf-8"))
            elif flag == "--data-raw":
                pieces.append(value.encode("utf-8"))
            else:
                pieces.append(flow.data_bytes(value, stdin, binary=flag == "--data-binary"))
        body = b"&".join(pieces)  # curl joins several -d with '&'
        if not opts.get and spec.header("content-type") is None and "content-type" not in spec.removed:
            spec.headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    if opts.json:
        # curl 7.82+ --json: the data as is, several concatenated, JSON content type and accept.
        body = b"".join(flow.data_bytes(v, stdin, binary=True) for v in opts.json)
        if spec.header("content-type") is None:
            spec.headers.append(("Content-Type", "application/json"))
        if spec.header("accept") is None:
            spec.headers.append(("Accept", "application/json"))
    for value in opts.form:
        flow.form_part(value, stdin, spec)
    if opts.get and body is not None:
        # -G: the data becomes the query string.
        text = body.decode("utf-8", "replace")
        spec.url = url + ("&" if "?" in url else "?") + text
        body = None
    spec.content = body
    explicit = opts.request or method_arg
    if explicit:
        spec.method = explicit
    elif opts.head:
        spec.method = "HEAD"
    elif opts.get:
        spec.method = "GET"
    elif body is not None or spec.parts:
        spec.method = "POST"  # data without a method means POST, as in curl
    return spec


def run_call(opts: CallOptions, deps) -> None:
    import sys
    import time
    from dataclasses import replace

    from oauth2cli.core.errors import ConfigError
    from oauth2cli.flows import call as flow
    from oauth2cli.flows import settings as settings_flow

    method_arg, url = split_args(opts.args)
    if not url.lower().startswith(("http://", "https://")):
        raise click.UsageError(f"URL must start with http:// or https://, got {url!r}")
    verbose = opts.verbose or deps.verbose > 0  # `oauth2 -v call` and `oauth2 call -v` alike
    if verbose:
        deps.verbose = max(deps.verbose, 1)  # token endpoint traffic is traced too
    profile = flow.choose_profile(deps, url, opts.profile)
    settings = settings_flow.resolve({}, deps, profile)
    # `urls` may be one string or a list in config.toml
    settings = replace(settings, urls=tuple(flow.profile_urls(deps.store.profile(profile))),
                       allow_http=settings.allow_http or opts.allow_http)
    if not flow.token_may_go(settings, url):
        raise ConfigError(f"the token of profile {profile!r} may only go to {', '.join(settings.urls)}; not to {url}",
                          hint=f"add the URL with `oauth2 profile set {profile} urls ...`, or choose another profile with -p")
    stdin = getattr(deps.stdin, "buffer", None) or sys.stdin.buffer
    spec = build_spec(opts, method_arg, url, stdin)
    fixes = set(settings.compliance_fixes)
    with_token = spec.header("authorization") is None  # an explicit -H Authorization wins, as in curl
    spec = apply_protected_request_fixes(settings, spec)

    if opts.print_curl:
        _line(deps.stdout, curl_command(opts, spec, settings, deps, with_token))
        return
    if opts.insecure:
        _line(deps.stderr, "oauth2: warning: --insecure: the server's TLS certificate is not checked")

    call = flow.Call(settings, deps, follow=opts.location, timeout=opts.max_time,
                     trace=_stderr_line(deps) if verbose else None)
    started = time.monotonic()
    deadline = started + opts.max_time if opts.max_time else None
    with call.client(opts.cacert, opts.insecure) as client:
        response = call.send(client, spec, token_in_query="token_in_query" in fixes, with_token=with_token)
        try:
            _render(opts, deps, call, response, started, deadline)
        finally:
            response.close()


def apply_protected_request_fixes(settings, spec):
    """The seed's `protected_request` hook, with a fixed set of fixes until core/compliance lands:
    `query_param:NAME=VALUE` adds a query parameter to every call (Stack Overflow's `site=`);
    `token_in_query` is handled by the auth flow (RFC 6750 §2.3)."""
    from urllib.parse import urlencode

    extra = []
    for fix in settings.compliance_fixes:
        if fix.startswith("query_param:") and "=" in fix:
            name, _, value = fix[len("query_param:"):].partition("=")
            extra.append((name, value))
    if extra:
        spec.url += ("&" if "?" in spec.url else "?") + urlencode(extra)
    return spec


def _line(stream, text: str) -> None:
    stream.write(text + "\n")
    stream.flush()


def _stderr_line(deps):
    def line(text: str) -> None:
        from oauth2cli.core.errors import printable

        deps.stderr.write(printable(text, 4000) + "\n")

    return line


def _render(opts: CallOptions, deps, call, response, started: float, deadline: float | None) -> None:
    import time

    from oauth2cli.core.errors import ConfigError, printable
    from oauth2cli.flows import call as flow

    status = response.status_code
    failed = opts.fail and status >= 400
    out = _binary_stdout(deps)
    to_terminal = _isatty(deps.stdout) and not (opts.output and opts.output != "-")
    if (opts.include or opts.head) and not failed:
        out.write(_head_block(response, b"\n" if to_terminal else b"\r\n"))
        out.flush()
    size = 0
    chunks = flow.body_chunks(response, deadline, opts.max_time or call.settings.timeout)
    if failed:
        excerpt = b""
        for chunk in chunks:
            excerpt += chunk
            if len(excerpt) > 400:
                break
        text = " ".join(excerpt.decode("utf-8", "replace").split())[:200]
        from oauth2cli.transport.trace import mask_url

        raise flow.HttpStatusError(
            f"HTTP {status} {printable(response.reason_phrase, 60)} from {printable(mask_url(str(response.url)), 200)}"
            + (f": {printable(text)}" if text else ""), status)
    if opts.head:
        pass
    elif opts.output and opts.output != "-":
        try:
            with open(opts.output, "wb") as f:
                for chunk in chunks:
                    f.write(chunk)
                    size += len(chunk)
        except OSError as exc:
            raise ConfigError(f"cannot write {opts.output}: {exc.strerror or exc}") from None
    elif to_terminal and opts.output != "-":
        body = b"".join(chunks)
        size = len(body)
        _pretty(deps, response, body)
    else:
        for chunk in chunks:
            out.write(chunk)
            size += len(chunk)
    out.flush()
    if not opts.silent and _isatty(deps.stderr) and (to_terminal or opts.output):
        ms = (time.monotonic() - started) * 1000
        ctype = response.headers.get("content-type", "").split(";")[0] or "no content type"
        note = " · token refreshed" if call.refreshes else ""
        deps.stderr.write(f"HTTP {status} {printable(response.reason_phrase, 60)} · {ctype} · {_size(size)} · {ms:.0f} ms{note}\n")


def _head_block(response, newline: bytes) -> bytes:
    """The status line and headers as they came (names in their own case), like curl -i."""
    version = response.http_version or "HTTP/1.1"
    lines = [f"{version} {response.status_code} {response.reason_phrase}".rstrip().encode("latin-1", "replace")]
    lines += [name + b": " + value for name, value in response.headers.raw]
    return newline.join(lines) + newline + newline


def _pretty(deps, response, body: bytes) -> None:
    import json

    ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json" or ctype.endswith("+json"):
        try:
            value = json.loads(body)
        except ValueError:
            value = None
        else:
            text = json.dumps(value, indent=2, ensure_ascii=False)
            if deps.use_color(deps.stdout):
                from rich.console import Console
                from rich.json import JSON

                Console(file=deps.stdout, soft_wrap=True).print(JSON(text))
            else:
                deps.stdout.write(text + "\n")
            return
    if b"\x00" in body[:8192]:
        # curl's rule: binary output can mess up a terminal.
        _line(deps.stderr, "oauth2: warning: binary output can mess up your terminal; use `-o FILE`, or `-o -` to print it anyway")
        return
    text = body.decode("utf-8", "replace")
    deps.stdout.write(text if text.endswith("\n") or not text else text + "\n")


def _size(n: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return str(n)


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class _TextBytes:
    """Bytes onto a text stream that has no buffer (a StringIO in tests)."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def write(self, data: bytes) -> None:
        self.stream.write(data.decode("utf-8", "replace"))

    def flush(self) -> None:
        self.stream.flush()


def _binary_stdout(deps):
    stream = deps.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        return _TextBytes(stream)
    stream.flush()
    return buffer


def curl_command(opts: CallOptions, spec, settings, deps, with_token: bool) -> str:
    """The same request as a curl command line; the token masked unless --reveal-secrets."""
    import shlex

    from oauth2cli.flows import call as flow

    words = ["curl"]
    if spec.method != _curl_default_method(spec):
        words += ["-X", spec.method]
    words.append(spec.url)
    if with_token:
        tokens = flow.Call(settings, deps)._current_token()
        reveal = deps.reveal_secrets
        dpop = tokens.token_type.lower() == "dpop"
        value = tokens.access_token if reveal else "***"
        words += ["-H", f"{'DPoP' if dpop else 'Bearer'} {value}".join(("Authorization: ", ""))]
        if dpop:
            from oauth2cli.flows import dpop as dpop_flow

            proof = dpop_flow.proof(settings, deps, spec.method, spec.url, access_token=tokens.access_token) if reveal else "***"
            words += ["-H", f"DPoP: {proof}"]
    for value in opts.headers:
        words += ["-H", value]
    for flag, value in opts.data:
        words += [flag, value]
    for value in opts.json:
        words += ["--json", value]
    for value in opts.form:
        words += ["-F", value]
    for flag, on in (("-G", opts.get), ("-i", opts.include), ("-I", opts.head), ("-s", opts.silent),
                     ("-f", opts.fail), ("-L", opts.location), ("-k", opts.insecure)):
        if on:
            words.append(flag)
    for flag, value in (("--max-time", opts.max_time), ("--cacert", opts.cacert), ("-o", opts.output)):
        if value is not None:
            words += [flag, f"{value:g}" if isinstance(value, float) else value]
    return " ".join(shlex.quote(w) for w in words)


def _curl_default_method(spec) -> str:
    if spec.parts or spec.content is not None:
        return "POST"
    return "GET"


_FLAG_OF = {"data": "-d", "data_binary": "--data-binary", "data_raw": "--data-raw", "data_urlencode": "--data-urlencode"}


class _CurlCommand(click.Command):
    """Remembers the order of the data options: curl joins -d, --data-binary, ... as they come."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            _, _, order = self.make_parser(ctx).parse_args(args=list(args))
        except click.UsageError:
            order = []
        ctx.meta["oauth2cli.call.data_order"] = [p.name for p in order if p.name in _FLAG_OF]
        return super().parse_args(ctx, args)


def _data_in_order(ctx: click.Context, **values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    queues = {name: list(v) for name, v in values.items()}
    ordered = [(_FLAG_OF[name], queues[name].pop(0)) for name in ctx.meta.get("oauth2cli.call.data_order", [])
               if queues.get(name)]
    for name, rest in queues.items():
        ordered.extend((_FLAG_OF[name], v) for v in rest)
    return tuple(ordered)


@click.command(cls=_CurlCommand, short_help="Make an authenticated HTTP request, like curl, with a token that refreshes itself.")
@click.argument("args", nargs=-1, required=True, metavar="[METHOD] URL")
@click.option("-p", "--profile", type=PROFILE, help="The profile whose token to send (default: the one whose urls match, "
                                                     "else the default profile).")
@click.option("-X", "--request", "request", metavar="METHOD", help="The request method (default GET, or POST with data).")
@click.option("-H", "--header", "headers", multiple=True, metavar="'NAME: VALUE'",
              help="Extra header (repeatable); 'Name:' removes a default header.")
@click.option("-d", "--data", "data", multiple=True, metavar="DATA",
              help="Request body, form-encoded (repeatable, joined with &); @FILE or @- for stdin.")
@click.option("--data-binary", "data_binary", multiple=True, metavar="DATA", help="Like -d, but a file is sent as is.")
@click.option("--data-raw", "data_raw", multiple=True, metavar="DATA", help="Like -d, without @ file handling.")
@click.option("--data-urlencode", "data_urlencode", multiple=True, metavar="DATA",
              help="Data to URL-encode: content, name=content, @FILE or name@FILE.")
@click.option("--json", "json_", multiple=True, metavar="DATA",
              help="JSON body (@FILE, @-); sets Content-Type and Accept to application/json.")
@click.option("-F", "--form", "form", multiple=True, metavar="NAME=VALUE",
              help="multipart/form-data part: name=value, name=@FILE[;type=...], name=<FILE.")
@click.option("-G", "--get", "get", is_flag=True, help="Put the data in the URL's query and send a GET.")
@click.option("-i", "--include", is_flag=True, help="Print the status line and headers before the body.")
@click.option("-I", "--head", is_flag=True, help="Send HEAD and print the status line and headers.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), metavar="FILE",
              help="Write the body to FILE (streamed), '-' for stdout.")
@click.option("-s", "--silent", is_flag=True, help="No status summary on stderr.")
@click.option("-f", "--fail", is_flag=True, help="Exit 4 on HTTP 4xx and 5 on 5xx, without printing the body.")
@click.option("-L", "--location", is_flag=True, help="Follow redirects; the token never goes to another origin.")
@click.option("--max-time", type=click.FloatRange(min=0.1), metavar="SECONDS", help="Give up after this long in all.")
@click.option("--cacert", type=click.Path(dir_okay=False), metavar="PATH", help="Trust these CA certificates (PEM).")
@click.option("-k", "--insecure", is_flag=True, help="Skip TLS certificate verification (prints a warning).")
@click.option("--allow-http", is_flag=True,
              help="Send the token over plain http:// to a host other than loopback (prints a warning).")
@click.option("-v", "--verbose", is_flag=True, help="Trace the exchange on stderr, token and proofs masked.")
@click.option("--print-curl", is_flag=True, help="Print the equivalent curl command (token masked) instead of sending.")
@click.pass_context
def call(ctx: click.Context, args, profile, request, headers, data, data_binary, data_raw, data_urlencode, json_, form,
         get, include, head, output, silent, fail, location, max_time, cacert, insecure, allow_http, verbose, print_curl) -> None:
    """Send a request to URL with the profile's access token, refreshing it first when
    it is about to expire (and once more if the server says the token is invalid), and
    print the response body on stdout, byte for byte when piped.

    The profile is -p, else the one whose `urls` contain URL, else the default one. The
    token goes only to URL's origin: never to another host on a redirect (-L), and never
    outside the profile's `urls`. Profiles with `dpop = true` send DPoP proofs (RFC 9449).

    Exit status: 0 for any HTTP answer; with --fail, 4 for 4xx and 5 for 5xx; 6 when the
    server cannot be reached; 7 when there is no usable token (log in first).

    \b
    Examples:
      $ oauth2 call https://api.github.com/user
      $ oauth2 call -p work POST https://api.example.com/items --json '{"a":1}'
      $ oauth2 call https://api.example.com/report.pdf -o report.pdf
    """
    opts = CallOptions(
        args=args, profile=profile, request=request, headers=headers,
        data=_data_in_order(ctx, data=data, data_binary=data_binary, data_raw=data_raw, data_urlencode=data_urlencode),
        json=json_, form=form, get=get, include=include, head=head, output=output, silent=silent, fail=fail,
        location=location, max_time=max_time, cacert=cacert, insecure=insecure, allow_http=allow_http, verbose=verbose, print_curl=print_curl,
    )
    run_call(opts, render.deps_of(ctx))
